// Live writes and scheduled syncs take their turn instead of failing with BUSY. Within this process they run
// one after the other (a promise chain); across processes each job takes the catalog's job lock
// (main/catalog/job-lock.ts) and, while another process holds it, waits and asks again.
//
// What this is not yet (issue 9's "one queue per catalog"): waiters of different processes are not ordered
// (whoever asks first after a release wins), and what waits is not visible to other processes. A full queue
// would need a `job_queue` table (ticket, holder, kind, target, enqueued_at) read in BEGIN IMMEDIATE: a job
// starts only when its ticket is the oldest live one, stale tickets are dropped like stale locks, and the app
// lists the table to show what runs and what waits. User edits keep today's rule: refused while a job runs.
import { CatalogBusyError } from '../catalog/errors.js';
import { acquireJobLock, type JobDescription } from '../catalog/job-lock.js';
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
  /** How long to wait before asking for a lock another process holds. Default 1000 ms. */
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

  /** Runs `fn` holding the catalog's job lock, after every job queued before it. */
  run<T>(job: JobDescription, fn: () => Promise<T>): Promise<T> {
    this.queued++;
    const result = this.tail.then(() => this.locked(job, fn));
    this.tail = result
      .catch(() => undefined)
      .finally(() => {
        this.queued--;
      });
    return result;
  }

  private async locked<T>(job: JobDescription, fn: () => Promise<T>): Promise<T> {
    const lock = await this.acquire(job);
    try {
      return await fn();
    } finally {
      lock.release();
    }
  }

  private async acquire(job: JobDescription) {
    let told = false;
    for (;;) {
      if (this.options.signal?.aborted === true) throw new LiveStoppedError();
      try {
        return acquireJobLock(this.options.catalog, job);
      } catch (error) {
        if (!(error instanceof CatalogBusyError)) throw error;
        if (!told) this.options.onWaiting?.(job, error.message);
        told = true;
        await this.wait(this.options.retryMs ?? 1_000);
      }
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.options.timers.after(ms, () => {
        this.options.signal?.removeEventListener('abort', stop);
        resolve();
      });
      const stop = (): void => {
        cancel();
        resolve();
      };
      this.options.signal?.addEventListener('abort', stop, { once: true });
    });
  }
}
