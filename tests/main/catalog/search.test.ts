// Browse's list on a real SQLite file: title search (FTS5, kept current by triggers), filters, sorts, the
// filters' values, and duplicate groups (details "also in" and the export's groupId agree).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browseFacets, ftsQuery, itemDetails, searchItems, type SearchItemsOptions } from '../../../main/catalog/browse.js';
import type { Catalog } from '../../../main/catalog/database.js';
import { allGroupIds, duplicateGroupOf } from '../../../main/catalog/duplicates.js';
import { exportRows } from '../../../main/catalog/export.js';
import { removeCatalogItems } from '../../../main/catalog/item-writer.js';
import { csvHeader, csvRecord } from '../../../main/cli/csv.js';
import { runSync } from '../../../main/sync/engine.js';
import { startPlexSim } from '../../../tools/plex-sim/index.js';
import { addSimServer, createTestCatalog } from '../sync/fixtures.js';
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

function titles(catalog: Catalog, options: Partial<SearchItemsOptions>): string[] {
  return searchItems(catalog, { offset: 0, limit: 100, ...options }).rows.map((row) => row.title);
}

function setDetails(catalog: Catalog, id: number, details: { content_rating?: string; title_sort?: string; original_title?: string }) {
  for (const [column, value] of Object.entries(details))
    catalog.sqlite.prepare(`UPDATE items SET ${column} = ? WHERE id = ?`).run(value, id);
}

function addGenre(catalog: Catalog, itemId: number, genre: string) {
  catalog.sqlite.prepare(`INSERT OR IGNORE INTO tags (kind, name) VALUES ('genre', ?)`).run(genre);
  const tag = catalog.sqlite.prepare(`SELECT id FROM tags WHERE kind = 'genre' AND name = ?`).get(genre) as { id: number };
  catalog.sqlite.prepare(`INSERT INTO item_tags (item_id, tag_id, position) VALUES (?, ?, 0)`).run(itemId, tag.id);
}

function addVersion(catalog: Catalog, itemId: number, mediaIndex: number, resolution: string, hdr: string | null = null) {
  catalog.sqlite
    .prepare(`INSERT INTO media_versions (item_id, media_index, resolution, video_codec, hdr) VALUES (?, ?, ?, 'hevc', ?)`)
    .run(itemId, mediaIndex, resolution, hdr);
}

function setup(catalog: Catalog) {
  const home = insertServer(catalog, 'Home');
  const office = insertServer(catalog, 'Office');
  const movies = insertLibrary(catalog, home, '1', 'Movies');
  const uhd = insertLibrary(catalog, home, '3', '4K Movies');
  const tv = insertLibrary(catalog, home, '2', 'TV Shows', 'show');
  const officeMovies = insertLibrary(catalog, office, '1', 'Movies');
  const movie = (libraryId: number, serverId: number, ratingKey: string, title: string, year: number | null, addedAt: number) =>
    insertItem(catalog, { serverId, libraryId, kind: 'movie', ratingKey, title, year, addedAt, updatedAt: addedAt + 1 });
  const starWars = movie(movies, home, '1', 'Star Wars', 1977, 100);
  const starWars4k = movie(uhd, home, '2', 'Star Wars', 1977, 300);
  const starWarsOffice = movie(officeMovies, office, '1', 'Star Wars', 1977, 50);
  const amelie = movie(movies, home, '3', 'Le Fabuleux Destin d’Amélie Poulain', 2001, 200);
  const theThing = movie(movies, home, '4', 'The Thing', 1982, 400);
  const unknownYear = movie(movies, home, '5', 'Zardoz', null, 10);
  const show = insertItem(catalog, { serverId: home, libraryId: tv, kind: 'show', ratingKey: '10', title: 'Star Trek', year: 1966 });
  const season = insertItem(catalog, { serverId: home, libraryId: tv, kind: 'season', ratingKey: '11', title: 'Season 1' });
  insertSeason(catalog, season, show, 1);
  const episode = insertItem(catalog, { serverId: home, libraryId: tv, kind: 'episode', ratingKey: '12', title: 'The Cage' });
  insertEpisode(catalog, episode, show, season, 1, 1);
  return { home, office, movies, uhd, tv, starWars, starWars4k, starWarsOffice, amelie, theThing, unknownYear, show, season, episode };
}

describe('title search (FTS5)', () => {
  it('builds a prefix query of words, with nothing of FTS syntax from the user', () => {
    expect(ftsQuery('star w')).toBe('"star"* "w"*');
    expect(ftsQuery('  "OR" NEAR(x) * ')).toBe('"OR"* "NEAR"* "x"*');
    expect(ftsQuery('%$#')).toBeNull();
    expect(ftsQuery('Amélie')).toBe('"Amélie"*');
  });

  it('finds by word prefixes, across kinds, folding case and diacritics; seasons only through their show', () => {
    const { catalog } = temp;
    const f = setup(catalog);
    expect(titles(catalog, { query: 'star w', kind: 'movie' })).toEqual(['Star Wars', 'Star Wars', 'Star Wars']);
    expect(titles(catalog, { query: 'STAR' }).sort()).toEqual(['Star Trek', 'Star Wars', 'Star Wars', 'Star Wars']);
    expect(titles(catalog, { query: 'amelie' })).toEqual(['Le Fabuleux Destin d’Amélie Poulain']);
    expect(titles(catalog, { query: 'destin amel' })).toEqual(['Le Fabuleux Destin d’Amélie Poulain']);
    expect(titles(catalog, { query: 'cage' })).toEqual(['The Cage']);
    expect(titles(catalog, { query: 'season' })).toEqual([]);
    expect(titles(catalog, { query: 'season', kind: 'season' })).toEqual(['Season 1']);
    // Not a substring search: "ars" starts no word.
    expect(titles(catalog, { query: 'ars' })).toEqual([]);
    // The original title is searched too.
    setDetails(catalog, f.theThing, { original_title: 'La Cosa' });
    expect(titles(catalog, { query: 'cosa' })).toEqual(['The Thing']);
  });

  it('stays current through edits, removals and a server removal (triggers on items)', () => {
    const { catalog } = temp;
    const f = setup(catalog);
    catalog.sqlite.prepare(`UPDATE items SET title = 'Solaris' WHERE id = ?`).run(f.theThing);
    expect(titles(catalog, { query: 'thing' })).toEqual([]);
    expect(titles(catalog, { query: 'sola' })).toEqual(['Solaris']);
    removeCatalogItems(catalog, [f.show]);
    expect(titles(catalog, { query: 'star trek' })).toEqual([]);
    expect(titles(catalog, { query: 'cage' })).toEqual([]);
    catalog.sqlite.prepare('DELETE FROM servers WHERE id = ?').run(f.office);
    expect(titles(catalog, { query: 'star wars' })).toEqual(['Star Wars', 'Star Wars']);
    // The index holds exactly the items left: FTS5's own check against its content table.
    expect(() => catalog.sqlite.exec(`INSERT INTO items_fts (items_fts, rank) VALUES ('integrity-check', 1)`)).not.toThrow();
  });
});

describe('filters and sorts', () => {
  it('narrows by server, library, kind, genre, rating, years, resolution, HDR and unmapped files', () => {
    const { catalog } = temp;
    const f = setup(catalog);
    expect(titles(catalog, { serverId: f.office })).toEqual(['Star Wars']);
    expect(titles(catalog, { libraryId: f.uhd })).toEqual(['Star Wars']);
    expect(titles(catalog, { kind: 'show' })).toEqual(['Star Trek']);
    expect(titles(catalog, { kind: 'episode' })).toEqual(['The Cage']);
    addGenre(catalog, f.theThing, 'Horror');
    addGenre(catalog, f.amelie, 'Comedy');
    expect(titles(catalog, { genre: 'Horror' })).toEqual(['The Thing']);
    setDetails(catalog, f.amelie, { content_rating: 'R' });
    expect(titles(catalog, { contentRating: 'R' })).toEqual(['Le Fabuleux Destin d’Amélie Poulain']);
    expect(titles(catalog, { kind: 'movie', yearFrom: 1980, yearTo: 2001 })).toEqual(['Le Fabuleux Destin d’Amélie Poulain', 'The Thing']);
    addVersion(catalog, f.starWars4k, 0, '4k', 'hdr10');
    addVersion(catalog, f.starWars, 0, '1080');
    addVersion(catalog, f.starWars, 1, '4k');
    expect(searchItems(catalog, { resolution: '4k', offset: 0, limit: 10 }).rows.map((row) => row.id)).toEqual([f.starWars, f.starWars4k]);
    expect(searchItems(catalog, { hdr: true, offset: 0, limit: 10 }).rows.map((row) => row.id)).toEqual([f.starWars4k]);
    insertFile(catalog, f.amelie, '/m/amelie.mkv');
    insertFile(catalog, f.theThing, '/m/thing.mkv', { localPath: '/local/thing.mkv', mapped: true });
    expect(titles(catalog, { unmapped: true })).toEqual(['Le Fabuleux Destin d’Amélie Poulain']);
    // Filters combine with the search.
    expect(titles(catalog, { query: 'star', resolution: '4k', serverId: f.home })).toEqual(['Star Wars', 'Star Wars']);
    expect(titles(catalog, { genre: 'No Such Genre' })).toEqual([]);
  });

  it('sorts by sort title, year, added and updated, unknown values last, and pages without overlap', () => {
    const { catalog } = temp;
    const f = setup(catalog);
    setDetails(catalog, f.theThing, { title_sort: 'Thing' });
    expect(titles(catalog, { kind: 'movie' })).toEqual([
      'Le Fabuleux Destin d’Amélie Poulain',
      'Star Wars',
      'Star Wars',
      'Star Wars',
      'The Thing',
      'Zardoz',
    ]);
    expect(titles(catalog, { kind: 'movie', sort: 'year' })[0]).toBe('Le Fabuleux Destin d’Amélie Poulain');
    expect(titles(catalog, { kind: 'movie', sort: 'year' }).at(-1)).toBe('Zardoz');
    expect(titles(catalog, { kind: 'movie', sort: 'year', descending: false })).toEqual([
      'Star Wars',
      'Star Wars',
      'Star Wars',
      'The Thing',
      'Le Fabuleux Destin d’Amélie Poulain',
      'Zardoz',
    ]);
    expect(searchItems(catalog, { kind: 'movie', sort: 'added', offset: 0, limit: 2 }).rows.map((row) => row.id)).toEqual([
      f.theThing,
      f.starWars4k,
    ]);
    expect(searchItems(catalog, { kind: 'movie', sort: 'updated', descending: false, offset: 0, limit: 1 }).rows[0]?.id).toBe(
      f.unknownYear,
    );
    const pages = [0, 2, 4].flatMap((offset) =>
      searchItems(catalog, { kind: 'movie', sort: 'year', offset, limit: 2 }).rows.map((row) => row.id),
    );
    expect(new Set(pages).size).toBe(6);
  });

  it('rows carry what the list shows: episode counts for shows, show and numbers for episodes', () => {
    const { catalog } = temp;
    setup(catalog);
    const rows = searchItems(catalog, { query: 'star trek cage', offset: 0, limit: 10 }).rows;
    expect(rows).toEqual([]);
    const [show] = searchItems(catalog, { kind: 'show', offset: 0, limit: 10 }).rows;
    expect(show).toMatchObject({ title: 'Star Trek', episodeCount: 1 });
    const [episode] = searchItems(catalog, { kind: 'episode', offset: 0, limit: 10 }).rows;
    expect(episode).toMatchObject({ title: 'The Cage', showTitle: 'Star Trek', seasonNumber: 1, episodeNumber: 1 });
  });

  it('offers only the values the catalog holds', () => {
    const { catalog } = temp;
    const f = setup(catalog);
    addGenre(catalog, f.theThing, 'Horror');
    addVersion(catalog, f.starWars, 0, '1080');
    addVersion(catalog, f.starWars4k, 0, '4k');
    addVersion(catalog, f.amelie, 0, 'sd');
    setDetails(catalog, f.amelie, { content_rating: 'R' });
    const facets = browseFacets(catalog);
    expect(facets.kinds).toEqual([
      { kind: 'episode', count: 1 },
      { kind: 'movie', count: 6 },
      { kind: 'show', count: 1 },
    ]);
    expect(facets.genres).toEqual(['Horror']);
    expect(facets.contentRatings).toEqual(['R']);
    expect(facets.resolutions).toEqual(['4k', '1080', 'sd']);
    expect(facets.years).toEqual({ min: 1966, max: 2001 });
    expect(facets.servers.map((server) => server.name)).toEqual(['Home', 'Office']);
    expect(facets.libraries.map((library) => `${library.title} (${library.serverName})`)).toEqual([
      '4K Movies (Home)',
      'Movies (Home)',
      'TV Shows (Home)',
      'Movies (Office)',
    ]);
  });
});

describe('duplicates', () => {
  it('groups the same kind by shared ids, through chains, never across kinds; details and export agree', () => {
    const { catalog } = temp;
    const f = setup(catalog);
    // Star Wars (Home) and its 4K copy share an IMDb id; the Office copy shares only a TMDb id with the 4K one.
    insertExternalId(catalog, f.starWars, 'imdb', 'tt0076759');
    insertExternalId(catalog, f.starWars4k, 'imdb', 'tt0076759');
    insertExternalId(catalog, f.starWars4k, 'tmdb', '11');
    insertExternalId(catalog, f.starWarsOffice, 'tmdb', '11');
    insertExternalId(catalog, f.starWarsOffice, 'plex', 'movie/5d776');
    // Same TVDB value on a show and an episode: different kinds are never one group.
    insertExternalId(catalog, f.show, 'tvdb', '253');
    insertExternalId(catalog, f.episode, 'tvdb', '253');
    insertExternalId(catalog, f.theThing, 'tmdb', '1091');

    const group = duplicateGroupOf(catalog, f.starWarsOffice);
    expect(group).toEqual({ groupId: 'movie:imdb:tt0076759', itemIds: [f.starWars, f.starWars4k, f.starWarsOffice] });
    expect(duplicateGroupOf(catalog, f.show)).toEqual({ groupId: 'show:tvdb:253', itemIds: [f.show] });
    expect(duplicateGroupOf(catalog, f.amelie)).toEqual({ groupId: `item:${f.amelie}`, itemIds: [f.amelie] });

    const details = itemDetails(catalog, f.starWars);
    expect(details?.groupId).toBe('movie:imdb:tt0076759');
    expect(details?.alsoIn.map((copy) => `${copy.libraryTitle} (${copy.serverName})`)).toEqual(['4K Movies (Home)', 'Movies (Office)']);

    const exported = new Map([...exportRows(catalog)].map((row) => [row.id, row.groupId]));
    for (const id of [f.starWars, f.starWars4k, f.starWarsOffice, f.show, f.episode, f.amelie, f.theThing]) {
      expect(exported.get(id), `item ${id}`).toBe(duplicateGroupOf(catalog, id)?.groupId);
    }
    expect(exported.get(f.theThing)).toBe('movie:tmdb:1091');
    expect(exported.get(f.episode)).toBe('episode:tvdb:253');
    // Filtering the export never changes a row's group.
    const officeOnly = [...exportRows(catalog, { serverId: f.office })];
    expect(officeOnly.map((row) => row.groupId)).toEqual(['movie:imdb:tt0076759']);
    expect(allGroupIds(catalog).get(f.amelie)).toBeUndefined();
  });
});

describe('search through a real sync (simulated Plex over HTTP)', () => {
  it('finds what a sync added and edited, and no longer what it removed', async () => {
    const sim = await startPlexSim({ seed: 11, library: { movies: 40, shows: 3, episodes: 30 } });
    const test = createTestCatalog();
    try {
      addSimServer(test, sim);
      await runSync(test.deps);
      const [kept, edited, removed] = sim.library.items('1', 'movie');
      if (kept === undefined || edited === undefined || removed === undefined) throw new Error('sample library too small');
      const search = (query: string) => searchItems(test.catalog, { query, offset: 0, limit: 100 }).rows.map((row) => row.title);
      expect(search(kept.title)).toContain(kept.title);
      sim.library.editItem(edited.ratingKey, { title: 'Zyxwv Renamed' });
      sim.library.removeItem(removed.ratingKey);
      const report = await runSync(test.deps, { full: true });
      expect(report.ok).toBe(true);
      expect(search('zyxw')).toEqual(['Zyxwv Renamed']);
      expect(() => test.catalog.sqlite.exec(`INSERT INTO items_fts (items_fts, rank) VALUES ('integrity-check', 1)`)).not.toThrow();
      const titlesLeft = new Set([...exportRows(test.catalog)].map((row) => row.title));
      const hits = searchItems(test.catalog, { query: removed.title, kind: 'movie', offset: 0, limit: 100 }).rows;
      expect(hits.filter((row) => !titlesLeft.has(row.title))).toEqual([]);
      expect(hits.length).toBe([...exportRows(test.catalog)].filter((row) => row.type === 'movie' && row.title === removed.title).length);
    } finally {
      test.cleanup();
      await sim.close();
    }
  });
});

describe('duplicates through real syncs of two servers (simulated Plex over HTTP)', () => {
  it('gives the same film on both servers one groupId in JSONL and CSV, and "also in" names the other', async () => {
    const library = { movies: 30, shows: 2, episodes: 12 };
    const home = await startPlexSim({ seed: 3, library });
    const office = await startPlexSim({ seed: 3, library, machineIdentifier: 'office-0001', friendlyName: 'Office' });
    const test = createTestCatalog();
    try {
      addSimServer(test, home, 'Home');
      addSimServer(test, office, 'Office');
      expect((await runSync(test.deps)).ok).toBe(true);
      const rows = [...exportRows(test.catalog)];
      const movies = rows.filter((row) => row.type === 'movie' && row.guids.imdb !== undefined);
      expect(movies.length).toBeGreaterThan(10);
      for (const movie of movies) {
        const twin = rows.find((row) => row.server !== movie.server && row.type === 'movie' && row.ratingKey === movie.ratingKey);
        expect(twin?.groupId, movie.title).toBe(movie.groupId);
        expect(movie.groupId).toMatch(/^movie:imdb:tt\d+$/);
      }
      // A JSON line and a CSV record carry it as the export writes them.
      const [first] = movies;
      if (first === undefined) throw new Error('no movie');
      expect((JSON.parse(JSON.stringify(first)) as { groupId: string }).groupId).toBe(first.groupId);
      expect(csvHeader().trimEnd().split(',').at(-1)).toBe('groupId');
      expect(csvRecord(first).trimEnd().split(',').at(-1)).toBe(first.groupId);
      const details = itemDetails(test.catalog, first.id);
      expect(details?.alsoIn.map((copy) => `${copy.libraryTitle} (${copy.serverName})`)).toContain(
        `${first.library} (${first.server === 'Home' ? 'Office' : 'Home'})`,
      );
    } finally {
      test.cleanup();
      await home.close();
      await office.close();
    }
  });
});
