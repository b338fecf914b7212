// One benchmark phase in its own process, so its peak RSS is its own. Prints one JSON line on stdout.
//   tsx tools/bench/run-phase.ts floor URL TOKEN PAGE_SIZE
//   tsx tools/bench/run-phase.ts sync  URL TOKEN PAGE_SIZE DB CONFIG_DIR [full]
import { performance } from 'node:perf_hooks';
import { openCatalog } from '../../main/catalog/database.js';
import { addServer, findServer } from '../../main/catalog/servers.js';
import { PlexClient } from '../../main/plex/client.js';
import { runSync } from '../../main/sync/engine.js';
import { openKeyFileSecretStore } from '../../main/secrets/key-file-store.js';

export interface PhaseResult {
  seconds: number;
  requests: number;
  items: number;
  maxRssMb: number;
  perLibrary?: { library: string; mode: string; requests: number; seconds: number; added: number; updated: number; removed: number; unchanged: number; outcome: string }[];
}

const [phase, url, token, pageSizeText, db, configDir, fullFlag] = process.argv.slice(2);
if (url === undefined || token === undefined || pageSizeText === undefined) throw new Error('usage: run-phase floor|sync URL TOKEN PAGE_SIZE [DB CONFIG_DIR [full]]');
const pageSize = Number(pageSizeText);

/** The floor: the same listing pages a full sync reads, fetched and decoded, nothing stored. */
async function floor(): Promise<PhaseResult> {
  let requests = 0;
  const client = new PlexClient({ baseUrl: url!, token, serverName: 'bench', clientIdentifier: 'bench', onRequest: () => void (requests += 1) });
  const started = performance.now();
  let items = 0;
  for (const section of await client.sections()) {
    const types = section.type === 'movie' ? [1] : section.type === 'show' ? [2, 3, 4] : [];
    for (const type of types) {
      for await (const page of client.pages(`/library/sections/${section.key}/all`, { type, includeGuids: 1, sort: 'id' }, { pageSize })) {
        items += page.items.length;
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  client.close();
  return { seconds, requests, items, maxRssMb: maxRssMb() };
}

async function sync(): Promise<PhaseResult> {
  if (db === undefined || configDir === undefined) throw new Error('sync needs DB and CONFIG_DIR');
  const catalog = openCatalog(db);
  const secrets = openKeyFileSecretStore(configDir);
  if ((findServer(catalog, 'bench')) === null) addServer(catalog, secrets, { name: 'bench', url: url!, token: token!, machineIdentifier: null });
  const started = performance.now();
  const report = await runSync({ catalog, secrets }, { full: fullFlag === 'full', pageSize });
  const seconds = (performance.now() - started) / 1000;
  catalog.close();
  if (!report.ok) throw new Error(`sync failed: ${JSON.stringify(report)}`);
  const perLibrary = report.libraries.map((l) => ({
    library: l.libraryTitle, mode: l.mode, requests: l.requests, seconds: l.seconds, added: l.added, updated: l.updated, removed: l.removed, unchanged: l.unchanged, outcome: l.outcome,
  }));
  return {
    seconds,
    requests: perLibrary.reduce((sum, l) => sum + l.requests, 0),
    items: perLibrary.reduce((sum, l) => sum + l.added + l.updated + l.unchanged, 0),
    maxRssMb: maxRssMb(),
    perLibrary,
  };
}

function maxRssMb(): number {
  // resourceUsage().maxRSS is in kilobytes.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

const result = phase === 'floor' ? await floor() : await sync();
process.stdout.write(`${JSON.stringify(result)}\n`);
