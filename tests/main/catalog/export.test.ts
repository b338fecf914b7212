import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportRows } from '../../../main/catalog/export.js';
import {
  type TempCatalog,
  insertEpisode,
  insertExternalId,
  insertFile,
  insertItem,
  insertLibrary,
  insertSeason,
  insertServer,
  tempCatalog,
} from './fixtures.js';

let temp: TempCatalog;
beforeEach(() => {
  temp = tempCatalog();
});
afterEach(() => temp.cleanup());

describe('exportRows', () => {
  it('exports movies, shows and episodes in the exact documented shape', () => {
    const { catalog } = temp;
    const serverId = insertServer(catalog, 'Home', 'abc123');
    const movies = insertLibrary(catalog, serverId, '1', 'Movies');
    const tv = insertLibrary(catalog, serverId, '2', 'TV Shows', 'show');

    const movie = insertItem(catalog, {
      serverId,
      libraryId: movies,
      kind: 'movie',
      ratingKey: '101',
      title: 'The Shawshank Redemption',
      year: 1994,
      guid: 'plex://movie/5d7768',
      addedAt: 1000,
      updatedAt: 2000,
    });
    // Inserted out of order on purpose: the export sorts by provider.
    insertExternalId(catalog, movie, 'tmdb', '278');
    insertExternalId(catalog, movie, 'imdb', 'tt0111161');
    insertFile(catalog, movie, '/data/movies/Shawshank.mkv', { localPath: '/mnt/movies/Shawshank.mkv', mapped: true });

    const show = insertItem(catalog, { serverId, libraryId: tv, kind: 'show', ratingKey: '200', title: 'Breaking Bad', year: 2008 });
    insertExternalId(catalog, show, 'plex', 'show/5d9c08');
    insertExternalId(catalog, show, 'tvdb', '81189');
    const season = insertItem(catalog, { serverId, libraryId: tv, kind: 'season', ratingKey: '201', title: 'Season 1' });
    insertSeason(catalog, season, show, 1);
    const episode = insertItem(catalog, {
      serverId,
      libraryId: tv,
      kind: 'episode',
      ratingKey: '202',
      title: 'Pilot',
      addedAt: 3000,
      updatedAt: null,
    });
    insertEpisode(catalog, episode, show, season, 1, 1);
    insertFile(catalog, episode, 'D:\\TV\\BB\\S01E01.1080p.mkv', { mediaIndex: 1, partIndex: 0 });
    insertFile(catalog, episode, '/data/tv/BB/S01E01.mkv', {
      mediaIndex: 0,
      partIndex: 0,
      localPath: '/mnt/tv/BB/S01E01.mkv',
      mapped: true,
    });

    const json = [...exportRows(catalog)].map((row) => JSON.stringify(row));
    expect(json).toEqual([
      JSON.stringify({
        id: movie,
        server: 'Home',
        machineIdentifier: 'abc123',
        library: 'Movies',
        type: 'movie',
        ratingKey: '101',
        title: 'The Shawshank Redemption',
        year: 1994,
        guids: { imdb: 'tt0111161', tmdb: '278' },
        files: [{ plexPath: '/data/movies/Shawshank.mkv', localPath: '/mnt/movies/Shawshank.mkv', mapped: true }],
        addedAt: 1000,
        updatedAt: 2000,
        summary: null,
        tagline: null,
        contentRating: null,
        studio: null,
        originalTitle: null,
        titleSort: null,
        criticRating: null,
        criticRatingImage: null,
        audienceRating: null,
        audienceRatingImage: null,
        genres: [],
        labels: [],
        collections: [],
        countries: [],
        directors: [],
        writers: [],
        actors: [],
        edition: null,
        versions: [],
        groupId: 'movie:imdb:tt0111161',
      }),
      JSON.stringify({
        id: show,
        server: 'Home',
        machineIdentifier: 'abc123',
        library: 'TV Shows',
        type: 'show',
        ratingKey: '200',
        title: 'Breaking Bad',
        year: 2008,
        guids: { tvdb: '81189', plex: 'show/5d9c08' },
        addedAt: null,
        updatedAt: null,
        summary: null,
        tagline: null,
        contentRating: null,
        studio: null,
        originalTitle: null,
        titleSort: null,
        criticRating: null,
        criticRatingImage: null,
        audienceRating: null,
        audienceRatingImage: null,
        genres: [],
        labels: [],
        collections: [],
        countries: [],
        directors: [],
        writers: [],
        actors: [],
        groupId: 'show:tvdb:81189',
      }),
      JSON.stringify({
        id: episode,
        server: 'Home',
        machineIdentifier: 'abc123',
        library: 'TV Shows',
        type: 'episode',
        ratingKey: '202',
        title: 'Pilot',
        year: null,
        guids: {},
        show: 'Breaking Bad',
        season: 1,
        episode: 1,
        files: [
          { plexPath: '/data/tv/BB/S01E01.mkv', localPath: '/mnt/tv/BB/S01E01.mkv', mapped: true },
          { plexPath: 'D:\\TV\\BB\\S01E01.1080p.mkv', localPath: 'D:\\TV\\BB\\S01E01.1080p.mkv', mapped: false },
        ],
        addedAt: 3000,
        updatedAt: null,
        summary: null,
        tagline: null,
        contentRating: null,
        studio: null,
        originalTitle: null,
        titleSort: null,
        criticRating: null,
        criticRatingImage: null,
        audienceRating: null,
        audienceRatingImage: null,
        genres: [],
        labels: [],
        collections: [],
        countries: [],
        directors: [],
        writers: [],
        actors: [],
        versions: [],
        groupId: `item:${episode}`,
      }),
    ]);
  });

  it('filters by server and library, and a movie without files has an empty list', () => {
    const { catalog } = temp;
    const a = insertServer(catalog, 'A', null);
    const b = insertServer(catalog, 'B');
    const la = insertLibrary(catalog, a, '1', 'Movies');
    const lb = insertLibrary(catalog, b, '1', 'Movies');
    insertItem(catalog, { serverId: a, libraryId: la, kind: 'movie', ratingKey: '1', title: 'X' });
    insertItem(catalog, { serverId: b, libraryId: lb, kind: 'movie', ratingKey: '1', title: 'Y' });
    const rows = [...exportRows(catalog, { serverId: a })];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ server: 'A', machineIdentifier: null, title: 'X', files: [] });
    expect([...exportRows(catalog, { libraryId: lb })].map((row) => row.title)).toEqual(['Y']);
  });

  it('streams 110,000 items in seconds', () => {
    const { catalog } = temp;
    const serverId = insertServer(catalog, 'Big');
    const libraryId = insertLibrary(catalog, serverId, '1', 'TV', 'show');
    const items = catalog.sqlite.prepare(
      "INSERT INTO items (server_id, library_id, kind, rating_key, title, fingerprint, synced_at) VALUES (?, ?, ?, ?, ?, 'fp', 0)",
    );
    const episodes = catalog.sqlite.prepare('INSERT INTO episodes (item_id, show_id, season_number, episode_number) VALUES (?, ?, 1, ?)');
    const files = catalog.sqlite.prepare(
      'INSERT INTO media_files (item_id, media_index, part_index, plex_path, local_path, mapped) VALUES (?, 0, 0, ?, ?, 0)',
    );
    const ids = catalog.sqlite.prepare("INSERT INTO external_ids (item_id, provider, value) VALUES (?, 'tvdb', ?)");
    catalog.sqlite.transaction(() => {
      let show = 0;
      for (let i = 0; i < 110_000; i++) {
        if (i % 100 === 0) {
          show = Number(items.run(serverId, libraryId, 'show', `s${i}`, `Show ${i}`).lastInsertRowid);
          continue;
        }
        const id = Number(items.run(serverId, libraryId, 'episode', `e${i}`, `Episode ${i}`).lastInsertRowid);
        episodes.run(id, show, i % 100);
        files.run(id, `/tv/${i}.mkv`, `/tv/${i}.mkv`);
        ids.run(id, String(i));
      }
    })();
    const started = performance.now();
    let count = 0;
    let withFile = 0;
    for (const row of exportRows(catalog)) {
      count += 1;
      if (row.type === 'episode' && row.files.length === 1) withFile += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    expect(count).toBe(110_000);
    expect(withFile).toBe(108_900);
    expect(seconds).toBeLessThan(10);
    console.info(`export 110k: ${seconds.toFixed(2)}s`);
  }, 60_000);
});
