// A sync in a process of its own, for the test that kills it mid-page. Args: DB CONFIG_DIR PAGE_SIZE.
import { openCatalog } from '../../../main/catalog/database.js';
import { openKeyFileSecretStore } from '../../../main/secrets/key-file-store.js';
import { runSync } from '../../../main/sync/engine.js';

const [db, configDir, pageSize] = process.argv.slice(2);
if (db === undefined || configDir === undefined) throw new Error('usage: sync-process DB CONFIG_DIR PAGE_SIZE');
const catalog = openCatalog(db);
const report = await runSync({ catalog, secrets: openKeyFileSecretStore(configDir) }, { full: true, pageSize: Number(pageSize ?? 5) });
catalog.close();
process.stdout.write(`${JSON.stringify(report.ok)}\n`);
