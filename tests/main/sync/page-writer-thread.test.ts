// The writer thread (main/sync/page-writer-thread.ts): a full pass whose pages SQLite writes on a thread of its
// own, on a real catalog file, against the simulated server over HTTP. Same catalog as on one thread, in order;
// a page that fails is rolled back whole and stops the listing with a typed error; a cancel keeps what was
// committed and counts it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportRows } from '../../../main/catalog/export.js';
import { runSync } from '../../../main/sync/engine.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import {
  addSimServer,
  catalogView,
  createTestCatalog,
  itemCount,
  PAGE_WRITER_BOOTSTRAP,
  sectionKeys,
  simView,
  type TestCatalog,
} from './fixtures.js';

let sim: PlexSim;
let threaded: TestCatalog;
/** A fixed clock: synced_at is then the same whichever thread writes. */
const clock = () => 1_750_000_000_000;

beforeEach(async () => {
  sim = await startPlexSim({ seed: 21, library: { movies: 240, shows: 12, episodes: 500 } });
  threaded = createTestCatalog();
  threaded.deps = { ...threaded.deps, pageWriter: PAGE_WRITER_BOOTSTRAP, clock };
  addSimServer(threaded, sim);
});

afterEach(async () => {
  expect(threaded.catalog.sqlite.pragma('foreign_key_check')).toEqual([]);
  expect(threaded.catalog.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  threaded.cleanup();
  await sim.close();
});

describe('the writer thread', () => {
  // Generous timeouts: the writer thread loads its TypeScript through tsx here (about a second on a busy machine).
  it('writes a full pass exactly as the sync thread does, every field and every page in order', async () => {
    const single = createTestCatalog();
    try {
      single.deps = { ...single.deps, clock };
      addSimServer(single, sim);
      const [viaThread, onOneThread] = [await runSync(threaded.deps, { pageSize: 37 }), await runSync(single.deps, { pageSize: 37 })];
      expect(viaThread.ok).toBe(true);
      expect(viaThread.libraries.map((library) => [library.added, library.counts, library.changes])).toEqual(
        onOneThread.libraries.map((library) => [library.added, library.counts, library.changes]),
      );
      expect([...exportRows(threaded.catalog)]).toEqual([...exportRows(single.catalog)]);
      // Pages in listing order: catalog ids follow the listings' sort=id order within each kind.
      const ids = threaded.catalog.sqlite
        .prepare("SELECT CAST(rating_key AS INTEGER) AS key FROM items WHERE kind = 'episode' ORDER BY id")
        .all() as { key: number }[];
      const keys = ids.map((row) => row.key);
      expect(keys).toEqual([...keys].sort((a, b) => a - b));
      expect(catalogView(threaded.catalog)).toEqual(simView(sim));
    } finally {
      single.cleanup();
    }
  }, 30_000);

  it('a page the catalog refuses is rolled back whole, stops its listing with a typed error, and keeps the pages before it', async () => {
    const episodes = sim.library.items(sectionKeys(sim).shows, 'episode').map((item) => item.ratingKey);
    const pageSize = 50;
    const failing = episodes[3 * pageSize + 7] ?? '';
    // A real SQLite failure inside the writer thread's transaction, on the 4th page of episodes.
    threaded.catalog.sqlite.exec(
      `CREATE TRIGGER refuse_one BEFORE INSERT ON items WHEN NEW.rating_key = '${failing}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`,
    );
    const report = await runSync(threaded.deps, { pageSize });
    const shows = report.libraries.find((library) => library.mode === 'full' && library.libraryTitle === 'TV Shows');
    expect(shows?.outcome).toBe('failed');
    expect(shows?.errorCode).toBe('CATALOG_WRITE_FAILED');
    expect(shows?.error).toMatch(/nothing of that page was kept: refused by the test/);
    const stored = new Set(
      (threaded.catalog.sqlite.prepare("SELECT rating_key FROM items WHERE kind = 'episode'").all() as { rating_key: string }[]).map(
        (row) => row.rating_key,
      ),
    );
    // The three pages before it are committed; nothing of the failing page, nor after it, is.
    expect([...stored].sort()).toEqual(episodes.slice(0, 3 * pageSize).sort());
    // The report counts what was committed, no more.
    expect(shows?.counts.added.episode).toBe(3 * pageSize);
    // The movies library, before it, synced in full.
    expect(report.libraries.find((library) => library.libraryTitle === 'Movies')?.outcome).toBe('ok');

    threaded.catalog.sqlite.exec('DROP TRIGGER refuse_one');
    expect((await runSync(threaded.deps, { full: true })).ok).toBe(true);
    expect(catalogView(threaded.catalog)).toEqual(simView(sim));
  }, 30_000);

  it('a cancelled full pass keeps and counts the pages committed, and the next sync carries on', async () => {
    const controller = new AbortController();
    sim.addFault({ match: /\/all/, kind: 'delay', ms: 10 });
    const report = await runSync(threaded.deps, {
      pageSize: 20,
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (event) => {
        if (event.kind === 'items' && event.done >= 100) controller.abort();
      },
    });
    expect(report.libraries.some((library) => library.outcome === 'cancelled')).toBe(true);
    const added = report.libraries.reduce((sum, library) => sum + library.added, 0);
    expect(added).toBeGreaterThan(0);
    // Every page the report counts is in the catalog, and nothing it does not count.
    expect(itemCount(threaded.catalog)).toBe(added);
    sim.clearFaults();
    expect((await runSync(threaded.deps)).ok).toBe(true);
    expect(catalogView(threaded.catalog)).toEqual(simView(sim));
  }, 30_000);
});
