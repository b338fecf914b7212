// The app's one job of its own at a time (a sync or a show import), run by the SyncRunner off the main
// thread. The job takes its turn in the catalog's job queue (it may wait behind a CLI sync: the jobs panel
// shows it), and catalog edits are no longer refused while it runs: they queue and run at its safe points.
// What stays refused (BUSY) is a second job of the app's own while one runs (its state is one run).
import { randomUUID } from 'node:crypto';
import type { LibrarySyncReport, SyncProgress, SyncReport } from '../../shared/domain.js';
import type { IpcFailure, SyncRunState } from '../../shared/ipc.js';
import type { Catalog } from '../catalog/database.js';
import { describeJobOwner, type QueueJob } from '../../shared/jobs.js';
import { capitalized, jobWhat } from '../catalog/job-queue.js';
import { Throttle } from '../sync/progress-meter.js';
import { UseCaseError } from '../usecases/errors.js';
import type { ImportPlan } from '../usecases/import-show.js';
import type { SyncPlan } from '../usecases/sync.js';
import { toIpcFailure } from './errors.js';
import type { AppEvents } from './events.js';
import { APP_PROGRAM, importJobDescription, syncJobDescription, type RunningJob, type SyncRunner } from './sync-runner.js';

/** How often `import:progress` item events go out at most (the engine throttles sync items the same way). */
const IMPORT_PROGRESS_INTERVAL_MS = 100;

interface CurrentJob {
  kind: 'sync' | 'import';
  runId: string;
  startedAt: number;
  job: RunningJob<unknown>;
  cancelRequested: boolean;
  /** How its ticket appears in the job queue ('A sync of every active server'). */
  title: string;
}

export interface JobControllerDeps {
  catalog: Catalog;
  syncRunner: SyncRunner;
  events: AppEvents;
  clock: () => number;
}

export class JobController {
  private current: CurrentJob | null = null;
  private readonly syncState: SyncRunState = {
    runId: null,
    running: false,
    startedAt: null,
    cancelling: false,
    lastProgress: null,
    lastReport: null,
    lastCancelled: false,
    lastError: null,
    lastErrorCode: null,
  };

  constructor(private readonly deps: JobControllerDeps) {}

  /** Throws BUSY while a job of this app runs (jobs of other processes are waited for in the queue instead). */
  readonly assertIdle = (action: string): void => {
    const current = this.current;
    if (current === null) return;
    const what = current.kind === 'sync' ? 'A sync is running' : 'A show is being imported';
    throw new UseCaseError('BUSY', `${what}: ${action} once it has finished${current.kind === 'sync' ? ', or cancel it' : ''}.`);
  };

  /** Starts the planned sync; progress and the end go out as events. */
  startSync(plan: SyncPlan): { runId: string } {
    // The plan was made before this call: check again that no other job started meanwhile.
    this.assertIdle('start a sync');
    const { clock } = this.deps;
    const runId = randomUUID();
    const startedAt = clock();
    const request = {
      ...(plan.server !== undefined ? { server: plan.server } : {}),
      ...(plan.library !== undefined ? { library: plan.library } : {}),
      full: plan.full,
    };
    const job = this.deps.syncRunner.startSync(request, (event) => this.onSyncProgress(runId, event));
    const title = capitalized(jobWhat(syncJobDescription(request)));
    this.current = { kind: 'sync', runId, startedAt, job, cancelRequested: false, title };
    Object.assign(this.syncState, { runId, running: true, startedAt, cancelling: false, lastProgress: null });
    job.result.then(
      (report) => this.finishSync(runId, report, null),
      (error: unknown) => {
        const empty = { startedAt, finishedAt: clock(), libraries: [], serverErrors: [], ok: false };
        // Cancelled while it waited in the queue (here or from another process): cancelled, not failed.
        if (error instanceof Error && error.name === 'AbortError') {
          if (this.current?.runId === runId) this.current.cancelRequested = true;
          this.finishSync(runId, empty, null);
        } else {
          this.finishSync(runId, empty, toIpcFailure(error));
        }
      },
    );
    return { runId };
  }

  /** A cancel of the queue's job (the jobs panel): when it is this app's own job, cancel it here too. */
  cancelOwnJob(job: QueueJob): void {
    const current = this.current;
    if (current === null || job.owner !== describeJobOwner(APP_PROGRAM, process.pid, null) || job.title !== current.title) return;
    if (current.kind === 'sync') this.cancelSync(current.runId);
    else current.job.cancel();
  }

  cancelSync(runId: string): { cancelled: boolean } {
    const current = this.current;
    if (current === null || current.kind !== 'sync' || current.runId !== runId) return { cancelled: false };
    current.cancelRequested = true;
    this.syncState.cancelling = true;
    current.job.cancel();
    return { cancelled: true };
  }

  syncRunState(): SyncRunState {
    return structuredClone(this.syncState);
  }

  /** Runs the planned import to its end; item progress goes out as throttled events. */
  async importShow(plan: ImportPlan): Promise<LibrarySyncReport> {
    this.assertIdle('import the show');
    const { clock, events } = this.deps;
    const throttle = new Throttle(IMPORT_PROGRESS_INTERVAL_MS);
    const job = this.deps.syncRunner.startImport({ server: plan.server.name, ratingKey: plan.ratingKey }, (event) => {
      if (event.kind === 'items' && !throttle.shouldEmit(clock(), event.done >= event.itemsTotal)) return;
      events.emit('import:progress', { ...event, ratingKey: plan.ratingKey });
    });
    const title = capitalized(jobWhat(importJobDescription({ server: plan.server.name, ratingKey: plan.ratingKey })));
    this.current = { kind: 'import', runId: randomUUID(), startedAt: clock(), job, cancelRequested: false, title };
    try {
      return await job.result;
    } finally {
      this.current = null;
    }
  }

  /** Cancels a running job and waits for the runner to stop. */
  async close(): Promise<void> {
    if (this.current?.kind === 'sync') this.current.cancelRequested = true;
    await this.deps.syncRunner.close();
  }

  private onSyncProgress(runId: string, event: SyncProgress): void {
    if (this.current?.runId !== runId) return;
    this.syncState.lastProgress = event;
    this.deps.events.emit('sync:progress', { ...event, runId });
  }

  private finishSync(runId: string, report: SyncReport, failure: Required<IpcFailure> | null): void {
    if (this.current?.runId !== runId) return;
    const cancelled = this.current.cancelRequested;
    this.current = null;
    const error = failure?.message ?? null;
    const errorCode = failure?.errorCode ?? null;
    Object.assign(this.syncState, { running: false, cancelling: false, lastReport: report, lastCancelled: cancelled });
    Object.assign(this.syncState, { lastError: error, lastErrorCode: errorCode });
    this.deps.events.emit('sync:finished', { runId, report, cancelled, error, errorCode });
  }
}
