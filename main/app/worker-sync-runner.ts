// Runs each sync or import in its own worker thread, so the Electron main thread (which also serves the
// window) never blocks on the engine's synchronous SQLite writes. The worker opens its own connection to the
// same WAL catalog; progress and the report come back as messages, cancel goes in as one.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { LibrarySyncReport, SyncReport } from '../../shared/domain.js';
import { isInMemoryCatalog } from '../catalog/catalog-file.js';
import type { Catalog } from '../catalog/database.js';
import { storedTokenCiphertexts } from '../catalog/servers.js';
import type { PlexClientOptions } from '../plex/client.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { JobSet, portableClientOptions, type ProgressListener, type RunningJob, type SyncRunner } from './sync-runner.js';
import { AppError, rebuildError } from './errors.js';
import type { FromWorker, SyncWorkerData, ToWorker, WorkerJob } from './sync-worker-protocol.js';

export interface WorkerRunnerDeps {
  /** The worker entry: out/main/sync-worker.js in Electron, a tsx bootstrap in Node tests. */
  workerUrl: URL | string;
  /** The main thread's connection: its file is what the worker opens; the token ciphertexts are read here. */
  catalog: Catalog;
  /** Main-thread store: decrypts the tokens handed to the worker. */
  secrets: SecretStore;
  migrationsDir?: string;
  clientOptions?: Partial<PlexClientOptions>;
  /** Extra Worker options (env, resourceLimits…); workerData is the runner's. */
  workerOptions?: Omit<WorkerOptions, 'workerData'>;
  /** How long close() waits for cancelled workers before terminating them. Default 10 s. */
  closeGraceMs?: number;
}

export function createWorkerSyncRunner(deps: WorkerRunnerDeps): SyncRunner {
  if (isInMemoryCatalog(deps.catalog.file)) {
    throw new Error('The worker sync runner needs a catalog file: an in-memory catalog cannot be shared with a worker.');
  }
  const jobs = new JobSet();
  const workers = new Set<Worker>();
  const graceMs = deps.closeGraceMs ?? 10_000;

  function start<R>(job: WorkerJob, onProgress: ProgressListener, pick: (message: FromWorker & { type: 'done' }) => R | undefined) {
    const data: SyncWorkerData = {
      catalogFile: deps.catalog.file,
      ...(deps.migrationsDir !== undefined ? { migrationsDir: deps.migrationsDir } : {}),
      tokens: decryptTokens(deps.catalog, deps.secrets),
      clientOptions: portableClientOptions(deps.clientOptions),
      job,
    };
    const worker = new Worker(deps.workerUrl, { ...deps.workerOptions, workerData: data });
    workers.add(worker);
    const result = new Promise<R>((resolve, reject) => {
      let settled = false;
      const settle = (action: () => void): void => {
        if (settled) return;
        settled = true;
        action();
      };
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'progress') {
          if (!settled) onProgress(message.event);
          return;
        }
        if (message.type === 'failed') {
          settle(() => reject(rebuildError(message.error)));
          return;
        }
        const value = pick(message);
        const wrongJob = (): void => reject(new AppError('WORKER_FAILED', 'The sync worker answered another job.'));
        settle(() => (value === undefined ? wrongJob() : resolve(value)));
      });
      worker.on('error', (error) => settle(() => reject(new AppError('WORKER_FAILED', `The sync worker crashed: ${error.message}`))));
      worker.on('exit', (code) => {
        workers.delete(worker);
        settle(() => reject(new AppError('WORKER_FAILED', `The sync worker stopped before finishing (exit code ${code}).`)));
      });
    });
    const cancel = (): void => {
      const message: ToWorker = { type: 'cancel' };
      // postMessage on an exited worker is a no-op.
      worker.postMessage(message);
    };
    return jobs.track<R>({ result, cancel });
  }

  return {
    kind: 'worker',
    startSync(request, onProgress): RunningJob<SyncReport> {
      return start<SyncReport>({ kind: 'sync', request }, onProgress, (m) => (m.kind === 'sync' ? m.report : undefined));
    },
    startImport(request, onProgress): RunningJob<LibrarySyncReport> {
      return start<LibrarySyncReport>({ kind: 'import', request }, onProgress, (m) => (m.kind === 'import' ? m.report : undefined));
    },
    async close() {
      const timer = setTimeout(() => {
        for (const worker of workers) void worker.terminate();
      }, graceMs);
      try {
        await jobs.cancelAll();
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Every stored token in clear, keyed by its ciphertext. A token that cannot be decrypted is left out: the
 * engine then reports that server with the secret store's "enter the token again" message.
 */
function decryptTokens(catalog: Catalog, secrets: SecretStore): [string, string][] {
  const tokens: [string, string][] = [];
  for (const ciphertext of storedTokenCiphertexts(catalog)) {
    try {
      tokens.push([ciphertext, secrets.decrypt(ciphertext)]);
    } catch {
      // Reported by the engine for the server concerned.
    }
  }
  return tokens;
}
