// The sync engine against the simulated Plex server over real HTTP, with real SQLite files.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../../shared/domain.js';
import { addMapping } from '../../../main/catalog/mappings.js';
import { runSync } from '../../../main/sync/engine.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { addSimServer, catalogView, createTestCatalog, itemCount, sectionKeys, simView, tableRows, type TestCatalog } from './fixtures.js';

let sim: PlexSim;
let test: TestCatalog;

beforeEach(async () => {
  sim = await startPlexSim({ seed: 7 });
  test = createTestCatalog();
  addSimServer(test, sim);
});

afterEach(async () => {
  // Page writes pause foreign-key enforcement: nothing may be left dangling.
  expect(test.catalog.sqlite.pragma('foreign_key_check')).toEqual([]);
  test.cleanup();
  await sim.close();
});

const requestsTo = (pattern: RegExp) => sim.requests.filter((request) => pattern.test(request.path)).length;

describe('full sync', () => {
  it('imports every movie, show and episode with its files and ids', async () => {
    const report = await runSync(test.deps);
    expect(report.ok).toBe(true);
    expect(report.libraries.map((library) => library.libraryTitle).sort()).toEqual(['Kids Movies', 'Movies', 'TV Shows']);
    expect(catalogView(test.catalog)).toEqual(simView(sim));
    expect(report.libraries.every((library) => library.mode === 'full' && library.added > 0)).toBe(true);
    // Section-wide streams only: never one request per show or season.
    expect(requestsTo(/\/children$|\/allLeaves$/)).toBe(0);
    const ids = test.catalog.sqlite.prepare('SELECT provider, count(*) AS n FROM external_ids GROUP BY provider').all() as {
      provider: string;
      n: number;
    }[];
    expect(ids.map((row) => row.provider).sort()).toEqual(['imdb', 'plex', 'tmdb', 'tvdb']);
  });

  it('always sends a container size of at most 1000 and a stable sort', async () => {
    await runSync(test.deps, { pageSize: 25 });
    const listings = sim.requests.filter((request) => request.path.endsWith('/all'));
    expect(listings.length).toBeGreaterThan(3);
    for (const request of listings) {
      expect(Number(request.query['X-Plex-Container-Size'])).toBeLessThanOrEqual(1000);
      expect(request.query.sort).toBe('id');
    }
    expect(catalogView(test.catalog)).toEqual(simView(sim));
  });

  it('works the same against a server that only speaks XML', async () => {
    const xmlSim = await startPlexSim({ seed: 7, xmlOnly: true });
    const xmlTest = createTestCatalog();
    try {
      addSimServer(xmlTest, xmlSim);
      await runSync(test.deps);
      const report = await runSync(xmlTest.deps);
      expect(report.ok).toBe(true);
      expect(catalogView(xmlTest.catalog)).toEqual(catalogView(test.catalog));
    } finally {
      xmlTest.cleanup();
      await xmlSim.close();
    }
  });

  it('keeps two servers with the same rating keys apart', async () => {
    const second = await startPlexSim({ seed: 7, machineIdentifier: 'second-server' });
    try {
      addSimServer(test, second, 'Cabin');
      const report = await runSync(test.deps);
      expect(report.ok).toBe(true);
      const view = catalogView(test.catalog);
      expect(view.size).toBe(simView(sim).size * 2);
      expect(new Map([...view].filter(([key]) => key.startsWith('Cabin/')))).toEqual(simView(second, 'Cabin'));
    } finally {
      await second.close();
    }
  });

  it('maps file paths through the longest matching prefix', async () => {
    await runSync(test.deps);
    const movies = sim.library.sections().find((section) => section.title === 'Movies');
    const root = movies?.locations[0]?.path ?? '';
    const server = test.catalog.sqlite.prepare('SELECT id FROM servers').get() as { id: number };
    addMapping(test.catalog, { serverId: server.id, libraryId: null, plexPrefix: root, localPrefix: '/mnt/movies' });
    const mapped = test.catalog.sqlite.prepare('SELECT plex_path, local_path FROM media_files WHERE mapped = 1').all() as {
      plex_path: string;
      local_path: string;
    }[];
    expect(mapped.length).toBeGreaterThan(0);
    for (const file of mapped) expect(file.local_path.startsWith('/mnt/movies/')).toBe(true);
  });
});

describe('incremental resync', () => {
  beforeEach(async () => {
    expect((await runSync(test.deps)).ok).toBe(true);
    sim.resetRequests();
  });

  it('costs at most three requests per unchanged library and changes nothing', async () => {
    const before = tableRows(test.catalog, 'items');
    const report = await runSync(test.deps);
    expect(report.ok).toBe(true);
    for (const library of report.libraries) {
      expect(library.mode).toBe('incremental');
      expect(library.requests).toBeLessThanOrEqual(3);
      expect(library.added + library.updated + library.removed).toBe(0);
    }
    expect(tableRows(test.catalog, 'items')).toEqual(before);
    const total = report.libraries.reduce((sum, library) => sum + library.unchanged, 0);
    expect(total).toBe(itemCount(test.catalog));
  });

  it('syncs one library by title, on whichever server has it', async () => {
    const other = await startPlexSim({ seed: 9, machineIdentifier: 'other', library: { movies: 3, shows: 1, episodes: 2 } });
    try {
      addSimServer(test, other, 'Other');
      const report = await runSync(test.deps, { library: 'Kids Movies' });
      expect(report.serverErrors).toEqual([]);
      expect(report.libraries.map((library) => `${library.serverName}/${library.libraryTitle}`)).toEqual([
        'Home/Kids Movies',
        'Other/Kids Movies',
      ]);
      const missing = await runSync(test.deps, { library: 'No Such Library' });
      expect(missing.ok).toBe(false);
      expect(missing.serverErrors[0]?.error).toMatch(/No Such Library/);
    } finally {
      await other.close();
    }
  });

  it('finds additions, edits and deletions, including an episode whose show did not change', async () => {
    const keys = sectionKeys(sim);
    const [show] = sim.library.items(keys.shows, 'show');
    const [movieToEdit, movieToRemove] = sim.library.items(keys.movies, 'movie');
    if (show === undefined || movieToEdit === undefined || movieToRemove === undefined) throw new Error('sample library too small');
    const showUpdatedAt = show.updatedAt;
    sim.library.addEpisode(show.ratingKey, 1, { title: 'A New Episode' });
    expect(sim.library.get(show.ratingKey)?.updatedAt).toBe(showUpdatedAt);
    sim.library.addMovie(keys.movies, { title: 'Brand New Film', year: 2026 });
    sim.library.editItem(movieToEdit.ratingKey, { title: 'Edited Title' });
    sim.library.removeItem(movieToRemove.ratingKey);
    const [, , episodeToRemove] = sim.library.items(keys.shows, 'episode');
    if (episodeToRemove === undefined) throw new Error('sample library too small');
    sim.library.removeItem(episodeToRemove.ratingKey);

    const report = await runSync(test.deps);
    expect(report.ok).toBe(true);
    expect(catalogView(test.catalog)).toEqual(simView(sim));
    const tv = report.libraries.find((library) => library.libraryTitle === 'TV Shows');
    expect(tv?.mode).toBe('incremental');
    // Narrowed down: no section-wide episode listing without a filter.
    const fullEpisodeListings = sim.requests.filter(
      (request) =>
        request.path.endsWith('/all') &&
        request.query.type === '4' &&
        !Object.keys(request.query).some((key) => key.includes('updatedAt')) &&
        request.query['X-Plex-Container-Size'] !== '0',
    );
    expect(fullEpisodeListings).toHaveLength(0);
  });

  it('removes a whole show with its seasons and episodes', async () => {
    const keys = sectionKeys(sim);
    const [show] = sim.library.items(keys.shows, 'show');
    if (show === undefined) throw new Error('no show');
    sim.library.removeItem(show.ratingKey);
    expect((await runSync(test.deps)).ok).toBe(true);
    expect(catalogView(test.catalog)).toEqual(simView(sim));
    const orphans = test.catalog.sqlite
      .prepare('SELECT count(*) AS n FROM seasons s LEFT JOIN items i ON i.id = s.show_id WHERE i.id IS NULL')
      .get() as { n: number };
    expect(orphans.n).toBe(0);
  });

  it('catches a moved file only in a full pass, which compares media parts', async () => {
    const keys = sectionKeys(sim);
    const [movie] = sim.library.items(keys.movies, 'movie');
    if (movie === undefined) throw new Error('no movie');
    sim.library.moveFile(movie.ratingKey, '/data/media/movies/Moved/Moved.mkv');
    const incremental = await runSync(test.deps);
    expect(incremental.libraries.every((library) => library.updated === 0)).toBe(true);
    const full = await runSync(test.deps, { full: true });
    expect(full.libraries.find((library) => library.libraryTitle === 'Movies')?.updated).toBe(1);
    expect(catalogView(test.catalog)).toEqual(simView(sim));
  });

  it('keeps the catalog id when Plex re-keys an item', async () => {
    const keys = sectionKeys(sim);
    const [movie] = sim.library.items(keys.movies, 'movie');
    if (movie === undefined) throw new Error('no movie');
    const before = test.catalog.sqlite.prepare('SELECT id FROM items WHERE rating_key = ?').get(movie.ratingKey) as { id: number };
    const newKey = sim.library.rekey(movie.ratingKey);
    expect((await runSync(test.deps)).ok).toBe(true);
    const after = test.catalog.sqlite.prepare('SELECT id FROM items WHERE rating_key = ?').get(newKey) as { id: number } | undefined;
    expect(after?.id).toBe(before.id);
    expect(catalogView(test.catalog)).toEqual(simView(sim));
  });

  it('refuses a pass that would remove most of a library, and reports it', async () => {
    const keys = sectionKeys(sim);
    const movies = sim.library.items(keys.movies, 'movie');
    for (const movie of movies.slice(0, Math.ceil(movies.length * 0.8))) sim.library.removeItem(movie.ratingKey);
    const before = itemCount(test.catalog, 'movie');
    const report = await runSync(test.deps);
    const library = report.libraries.find((entry) => entry.libraryTitle === 'Movies');
    expect(library?.outcome).toBe('failed');
    expect(library?.error).toMatch(/refused to remove/);
    expect(report.ok).toBe(false);
    expect(itemCount(test.catalog, 'movie')).toBe(before);
    const allowed = await runSync(test.deps, { maxRemovalShare: 1 });
    expect(allowed.ok).toBe(true);
    expect(catalogView(test.catalog)).toEqual(simView(sim));
  });
});

describe('failures lose nothing', () => {
  beforeEach(async () => {
    expect((await runSync(test.deps)).ok).toBe(true);
  });

  const snapshot = () => ({ items: tableRows(test.catalog, 'items'), files: tableRows(test.catalog, 'media_files') });

  it('retries a 500 and succeeds', async () => {
    sim.addFault({ match: /\/all/, kind: 'status', status: 500, times: 2 });
    const report = await runSync(test.deps, { full: true });
    expect(report.ok).toBe(true);
    expect(catalogView(test.catalog)).toEqual(simView(sim));
  });

  it.each([
    ['a 401', { kind: 'status', status: 401 } as const],
    ['a truncated body', { kind: 'truncate' } as const],
    ['a malformed body', { kind: 'malformed' } as const],
    ['a hanging server (timeout)', { kind: 'hang' } as const],
  ])('%s in the middle of a full sync fails the library and deletes nothing', async (_name, fault) => {
    const keys = sectionKeys(sim);
    const [movie] = sim.library.items(keys.movies, 'movie');
    if (movie === undefined) throw new Error('no movie');
    sim.library.removeItem(movie.ratingKey);
    const before = snapshot();
    // The second page of every listing fails: the first page was written, nothing may be removed.
    sim.addFault({ match: /X-Plex-Container-Start=(?!0\b)\d+/, ...fault });
    const deps = { ...test.deps, clientOptions: { ...test.deps.clientOptions, timeoutMs: 300 } };
    const report = await runSync(deps, { full: true, pageSize: 10 });
    expect(report.ok).toBe(false);
    // Libraries of more than one page fail; a one-page library may still succeed.
    const multiPage = report.libraries.filter((library) => library.libraryTitle !== 'Kids Movies');
    expect(multiPage).toHaveLength(2);
    for (const library of multiPage) {
      expect(library.outcome).toBe('failed');
      expect(library.error).toContain('Home');
      expect(library.error).not.toContain(sim.token);
    }
    const after = snapshot();
    expect(after.items.length).toBe(before.items.length);
    expect(after.files.length).toBe(before.files.length);
    sim.clearFaults();
    expect((await runSync(test.deps, { full: true })).ok).toBe(true);
    expect(catalogView(test.catalog)).toEqual(simView(sim));
  });

  it('isolates a corrupt row that fails its whole page: the rest is imported, nothing removed, the row named', async () => {
    const keys = sectionKeys(sim);
    const movies = sim.library.items(keys.movies, 'movie');
    const corrupt = movies[13];
    const gone = movies[2];
    if (corrupt === undefined || gone === undefined) throw new Error('sample library too small');
    sim.library.removeItem(gone.ratingKey);
    sim.library.addMovie(keys.movies, { title: 'Arrived After The First Sync' });
    sim.corruptItem(corrupt.ratingKey);
    const position = sim.library.items(keys.movies, 'movie').findIndex((movie) => movie.ratingKey === corrupt.ratingKey);
    sim.resetRequests();
    const report = await runSync(test.deps, { full: true, library: 'Movies', server: 'Home' });
    const movieReport = report.libraries[0];
    expect(movieReport?.outcome).toBe('failed');
    expect(movieReport?.error).toContain(`failed to list the row at position ${position}; everything else was imported, nothing removed`);
    expect(movieReport?.added).toBe(1);
    // Bounded: the failing page, then a few dozen smaller ranges, not one request per movie.
    expect(sim.requests.length).toBeLessThan(40);
    const view = catalogView(test.catalog);
    expect(view.has(`Home/${gone.ratingKey}`)).toBe(true);
    sim.clearFaults();
    expect((await runSync(test.deps, { full: true })).ok).toBe(true);
    expect(catalogView(test.catalog)).toEqual(simView(sim));
  });

  it('a server failing every page is a failure, not thousands of retries', async () => {
    sim.addFault({ match: /\/library\/sections\/\d+\/all/, kind: 'status', status: 500 });
    sim.resetRequests();
    const report = await runSync(test.deps, { full: true, library: 'Movies', server: 'Home' });
    expect(report.libraries[0]?.outcome).toBe('failed');
    expect(report.libraries[0]?.error).toMatch(/answered 500/);
    expect(sim.requests.length).toBeLessThan(20);
  });

  it('one failing library never stops the others', async () => {
    const keys = sectionKeys(sim);
    sim.addFault({ match: new RegExp(`/library/sections/${keys.movies}/all`), kind: 'status', status: 404 });
    const report = await runSync(test.deps, { full: true });
    expect(report.ok).toBe(false);
    expect(report.libraries.find((library) => library.libraryTitle === 'Movies')?.outcome).toBe('failed');
    expect(report.libraries.find((library) => library.libraryTitle === 'TV Shows')?.outcome).toBe('ok');
  });

  it('refuses to sync another Plex server that now answers at a catalogued address', async () => {
    test.catalog.sqlite.prepare("UPDATE servers SET machine_identifier = 'the-old-server'").run();
    const before = itemCount(test.catalog);
    const report = await runSync(test.deps, { full: true });
    expect(report.ok).toBe(false);
    expect(report.serverErrors[0]?.error).toMatch(/another Plex server/);
    expect(report.libraries).toEqual([]);
    expect(itemCount(test.catalog)).toBe(before);
  });

  it('an unreachable server is reported and the others still sync', async () => {
    const other = await startPlexSim({ seed: 9, machineIdentifier: 'other' });
    addSimServer(test, other, 'Other');
    await other.close();
    const report = await runSync(test.deps);
    expect(report.serverErrors.map((error) => error.serverName)).toEqual(['Other']);
    expect(report.libraries.every((library) => library.serverName === 'Home' && library.outcome === 'ok')).toBe(true);
  });

  it('a cancelled sync stops cleanly and the next one carries on', async () => {
    const controller = new AbortController();
    const events: SyncProgress[] = [];
    sim.addFault({ match: /\/all/, kind: 'delay', ms: 20 });
    const report = await runSync(test.deps, {
      full: true,
      pageSize: 5,
      signal: controller.signal,
      onProgress: (event) => {
        events.push(event);
        if (event.kind === 'items' && event.done >= 10) controller.abort();
      },
    });
    expect(report.ok).toBe(false);
    expect(report.libraries.some((library) => library.outcome === 'cancelled')).toBe(true);
    expect(test.catalog.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    sim.clearFaults();
    expect((await runSync(test.deps, { full: true })).ok).toBe(true);
    expect(catalogView(test.catalog)).toEqual(simView(sim));
  });
});

describe('progress', () => {
  it('reports libraries k of N and items done of total', async () => {
    const events: SyncProgress[] = [];
    await runSync(test.deps, { pageSize: 10, progressIntervalMs: 0, onProgress: (event) => events.push(event) });
    const starts = events.filter((event) => event.kind === 'library-start');
    expect(starts.map((event) => event.index)).toEqual([0, 1, 2]);
    expect(starts.every((event) => event.total === 3)).toBe(true);
    const items = events.filter((event) => event.kind === 'items');
    expect(items.length).toBeGreaterThan(5);
    for (const event of items) expect(event.done).toBeLessThanOrEqual(event.itemsTotal);
    const last = items.at(-1);
    expect(last?.done).toBe(last?.itemsTotal);
    expect(events.at(-1)?.kind).toBe('library-done');
  });
});
