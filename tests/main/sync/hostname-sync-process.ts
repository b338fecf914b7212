// A full sync in a process of its own, run under a hostile host name (see hostname.test.ts). Args: DB CONFIG_DIR.
// Prints {"ok": …, "hostname": …, "errors": […]} as one JSON line.
import { hostname } from 'node:os';
import { openCatalog } from '../../../main/catalog/database.js';
import { openKeyFileSecretStore } from '../../../main/secrets/key-file-store.js';
import { runSync } from '../../../main/sync/engine.js';

const [db, configDir] = process.argv.slice(2);
if (db === undefined || configDir === undefined) throw new Error('usage: hostname-sync-process DB CONFIG_DIR');
const catalog = openCatalog(db);
const report = await runSync(
  { catalog, secrets: openKeyFileSecretStore(configDir), clientOptions: { retries: 1, retryBaseMs: 1, retryMaxMs: 5 } },
  { full: true },
);
catalog.close();
const errors = [
  ...report.serverErrors.map((entry) => entry.error),
  ...report.libraries.flatMap((library) => (library.error === undefined ? [] : [library.error])),
];
process.stdout.write(`${JSON.stringify({ ok: report.ok, hostname: hostname(), errors })}\n`);
