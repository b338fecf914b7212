// The sync engine's page writer on a real SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteCatalogItems, ItemWriter, type PageChanges } from '../../../main/catalog/item-writer.js';
import type { PlexItem } from '../../../main/plex/model.js';
import { toCatalogItem, type ItemRecord } from '../../../main/sync/catalog-item.js';
import { legacyFingerprintOf } from '../../../main/sync/fingerprint.js';
import { planPage } from '../../../main/sync/page-planner.js';
import { createTestCatalog, type TestCatalog } from '../sync/fixtures.js';

let test: TestCatalog;
let writer: ItemWriter;

beforeEach(() => {
  test = createTestCatalog();
  const db = test.catalog.sqlite;
  db.prepare("INSERT INTO servers (id, name, url, created_at) VALUES (1, 'Home', 'http://plex', 0)").run();
  db.prepare("INSERT INTO libraries (id, server_id, section_key, title, type) VALUES (1, 1, '2', 'TV', 'show')").run();
  writer = newWriter();
});

afterEach(() => {
  expect(test.catalog.sqlite.pragma('foreign_key_check')).toEqual([]);
  expect(test.catalog.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
  // The title index holds exactly the items stored (rank 1: checked against the items table itself).
  expect(() => test.catalog.sqlite.exec(`INSERT INTO items_fts (items_fts, rank) VALUES ('integrity-check', 1)`)).not.toThrow();
  test.cleanup();
});

function newWriter(): ItemWriter {
  return new ItemWriter(test.catalog, {
    serverId: 1,
    libraryId: 1,
    resolvePath: (plexPath) => ({ localPath: plexPath, mapped: false }),
    now: () => 0,
    planPage,
  });
}

function record(item: Partial<PlexItem> & Pick<PlexItem, 'ratingKey' | 'type'>): ItemRecord {
  const result = toCatalogItem({ title: item.ratingKey, guids: [], media: [], locations: [], ...item });
  if (result === null) throw new Error('not a catalog item');
  return result;
}

const episode = (ratingKey: string, show: string, season: string, extra: Partial<PlexItem> = {}) =>
  record({
    ratingKey,
    type: 'episode',
    grandparentRatingKey: show,
    grandparentTitle: `Show ${show}`,
    parentRatingKey: season,
    parentIndex: 1,
    index: 1,
    media: [{ parts: [{ file: `/tv/${ratingKey}.mkv` }] }],
    guids: ['imdb://tt1'],
    ...extra,
  });

const count = (table: string) => (test.catalog.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('ItemWriter', () => {
  it("counts a page's changes by kind and names only as many as there is room for", () => {
    const zero = { movie: 0, show: 0, season: 0, episode: 0, artist: 0, album: 0, track: 0 };
    const changes: PageChanges = { added: { ...zero }, updated: { ...zero }, room: { added: 1, updated: 5 }, named: [] };
    writer.writePage(
      [record({ ratingKey: '1', type: 'show', title: 'The Show' }), episode('10', '1', '5'), episode('11', '1', '5')],
      changes,
    );
    expect(changes.added).toEqual({ movie: 0, show: 1, season: 0, episode: 2, artist: 0, album: 0, track: 0 });
    expect(changes.named.map(({ change, item }) => [change, item.ratingKey])).toEqual([['added', '1']]);
    const again: PageChanges = { added: { ...zero }, updated: { ...zero }, room: { added: 5, updated: 5 }, named: [] };
    writer.writePage([episode('10', '1', '5', { title: 'Renamed' }), episode('11', '1', '5')], again);
    expect(again.updated).toEqual({ ...zero, episode: 1 });
    expect(again.named.map(({ change, item }) => [change, item.title])).toEqual([['updated', 'Renamed']]);
  });

  it('writes children before their parents arrive, as stubs the parents then fill in', () => {
    expect(writer.writePage([episode('10', '1', '5')])).toEqual({ added: 1, updated: 0, unchanged: 0 });
    expect(count('items')).toBe(3);
    const show = test.catalog.sqlite.prepare("SELECT title, fingerprint FROM items WHERE rating_key = '1'").get() as {
      title: string;
      fingerprint: string;
    };
    expect(show).toEqual({ title: 'Show 1', fingerprint: 'stub' });
    expect(writer.writePage([record({ ratingKey: '1', type: 'show', title: 'The Show' })])).toEqual({ added: 0, updated: 1, unchanged: 0 });
    expect(count('items')).toBe(3);
  });

  it('indexes the titles of each page, its stubs included, and the titles that replace them', () => {
    writer.writePage([episode('10', '1', '5', { title: 'Pilot' })]);
    writer.writePage([record({ ratingKey: '1', type: 'show', title: 'Northern Exposure' })]);
    const found = (words: string) =>
      (
        test.catalog.sqlite
          .prepare('SELECT title FROM items WHERE id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?) ORDER BY title')
          .all(words) as { title: string }[]
      ).map((row) => row.title);
    expect(found('northern')).toEqual(['Northern Exposure']);
    expect(found('pilot')).toEqual(['Pilot']);
    expect(found('"show 1"')).toEqual([]);
  });

  it('re-stamps an unchanged item stored with an old fingerprint, and the detail pass record of it, without rewriting it', () => {
    const db = test.catalog.sqlite;
    const stored = episode('10', '1', '5');
    writer.writePage([stored]);
    const id = (db.prepare("SELECT id FROM items WHERE rating_key = '10'").get() as { id: number }).id;
    // As a catalog from before 2026-12 holds it: the old kind of fingerprint, on the item and in item_details.
    const legacy = legacyFingerprintOf(stored);
    db.prepare('UPDATE items SET fingerprint = ?, synced_at = 1 WHERE id = ?').run(legacy, id);
    db.prepare('INSERT INTO item_details (item_id, fingerprint, updated_at, detailed_at) VALUES (?, ?, NULL, 5)').run(id, legacy);

    expect(newWriter().writePage([episode('10', '1', '5')])).toEqual({ added: 0, updated: 0, unchanged: 1 });
    // Only the fingerprint moved (synced_at shows the row was not rewritten); the detail pass still counts it done.
    expect(db.prepare('SELECT fingerprint, synced_at AS syncedAt FROM items WHERE id = ?').get(id)).toEqual({
      fingerprint: stored.fingerprint,
      syncedAt: 1,
    });
    expect(db.prepare('SELECT fingerprint FROM item_details WHERE item_id = ?').get(id)).toEqual({ fingerprint: stored.fingerprint });
    // A changed item is still an update.
    expect(newWriter().writePage([episode('10', '1', '5', { title: 'Renamed' })])).toEqual({ added: 0, updated: 1, unchanged: 0 });
  });

  it('counts an item it has already stored as unchanged', () => {
    writer.writePage([episode('10', '1', '5')]);
    expect(newWriter().writePage([episode('10', '1', '5')])).toEqual({ added: 0, updated: 0, unchanged: 1 });
  });

  it('writes an item a page repeats once', () => {
    expect(writer.writePage([episode('10', '1', '5'), episode('10', '1', '5')])).toEqual({ added: 1, updated: 0, unchanged: 1 });
    expect(count('episodes')).toBe(1);
  });

  it('replaces an item whose kind changed, leaving nothing of the old one behind', () => {
    writer.writePage([record({ ratingKey: '10', type: 'movie', media: [{ parts: [{ file: '/m/a.mkv' }] }], guids: ['imdb://tt2'] })]);
    expect(count('movies')).toBe(1);
    newWriter().writePage([episode('10', '1', '5')]);
    expect(count('movies')).toBe(0);
    expect(count('episodes')).toBe(1);
    expect(
      (test.catalog.sqlite.prepare('SELECT plex_path FROM media_files').all() as { plex_path: string }[]).map((row) => row.plex_path),
    ).toEqual(['/tv/10.mkv']);
  });

  it('matches each catalog row to one item of a page, as if the page were written item by item', () => {
    const movie = (ratingKey: string, guid: string) =>
      record({ ratingKey, type: 'movie', guid, media: [{ parts: [{ file: `/m/${ratingKey}.mkv` }] }] });
    writer.writePage([movie('1', 'plex://movie/a')]);
    const id = (test.catalog.sqlite.prepare("SELECT id FROM items WHERE rating_key = '1'").get() as { id: number }).id;
    // Plex re-keyed the movie (1 → 2, same GUID); the page then lists another movie under the old key.
    const counts = newWriter().writePage([movie('2', 'plex://movie/a'), movie('1', 'plex://movie/b')]);
    expect(counts).toEqual({ added: 1, updated: 1, unchanged: 0 });
    const rows = test.catalog.sqlite.prepare('SELECT id, rating_key AS ratingKey, guid FROM items ORDER BY rating_key').all() as {
      id: number;
      ratingKey: string;
      guid: string;
    }[];
    expect(rows.map((row) => [row.ratingKey, row.guid])).toEqual([
      ['1', 'plex://movie/b'],
      ['2', 'plex://movie/a'],
    ]);
    // The re-keyed movie keeps its catalog id; the other one is new.
    expect(rows[1]?.id).toBe(id);
    expect(rows[0]?.id).not.toBe(id);
  });

  it('keeps nothing of a page that fails, and goes on writing the next one', () => {
    writer.writePage([episode('10', '1', '5')]);
    const before = count('items');
    // A new show whose stub season then fails: the whole page rolls back.
    test.catalog.sqlite.exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON media_files WHEN NEW.plex_path = '/tv/bad.mkv' BEGIN SELECT RAISE(ABORT, 'refused'); END",
    );
    expect(() => writer.writePage([episode('20', '2', '6'), episode('bad', '2', '6')])).toThrow(/refused/);
    expect(count('items')).toBe(before);
    test.catalog.sqlite.exec('DROP TRIGGER refuse');
    expect(writer.writePage([episode('20', '2', '6')])).toEqual({ added: 1, updated: 0, unchanged: 0 });
    expect(count('items')).toBe(before + 3);
  });
});

describe('ItemWriter: tags and versions (issue 10)', () => {
  const tagged = (ratingKey: string, tags: PlexItem['tags'], extra: Partial<PlexItem> = {}) =>
    episode(ratingKey, 's', 'se', { tags, media: [{ videoCodec: 'hevc', parts: [{ file: `/tv/${ratingKey}.mkv` }] }], ...extra });
  const tagsOf = (ratingKey: string) =>
    test.catalog.sqlite
      .prepare(
        `SELECT t.kind, t.name FROM item_tags it JOIN tags t ON t.id = it.tag_id JOIN items i ON i.id = it.item_id
         WHERE i.rating_key = ? ORDER BY it.position`,
      )
      .all(ratingKey);

  it('shares one tag row between items and writers, keeps link order, and rewrites links on update', () => {
    writer.writePage([
      tagged('1', [
        { element: 'Director', tag: 'Ann Lee' },
        { element: 'Writer', tag: 'Ann Lee' },
      ]),
    ]);
    // Another writer (the next library, a live batch) made a tag this one has not seen yet.
    newWriter().writePage([tagged('2', [{ element: 'Genre', tag: 'Drama' }])]);
    writer.writePage([
      tagged('3', [
        { element: 'Genre', tag: 'Drama' },
        { element: 'Director', tag: 'Ann Lee' },
      ]),
    ]);
    expect(count('tags')).toBe(3);
    expect(tagsOf('3')).toEqual([
      { kind: 'genre', name: 'Drama' },
      { kind: 'director', name: 'Ann Lee' },
    ]);
    expect(writer.writePage([tagged('3', [{ element: 'Role', tag: 'Bo Chen' }])])).toMatchObject({ updated: 1 });
    expect(tagsOf('3')).toEqual([{ kind: 'actor', name: 'Bo Chen' }]);
    expect(count('media_versions')).toBe(3);
  });

  it('forgets the tags of a page that failed, and makes them again with the next one', () => {
    test.catalog.sqlite.exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON media_files WHEN NEW.plex_path = '/tv/bad.mkv' BEGIN SELECT RAISE(ABORT, 'refused'); END",
    );
    expect(() => writer.writePage([tagged('1', [{ element: 'Genre', tag: 'Noir' }]), tagged('bad', [])])).toThrow(/refused/);
    expect(count('tags')).toBe(0);
    test.catalog.sqlite.exec('DROP TRIGGER refuse');
    writer.writePage([tagged('1', [{ element: 'Genre', tag: 'Noir' }])]);
    expect(tagsOf('1')).toEqual([{ kind: 'genre', name: 'Noir' }]);
  });
});

describe('deleteCatalogItems', () => {
  it('removes a show with its seasons, episodes, files and ids, with or without foreign keys enforced', () => {
    for (const enforced of [true, false]) {
      writer = newWriter();
      writer.writePage([
        record({ ratingKey: 's', type: 'show', guids: ['tvdb://1'], tags: [{ element: 'Genre', tag: 'Drama' }] }),
        episode('e1', 's', 'se', { tags: [{ element: 'Director', tag: 'Ann Lee' }], media: [{ parts: [{ file: '/tv/e1.mkv' }] }] }),
        episode('e2', 's', 'se'),
      ]);
      const showId = (test.catalog.sqlite.prepare("SELECT id FROM items WHERE rating_key = 's'").get() as { id: number }).id;
      test.catalog.sqlite.pragma(`foreign_keys = ${enforced ? 'ON' : 'OFF'}`);
      test.catalog.sqlite.transaction(() => deleteCatalogItems(test.catalog, [showId]))();
      test.catalog.sqlite.pragma('foreign_keys = ON');
      for (const table of ['items', 'shows', 'seasons', 'episodes', 'media_files', 'external_ids', 'item_tags', 'media_versions'])
        expect(count(table), table).toBe(0);
    }
  });
});
