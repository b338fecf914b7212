import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LibrarySyncReport } from '../../../shared/domain.js';
import { zeroKindCounts } from '../../../main/sync/report.js';
import type { PlexSection } from '../../../main/plex/model.js';
import { AmbiguousLibraryError, CatalogNotFoundError, CatalogValidationError } from '../../../main/catalog/errors.js';
import {
  findLibrary,
  getLibrarySyncState,
  listLibraries,
  recordLibrarySync,
  setLibraryEnabled,
  upsertSections,
} from '../../../main/catalog/libraries.js';
import { type TempCatalog, insertFile, insertItem, insertServer, tempCatalog } from './fixtures.js';

let temp: TempCatalog;
beforeEach(() => {
  temp = tempCatalog();
});
afterEach(() => temp.cleanup());

function section(key: string, title: string, type = 'movie', extra: Partial<PlexSection> = {}): PlexSection {
  return { key, title, type, uuid: `uuid-${key}`, locations: [`/data/${title.toLowerCase()}`], ...extra };
}

describe('libraries', () => {
  it('inserts new sections, enabling only movie and show libraries', () => {
    const { catalog } = temp;
    const serverId = insertServer(catalog, 'Home');
    const result = upsertSections(
      catalog,
      serverId,
      [section('1', 'Movies'), section('2', 'TV Shows', 'show'), section('3', 'Music', 'artist'), section('4', 'Photos', 'photo')],
      100,
    );
    expect(result).toEqual({ added: ['1', '2', '3', '4'], updated: [], missing: [], restored: [] });
    const libraries = listLibraries(catalog);
    expect(libraries.map((l) => [l.sectionKey, l.title, l.type, l.enabled])).toEqual([
      ['1', 'Movies', 'movie', true],
      ['3', 'Music', 'artist', false],
      ['4', 'Photos', 'photo', false],
      ['2', 'TV Shows', 'show', true],
    ]);
    expect(libraries[0]).toEqual({
      id: libraries[0]?.id,
      serverId,
      serverName: 'Home',
      sectionKey: '1',
      uuid: 'uuid-1',
      title: 'Movies',
      type: 'movie',
      enabled: true,
      locations: ['/data/movies'],
      lastSyncAt: null,
      lastFullSyncAt: null,
      lastSyncStatus: null,
      lastSyncError: null,
      missingSince: null,
      itemCounts: { movies: 0, shows: 0, seasons: 0, episodes: 0, artists: 0, albums: 0, tracks: 0 },
      unmappedFiles: 0,
    });
  });

  it('updates known sections, marks vanished ones missing, restores them, never deletes', () => {
    const { catalog } = temp;
    const serverId = insertServer(catalog, 'Home');
    upsertSections(catalog, serverId, [section('1', 'Movies'), section('2', 'TV', 'show')], 100);
    const [movies] = listLibraries(catalog);
    setLibraryEnabled(catalog, movies?.id ?? 0, false);

    const renamed = upsertSections(catalog, serverId, [section('1', 'Films', 'movie', { locations: ['/a', '/b'] })], 200);
    expect(renamed).toEqual({ added: [], updated: ['1'], missing: ['2'], restored: [] });
    let libraries = listLibraries(catalog);
    expect(libraries.map((l) => [l.title, l.locations, l.missingSince, l.enabled])).toEqual([
      ['Films', ['/a', '/b'], null, false],
      ['TV', ['/data/tv'], 200, true],
    ]);

    // Still missing later: the first time it went missing is kept.
    expect(upsertSections(catalog, serverId, [section('1', 'Films', 'movie', { locations: ['/a', '/b'] })], 300).missing).toEqual([]);
    expect(listLibraries(catalog)[1]?.missingSince).toBe(200);

    const back = upsertSections(
      catalog,
      serverId,
      [section('1', 'Films', 'movie', { locations: ['/a', '/b'] }), section('2', 'TV', 'show')],
      400,
    );
    expect(back).toEqual({ added: [], updated: [], missing: [], restored: ['2'] });
    libraries = listLibraries(catalog);
    expect(libraries.map((l) => l.missingSince)).toEqual([null, null]);
    expect(libraries.map((l) => l.id)).toContain(movies?.id);
  });

  it('scopes sections by server', () => {
    const { catalog } = temp;
    const a = insertServer(catalog, 'A');
    const b = insertServer(catalog, 'B');
    upsertSections(catalog, a, [section('1', 'Movies')], 1);
    upsertSections(catalog, b, [section('1', 'Movies')], 1);
    upsertSections(catalog, a, [], 2);
    const libraries = listLibraries(catalog);
    expect(libraries.map((l) => [l.serverName, l.missingSince])).toEqual([
      ['A', 2],
      ['B', null],
    ]);
    expect(listLibraries(catalog, { serverId: b }).map((l) => l.serverName)).toEqual(['B']);
  });

  it('counts items per kind and unmapped files per library', () => {
    const { catalog } = temp;
    const serverId = insertServer(catalog, 'Home');
    upsertSections(catalog, serverId, [section('1', 'Movies'), section('2', 'TV', 'show')], 1);
    const [moviesLib, tvLib] = listLibraries(catalog);
    const movieLibraryId = moviesLib?.id ?? 0;
    const tvLibraryId = tvLib?.id ?? 0;
    const m1 = insertItem(catalog, { serverId, libraryId: movieLibraryId, kind: 'movie', ratingKey: '10', title: 'A' });
    const m2 = insertItem(catalog, { serverId, libraryId: movieLibraryId, kind: 'movie', ratingKey: '11', title: 'B' });
    insertFile(catalog, m1, '/m/a.mkv');
    insertFile(catalog, m2, '/m/b.mkv', { mapped: true, localPath: '/local/b.mkv' });
    insertFile(catalog, m2, '/m/b2.mkv', { partIndex: 1 });
    insertItem(catalog, { serverId, libraryId: tvLibraryId, kind: 'show', ratingKey: '20', title: 'S' });
    insertItem(catalog, { serverId, libraryId: tvLibraryId, kind: 'season', ratingKey: '21', title: 'S1' });
    const e = insertItem(catalog, { serverId, libraryId: tvLibraryId, kind: 'episode', ratingKey: '22', title: 'E1' });
    insertItem(catalog, { serverId, libraryId: tvLibraryId, kind: 'episode', ratingKey: '23', title: 'E2' });
    insertFile(catalog, e, '/tv/e1.mkv', { mapped: true, localPath: '/x' });

    const libraries = listLibraries(catalog);
    expect(libraries.map((l) => [l.title, l.itemCounts, l.unmappedFiles])).toEqual([
      ['Movies', { movies: 2, shows: 0, seasons: 0, episodes: 0, artists: 0, albums: 0, tracks: 0 }, 2],
      ['TV', { movies: 0, shows: 1, seasons: 1, episodes: 2, artists: 0, albums: 0, tracks: 0 }, 0],
    ]);
  });

  it('finds a library by key first, then by title in any case; ambiguous titles list the keys', () => {
    const { catalog } = temp;
    const serverId = insertServer(catalog, 'Home');
    const other = insertServer(catalog, 'Other');
    upsertSections(
      catalog,
      serverId,
      [section('1', 'Movies'), section('2', 'Séries', 'show'), section('3', 'Kids'), section('4', 'kids'), section('5', '1')],
      1,
    );
    upsertSections(catalog, other, [section('9', 'Movies')], 1);
    expect(findLibrary(catalog, serverId, 'movies')?.sectionKey).toBe('1');
    expect(findLibrary(catalog, serverId, 'SÉRIES')?.sectionKey).toBe('2');
    // '1' is a key before it is a title.
    expect(findLibrary(catalog, serverId, '1')?.title).toBe('Movies');
    expect(findLibrary(catalog, serverId, '5')?.title).toBe('1');
    expect(findLibrary(catalog, serverId, '9')).toBeNull();
    expect(findLibrary(catalog, serverId, 'Nothing')).toBeNull();

    let caught: unknown;
    try {
      findLibrary(catalog, serverId, 'KIDS');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AmbiguousLibraryError);
    const error = caught as AmbiguousLibraryError;
    expect(error.code).toBe('LIBRARY_AMBIGUOUS');
    expect(error.candidates.map((c) => c.sectionKey)).toEqual(['3', '4']);
    expect(error.message).toContain('3 (Kids)');
    expect(error.message).toContain('4 (kids)');
  });

  it('enables and disables; refuses to enable a library type that cannot be synced', () => {
    const { catalog } = temp;
    const serverId = insertServer(catalog, 'Home');
    upsertSections(catalog, serverId, [section('1', 'Movies'), section('2', 'Music', 'artist'), section('3', 'Photos', 'photo')], 1);
    const [movies, music, photos] = listLibraries(catalog);
    setLibraryEnabled(catalog, movies?.id ?? 0, false);
    expect(findLibrary(catalog, serverId, 'Movies')?.enabled).toBe(false);
    setLibraryEnabled(catalog, movies?.id ?? 0, true);
    expect(findLibrary(catalog, serverId, 'Movies')?.enabled).toBe(true);
    // Music libraries sync once enabled (they are not enabled when first listed).
    expect(findLibrary(catalog, serverId, 'Music')?.enabled).toBe(false);
    setLibraryEnabled(catalog, music?.id ?? 0, true);
    expect(findLibrary(catalog, serverId, 'Music')?.enabled).toBe(true);
    expect(() => setLibraryEnabled(catalog, photos?.id ?? 0, true)).toThrowError(CatalogValidationError);
    setLibraryEnabled(catalog, photos?.id ?? 0, false);
    expect(() => setLibraryEnabled(catalog, 999, true)).toThrowError(CatalogNotFoundError);
  });

  it('records sync outcomes and keeps the sync state', () => {
    const { catalog } = temp;
    const serverId = insertServer(catalog, 'Home');
    upsertSections(catalog, serverId, [section('1', 'Movies')], 1);
    const libraryId = listLibraries(catalog)[0]?.id ?? 0;
    expect(getLibrarySyncState(catalog, libraryId)).toEqual({ watermark: null, contentChangedAt: null, lastFullSyncAt: null });

    const report: LibrarySyncReport = {
      serverName: 'Home',
      libraryTitle: 'Movies',
      sectionKey: '1',
      outcome: 'ok',
      mode: 'full',
      added: 3,
      updated: 0,
      removed: 0,
      unchanged: 0,
      counts: {
        added: { movie: 3, show: 0, season: 0, episode: 0, artist: 0, album: 0, track: 0 },
        updated: zeroKindCounts(),
        removed: zeroKindCounts(),
      },
      changes: { added: { items: [], more: 3 }, updated: { items: [], more: 0 }, removed: { items: [], more: 0 } },
      requests: 2,
      seconds: 0.5,
      notes: ['first sync: full listing'],
      warnings: [],
    };
    recordLibrarySync(catalog, libraryId, {
      status: 'ok',
      error: null,
      report,
      watermark: 500,
      contentChangedAt: '18446744073709551615',
      full: true,
      at: 1000,
    });
    expect(getLibrarySyncState(catalog, libraryId)).toEqual({
      watermark: 500,
      contentChangedAt: '18446744073709551615',
      lastFullSyncAt: 1000,
    });

    // A failed full sync keeps watermark and last full sync time.
    recordLibrarySync(catalog, libraryId, { status: 'failed', error: 'boom', report: null, full: true, at: 2000 });
    expect(getLibrarySyncState(catalog, libraryId)).toEqual({
      watermark: 500,
      contentChangedAt: '18446744073709551615',
      lastFullSyncAt: 1000,
    });
    const [library] = listLibraries(catalog);
    expect(library).toMatchObject({ lastSyncAt: 2000, lastSyncStatus: 'failed', lastSyncError: 'boom', lastFullSyncAt: 1000 });

    recordLibrarySync(catalog, libraryId, { status: 'ok', error: null, report, watermark: 600, full: false, at: 3000 });
    expect(getLibrarySyncState(catalog, libraryId)).toMatchObject({ watermark: 600, lastFullSyncAt: 1000 });
    const stored = catalog.sqlite.prepare('SELECT last_sync_report FROM libraries WHERE id = ?').get(libraryId) as {
      last_sync_report: string;
    };
    expect(JSON.parse(stored.last_sync_report)).toEqual(report);

    expect(() => getLibrarySyncState(catalog, 999)).toThrowError(CatalogNotFoundError);
    expect(() => recordLibrarySync(catalog, 999, { status: 'ok', error: null, report: null, full: false, at: 1 })).toThrowError(
      CatalogNotFoundError,
    );
  });
});
