// `npm run preview -- --db FILE [--port N] [--rebuild]`: the built app in a browser, on a real catalog,
// without Electron. The renderer is built first when out/renderer is missing or older than its sources
// (--rebuild forces it). Syncs run in-process; tokens use the key file ($MARQUEE_CONFIG_DIR or the default
// config dir, shared with the CLI).
import { parseArgs } from 'node:util';
import { allowListedOpener } from '../../main/app/external-opener.js';
import { createAppService } from '../../main/app/service.js';
import { createInProcessSyncRunner } from '../../main/app/sync-runner.js';
import { openCatalog } from '../../main/catalog/database.js';
import { plexTvUrlFromEnv } from '../../main/plextv/client.js';
import { defaultConfigDir } from '../../main/secrets/config-paths.js';
import { openKeyFileSecretStore } from '../../main/secrets/key-file-store.js';
import { ensureRendererBuilt } from './build-renderer.js';
import { startPreviewServer } from './server.js';

const USAGE = 'Usage: npm run preview -- --db FILE [--port N] [--rebuild]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      port: { type: 'string' },
      rebuild: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.db === undefined || values.db.trim() === '') throw new Error(`--db FILE is required.\n${USAGE}`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be a port number, not "${values.port}".`);

  const rendererDir = await ensureRendererBuilt({ force: values.rebuild, log: (message) => console.log(message) });
  const catalog = openCatalog(values.db);
  const configDir = process.env['MARQUEE_CONFIG_DIR'] ?? defaultConfigDir();
  const secrets = openKeyFileSecretStore(configDir, { onInsecureKeyFile: (message) => console.warn(message) });
  const syncRunner = createInProcessSyncRunner({ catalog, secrets });
  const service = createAppService({
    catalog,
    secrets,
    secretStatus: { kind: 'key-file', warning: null },
    syncRunner,
    log: (message) => console.error(message),
    account: {
      plexTvUrl: plexTvUrlFromEnv(),
      // No browser to drive from here: print Plex's sign-in page (allow-listed like the app's) for the user to open.
      openExternal: allowListedOpener((url) => {
        console.log(`Open this page to sign in with Plex:\n  ${url}`);
        return Promise.resolve();
      }),
    },
  });
  // The preview is the app in a browser: it keeps the catalog current as the app does.
  await service.live.start();
  // As the app does at start: drop images of items changed or removed meanwhile, keep the cache under its cap.
  void service.artwork?.sweep().catch((error: unknown) => console.error(`The artwork cache could not be tidied: ${String(error)}`));
  const server = await startPreviewServer({ service, rendererDir, port, log: (message) => console.error(message) });
  console.log(`Marquee preview on ${catalog.file}\n  ${server.url}\nOpen that URL (it carries the access key). Ctrl+C stops.`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      await server.close();
      await service.close();
      catalog.close();
      process.exit(0);
    })();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
