import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { itemDetails, searchItems, showChildren } from '../../../main/catalog/browse.js';
import type { Catalog } from '../../../main/catalog/database.js';
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

function setup(catalog: Catalog) {
  const home = insertServer(catalog, 'Home');
  const cabin = insertServer(catalog, 'Cabin');
  const movies = insertLibrary(catalog, home, '1', 'Movies');
  const tv = insertLibrary(catalog, home, '2', 'TV', 'show');
  const cabinMovies = insertLibrary(catalog, cabin, '1', 'Films');
  const heat = insertItem(catalog, {
    serverId: home,
    libraryId: movies,
    kind: 'movie',
    ratingKey: '1',
    title: 'Heat',
    year: 1995,
    guid: 'plex://movie/h',
  });
  insertItem(catalog, { serverId: home, libraryId: movies, kind: 'movie', ratingKey: '2', title: 'alien', year: 1979 });
  insertItem(catalog, { serverId: home, libraryId: movies, kind: 'movie', ratingKey: '3', title: '100% Wolf', year: 2020 });
  insertItem(catalog, { serverId: cabin, libraryId: cabinMovies, kind: 'movie', ratingKey: '1', title: 'Heat', year: 1995 });

  const show = insertItem(catalog, { serverId: home, libraryId: tv, kind: 'show', ratingKey: '10', title: 'Lost', year: 2004, addedAt: 5 });
  const s2 = insertItem(catalog, { serverId: home, libraryId: tv, kind: 'season', ratingKey: '12', title: 'Season 2' });
  insertSeason(catalog, s2, show, 2);
  const s1 = insertItem(catalog, { serverId: home, libraryId: tv, kind: 'season', ratingKey: '11', title: 'Season 1' });
  insertSeason(catalog, s1, show, 1);
  const e2 = insertItem(catalog, { serverId: home, libraryId: tv, kind: 'episode', ratingKey: '14', title: 'Tabula Rasa' });
  insertEpisode(catalog, e2, show, s1, 1, 2);
  const e1 = insertItem(catalog, {
    serverId: home,
    libraryId: tv,
    kind: 'episode',
    ratingKey: '13',
    title: 'Pilot',
    addedAt: 7,
    updatedAt: 8,
  });
  insertEpisode(catalog, e1, show, s1, 1, 1);
  const e3 = insertItem(catalog, { serverId: home, libraryId: tv, kind: 'episode', ratingKey: '15', title: 'Man of Science' });
  insertEpisode(catalog, e3, show, s2, 2, 1);
  const special = insertItem(catalog, { serverId: home, libraryId: tv, kind: 'episode', ratingKey: '16', title: 'Hidden' });
  insertEpisode(catalog, special, show, null, 0, null);
  insertItem(catalog, { serverId: home, libraryId: tv, kind: 'show', ratingKey: '20', title: 'Empty Show' });
  return { home, cabin, movies, tv, heat, show, s1, s2, e1, e2, e3, special };
}

describe('browse', () => {
  it('searches movies with paging, filters and a literal substring', () => {
    const { catalog } = temp;
    const f = setup(catalog);
    const all = searchItems(catalog, { kind: 'movie', offset: 0, limit: 10 });
    expect(all.total).toBe(4);
    expect(all.rows.map((r) => [r.title, r.serverName])).toEqual([
      ['100% Wolf', 'Home'],
      ['alien', 'Home'],
      ['Heat', 'Home'],
      ['Heat', 'Cabin'],
    ]);
    expect(all.rows[0]).toEqual({
      id: all.rows[0]?.id,
      title: '100% Wolf',
      year: 2020,
      kind: 'movie',
      libraryTitle: 'Movies',
      serverName: 'Home',
    });

    const page = searchItems(catalog, { kind: 'movie', offset: 1, limit: 2 });
    expect(page.total).toBe(4);
    expect(page.rows.map((r) => r.title)).toEqual(['alien', 'Heat']);

    expect(
      searchItems(catalog, { kind: 'movie', query: 'HEA', serverId: f.cabin, offset: 0, limit: 10 }).rows.map((r) => r.libraryTitle),
    ).toEqual(['Films']);
    // Words, not substrings: symbols are no search (everything), and "a" is the start of a word.
    expect(searchItems(catalog, { kind: 'movie', query: '%', offset: 0, limit: 10 }).total).toBe(4);
    expect(searchItems(catalog, { kind: 'movie', query: '100%', offset: 0, limit: 10 }).rows.map((r) => r.title)).toEqual(['100% Wolf']);
    expect(searchItems(catalog, { kind: 'movie', libraryId: f.movies, query: 'a', offset: 0, limit: 10 }).total).toBe(1);
  });

  it('searches shows with their episode counts', () => {
    const { catalog } = temp;
    setup(catalog);
    const shows = searchItems(catalog, { kind: 'show', offset: 0, limit: 10 });
    expect(shows.rows.map((r) => [r.title, r.kind, r.episodeCount])).toEqual([
      ['Empty Show', 'show', 0],
      ['Lost', 'show', 4],
    ]);
  });

  it('lists a show’s seasons and episodes in order', () => {
    const { catalog } = temp;
    const f = setup(catalog);
    expect(showChildren(catalog, f.show)).toEqual([
      { id: null, number: 0, title: null, episodes: [{ id: f.special, number: null, title: 'Hidden' }] },
      {
        id: f.s1,
        number: 1,
        title: 'Season 1',
        episodes: [
          { id: f.e1, number: 1, title: 'Pilot' },
          { id: f.e2, number: 2, title: 'Tabula Rasa' },
        ],
      },
      { id: f.s2, number: 2, title: 'Season 2', episodes: [{ id: f.e3, number: 1, title: 'Man of Science' }] },
    ]);
    expect(showChildren(catalog, 9999)).toEqual([]);
  });

  it('gives an item’s details', () => {
    const { catalog } = temp;
    const f = setup(catalog);
    insertExternalId(catalog, f.heat, 'tmdb', '949');
    insertExternalId(catalog, f.heat, 'imdb', 'tt0113277');
    insertFile(catalog, f.heat, '/m/Heat.cd2.mkv', { partIndex: 1 });
    insertFile(catalog, f.heat, '/m/Heat.cd1.mkv', { localPath: '/local/Heat.cd1.mkv', mapped: true, size: 1234 });
    expect(itemDetails(catalog, f.heat)).toMatchObject({
      id: f.heat,
      kind: 'movie',
      title: 'Heat',
      year: 1995,
      ratingKey: '1',
      guid: 'plex://movie/h',
      externalIds: { imdb: 'tt0113277', tmdb: '949' },
      files: [
        { plexPath: '/m/Heat.cd1.mkv', localPath: '/local/Heat.cd1.mkv', mapped: true, size: 1234, duration: null, container: null },
        { plexPath: '/m/Heat.cd2.mkv', localPath: '/m/Heat.cd2.mkv', mapped: false, size: null, duration: null, container: null },
      ],
      addedAt: null,
      updatedAt: null,
      libraryTitle: 'Movies',
      serverName: 'Home',
      groupId: 'movie:imdb:tt0113277',
      alsoIn: [],
      versions: [{ resolution: null, container: null, files: [{ plexPath: '/m/Heat.cd1.mkv' }, { plexPath: '/m/Heat.cd2.mkv' }] }],
    });

    expect(itemDetails(catalog, f.e1)).toMatchObject({
      kind: 'episode',
      title: 'Pilot',
      show: { id: f.show, title: 'Lost' },
      season: { id: f.s1, number: 1 },
      episode: 1,
      addedAt: 7,
      updatedAt: 8,
      files: [],
      libraryTitle: 'TV',
    });
    expect(itemDetails(catalog, f.special)).toMatchObject({ season: { id: null, number: 0 }, episode: null });
    expect(itemDetails(catalog, f.s2)).toMatchObject({
      kind: 'season',
      show: { id: f.show, title: 'Lost' },
      season: { id: f.s2, number: 2 },
    });
    expect(itemDetails(catalog, f.show)).not.toHaveProperty('show');
    expect(itemDetails(catalog, 99999)).toBeNull();
  });
});
