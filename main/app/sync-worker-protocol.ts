// Messages between the worker sync runner (main thread) and the sync worker. Structured-clone data only.
import type { LibrarySyncReport, SyncProgress, SyncReport } from '../../shared/domain.js';
import type { SerializedError } from '../../shared/errors.js';
import type { ImportJobRequest, PortableClientOptions, SyncJobRequest } from './sync-runner.js';

export type WorkerJob = { kind: 'sync'; request: SyncJobRequest } | { kind: 'import'; request: ImportJobRequest };

export interface SyncWorkerData {
  /** The catalog file; the worker opens its own connection (WAL lets the main thread keep reading). */
  catalogFile: string;
  migrationsDir?: string;
  /**
   * Ciphertext → token for the servers the job may contact, decrypted by the main thread: Electron's
   * safeStorage exists only there. Kept in memory, never written or logged.
   */
  tokens: [ciphertext: string, token: string][];
  clientOptions: PortableClientOptions;
  job: WorkerJob;
}

export type ToWorker = { type: 'cancel' };

export type FromWorker =
  | { type: 'progress'; event: SyncProgress }
  | { type: 'done'; kind: 'sync'; report: SyncReport }
  | { type: 'done'; kind: 'import'; report: LibrarySyncReport }
  /** The job failed as a whole: the error as {name, code, message, details}, rebuilt as its type by the runner. */
  | { type: 'failed'; error: SerializedError };

export function isToWorker(value: unknown): value is ToWorker {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'cancel';
}
