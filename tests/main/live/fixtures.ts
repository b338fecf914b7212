// Real parts for live tests: the simulated server with its notification socket, a temp SQLite catalog filled by
// a first sync, and a LiveCatalog with short windows so a test waits milliseconds, on conditions.
import { listServers } from '../../../main/catalog/servers.js';
import type { LiveNotice } from '../../../main/live/live-server.js';
import { LiveCatalog, type LiveCatalogOptions } from '../../../main/live/service.js';
import { runSync } from '../../../main/sync/engine.js';
import { startPlexSim, type PlexSim, type PlexSimOptions } from '../../../tools/plex-sim/index.js';
import { addSimServer, createTestCatalog, type TestCatalog } from '../sync/fixtures.js';

export interface LiveSetup {
  sim: PlexSim;
  test: TestCatalog;
  live: LiveCatalog;
  notices: LiveNotice[];
  close(): Promise<void>;
}

/** Waits (without a fixed sleep) until `condition` holds; fails after `limitMs` with `what`. */
export async function until(condition: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function startLive(simOptions: PlexSimOptions = {}, liveOptions: Partial<LiveCatalogOptions> = {}): Promise<LiveSetup> {
  const sim = await startPlexSim({ seed: 11, library: { movies: 30, shows: 5, episodes: 60 }, ...simOptions });
  const test = createTestCatalog();
  addSimServer(test, sim);
  const first = await runSync(test.deps, {});
  if (!first.ok) throw new Error('the first sync failed');
  const notices: LiveNotice[] = [];
  const live = new LiveCatalog(test.deps, listServers(test.catalog), {
    batchWindowMs: 30,
    backoffBaseMs: 10,
    backoffMaxMs: 40,
    lockRetryMs: 10,
    ...liveOptions,
    notify: (notice) => {
      notices.push(notice);
      liveOptions.notify?.(notice);
    },
  });
  live.start();
  return {
    sim,
    test,
    live,
    notices,
    async close() {
      await live.stop();
      await sim.close();
      test.cleanup();
    },
  };
}

export function syncsFor(notices: readonly LiveNotice[], reason: string): number {
  return notices.filter((notice) => notice.type === 'sync' && notice.reason === reason).length;
}

export function ratingKeyInCatalog(test: TestCatalog, ratingKey: string): boolean {
  return test.catalog.sqlite.prepare('SELECT 1 FROM items WHERE rating_key = ?').get(ratingKey) !== undefined;
}

export function titleInCatalog(test: TestCatalog, ratingKey: string): string | undefined {
  const row = test.catalog.sqlite.prepare('SELECT title FROM items WHERE rating_key = ?').get(ratingKey) as { title: string } | undefined;
  return row?.title;
}
