// The writer rule every catalog edit checks, over the job queue (./job-queue.ts): an edit writes only when no
// other connection's job holds the writer. Edits take their turn through the queue first (main/usecases), so
// the check refuses only writes that skipped the queue while a job runs; they are refused naming the job.
// acquireJobLock() is the no-wait form of a queue ticket: it starts now or throws CatalogBusyError (`--no-wait`).
import type { Catalog } from './database.js';
import { CatalogBusyError } from './errors.js';
import {
  busyMessage,
  capitalized,
  describeJob,
  enqueueJob,
  guardedWrite,
  type JobDescription,
  type JobQueueOptions,
  type JobTicket,
  type QueuedJob,
  runningJobElsewhere,
} from './job-queue.js';

export { describeJob, type JobDescription, type JobKind, type QueuedJob } from './job-queue.js';

/** The job holding the writer, as refusal messages name it. */
export type JobHolder = QueuedJob;

export interface JobLock {
  readonly holder: QueuedJob;
  readonly ticket: JobTicket;
  /** Deletes the ticket (if still ours) and stops the heartbeat. Idempotent. */
  release(): void;
}

/**
 * Takes the writer for `job` now, or throws CatalogBusyError naming the job that runs (or is first in line).
 * Dead tickets are reaped first.
 */
export function acquireJobLock(catalog: Catalog, job: JobDescription, options: JobQueueOptions = {}): JobLock {
  const ticket = enqueueJob(catalog, job, options);
  try {
    if (!ticket.tryStart()) throw new CatalogBusyError(busyMessage(catalog, ticket, options));
  } catch (error) {
    ticket.release();
    throw error;
  }
  return { holder: ticket.snapshot(), ticket, release: () => ticket.release() };
}

/** Runs `fn` holding the writer (taken now or never); it is released however `fn` ends. */
export async function withJobLock<T>(catalog: Catalog, job: JobDescription, fn: () => Promise<T>, options?: JobQueueOptions): Promise<T> {
  const lock = acquireJobLock(catalog, job, options);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/** The job another connection runs on this catalog, or null (none, a dead one, or this connection's own). */
export function runningJob(catalog: Catalog, options: Pick<JobQueueOptions, 'clock' | 'staleAfterMs'> = {}): JobHolder | null {
  return runningJobElsewhere(catalog, options);
}

/**
 * For catalog edits, inside their write transaction: throws CatalogBusyError while another connection's job
 * holds the writer (the job would keep writing files with the mappings and servers it read).
 */
export function assertNoRunningJob(catalog: Catalog, action: string): void {
  const job = runningJob(catalog);
  if (job !== null) throw new CatalogBusyError(`${capitalized(describeJob(job))} is running: ${action}; try again when it ends.`);
}

/**
 * A catalog edit: one BEGIN IMMEDIATE transaction that first checks no other job holds the writer. SQLite's
 * "database is locked" (a writer holding the lock past busy_timeout) and "readonly database" become typed errors.
 */
export function editTransaction<T>(catalog: Catalog, action: string, fn: () => T): T {
  return guardedWrite(catalog, () => {
    assertNoRunningJob(catalog, action);
    return fn();
  });
}
