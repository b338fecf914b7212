// Killing the sync process mid-page must leave a catalog that a resync brings to exactly the full-sync state.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openCatalog } from '../../../main/catalog/database.js';
import { runSync } from '../../../main/sync/engine.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { addSimServer, catalogView, createTestCatalog, simView, type TestCatalog } from './fixtures.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
let sim: PlexSim;
let test: TestCatalog;

beforeEach(async () => {
  sim = await startPlexSim({ seed: 11, library: { movies: 300, shows: 20, episodes: 600 } });
  test = createTestCatalog();
  addSimServer(test, sim);
});

afterEach(async () => {
  test.cleanup();
  await sim.close();
});

function itemsOnDisk(file: string): number {
  const reader = new BetterSqlite3(file, { readonly: true });
  try {
    return (reader.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;
  } finally {
    reader.close();
  }
}

// Once with every page written on the sync's thread, once with the writer thread (killed with its process mid-page).
it.each(['own-thread', 'writer-thread'])(
  'a sync killed mid-page leaves a consistent catalog that the next sync completes (%s)',
  async (writer) => {
    test.catalog.close();
    // Slow pages so the kill lands while pages are still arriving and being written.
    sim.addFault({ match: /\/all/, kind: 'delay', ms: 15 });
    const child = spawn(
      join(root, 'node_modules/.bin/tsx'),
      ['tests/main/sync/sync-process.ts', test.file, join(test.dir, 'config'), '5', writer],
      {
        cwd: root,
        stdio: 'ignore',
      },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await expect.poll(() => itemsOnDisk(test.file), { timeout: 30_000, interval: 20 }).toBeGreaterThan(50);
    child.kill('SIGKILL');
    await exited;
    sim.clearFaults();

    const catalog = openCatalog(test.file);
    try {
      expect(catalog.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(catalog.sqlite.pragma('foreign_key_check')).toEqual([]);
      const interrupted = catalogView(catalog).size;
      expect(interrupted).toBeLessThan(simView(sim).size);
      const report = await runSync({ ...test.deps, catalog });
      expect(report.ok).toBe(true);
      expect(catalogView(catalog)).toEqual(simView(sim));

      const fresh = createTestCatalog();
      try {
        addSimServer(fresh, sim);
        await runSync(fresh.deps);
        expect(tableWithoutIds(catalog)).toEqual(tableWithoutIds(fresh.catalog));
      } finally {
        fresh.cleanup();
      }
    } finally {
      catalog.close();
    }
  },
  60_000,
);

/** Every stored fact but catalog ids and sync timestamps, in a stable order. */
function tableWithoutIds(catalog: ReturnType<typeof openCatalog>) {
  return catalog.sqlite
    .prepare(
      `SELECT i.kind, i.rating_key, i.guid, i.title, i.year, i.added_at, i.updated_at, i.fingerprint,
              (SELECT group_concat(provider || '=' || value, ',') FROM (SELECT * FROM external_ids x WHERE x.item_id = i.id ORDER BY provider)) AS ids,
              (SELECT group_concat(plex_path || '>' || local_path, ',') FROM (SELECT * FROM media_files f WHERE f.item_id = i.id ORDER BY media_index, part_index)) AS files
       FROM items i ORDER BY i.rating_key`,
    )
    .all();
}
