// The catalog's job queue, for both faces: what runs and what waits (in every process), and cancelling one
// job. Cancelling only raises the job's flag: its owner stops it at its next safe point (or while it waits).
import { hostname } from 'node:os';
import { describeJobOwner, type QueueJob } from '../../shared/jobs.js';
import { capitalized, jobWhat, listQueue, type QueuedJob, requestJobCancel } from '../catalog/job-queue.js';
import type { UseCaseDeps } from './deps.js';
import { UseCaseError } from './errors.js';

/** The running job first, then the waiting ones in the order they will run. */
export function listJobs(deps: UseCaseDeps): QueueJob[] {
  return listQueue(deps.catalog, deps.clock !== undefined ? { clock: deps.clock } : {}).map(toQueueJob);
}

/** Asks the job to stop (that job alone); NOT_FOUND when no such job runs or waits (it may have ended). */
export function cancelJob(deps: UseCaseDeps, id: number): QueueJob {
  if (!Number.isSafeInteger(id) || id < 1) throw new UseCaseError('INVALID_INPUT', `A job id is a whole number such as 12; got ${id}.`);
  const job = requestJobCancel(deps.catalog, id);
  if (job === null) throw new UseCaseError('NOT_FOUND', `There is no job ${id} in the queue; it may have ended (see \`marquee jobs\`).`);
  return toQueueJob(job);
}

export function toQueueJob(job: QueuedJob): QueueJob {
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    title: capitalized(jobWhat(job)),
    owner: describeJobOwner(job.program, job.pid, job.host === hostname() ? null : job.host),
    priority: job.priority,
    enqueuedAt: job.enqueuedAt,
    startedAt: job.startedAt,
    cancelRequested: job.cancelRequested,
    here: job.pid === process.pid && job.host === hostname(),
  };
}
