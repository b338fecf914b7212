// The worker side of the worker sync runner: one job per worker thread, on the worker's own catalog
// connection (better-sqlite3 handles must never cross threads). Electron's entry and the Node test
// bootstrap both just call startSyncWorker().
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { SyncProgress } from '../../shared/domain.js';
import type { Catalog } from '../catalog/database.js';
import { openCatalog } from '../catalog/database.js';
import { importShow } from '../sync/discovery.js';
import { runSync } from '../sync/engine.js';
import { serializeError } from './errors.js';
import { importJobDescription, queuedJob, syncJobDescription } from './sync-runner.js';
import { type FromWorker, isToWorker, type SyncWorkerData } from './sync-worker-protocol.js';
import { TokenTableSecretStore } from './token-table-store.js';

export function startSyncWorker(): void {
  const port = parentPort;
  if (isMainThread || port === null) throw new Error('startSyncWorker() must run inside a worker thread.');
  const data = workerData as SyncWorkerData;
  const controller = new AbortController();
  const onMessage = (message: unknown): void => {
    if (isToWorker(message)) controller.abort();
  };
  port.on('message', onMessage);
  const post = (message: FromWorker): void => port.postMessage(message);

  let catalog: Catalog | undefined;
  const run = async (): Promise<void> => {
    catalog = openCatalog(data.catalogFile, data.migrationsDir !== undefined ? { migrationsDir: data.migrationsDir } : {});
    const deps = { catalog, secrets: new TokenTableSecretStore(new Map(data.tokens)), clientOptions: data.clientOptions };
    const onProgress = (event: SyncProgress): void => post({ type: 'progress', event });
    // The job's ticket is on the worker's own connection: the engine's writes are the running job's, and edits
    // of the main thread (or any process) wait in the queue and run at the engine's safe points.
    if (data.job.kind === 'sync') {
      const request = data.job.request;
      const report = await queuedJob(catalog, syncJobDescription(request), controller.signal, ({ signal, safePoint }) =>
        runSync(deps, { ...request, signal, safePoint, onProgress }),
      );
      post({ type: 'done', kind: 'sync', report });
    } else {
      const request = data.job.request;
      const report = await queuedJob(catalog, importJobDescription(request), controller.signal, ({ signal }) =>
        importShow(deps, { ...request, signal, onProgress }),
      );
      post({ type: 'done', kind: 'import', report });
    }
  };
  run()
    .catch((error: unknown) => post({ type: 'failed', error: serializeError(error) }))
    .finally(() => {
      // Without a listener the port no longer holds the thread open: the worker ends once the job's sockets close.
      port.off('message', onMessage);
      catalog?.close();
    });
}
