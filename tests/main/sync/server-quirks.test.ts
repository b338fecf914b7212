// Real and hostile Plex servers: each quirk driven by its simulator option over HTTP, into a real SQLite catalog.
import { afterEach, describe, expect, it } from 'vitest';
import { CHANGED_ITEMS_LIMIT, type LibrarySyncReport } from '../../../shared/domain.js';
import { runSync } from '../../../main/sync/engine.js';
import { PATHS_WITHHELD_NOTE } from '../../../main/sync/library-sync.js';
import { addServer } from '../../../main/catalog/servers.js';
import { exportRows } from '../../../main/catalog/export.js';
import { startPlexSim, type PlexSim, type PlexSimOptions } from '../../../tools/plex-sim/index.js';
import { addSimServer, catalogView, createTestCatalog, sectionKeys, simView, type TestCatalog } from './fixtures.js';

let sim: PlexSim | undefined;
let test: TestCatalog | undefined;

afterEach(async () => {
  if (test !== undefined) {
    expect(test.catalog.sqlite.pragma('foreign_key_check')).toEqual([]);
    test.cleanup();
  }
  await sim?.close();
  sim = undefined;
  test = undefined;
});

async function start(options: PlexSimOptions): Promise<{ sim: PlexSim; test: TestCatalog }> {
  sim = await startPlexSim({ seed: 7, ...options });
  test = createTestCatalog();
  addSimServer(test, sim);
  return { sim, test };
}

function library(reports: LibrarySyncReport[], title: string): LibrarySyncReport {
  const found = reports.find((report) => report.libraryTitle === title);
  if (found === undefined) throw new Error(`no report for ${title}`);
  return found;
}

const catalogTitle = (t: TestCatalog, ratingKey: string) =>
  (t.catalog.sqlite.prepare('SELECT title FROM items WHERE rating_key = ?').get(ratingKey) as { title: string } | undefined)?.title;

describe('a collection set to hide its items', () => {
  it('still brings every movie, counts no collection and removes nothing on the next pass', async () => {
    const { sim, test } = await start({ hiddenCollection: 5 });
    const first = await runSync(test.deps);
    expect(first.ok).toBe(true);
    expect(catalogView(test.catalog)).toEqual(simView(sim));
    expect(
      test.catalog.sqlite.prepare("SELECT count(*) AS n FROM items WHERE kind NOT IN ('movie','show','season','episode')").get(),
    ).toEqual({ n: 0 });
    sim.resetRequests();
    const second = await runSync(test.deps);
    const movies = library(second.libraries, 'Movies');
    expect(movies.mode).toBe('incremental');
    expect(movies.removed).toBe(0);
    expect(movies.notes.join(' ')).not.toMatch(/listed all movies/);
    for (const request of sim.requests.filter((entry) => entry.path.endsWith('/all'))) expect(request.query.includeCollections).toBe('0');
    expect(catalogView(test.catalog)).toEqual(simView(sim));
  });
});

describe('hidden seasons (single-season series)', () => {
  it.each(['keep-index', 'drop-index'] as const)('gives each episode its season number and season link (%s)', async (hiddenSeasons) => {
    const { sim, test } = await start({ hiddenSeasons });
    const keys = sectionKeys(sim);
    const show = sim.library.addShow(keys.shows, { title: 'One Season Wonder' });
    sim.library.addEpisode(show, 1, { title: 'Only Pilot' });
    sim.library.addEpisode(show, 1, { title: 'Only Finale' });
    expect((await runSync(test.deps)).ok).toBe(true);
    expect(catalogView(test.catalog)).toEqual(simView(sim));
    const unlinked = test.catalog.sqlite
      .prepare('SELECT count(*) AS n FROM episodes WHERE season_id IS NULL OR season_number IS NULL')
      .get();
    expect(unlinked).toEqual({ n: 0 });

    // The show's /children now lists episodes: re-listing it must keep its season and link the new episode.
    const added = sim.library.addEpisode(show, 1, { title: 'Only Encore' });
    const report = await runSync(test.deps);
    expect(report.ok).toBe(true);
    expect(library(report.libraries, 'TV Shows').counts.removed.season).toBe(0);
    expect(catalogView(test.catalog)).toEqual(simView(sim));
    const row = test.catalog.sqlite
      .prepare(
        'SELECT e.season_number AS season, s.rating_key AS seasonKey FROM episodes e JOIN items i ON i.id = e.item_id JOIN items s ON s.id = e.season_id WHERE i.rating_key = ?',
      )
      .get(added) as { season: number; seasonKey: string };
    expect(row).toEqual({ season: 1, seasonKey: sim.library.get(added)?.parentKey });

    // A new single-season show found by the narrowing: its season is asked for by key, so its episodes get a number.
    const newShow = sim.library.addShow(keys.shows, { title: 'Brand New Single Season' });
    sim.library.addEpisode(newShow, 4, { title: 'New Pilot' });
    const third = await runSync(test.deps);
    expect(third.ok).toBe(true);
    expect(catalogView(test.catalog)).toEqual(simView(sim));
    expect(
      test.catalog.sqlite.prepare('SELECT count(*) AS n FROM episodes WHERE season_id IS NULL OR season_number IS NULL').get(),
    ).toEqual({ n: 0 });
  });
});

describe('clocks and impossible dates', () => {
  it.each([-5, 5])('sees a later edit after a future-dated item, with the server clock %i h off', async (clockSkewHours) => {
    const { sim, test } = await start({ clockSkewHours, futureDatedItems: 1 });
    expect((await runSync(test.deps)).ok).toBe(true);
    const watermark = (test.catalog.sqlite.prepare("SELECT watermark FROM libraries WHERE title = 'Movies'").get() as { watermark: number })
      .watermark;
    expect(watermark).toBeLessThanOrEqual(sim.library.now());
    const movie = sim.library.items(sectionKeys(sim).movies, 'movie')[3];
    if (movie === undefined) throw new Error('sample library too small');
    sim.library.editItem(movie.ratingKey, { title: 'Edited After The Future' });
    const report = await runSync(test.deps);
    expect(library(report.libraries, 'Movies').mode).toBe('incremental');
    expect(catalogTitle(test, movie.ratingKey)).toBe('Edited After The Future');
  });

  it('stores an absurd date as unknown and still sees later edits', async () => {
    const { sim, test } = await start({ absurdDatedItems: 1 });
    const first = await runSync(test.deps);
    expect(library(first.libraries, 'Movies').warnings.join(' ')).toMatch(/impossible dates, stored as unknown/);
    const movies = sim.library.items(sectionKeys(sim).movies, 'movie');
    const absurd = movies[movies.length - 1];
    const other = movies[0];
    if (absurd === undefined || other === undefined) throw new Error('sample library too small');
    expect(test.catalog.sqlite.prepare('SELECT updated_at FROM items WHERE rating_key = ?').get(absurd.ratingKey)).toEqual({
      updated_at: null,
    });
    sim.library.editItem(other.ratingKey, { title: 'Edited After Garbage' });
    await runSync(test.deps);
    expect(catalogTitle(test, other.ratingKey)).toBe('Edited After Garbage');
  });

  it('recomputes a watermark that ran ahead on a full pass', async () => {
    const { sim, test } = await start({});
    await runSync(test.deps);
    test.catalog.sqlite.prepare('UPDATE libraries SET watermark = 9999999999').run();
    await runSync(test.deps, { full: true });
    const rows = test.catalog.sqlite.prepare("SELECT watermark FROM libraries WHERE type IN ('movie','show')").all() as {
      watermark: number;
    }[];
    for (const row of rows) expect(row.watermark).toBeLessThanOrEqual(sim.library.now());
  });
});

describe("a token that is not the owner's", () => {
  it('keeps the items, stores no file and says so once per library', async () => {
    sim = await startPlexSim({ seed: 7, sharedToken: 'shared-account-token' });
    test = createTestCatalog();
    addServer(test.catalog, test.secrets, { name: 'Home', url: sim.url, token: 'shared-account-token', machineIdentifier: null });
    const report = await runSync(test.deps);
    expect(report.ok).toBe(true);
    expect(test.catalog.sqlite.prepare("SELECT count(*) AS n FROM items WHERE kind IN ('movie','episode')").get()).not.toEqual({ n: 0 });
    expect(test.catalog.sqlite.prepare('SELECT count(*) AS n FROM media_files').get()).toEqual({ n: 0 });
    for (const entry of report.libraries) expect(entry.warnings.filter((warning) => warning === PATHS_WITHHELD_NOTE)).toHaveLength(1);
  });
});

describe('absurdly long titles and paths', () => {
  it('cuts titles at 1,000 characters and stores no path longer than 4,096, with a warning', async () => {
    const { sim, test } = await start({});
    const key = sim.library.addMovie(sectionKeys(sim).movies, { title: 'T'.repeat(50_000), file: `/movies/${'p'.repeat(5_000)}.mkv` });
    const report = await runSync(test.deps);
    const warnings = library(report.libraries, 'Movies').warnings.join(' ');
    expect(warnings).toMatch(/1 title\(s\) longer than 1000 characters were cut/);
    expect(warnings).toMatch(/1 file path\(s\) longer than 4096 characters were not stored/);
    expect(catalogTitle(test, key)).toBe('T'.repeat(1_000));
    const files = test.catalog.sqlite
      .prepare('SELECT count(*) AS n FROM media_files f JOIN items i ON i.id = f.item_id WHERE i.rating_key = ?')
      .get(key);
    expect(files).toEqual({ n: 0 });
  });
});

describe('reports name what changed', () => {
  it('counts by kind and names the first items, on full and incremental passes and removals', async () => {
    const { sim, test } = await start({});
    const keys = sectionKeys(sim);
    const full = await runSync(test.deps);
    const shows = library(full.libraries, 'TV Shows');
    const showCount = sim.library.items(keys.shows, 'show').length;
    const seasonCount = sim.library.items(keys.shows, 'season').length;
    const episodeCount = sim.library.items(keys.shows, 'episode').length;
    expect(shows.counts.added).toEqual({
      movie: 0,
      show: showCount,
      season: seasonCount,
      episode: episodeCount,
      artist: 0,
      album: 0,
      track: 0,
    });
    expect(shows.added).toBe(showCount + seasonCount + episodeCount);
    expect(shows.changes.added.items).toHaveLength(CHANGED_ITEMS_LIMIT);
    expect(shows.changes.added.more).toBe(shows.added - CHANGED_ITEMS_LIMIT);

    const episode = sim.library.items(keys.shows, 'episode')[0];
    const movie = sim.library.items(keys.movies, 'movie')[0];
    if (episode === undefined || movie === undefined) throw new Error('sample library too small');
    sim.library.editItem(episode.ratingKey, { title: 'Renamed Episode' });
    sim.library.removeItem(movie.ratingKey);
    const next = await runSync(test.deps);
    const season = sim.library.get(episode.parentKey ?? '');
    const show = sim.library.get(episode.grandparentKey ?? '');
    expect(library(next.libraries, 'TV Shows').changes.updated).toEqual({
      items: [{ kind: 'episode', title: 'Renamed Episode', show: show?.title, season: season?.index, episode: episode.index }],
      more: 0,
    });
    const movies = library(next.libraries, 'Movies');
    expect(movies.counts.removed).toEqual({ movie: 1, show: 0, season: 0, episode: 0, artist: 0, album: 0, track: 0 });
    expect(movies.changes.removed).toEqual({ items: [{ kind: 'movie', title: movie.title }], more: 0 });
  });

  it('sets the error code of a failed library from the typed error', async () => {
    const { sim, test } = await start({});
    sim.addFault({ match: /\/library\/sections\/\d+\/all/, kind: 'status', status: 401 });
    const report = await runSync(test.deps);
    for (const entry of report.libraries) {
      expect(entry.outcome).toBe('failed');
      expect(entry.errorCode).toBe('PLEX_UNAUTHORIZED');
    }
  });
});

describe('cancel', () => {
  it('reports what was committed before the cancel', async () => {
    const { sim, test } = await start({});
    const controller = new AbortController();
    const report = await runSync(test.deps, {
      library: 'TV Shows',
      pageSize: 10,
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (event) => {
        if (event.kind === 'items' && event.phase === 'episodes' && event.done >= 20) controller.abort();
      },
    });
    const shows = report.libraries[0];
    expect(shows?.outcome).toBe('cancelled');
    const stored = test.catalog.sqlite.prepare('SELECT kind, count(*) AS n FROM items GROUP BY kind ORDER BY kind').all() as {
      kind: string;
      n: number;
    }[];
    const committed = Object.fromEntries(stored.map((row) => [row.kind, row.n]));
    expect(committed.episode).toBeGreaterThanOrEqual(20);
    expect(shows?.counts.added).toEqual({
      movie: 0,
      show: committed.show,
      season: committed.season,
      episode: committed.episode,
      artist: 0,
      album: 0,
      track: 0,
    });
    expect(shows?.added).toBe(stored.reduce((sum, row) => sum + row.n, 0));
    expect(sim.requests.length).toBeGreaterThan(0);
  });
});

describe('legacy agent episodes', () => {
  it("export the show's TVDB id on the show and the numbers on the episode, no episode id", async () => {
    const { sim, test } = await start({});
    const show = sim.library.addShow(sectionKeys(sim).shows, {
      title: 'Legacy Show',
      guid: 'com.plexapp.agents.thetvdb://81189?lang=en',
      guids: [],
    });
    const episode = sim.library.addEpisode(show, 2, {
      title: 'Legacy Pilot',
      index: 3,
      guid: 'com.plexapp.agents.thetvdb://81189/2/3?lang=en',
      guids: [],
    });
    expect((await runSync(test.deps)).ok).toBe(true);
    const rows = [...exportRows(test.catalog)];
    const showRow = rows.find((row) => row.ratingKey === show);
    const episodeRow = rows.find((row) => row.ratingKey === episode);
    expect(showRow?.guids).toEqual({ tvdb: '81189' });
    expect(episodeRow).toMatchObject({ type: 'episode', title: 'Legacy Pilot', show: 'Legacy Show', season: 2, episode: 3, guids: {} });
  });
});
