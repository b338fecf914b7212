// The title index's end-of-sync check (title-index.ts): real catalog files, the simulated server, real syncs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repairTitleIndex } from '../../../main/catalog/title-index.js';
import { runSync } from '../../../main/sync/engine.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { addSimServer, createTestCatalog, type TestCatalog } from '../sync/fixtures.js';

let sim: PlexSim;
let test: TestCatalog;

beforeEach(async () => {
  sim = await startPlexSim({ seed: 7 });
  test = createTestCatalog();
  addSimServer(test, sim);
});

afterEach(async () => {
  test.cleanup();
  await sim.close();
});

const search = (words: string) =>
  (
    test.catalog.sqlite.prepare('SELECT title FROM items WHERE id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)').all(words) as {
      title: string;
    }[]
  ).map((row) => row.title);

const integrityCheck = () => test.catalog.sqlite.exec(`INSERT INTO items_fts (items_fts, rank) VALUES ('integrity-check', 1)`);

describe('the title index after a sync', () => {
  it('is left alone when it holds every item', async () => {
    await runSync(test.deps);
    expect(repairTitleIndex(test.catalog)).toBe(0);
    expect(integrityCheck).not.toThrow();
  });

  /** An older Marquee (before migration 0010) or another tool inserting into `items` itself. */
  function insertBehindTheIndex(libraryId: number, ratingKey: string, title: string): void {
    const { server_id: serverId } = test.catalog.sqlite.prepare('SELECT server_id FROM libraries WHERE id = ?').get(libraryId) as {
      server_id: number;
    };
    test.catalog.sqlite
      .prepare(
        `INSERT INTO items (server_id, library_id, kind, rating_key, title, fingerprint, synced_at)
         VALUES (?, ?, 'movie', ?, ?, 'x', 0)`,
      )
      .run(serverId, libraryId, ratingKey, title);
  }

  const movieLibrary = () =>
    (test.catalog.sqlite.prepare("SELECT library_id FROM items WHERE kind = 'movie' LIMIT 1").get() as { library_id: number }).library_id;

  it('is rebuilt, and says so, when another program wrote items without it', async () => {
    await runSync(test.deps);
    // On a server this catalog keeps but does not sync (inactive): no sync would ever write it again.
    const db = test.catalog.sqlite;
    const serverId = Number(
      db.prepare("INSERT INTO servers (name, url, created_at, active) VALUES ('Attic', 'http://attic', 0, 0)").run().lastInsertRowid,
    );
    const libraryId = Number(
      db.prepare("INSERT INTO libraries (server_id, section_key, title, type) VALUES (?, '1', 'Old Films', 'movie')").run(serverId)
        .lastInsertRowid,
    );
    insertBehindTheIndex(libraryId, '1', 'Zanzibar Nights');
    expect(search('zanzibar')).toEqual([]);
    expect(integrityCheck).toThrow();

    const report = await runSync(test.deps);
    expect(report.ok).toBe(true);
    expect(report.libraries.at(-1)?.notes).toContain(
      'the title search index was missing 1 item(s) written by another program; it was rebuilt',
    );
    expect(search('zanzibar')).toEqual(['Zanzibar Nights']);
    expect(integrityCheck).not.toThrow();
  });

  it('stays sound when an item it never held is updated or removed', async () => {
    await runSync(test.deps);
    const db = test.catalog.sqlite;
    const movie = db.prepare("SELECT rating_key AS ratingKey, title FROM items WHERE kind = 'movie' LIMIT 1").get() as {
      ratingKey: string;
      title: string;
    };
    // One the server has (the sync rewrites it, title included), one it never had (a full pass removes it).
    db.prepare('DELETE FROM items WHERE rating_key = ?').run(movie.ratingKey);
    insertBehindTheIndex(movieLibrary(), movie.ratingKey, 'Zanzibar Nights');
    insertBehindTheIndex(movieLibrary(), 'gone-from-plex', 'Casablanca Dreams');
    const report = await runSync(test.deps, { full: true });
    expect(report.ok).toBe(true);
    expect(db.prepare("SELECT 1 FROM items WHERE rating_key = 'gone-from-plex'").get()).toBeUndefined();
    expect(search('zanzibar OR casablanca')).toEqual([]);
    expect(search(`"${movie.title}"`)).toContain(movie.title);
    expect(integrityCheck).not.toThrow();
  });
});
