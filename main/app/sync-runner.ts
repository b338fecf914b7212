// Where syncs and show imports run. The service only starts jobs and listens; a runner decides the thread:
// the worker runner (worker-sync-runner.ts) keeps the Electron main thread free while a sync writes tens of
// thousands of rows, the in-process runner below serves tests and the preview server.
import type { LibrarySyncReport, SyncProgress, SyncReport } from '../../shared/domain.js';
import type { Catalog } from '../catalog/database.js';
import { type InTurn, type JobDescription, runInTurn } from '../catalog/job-queue.js';
import type { PlexClientOptions } from '../plex/client.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { importShow } from '../sync/discovery.js';
import { runSync } from '../sync/engine.js';

/** What to sync, in the engine's terms (the service resolves ids to the names and keys below). */
export interface SyncJobRequest {
  /** Server name; absent: every active server. */
  server?: string;
  /** Section key of a library of `server`. */
  library?: string;
  full?: boolean;
}

export interface ImportJobRequest {
  /** Server name. */
  server: string;
  ratingKey: string;
}

export interface RunningJob<R> {
  /** Settles once: the report (cancelled runs resolve with their partial report), or a whole-run failure. */
  readonly result: Promise<R>;
  /** Asks the job to stop at its next request or page; idempotent. */
  cancel(): void;
}

export type ProgressListener = (event: SyncProgress) => void;

export interface SyncRunner {
  readonly kind: 'worker' | 'in-process';
  startSync(request: SyncJobRequest, onProgress: ProgressListener): RunningJob<SyncReport>;
  startImport(request: ImportJobRequest, onProgress: ProgressListener): RunningJob<LibrarySyncReport>;
  /** Cancels what still runs and waits for it to end (for app quit and test teardown). */
  close(): Promise<void>;
}

/**
 * Client options that can cross a thread boundary (no signal, no callbacks): tests shorten timeouts and
 * retries through these, and the worker must see the same values as the in-process runner.
 */
export type PortableClientOptions = Pick<
  PlexClientOptions,
  'timeoutMs' | 'retries' | 'retryBaseMs' | 'retryMaxMs' | 'maxRetryAfterMs' | 'preferJson' | 'platform' | 'deviceName'
>;

const PORTABLE_KEYS = [
  'timeoutMs',
  'retries',
  'retryBaseMs',
  'retryMaxMs',
  'maxRetryAfterMs',
  'preferJson',
  'platform',
  'deviceName',
] as const satisfies readonly (keyof PortableClientOptions)[];

export function portableClientOptions(options: Partial<PlexClientOptions> | undefined): PortableClientOptions {
  const portable: Record<string, unknown> = {};
  if (options === undefined) return portable;
  for (const key of PORTABLE_KEYS) if (options[key] !== undefined) portable[key] = options[key];
  return portable;
}

/** How the desktop app's jobs appear in the catalog's job queue (`marquee jobs`, and the CLI's refusal messages). */
export const APP_PROGRAM = 'the Marquee app';

export function syncJobDescription(request: SyncJobRequest): JobDescription {
  const server = request.server === undefined ? 'every active server' : `server "${request.server}"`;
  return { kind: 'sync', program: APP_PROGRAM, target: request.library === undefined ? server : `library ${request.library} of ${server}` };
}

export function importJobDescription(request: ImportJobRequest): JobDescription {
  return { kind: 'import', program: APP_PROGRAM, target: `show ${request.ratingKey} of server "${request.server}"` };
}

/**
 * Runs `run` in its turn in the catalog's job queue: it waits behind the jobs of every process (a CLI sync,
 * `marquee watch`), yields to edits at its safe points (turn.safePoint), and stops when `signal` aborts or
 * someone cancels this job (turn.signal).
 */
export function queuedJob<R>(catalog: Catalog, job: JobDescription, signal: AbortSignal, run: (turn: InTurn) => Promise<R>): Promise<R> {
  return runInTurn(catalog, job, run, { signal });
}

/** Tracks running jobs so close() can cancel and await them. */
export class JobSet {
  private readonly jobs = new Set<RunningJob<unknown>>();

  track<R>(job: RunningJob<R>): RunningJob<R> {
    this.jobs.add(job);
    const forget = () => {
      this.jobs.delete(job);
    };
    job.result.then(forget, forget);
    return job;
  }

  async cancelAll(): Promise<void> {
    const running = [...this.jobs];
    for (const job of running) job.cancel();
    await Promise.allSettled(running.map((job) => job.result));
  }
}

export interface InProcessRunnerDeps {
  catalog: Catalog;
  secrets: SecretStore;
  clientOptions?: Partial<PlexClientOptions>;
}

/** Runs jobs on the caller's thread and catalog connection. Fine in Node; it would stall Electron's UI. */
export function createInProcessSyncRunner(deps: InProcessRunnerDeps): SyncRunner {
  const jobs = new JobSet();
  const engineDeps = {
    catalog: deps.catalog,
    secrets: deps.secrets,
    ...(deps.clientOptions !== undefined ? { clientOptions: deps.clientOptions } : {}),
  };
  return {
    kind: 'in-process',
    startSync(request, onProgress) {
      const controller = new AbortController();
      const result = queuedJob(deps.catalog, syncJobDescription(request), controller.signal, ({ signal, safePoint }) =>
        runSync(engineDeps, { ...request, signal, safePoint, onProgress }),
      );
      return jobs.track({ result, cancel: () => controller.abort() });
    },
    startImport(request, onProgress) {
      const controller = new AbortController();
      const result = queuedJob(deps.catalog, importJobDescription(request), controller.signal, ({ signal }) =>
        importShow(engineDeps, { ...request, signal, onProgress }),
      );
      return jobs.track({ result, cancel: () => controller.abort() });
    },
    close: () => jobs.cancelAll(),
  };
}
