// Whole syncs against hostile or struggling Plex servers (the simulator's options for them), over real HTTP into
// a real SQLite catalog: any computer name, big pages that time out or fail, gzip bombs, listings that never end.
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../../shared/domain.js';
import type { PlexClientOptions } from '../../../main/plex/client.js';
import { runSync } from '../../../main/sync/engine.js';
import { startPlexSim, type PlexSim, type PlexSimOptions } from '../../../tools/plex-sim/index.js';
import {
  addSimServer,
  catalogView,
  createTestCatalog,
  sectionKeys,
  simView,
  tableRows,
  TEST_CLIENT_OPTIONS,
  type TestCatalog,
} from './fixtures.js';

const MiB = 1024 * 1024;
let sim: PlexSim | undefined;
let test: TestCatalog | undefined;

afterEach(async () => {
  if (test !== undefined) expect(test.catalog.sqlite.pragma('foreign_key_check')).toEqual([]);
  test?.cleanup();
  await sim?.close();
  sim = undefined;
  test = undefined;
});

async function setUp(
  options: PlexSimOptions,
  clientOptions: Partial<PlexClientOptions> = {},
): Promise<{ sim: PlexSim; test: TestCatalog }> {
  sim = await startPlexSim({ seed: 11, library: { movies: 600, shows: 12, episodes: 700 }, ...options });
  test = createTestCatalog();
  test.deps.clientOptions = { ...TEST_CLIENT_OPTIONS, ...clientOptions };
  addSimServer(test, sim);
  return { sim, test };
}

function pageSizes(plex: PlexSim): number[] {
  return plex.requests
    .filter((request) => request.path.endsWith('/all') && request.query['X-Plex-Container-Size'] !== '0')
    .map((request) => Number(request.query['X-Plex-Container-Size']));
}

describe('any computer name', () => {
  it('syncs everything when the device name is Chinese, Cyrillic or has a typographic apostrophe', async () => {
    const { sim: plex, test: catalog } = await setUp({}, { deviceName: 'Ana’s 北京 Аня MacBook' });
    const report = await runSync(catalog.deps);
    expect(report.serverErrors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(catalogView(catalog.catalog)).toEqual(simView(plex));
    expect(new Set(plex.requests.map((request) => request.deviceName))).toEqual(new Set(["Ana's %E5%8C%97%E4%BA%AC Anya MacBook"]));
  });
});

describe('slow servers, big pages', () => {
  it.each([
    ['hang (time out)', 'hang' as const],
    ['answer 500', 'error' as const],
  ])('pages bigger than the server can serve %s: asked again smaller, the size kept, every item synced', async (_label, answer) => {
    const { sim: plex, test: catalog } = await setUp({ pageLimit: { maxItems: 250, answer } }, { timeoutMs: 1000 });
    const events: SyncProgress[] = [];
    const report = await runSync(catalog.deps, { onProgress: (event) => events.push(event) });
    expect(report.serverErrors).toEqual([]);
    expect(report.libraries.map((library) => [library.libraryTitle, library.outcome, library.error])).toEqual(
      report.libraries.map((library) => [library.libraryTitle, 'ok', undefined]),
    );
    expect(catalogView(catalog.catalog)).toEqual(simView(plex));

    // 1000 failed, then 500, then 250 worked and every later page of the run (other listings, other libraries) used it.
    const sizes = pageSizes(plex);
    expect(sizes.slice(0, 3)).toEqual([1000, 500, 250]);
    expect(sizes.slice(3).every((size) => size === 250)).toBe(true);
    expect(sizes.length).toBeGreaterThan(6);

    const waiting = events.filter((event): event is Extract<SyncProgress, { kind: 'waiting' }> => event.kind === 'waiting');
    expect(waiting.map((event) => [event.attempt, event.maxAttempts])).toEqual([
      [2, 5],
      [3, 5],
    ]);
    expect(waiting[0]?.reason).toMatch(/a page of 1000 items (timed out|answered 500); asking for 500 at a time/);
    expect(waiting[0]?.libraryTitle).not.toBe('');
  });

  it('says "waiting" with attempt numbers while the client retries a failing request', async () => {
    const { sim: plex, test: catalog } = await setUp({});
    plex.addFault({ match: /\/library\/sections$/, kind: 'status', status: 503, times: 2 });
    const events: SyncProgress[] = [];
    const report = await runSync(catalog.deps, { onProgress: (event) => events.push(event) });
    expect(report.ok).toBe(true);
    const waiting = events.filter((event) => event.kind === 'waiting');
    expect(waiting).toMatchObject([
      { kind: 'waiting', attempt: 2, maxAttempts: 3, reason: 'answered 503', serverName: 'Home' },
      { kind: 'waiting', attempt: 3, maxAttempts: 3, reason: 'answered 503', serverName: 'Home' },
    ]);
  });
});

describe('Retry-After and redirects', () => {
  it('a 429 asking for an hour is waited out for the capped time only, shown as waiting, and the sync completes', async () => {
    const { sim: plex, test: catalog } = await setUp({}, { maxRetryAfterMs: 200, retryBaseMs: 60_000, retryMaxMs: 60_000 });
    const { movies } = sectionKeys(plex);
    plex.addFault({
      match: new RegExp(`/library/sections/${movies}/all\\?`),
      kind: 'status',
      status: 429,
      headers: { 'Retry-After': '3600' },
      times: 1,
    });
    const events: SyncProgress[] = [];
    const report = await runSync(catalog.deps, { onProgress: (event) => events.push(event) });
    expect(report.ok).toBe(true);
    expect(catalogView(catalog.catalog)).toEqual(simView(plex));
    // The backoff would have been 30 s or more: 0.2 s is the server's hour, shortened to the cap.
    expect(events.filter((event) => event.kind === 'waiting')).toMatchObject([
      { kind: 'waiting', attempt: 2, maxAttempts: 3, reason: 'answered 429', retryInSeconds: 0.2 },
    ]);
  });

  it('a redirect is not followed: the library fails naming where it points, the token stays home, nothing is lost', async () => {
    const { sim: plex, test: catalog } = await setUp({});
    expect((await runSync(catalog.deps)).ok).toBe(true);
    const before = ['items', 'media_files', 'external_ids'].map((table) => tableRows(catalog.catalog, table));
    const { movies } = sectionKeys(plex);
    // A proxy pointing elsewhere; the port is the simulator's own, so a followed redirect would show up in its log.
    const elsewhere = `http://localhost:${new URL(plex.url).port}/elsewhere?X-Plex-Token=${plex.token}`;
    plex.addFault({
      match: new RegExp(`/library/sections/${movies}/all\\?`),
      kind: 'status',
      status: 302,
      headers: { Location: elsewhere },
    });
    plex.resetRequests();

    const report = await runSync(catalog.deps, { full: true });
    const failed = report.libraries.filter((library) => library.outcome === 'failed');
    expect(failed.map((library) => [library.sectionKey, library.removed])).toEqual([[movies, 0]]);
    expect(failed[0]?.error).toContain(`a redirect to http://localhost:${new URL(plex.url).port}/elsewhere (not followed)`);
    expect(JSON.stringify(report)).not.toContain(plex.token);
    expect(plex.requests.filter((request) => request.path === '/elsewhere')).toEqual([]);
    expect(['items', 'media_files', 'external_ids'].map((table) => tableRows(catalog.catalog, table))).toEqual(before);
  });
});

describe('size limits', () => {
  it('a gzip bomb fails the library at once with the typed error, leaves the catalog untouched, memory bounded', async () => {
    // A time limit long enough for 256 MB to arrive even on a busy machine: the cap, not the clock, must end it.
    const { sim: plex, test: catalog } = await setUp({}, { timeoutMs: 60_000 });
    expect((await runSync(catalog.deps)).ok).toBe(true);
    const before = ['items', 'media_files', 'external_ids'].map((table) => tableRows(catalog.catalog, table));
    const { movies } = sectionKeys(plex);
    plex.addFault({ match: new RegExp(`/library/sections/${movies}/all\\?`), kind: 'gzipBomb', bytes: 3 * 1024 * MiB });
    plex.resetRequests();

    let peak = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 5);
    const report = await runSync(catalog.deps, { full: true }).finally(() => clearInterval(sampler));

    const failed = report.libraries.filter((library) => library.outcome === 'failed');
    expect(failed.map((library) => library.sectionKey)).toEqual([movies]);
    expect(failed[0]?.error).toMatch(/sent more than 256 MB in one answer at http:\/\/127\.0\.0\.1:\d+\/library\/sections\/\d+\/all/);
    expect(
      plex.requests.filter(
        (request) => request.path === `/library/sections/${movies}/all` && request.query['X-Plex-Container-Size'] !== '0',
      ),
    ).toHaveLength(1);
    expect(['items', 'media_files', 'external_ids'].map((table) => tableRows(catalog.catalog, table))).toEqual(before);
    expect(peak).toBeLessThan(600 * MiB);
  }, 120_000);

  it('a listing that never ends is stopped past what the server announced, and removes nothing', async () => {
    const { sim: plex, test: catalog } = await setUp({}, { maxListingGrowth: 500 });
    expect((await runSync(catalog.deps)).ok).toBe(true);
    await plex.close();
    sim = await startPlexSim({
      seed: 11,
      library: { movies: 600, shows: 12, episodes: 700 },
      endlessListings: true,
      port: Number(new URL(plex.url).port),
    });
    const itemsBefore = catalog.catalog.sqlite.prepare('SELECT rating_key FROM items').all() as { rating_key: string }[];

    const report = await runSync(catalog.deps, { full: true, pageSize: 200 });
    expect(report.ok).toBe(false);
    for (const library of report.libraries) {
      expect(library.outcome).toBe('failed');
      expect(library.error).toMatch(/announced \d+ items but kept listing past \d+ at .*; the listing was stopped/);
      expect(library.removed).toBe(0);
    }
    const itemsAfter = new Set(
      (catalog.catalog.sqlite.prepare('SELECT rating_key FROM items').all() as { rating_key: string }[]).map((row) => row.rating_key),
    );
    for (const row of itemsBefore) expect(itemsAfter.has(row.rating_key)).toBe(true);
    // Bounded: at most the announced listing plus the allowance, per listing.
    expect(itemsAfter.size).toBeLessThan(itemsBefore.length + 4 * (500 + 400));
  });
});
