// A sync in a process of its own, for the test that kills it mid-page. Args: DB CONFIG_DIR PAGE_SIZE [writer-thread].
import { openCatalog } from '../../../main/catalog/database.js';
import { openKeyFileSecretStore } from '../../../main/secrets/key-file-store.js';
import { runSync } from '../../../main/sync/engine.js';

const [db, configDir, pageSize, writerThread] = process.argv.slice(2);
if (db === undefined || configDir === undefined) throw new Error('usage: sync-process DB CONFIG_DIR PAGE_SIZE');
const catalog = openCatalog(db);
const pageWriter =
  writerThread === 'writer-thread' ? { pageWriter: new URL('../../../tools/bench/page-writer-worker.bootstrap.mjs', import.meta.url) } : {};
const report = await runSync(
  { catalog, secrets: openKeyFileSecretStore(configDir), ...pageWriter },
  { full: true, pageSize: Number(pageSize ?? 5) },
);
catalog.close();
process.stdout.write(`${JSON.stringify(report.ok)}\n`);
