// One benchmark phase in its own process, so its peak RSS is its own. Prints one JSON line on stdout.
//   tsx tools/bench/run-phase.ts floor URL TOKEN PAGE_SIZE
//   tsx tools/bench/run-phase.ts sync  URL TOKEN PAGE_SIZE DB CONFIG_DIR [full]
//   tsx tools/bench/run-phase.ts live  URL TOKEN PAGE_SIZE DB CONFIG_DIR CONTROL_KEY BURST_FRACTION
import { existsSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openCatalog } from '../../main/catalog/database.js';
import { listLibraries, setLibraryEnabled, upsertSections } from '../../main/catalog/libraries.js';
import { addServer, findServer, listServers } from '../../main/catalog/servers.js';
import type { LiveNotice } from '../../main/live/live-server.js';
import { LiveCatalog } from '../../main/live/service.js';
import { PlexClient } from '../../main/plex/client.js';
import { runSync } from '../../main/sync/engine.js';
import { openKeyFileSecretStore } from '../../main/secrets/key-file-store.js';

export interface PhaseResult {
  seconds: number;
  /** CPU time of this process (user + system) during the phase: steadier than wall time on a shared machine. */
  cpuSeconds?: number;
  requests: number;
  items: number;
  maxRssMb: number;
  /** The catalog's files on disk after the phase (database, WAL and shared-memory file), in bytes. */
  catalogBytes?: number;
  live?: LiveFigures;
  perLibrary?: {
    library: string;
    mode: string;
    requests: number;
    seconds: number;
    added: number;
    updated: number;
    removed: number;
    unchanged: number;
    outcome: string;
  }[];
}

const [phase, url, token, pageSizeText, db, configDir, fullFlag] = process.argv.slice(2);
if (url === undefined || token === undefined || pageSizeText === undefined)
  throw new Error('usage: run-phase floor|sync URL TOKEN PAGE_SIZE [DB CONFIG_DIR [full]]');
const pageSize = Number(pageSizeText);

/**
 * The floor: plain `fetch` + `JSON.parse` of the very pages a full sync reads (same URLs, query order, headers
 * and page size), one after the other, nothing stored and nothing of Marquee's client involved (no got, no
 * decoding into the Plex model): what any importer must pay to read the library. Kept apart from the client
 * on purpose, so the client's own decoding cost shows in the ratio instead of hiding in the floor.
 */
async function floor(): Promise<PhaseResult> {
  let requests = 0;
  const headers = {
    accept: 'application/json',
    'x-plex-token': token!,
    'x-plex-client-identifier': 'bench',
    'x-plex-product': 'Marquee',
    'x-plex-platform': 'Linux',
  };
  const get = async (path: string, query: Record<string, string | number>): Promise<PlainContainer> => {
    const address = new URL(path, url);
    for (const [name, value] of Object.entries(query)) address.searchParams.set(name, String(value));
    requests += 1;
    const response = await fetch(address, { headers });
    if (!response.ok) throw new Error(`floor: ${path} answered ${response.status}`);
    return (JSON.parse(await response.text()) as { MediaContainer: PlainContainer }).MediaContainer;
  };
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let items = 0;
  const sections = (await get('/library/sections', {})).Directory ?? [];
  for (const section of sections) {
    const types = section.type === 'movie' ? [1] : section.type === 'show' ? [2, 3, 4] : section.type === 'artist' ? [8, 9, 10] : [];
    for (const type of types) {
      // The sync's listing query (library-sync.ts listQuery), paged by X-Plex-Container-Start/Size.
      const query = { type, includeGuids: 1, sort: 'id', includeCollections: 0 };
      for (let start = 0, total = 1; start < total;) {
        const page = await get(`/library/sections/${section.key}/all`, {
          ...query,
          'X-Plex-Container-Start': start,
          'X-Plex-Container-Size': pageSize,
        });
        const count = page.Metadata?.length ?? 0;
        items += count;
        total = page.totalSize ?? 0;
        if (count === 0) break;
        start += count;
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, cpuSeconds: cpuSecondsSince(cpuStarted), requests, items, maxRssMb: maxRssMb() };
}

/** Just what the floor reads of Plex's JSON. */
interface PlainContainer {
  totalSize?: number;
  Directory?: { key: string; type: string }[];
  Metadata?: unknown[];
}

async function sync(): Promise<PhaseResult> {
  if (db === undefined || configDir === undefined) throw new Error('sync needs DB and CONFIG_DIR');
  const catalog = openCatalog(db);
  const secrets = openKeyFileSecretStore(configDir);
  if (findServer(catalog, 'bench') === null) {
    const server = addServer(catalog, secrets, { name: 'bench', url: url!, token: token!, machineIdentifier: null });
    // Music libraries are listed disabled: the bench syncs them (listed here, before the clock starts).
    const client = new PlexClient({ baseUrl: url!, token, serverName: 'bench', clientIdentifier: 'bench' });
    upsertSections(catalog, server.id, await client.sections(), Math.floor(Date.now() / 1000));
    client.close();
    for (const library of listLibraries(catalog, { withCounts: false }))
      if (library.type === 'artist') setLibraryEnabled(catalog, library.id, true);
  }
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  // BENCH_WRITER_THREAD=1: full passes write their pages on the writer thread (MARQUEE_WRITER_THREAD=1 in the CLI).
  const pageWriter =
    process.env.BENCH_WRITER_THREAD === '1' ? { pageWriter: new URL('./page-writer-worker.bootstrap.mjs', import.meta.url) } : {};
  const report = await runSync({ catalog, secrets, ...pageWriter }, { full: fullFlag === 'full', pageSize });
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSecondsSince(cpuStarted);
  catalog.close();
  if (!report.ok) throw new Error(`sync failed: ${JSON.stringify(report)}`);
  const perLibrary = report.libraries.map((l) => ({
    library: l.libraryTitle,
    mode: l.mode,
    requests: l.requests,
    seconds: l.seconds,
    added: l.added,
    updated: l.updated,
    removed: l.removed,
    unchanged: l.unchanged,
    outcome: l.outcome,
  }));
  return {
    seconds,
    cpuSeconds,
    requests: perLibrary.reduce((sum, l) => sum + l.requests, 0),
    items: perLibrary.reduce((sum, l) => sum + l.added + l.updated + l.unchanged, 0),
    maxRssMb: maxRssMb(),
    catalogBytes: catalogBytes(db),
    perLibrary,
  };
}

export interface LiveFigures {
  /** From the mutation on the server to the row in the catalog (includes the 2 s batch window). */
  eventToCatalogMs: number;
  oneChangeRequests: number;
  burstEvents: number;
  burstRequests: number;
  burstSeconds: number;
  /** A change made while the socket was down: reconnect + catch-up sync. */
  dropCatchUpMs: number;
  dropRequests: number;
}

/** The live catalog on the synced catalog: one change, a burst of timeline events, a dropped socket. */
async function live(): Promise<PhaseResult> {
  const [controlKey, fractionText] = process.argv.slice(8);
  if (db === undefined || configDir === undefined || controlKey === undefined) throw new Error('live needs DB, CONFIG_DIR and CONTROL_KEY');
  const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const answer = await fetch(`${url!}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-sim-control': controlKey },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return ((await answer.json()) as { result: unknown }).result;
  };
  const mutate = (op: string, args: unknown[]) => control('POST', '/__sim/mutate', { op, args });
  const requestCount = async () => ((await control('GET', '/__sim/requests')) as unknown[]).length;
  const catalog = openCatalog(db);
  const secrets = openKeyFileSecretStore(configDir);
  const has = (ratingKey: string) => catalog.sqlite.prepare('SELECT 1 FROM items WHERE rating_key = ?').get(ratingKey) !== undefined;
  const notices: LiveNotice[] = [];
  const catalogLive = new LiveCatalog({ catalog, secrets }, listServers(catalog), { notify: (notice) => void notices.push(notice) });
  catalogLive.start();
  await until(() => notices.some((notice) => notice.type === 'sync' && notice.reason === 'connected'));
  await catalogLive.idle();
  const sections = (await mutate('sections', [])) as { key: string; type: string }[];
  const movies = sections.find((section) => section.type === 'movie')?.key ?? '1';

  await control('POST', '/__sim/requests/reset');
  let started = performance.now();
  const key = String(await mutate('addMovie', [movies, { title: 'Bench Live Movie' }]));
  await until(() => has(key));
  const eventToCatalogMs = performance.now() - started;
  await catalogLive.idle();
  const oneChangeRequests = await requestCount();

  await control('POST', '/__sim/requests/reset');
  started = performance.now();
  const burstEvents = Number(await mutate('touchEpisodes', [Number(fractionText ?? 0.1)]));
  await until(() => notices.some((notice) => notice.type === 'sync' && notice.reason === 'burst'));
  await catalogLive.idle();
  const burstSeconds = (performance.now() - started) / 1000;
  const burstRequests = await requestCount();

  await control('POST', '/__sim/requests/reset');
  await control('POST', '/__sim/notifications/drop');
  started = performance.now();
  const missed = String(await mutate('addMovie', [movies, { title: 'Bench Missed Movie' }]));
  await until(() => has(missed));
  const dropCatchUpMs = performance.now() - started;
  await catalogLive.idle();
  const dropRequests = await requestCount();
  await catalogLive.stop();
  catalog.close();
  return {
    seconds: burstSeconds,
    requests: burstRequests,
    items: burstEvents,
    maxRssMb: maxRssMb(),
    live: { eventToCatalogMs, oneChangeRequests, burstEvents, burstRequests, burstSeconds, dropCatchUpMs, dropRequests },
  };
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = performance.now() + 120_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('live phase: timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The database file with its WAL and shared-memory files, as they lie on disk once the catalog is closed. */
function catalogBytes(file: string): number {
  let bytes = 0;
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) bytes += statSync(file + suffix).size;
  return bytes;
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function maxRssMb(): number {
  // resourceUsage().maxRSS is in kilobytes.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

const result = phase === 'floor' ? await floor() : phase === 'live' ? await live() : await sync();
process.stdout.write(`${JSON.stringify(result)}\n`);
