// Real parts for sync tests: a temp SQLite catalog, a key-file secret store, the simulated Plex server over HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCatalog, type Catalog } from '../../../main/catalog/database.js';
import { exportRows } from '../../../main/catalog/export.js';
import { addServer } from '../../../main/catalog/servers.js';
import type { PlexClientOptions } from '../../../main/plex/client.js';
import { openKeyFileSecretStore } from '../../../main/secrets/key-file-store.js';
import type { SecretStore } from '../../../main/secrets/secret-store.js';
import type { SyncEngineDeps } from '../../../main/sync/engine.js';
import type { PlexSim } from '../../../tools/plex-sim/index.js';

export interface TestCatalog {
  dir: string;
  file: string;
  catalog: Catalog;
  secrets: SecretStore;
  deps: SyncEngineDeps;
  cleanup(): void;
}

/** The writer thread's entry through tsx (page-writer-thread.test.ts; the bench uses the same). */
export const PAGE_WRITER_BOOTSTRAP = new URL('../../../tools/bench/page-writer-worker.bootstrap.mjs', import.meta.url);
/**
 * MARQUEE_TEST_WRITER_THREAD=1 runs every sync test with the writer thread (full passes write their pages there).
 * Off by default: loading the TypeScript writer through tsx costs about a second per sync, which the built CLI
 * does not pay; page-writer-thread.test.ts covers the thread in the default run.
 */
const pageWriter = process.env.MARQUEE_TEST_WRITER_THREAD === '1' ? { pageWriter: PAGE_WRITER_BOOTSTRAP } : {};

/** Fast retries and short timeouts: faults resolve in milliseconds, not seconds. */
export const TEST_CLIENT_OPTIONS: Partial<PlexClientOptions> = { retryBaseMs: 1, retryMaxMs: 5, timeoutMs: 1500, retries: 2 };

export function createTestCatalog(file?: string): TestCatalog {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-sync-'));
  const path = file ?? join(dir, 'catalog.sqlite');
  const catalog = openCatalog(path);
  const secrets = openKeyFileSecretStore(join(dir, 'config'));
  return {
    dir,
    file: path,
    catalog,
    secrets,
    deps: { catalog, secrets, clientOptions: TEST_CLIENT_OPTIONS, ...pageWriter },
    cleanup() {
      catalog.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function addSimServer(test: TestCatalog, sim: PlexSim, name = 'Home') {
  return addServer(test.catalog, test.secrets, { name, url: sim.url, token: sim.token, machineIdentifier: null });
}

export interface ItemView {
  type: string;
  title: string;
  library: string;
  files: string[];
  show?: string | null;
  season?: number | null;
  episode?: number | null;
}

/** The catalog's movies, shows and episodes by `server/ratingKey`, as the export shows them. */
export function catalogView(catalog: Catalog): Map<string, ItemView> {
  const view = new Map<string, ItemView>();
  for (const row of exportRows(catalog)) {
    const item: ItemView = { type: row.type, title: row.title, library: row.library, files: [] };
    if ('files' in row) item.files = row.files.map((file) => file.plexPath);
    if (row.type === 'episode') Object.assign(item, { show: row.show, season: row.season, episode: row.episode });
    view.set(`${row.server}/${row.ratingKey}`, item);
  }
  return view;
}

/** What the simulated server holds, in the same shape. */
export function simView(sim: PlexSim, serverName = 'Home'): Map<string, ItemView> {
  const view = new Map<string, ItemView>();
  for (const section of sim.library.sections()) {
    if (section.type !== 'movie' && section.type !== 'show') continue;
    const types = section.type === 'movie' ? (['movie'] as const) : (['show', 'episode'] as const);
    for (const type of types) {
      for (const item of sim.library.items(section.key, type)) {
        const entry: ItemView = { type, title: item.title, library: section.title, files: [] };
        if (type !== 'show') entry.files = item.media.flatMap((media) => media.parts.map((part) => part.file));
        if (type === 'episode') {
          const season = item.parentKey === undefined ? undefined : sim.library.get(item.parentKey);
          const show = item.grandparentKey === undefined ? undefined : sim.library.get(item.grandparentKey);
          Object.assign(entry, { show: show?.title ?? null, season: season?.index ?? null, episode: item.index ?? null });
        }
        view.set(`${serverName}/${item.ratingKey}`, entry);
      }
    }
  }
  return view;
}

/** Rows of a table as plain objects, for before/after comparisons. */
export function tableRows(catalog: Catalog, table: string): unknown[] {
  return catalog.sqlite.prepare(`SELECT * FROM ${table} ORDER BY 1`).all();
}

export function itemCount(catalog: Catalog, kind?: string): number {
  const row = (
    kind === undefined
      ? catalog.sqlite.prepare('SELECT count(*) AS n FROM items').get()
      : catalog.sqlite.prepare('SELECT count(*) AS n FROM items WHERE kind = ?').get(kind)
  ) as { n: number };
  return row.n;
}

/** A movie section's key and a show section's key from the sim's sample library. */
export function sectionKeys(sim: PlexSim): { movies: string; shows: string } {
  const sections = sim.library.sections();
  const movies =
    sections.find((section) => section.type === 'movie' && section.title === 'Movies') ??
    sections.find((section) => section.type === 'movie');
  const shows = sections.find((section) => section.type === 'show');
  if (movies === undefined || shows === undefined) throw new Error('the sample library lacks a movie or show section');
  return { movies: movies.key, shows: shows.key };
}
