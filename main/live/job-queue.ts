// Live writes and scheduled syncs take their turn in the catalog's job queue (main/catalog/job-queue.ts),
// ordered with every other process's jobs and edits, instead of failing with BUSY. Within this process they
// also run one after the other (a promise chain), so `length` tells what this process has queued.
import { describeJob, type InTurn, type JobDescription, runInTurn } from '../catalog/job-queue.js';
import type { Catalog } from '../catalog/database.js';
import type { LiveTimers } from './timers.js';

export class LiveStoppedError extends Error {
  readonly code = 'LIVE_STOPPED';
  constructor() {
    super('The live catalog was stopped before this job could run.');
  }
}

export interface JobQueueOptions {
  catalog: Catalog;
  timers: LiveTimers;
  /** How often a waiting job asks whether its turn came. Default 100 ms. */
  retryMs?: number;
  /** Told once per job that had to wait for another process (for the watch output). */
  onWaiting?: (job: JobDescription, holder: string) => void;
  signal?: AbortSignal;
}

export class JobQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;

  constructor(private readonly options: JobQueueOptions) {}

  /** Jobs queued or running in this process. */
  get length(): number {
    return this.queued;
  }

  /** Runs `fn` in its turn in the catalog's job queue, after every job this process queued before it. */
  run<T>(job: JobDescription, fn: (turn: InTurn) => Promise<T>): Promise<T> {
    this.queued++;
    const result = this.tail.then(() => this.inTurn(job, fn));
    this.tail = result
      .catch(() => undefined)
      .finally(() => {
        this.queued--;
      });
    return result;
  }

  private async inTurn<T>(job: JobDescription, fn: (turn: InTurn) => Promise<T>): Promise<T> {
    if (this.stopped()) throw new LiveStoppedError();
    try {
      return await runInTurn(this.options.catalog, job, fn, {
        ...(this.options.signal !== undefined ? { signal: this.options.signal } : {}),
        ...(this.options.retryMs !== undefined ? { pollMs: this.options.retryMs } : {}),
        onWaiting: (blocker) => this.options.onWaiting?.(job, `${describeJob(blocker)} holds it`),
      });
    } catch (error) {
      if (this.stopped()) throw new LiveStoppedError();
      throw error;
    }
  }

  private stopped(): boolean {
    return this.options.signal?.aborted === true;
  }
}
