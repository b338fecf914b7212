// Music and audiobook libraries synced like shows (artist → album → track), over real HTTP into a real catalog.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportRows, type ExportRow } from '../../../main/catalog/export.js';
import { findLibrary, setLibraryEnabled, upsertSections } from '../../../main/catalog/libraries.js';
import { PlexClient } from '../../../main/plex/client.js';
import { csvHeader, csvRecord } from '../../../main/cli/csv.js';
import { runSync } from '../../../main/sync/engine.js';
import { externalIdsFor } from '../../../shared/guid.js';
import { applyFetchedItems } from '../../../main/sync/live-apply.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { addSimServer, createTestCatalog, itemCount, TEST_CLIENT_OPTIONS, type TestCatalog } from './fixtures.js';

let sim: PlexSim;
let test: TestCatalog;
let serverId: number;

const MUSIC = { movies: 2, shows: 1, episodes: 2, artists: 5, albums: 14, tracks: 160, audiobooks: 7 };

beforeEach(async () => {
  sim = await startPlexSim({ seed: 3, library: MUSIC });
  test = createTestCatalog();
  serverId = addSimServer(test, sim).id;
});

afterEach(async () => {
  // Page writes pause foreign-key enforcement: nothing may be left dangling.
  expect(test.catalog.sqlite.pragma('foreign_key_check')).toEqual([]);
  test.cleanup();
  await sim.close();
});

/** The server's sections as the catalog records them. */
function listedSections(from: PlexSim) {
  return from.library.sections().map((section) => ({
    key: section.key,
    type: section.type,
    title: section.title,
    uuid: section.uuid,
    locations: section.locations.map((location) => location.path),
  }));
}

/** Lists the server's sections (as adding a server does) and enables one of them. */
function enable(title: string): void {
  upsertSections(test.catalog, serverId, listedSections(sim), 1);
  const library = findLibrary(test.catalog, serverId, title);
  if (library === null) throw new Error(`no library ${title}`);
  setLibraryEnabled(test.catalog, library.id, true);
}

async function syncMusic(options: { full?: boolean; pageSize?: number } = {}) {
  const report = await runSync(test.deps, { library: 'Music', ...options });
  const library = report.libraries.find((entry) => entry.libraryTitle === 'Music');
  if (library === undefined) throw new Error('Music was not synced');
  return library;
}

interface TrackRow {
  rating_key: string;
  title: string;
  album: string | null;
  artist: string | null;
  disc_number: number | null;
  track_number: number | null;
  duration_ms: number | null;
}

function catalogTracks(): Map<string, TrackRow> {
  const rows = test.catalog.sqlite
    .prepare(
      `SELECT i.rating_key, i.title, al.rating_key AS album, ar.rating_key AS artist, t.disc_number, t.track_number, t.duration_ms
         FROM items i JOIN tracks t ON t.item_id = i.id
         LEFT JOIN items al ON al.id = t.album_id LEFT JOIN items ar ON ar.id = t.artist_id`,
    )
    .all() as TrackRow[];
  return new Map(rows.map((row) => [row.rating_key, row]));
}

function simTracks(sectionKey: string): Map<string, TrackRow> {
  return new Map(
    sim.library.items(sectionKey, 'track').map((track) => [
      track.ratingKey,
      {
        rating_key: track.ratingKey,
        title: track.title,
        album: track.parentKey ?? null,
        artist: track.grandparentKey ?? null,
        disc_number: track.disc ?? null,
        track_number: track.index ?? null,
        duration_ms: track.duration ?? null,
      },
    ]),
  );
}

const musicRequests = () =>
  sim.requests.filter((request) => request.path.startsWith('/library/sections/4/') || request.path.includes('/metadata/'));

describe('music libraries', () => {
  it('are listed but not synced until enabled', async () => {
    const report = await runSync(test.deps);
    expect(report.libraries.map((library) => library.libraryTitle)).not.toContain('Music');
    expect(itemCount(test.catalog, 'track')).toBe(0);
  });

  it('sync artists, albums and tracks with their files through section-wide listings', async () => {
    enable('Music');
    const report = await syncMusic({ pageSize: 50 });
    expect(report.outcome).toBe('ok');
    expect(report.mode).toBe('full');
    expect(report.counts.added).toMatchObject({ artist: 5, album: 14, track: 160, movie: 0, episode: 0 });
    expect(catalogTracks()).toEqual(simTracks('4'));
    // Paged section streams only (type=8, 9, 10), never one request per artist or album.
    expect(musicRequests().every((request) => request.path === '/library/sections/4/all')).toBe(true);
    expect(new Set(musicRequests().map((request) => request.query.type))).toEqual(new Set(['8', '9', '10']));
    const files = test.catalog.sqlite
      .prepare(`SELECT f.plex_path FROM media_files f JOIN items i ON i.id = f.item_id WHERE i.kind = 'track'`)
      .all() as { plex_path: string }[];
    expect(files).toHaveLength(160);
    expect(files.every((file) => /^\/data\/media\/music\/.+\.(flac|mp3|m4a)$/.test(file.plex_path))).toBe(true);
    const album = test.catalog.sqlite.prepare(`SELECT a.year FROM albums a JOIN items i ON i.id = a.item_id WHERE i.rating_key = ?`);
    const simAlbum = sim.library.items('4', 'album')[0];
    expect(album.get(simAlbum?.ratingKey)).toEqual({ year: simAlbum?.year });
  });

  it('reads the same from a server that only speaks XML (tracks are <Track> elements)', async () => {
    const xmlSim = await startPlexSim({ seed: 3, library: MUSIC, xmlOnly: true });
    const xmlTest = createTestCatalog();
    try {
      const xmlServer = addSimServer(xmlTest, xmlSim).id;
      upsertSections(xmlTest.catalog, xmlServer, listedSections(xmlSim), 1);
      const music = findLibrary(xmlTest.catalog, xmlServer, 'Music');
      if (music === null) throw new Error('no Music');
      setLibraryEnabled(xmlTest.catalog, music.id, true);
      expect((await runSync(xmlTest.deps, { library: 'Music' })).ok).toBe(true);
      expect(itemCount(xmlTest.catalog, 'track')).toBe(160);
      enable('Music');
      await syncMusic();
      const tracks = (catalog: TestCatalog) =>
        catalog.catalog.sqlite.prepare(`SELECT rating_key, title, fingerprint FROM items WHERE kind = 'track' ORDER BY 1`).all();
      expect(tracks(xmlTest)).toEqual(tracks(test));
    } finally {
      xmlTest.cleanup();
      await xmlSim.close();
    }
  });

  it('resyncs incrementally: a no-change pass asks 3 requests, a new track and an edited album come in', async () => {
    enable('Music');
    await syncMusic();
    sim.resetRequests();
    const quiet = await syncMusic();
    expect(quiet.mode).toBe('incremental');
    expect(quiet.added + quiet.updated + quiet.removed).toBe(0);
    expect(musicRequests()).toHaveLength(3);

    const album = sim.library.items('4', 'album')[2];
    if (album === undefined) throw new Error('no album');
    const added = sim.library.addTrack(album.ratingKey, { title: 'Hidden Bonus' });
    sim.library.editItem(album.ratingKey, { title: 'Remastered' });
    const changed = await syncMusic();
    expect(changed.mode).toBe('incremental');
    expect(changed.counts.added.track).toBe(1);
    expect(changed.counts.updated.album).toBe(1);
    expect(changed.changes.added.items).toContainEqual(expect.objectContaining({ kind: 'track', title: 'Hidden Bonus' }));
    expect(catalogTracks().get(added)).toMatchObject({ album: album.ratingKey, title: 'Hidden Bonus' });
    expect(catalogTracks()).toEqual(simTracks('4'));
  });

  it('removes a deleted album with its tracks, but only after a complete listing', async () => {
    enable('Music');
    await syncMusic({ pageSize: 40 });
    const album = sim.library.items('4', 'album')[1];
    if (album === undefined) throw new Error('no album');
    const trackCount = album.children.length;
    sim.library.removeItem(album.ratingKey);

    // A track listing that fails part-way removes no track; the complete album listing of the same pass does
    // remove the album (each listing decides for its own kind, as for seasons and episodes).
    sim.addFault({ match: /type=10.*X-Plex-Container-Start=80|X-Plex-Container-Start=80.*type=10/, kind: 'status', status: 500 });
    const failed = await syncMusic({ full: true, pageSize: 40 });
    expect(failed.outcome).toBe('failed');
    expect(itemCount(test.catalog, 'track')).toBe(160);
    expect(failed.counts.removed).toMatchObject({ album: 1, track: 0 });

    sim.clearFaults();
    const report = await syncMusic({ full: true, pageSize: 40 });
    expect(report.outcome).toBe('ok');
    expect(report.counts.removed).toMatchObject({ album: 0, track: trackCount });
    expect(itemCount(test.catalog, 'album')).toBe(13);
    expect(catalogTracks()).toEqual(simTracks('4'));
  });

  it('keeps an audiobook’s ASIN and exports its author, book, disc and track', async () => {
    enable('Audiobooks');
    const report = await runSync(test.deps, { library: 'Audiobooks' });
    expect(report.ok).toBe(true);
    const books = sim.library.items('5', 'album');
    const asins = test.catalog.sqlite
      .prepare(
        `SELECT i.rating_key, x.value FROM external_ids x JOIN items i ON i.id = x.item_id WHERE x.provider = 'asin' AND i.kind = 'album'`,
      )
      .all() as { rating_key: string; value: string }[];
    const expected = books
      .map((book) => ({ rating_key: book.ratingKey, value: /audnexus:\/\/([0-9A-Z]{10})_/.exec(book.guid)?.[1] }))
      .filter((book) => book.value !== undefined);
    expect(expected.length).toBeGreaterThan(0);
    expect(asins.sort((a, b) => a.rating_key.localeCompare(b.rating_key))).toEqual(
      expected.sort((a, b) => a.rating_key.localeCompare(b.rating_key)),
    );

    const rows = [...exportRows(test.catalog)];
    const book = books.find((entry) => entry.guid.includes('audnexus'));
    const author = book?.parentKey === undefined ? undefined : sim.library.get(book.parentKey);
    const bookRow = rows.find(
      (row): row is Extract<ExportRow, { type: 'album' }> => row.type === 'album' && row.ratingKey === book?.ratingKey,
    );
    expect(bookRow).toMatchObject({
      title: book?.title,
      artist: author?.title,
      author: author?.title,
      asin: expected.find((e) => e.rating_key === book?.ratingKey)?.value,
    });
    const part = sim.library.get(book?.children[0] ?? '');
    const partRow = rows.find(
      (row): row is Extract<ExportRow, { type: 'track' }> => row.type === 'track' && row.ratingKey === part?.ratingKey,
    );
    expect(partRow).toMatchObject({ album: book?.title, author: author?.title, asin: bookRow?.asin, disc: 1, track: 1 });
    expect(partRow?.files.map((file) => file.plexPath)).toEqual(part?.media.flatMap((media) => media.parts.map((p) => p.file)));
    // The part's own GUID names its book: the ASIN is the album's id, not the track's.
    expect(partRow?.guids.asin).toBeUndefined();
  });
});

describe('export of music', () => {
  it('round-trips every artist, album and track of both music libraries from the simulator to JSONL and CSV', async () => {
    enable('Music');
    enable('Audiobooks');
    expect((await runSync(test.deps)).ok).toBe(true);
    const rows = [...exportRows(test.catalog)].filter((row) => row.library === 'Music' || row.library === 'Audiobooks');
    const byKey = new Map(rows.map((row) => [row.ratingKey, row]));
    let compared = 0;
    for (const sectionKey of ['4', '5']) {
      for (const type of ['artist', 'album', 'track'] as const) {
        for (const item of sim.library.items(sectionKey, type)) {
          const row = byKey.get(item.ratingKey);
          expect(row?.type).toBe(type);
          expect(row).toMatchObject({ title: item.title, guids: externalIdsFor(type, item.guid, item.guids), addedAt: item.addedAt });
          if (row?.type === 'album' || row?.type === 'track') {
            const artist = sim.library.get((type === 'album' ? item.parentKey : item.grandparentKey) ?? '');
            const album = type === 'album' ? item : sim.library.get(item.parentKey ?? '');
            const asin = /audnexus:\/\/([0-9A-Z]{10})_/.exec(album?.guid ?? '')?.[1] ?? null;
            expect(row).toMatchObject({ artist: artist?.title, asin, author: asin === null ? null : artist?.title });
          }
          if (row?.type === 'album') expect(row.year).toBe(item.year);
          if (row?.type === 'track') {
            expect(row).toMatchObject({ album: sim.library.get(item.parentKey ?? '')?.title, disc: item.disc, track: item.index });
            expect(row.files.map((file) => file.plexPath)).toEqual(item.media.flatMap((media) => media.parts.map((part) => part.file)));
            expect(row.versions.map((version) => [version.audioCodec, version.container, version.bitrate])).toEqual(
              item.media.map((media) => [media.audioCodec, media.container, media.bitrate]),
            );
          }
          compared += 1;
        }
      }
    }
    expect(compared).toBe(rows.length);

    const header = csvHeader().trimEnd().split(',');
    const track = rows.find((row) => row.type === 'track' && row.asin !== null);
    if (track?.type !== 'track') throw new Error('no audiobook track');
    const cells = csvRecord(track).trimEnd().split(',');
    const cell = (name: string) => cells[header.indexOf(name)];
    expect([cell('type'), cell('artist'), cell('album'), cell('disc'), cell('track'), cell('author'), cell('asin')]).toEqual([
      'track',
      track.artist,
      track.album,
      String(track.disc),
      String(track.track),
      track.author,
      track.asin,
    ]);
    expect(cell('plexPaths')).toBe(track.files[0]?.plexPath);
  });
});

describe('live apply of music', () => {
  it('writes a new track with the artist and album the catalog lacks, fetched in one more request', async () => {
    enable('Music');
    await syncMusic();
    const artist = sim.library.addArtist('4', { title: 'Arrived Live' });
    const album = sim.library.addAlbum(artist, { title: 'First Light' });
    const track = sim.library.addTrack(album, { title: 'Opening' });
    const client = new PlexClient({
      baseUrl: sim.url,
      token: sim.token,
      serverName: 'Home',
      clientIdentifier: 'test',
      ...TEST_CLIENT_OPTIONS,
    });
    sim.resetRequests();
    const scope = { catalog: test.catalog, client, serverId, now: () => 1_800_000_000 };
    const result = await applyFetchedItems(scope, await client.metadataBatch([track]));
    expect(result.changes.map((change) => [change.change, change.item.kind, change.item.title])).toEqual([
      ['added', 'artist', 'Arrived Live'],
      ['added', 'album', 'First Light'],
      ['added', 'track', 'Opening'],
    ]);
    expect(sim.requests).toHaveLength(2);
    expect(catalogTracks().get(track)).toMatchObject({ album, artist, title: 'Opening', track_number: 1 });
    expect(catalogTracks()).toEqual(simTracks('4'));
  });
});
