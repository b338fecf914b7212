// The music migration upgrades a populated catalog of the version before it without losing anything: the
// items and external_ids tables are rebuilt (a CHECK constraint cannot be altered), so every row and every
// reference to them must survive.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, resolveMigrations } from '../../../main/catalog/migrate.js';
import { tempDir } from './fixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

/** Every migration before the music one (found by name: the lead renumbers migrations at merge). */
function migrationsBeforeMusic() {
  const all = resolveMigrations();
  const music = all.findIndex((migration) => migration.name === 'music');
  expect(music).toBeGreaterThan(0);
  return { before: all.slice(0, music), all };
}

const TABLES = [
  'servers',
  'libraries',
  'items',
  'movies',
  'shows',
  'seasons',
  'episodes',
  'media_files',
  'external_ids',
  'tags',
  'item_tags',
  'media_versions',
];

function snapshot(sqlite: BetterSqlite3.Database): Record<string, unknown[]> {
  return Object.fromEntries(TABLES.map((table) => [table, sqlite.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()]));
}

/** A catalog as the previous version wrote it: a movie, a show with a season and two episodes, files, ids, tags. */
function populate(sqlite: BetterSqlite3.Database): void {
  sqlite.exec(`
    INSERT INTO servers (id, name, url, machine_identifier, token_ciphertext, created_at) VALUES (1, 'Home', 'http://h:32400', 'm1', 'x', 1);
    INSERT INTO libraries (id, server_id, section_key, title, type) VALUES (1, 1, '1', 'Movies', 'movie'), (2, 1, '2', 'TV', 'show');
    INSERT INTO items (id, server_id, library_id, kind, rating_key, guid, title, year, added_at, updated_at, fingerprint, synced_at,
                       summary, tagline, content_rating, studio, original_title, title_sort, edition, critic_rating,
                       critic_rating_image, audience_rating, audience_rating_image)
    VALUES (1, 1, 1, 'movie', '10', 'plex://movie/5d7768ba96b655001fdc0408', 'Heat', 1995, 100, 200, 'f1', 300,
            'A heist.', 'A Los Angeles crime saga', 'R', 'Warner', NULL, NULL, 'Director''s Cut', 8.7,
            'rottentomatoes://image.rating.ripe', 9.1, 'rottentomatoes://image.rating.upright'),
           (2, 1, 2, 'show', '20', 'com.plexapp.agents.thetvdb://81189?lang=en', 'Breaking Bad', 2008, 100, 200, 'f2', 300,
            NULL, NULL, 'TV-MA', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
           (3, 1, 2, 'season', '21', NULL, 'Season 1', NULL, 100, NULL, 'f3', 300,
            NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
           (4, 1, 2, 'episode', '22', NULL, 'Pilot', 2008, 100, 200, 'f4', 300,
            NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 7.5, 'themoviedb://image.rating'),
           (5, 1, 2, 'episode', '23', NULL, 'Cat''s in the Bag…', 2008, 100, 200, 'f5', 300,
            NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    INSERT INTO movies VALUES (1, '1995-12-15', 10200000);
    INSERT INTO shows VALUES (2, 2, 1);
    INSERT INTO seasons VALUES (3, 2, 1);
    INSERT INTO episodes VALUES (4, 2, 3, 1, 1, '2008-01-20', 3480000), (5, 2, 3, 1, 2, '2008-01-27', 2880000);
    INSERT INTO media_files (item_id, media_index, part_index, plex_path, local_path, mapped, size, duration_ms, container)
    VALUES (1, 0, 0, '/m/Heat.mkv', '/mnt/m/Heat.mkv', 1, 123, 10200000, 'mkv'),
           (4, 0, 0, '/tv/BB/S01E01.mkv', '/tv/BB/S01E01.mkv', 0, 456, 3480000, 'mkv'),
           (5, 0, 0, '/tv/BB/S01E02.mkv', '/tv/BB/S01E02.mkv', 0, 789, 2880000, 'mkv');
    INSERT INTO external_ids VALUES (1, 'imdb', 'tt0113277'), (1, 'tmdb', '949'), (1, 'plex', 'movie/5d7768ba96b655001fdc0408'),
                                    (2, 'tvdb', '81189'), (4, 'imdb', 'tt0959621');
    INSERT INTO tags VALUES (1, 'genre', 'Crime'), (2, 'actor', 'Al Pacino');
    INSERT INTO item_tags VALUES (1, 1, 0), (1, 2, 1), (2, 1, 0);
    INSERT INTO media_versions (item_id, media_index, resolution, width, height, video_codec, audio_codec, audio_channels, container, duration_ms)
    VALUES (1, 0, '1080', 1920, 1080, 'hevc', 'truehd', 8, 'mkv', 10200000);
  `);
}

describe('migration music', () => {
  it('upgrades a populated catalog of the previous version without losing a row or a reference', () => {
    const { dir, cleanup } = tempDir('marquee-migrate-music-');
    cleanups.push(cleanup);
    const sqlite = new BetterSqlite3(join(dir, 'catalog.sqlite'));
    cleanups.push(() => sqlite.close());
    const { before, all } = migrationsBeforeMusic();
    migrate(sqlite, before);
    populate(sqlite);
    const old = snapshot(sqlite);

    const result = migrate(sqlite, all);
    expect(result.applied.map((migration) => migration.name)).toContain('music');
    expect(snapshot(sqlite)).toEqual(old);
    sqlite.pragma('foreign_keys = ON');
    expect(sqlite.pragma('foreign_key_check')).toEqual([]);
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    // The index the sync's counts use is back.
    expect(sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items'`).all()).toContainEqual({
      name: 'items_library_kind',
    });

    // The new kinds and providers are accepted; the old constraints still refuse nonsense.
    sqlite.exec(`
      INSERT INTO libraries (id, server_id, section_key, title, type) VALUES (3, 1, '3', 'Music', 'artist');
      INSERT INTO items (id, server_id, library_id, kind, rating_key, title, fingerprint, synced_at)
      VALUES (6, 1, 3, 'artist', '30', 'Daft Punk', 'f', 1), (7, 1, 3, 'album', '31', 'Discovery', 'f', 1),
             (8, 1, 3, 'track', '32', 'One More Time', 'f', 1);
      INSERT INTO artists VALUES (6, NULL, NULL);
      INSERT INTO albums VALUES (7, 6, 2001);
      INSERT INTO tracks VALUES (8, 6, 7, 1, 1, 320000);
      INSERT INTO external_ids VALUES (7, 'asin', 'B000056NIH'), (6, 'mbid', '056e4f3e-d505-4dad-8ec1-d04f521cbb56');
    `);
    expect(() => sqlite.prepare(`UPDATE items SET kind = 'photo' WHERE id = 8`).run()).toThrow(/CHECK/);
    expect(() => sqlite.prepare(`INSERT INTO external_ids VALUES (8, 'isbn', '1')`).run()).toThrow(/CHECK/);

    // References into the rebuilt items table still cascade.
    sqlite.prepare('DELETE FROM items WHERE id = 2').run();
    expect(sqlite.prepare('SELECT count(*) AS n FROM seasons').get()).toEqual({ n: 0 });
    expect(sqlite.prepare('SELECT count(*) AS n FROM episodes').get()).toEqual({ n: 0 });
    sqlite.prepare('DELETE FROM items WHERE id = 6').run();
    expect(sqlite.prepare('SELECT count(*) AS n FROM tracks').get()).toEqual({ n: 0 });
  });
});
