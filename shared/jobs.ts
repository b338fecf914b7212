// The catalog's job queue as both faces show it (`marquee jobs`, the app's jobs panel): one entry per job
// that runs or waits, in any process that opened the catalog.

export type QueueJobKind = 'sync' | 'import' | 'live' | 'edit';

/**
 * running: it holds the catalog's writer. yielded: a long job that let a waiting edit run at one of its safe
 * points and resumes next. waiting: not started yet.
 */
export type QueueJobState = 'running' | 'yielded' | 'waiting';

export interface QueueJob {
  /** The ticket id: `marquee jobs cancel ID`, `jobs:cancel`. */
  id: number;
  kind: QueueJobKind;
  state: QueueJobState;
  /** What it does, in words: 'A sync of every active server', 'An edit (change path mappings)'. */
  title: string;
  /** Who runs it: 'marquee CLI, pid 4242', 'the Marquee app, pid 77', 'marquee watch, pid 9 on nas'. */
  owner: string;
  /** Short edits run ahead of long jobs, at the next safe point of a running sync. */
  priority: 'edit' | 'job';
  /** Epoch milliseconds. */
  enqueuedAt: number;
  startedAt: number | null;
  /** Someone asked it to stop; its owner does at its next safe point. */
  cancelRequested: boolean;
  /** Owned by the process that listed it (in the app: the app itself, its worker included). */
  here: boolean;
}

/** 'marquee CLI, pid 4242'; another computer's host is named. */
export function describeJobOwner(program: string, pid: number, host: string | null): string {
  const name = program === 'marquee' ? 'marquee CLI' : program;
  return `${name}, pid ${pid}${host === null ? '' : ` on ${host}`}`;
}
