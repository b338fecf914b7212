// One queue per catalog, across processes (issue 9): syncs, show imports, live changes and catalog edits each
// take a ticket (a row of `job_queue`, migrations/0009_job_queue.sql) and write only while their ticket is the
// running one. Every decision is made in a BEGIN IMMEDIATE transaction, so two processes never both start.
//
// Turn order: short edits first; then a long job that yielded; then the other waiting jobs by ticket id. A
// running long job looks at its safe points (between pages and libraries, see sync/engine.ts) whether an edit
// waits, and yields to it: the edit runs between two of the job's pages instead of being refused, and the job
// then re-reads what an edit may have changed (its path mappings) before writing on. Tickets of dead owners
// (pid gone on this host, or no heartbeat for a minute) are reaped by the next writer that looks, with the
// rule job_lock (0002) used.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';
import { type Catalog, queryAll, queryFirst, runQuery, writeTransaction } from './database.js';
import { CatalogBusyError, CatalogReadOnlyError, isBusyError, isReadOnlyError } from './errors.js';
import type { JobQueueTable } from './schema.js';

export type JobKind = JobQueueTable['kind'];
export type JobState = 'waiting' | 'running' | 'yielded';

export interface JobDescription {
  kind: JobKind;
  /** What it works on, in words: 'every active server', 'server "Home"', 'change path mappings'. */
  target: string;
  /** Who runs it: 'marquee' (the CLI), 'marquee watch', 'the Marquee app'. */
  program: string;
}

/** A ticket as every process sees it (`marquee jobs`, the app's jobs panel). */
export interface QueuedJob extends JobDescription {
  id: number;
  pid: number;
  host: string;
  state: JobState;
  /** Short edits jump ahead of long jobs. */
  priority: 'edit' | 'job';
  /** Epoch milliseconds. */
  enqueuedAt: number;
  startedAt: number | null;
  heartbeatAt: number;
  cancelRequested: boolean;
}

export interface JobQueueOptions {
  /** Milliseconds since the epoch. */
  clock?: () => number;
  /** How often an owner refreshes its tickets' heartbeat (and looks for a cancel request). Default 2 s. */
  heartbeatMs?: number;
  /** A ticket whose heartbeat is older than this is gone. Default 60 s: far above any page write. */
  staleAfterMs?: number;
  /** How often a waiting ticket asks whether its turn came. Default 100 ms. */
  pollMs?: number;
}

export interface WaitOptions {
  signal?: AbortSignal;
  /** Give up after this long (edits: 30 s); throws CatalogBusyError naming the job in the way. */
  maxWaitMs?: number;
  /** Told once, when the ticket could not start at once: the job in the way (running, or first in line). */
  onWaiting?: (blocker: QueuedJob) => void;
}

const DEFAULT_HEARTBEAT_MS = 2_000;
const DEFAULT_STALE_AFTER_MS = 60_000;
const DEFAULT_POLL_MS = 100;

/** Tickets that run on each connection: their own writes (the engine's, the edit's) pass the edit check. */
const runningOn = new WeakMap<BetterSqlite3.Database, Set<string>>();

type Row = Omit<JobQueueTable, 'id' | 'state' | 'cancel_requested'> & { id: number; state: JobState; cancel_requested: 0 | 1 };

const COLUMNS = [
  'id',
  'ticket',
  'kind',
  'label',
  'program',
  'pid',
  'host',
  'priority',
  'state',
  'enqueued_at',
  'started_at',
  'heartbeat_at',
  'cancel_requested',
] as const;

/** One job's place in the queue. Its owner refreshes it, starts, yields and releases it. */
export class JobTicket {
  readonly id: number;
  private readonly ticket = randomUUID();
  private readonly clock: () => number;
  private readonly staleAfterMs: number;
  private readonly pollMs: number;
  private readonly timer: NodeJS.Timeout;
  private released = false;
  private cancelHeard = false;
  private readonly cancelListeners = new Set<() => void>();

  constructor(
    private readonly catalog: Catalog,
    readonly job: JobDescription,
    options: JobQueueOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    const now = this.clock();
    this.id = guardedWrite(catalog, () => {
      const result = runQuery(
        catalog,
        catalog.db.insertInto('job_queue').values({
          ticket: this.ticket,
          kind: job.kind,
          label: job.target,
          program: job.program,
          pid: process.pid,
          host: hostname(),
          priority: job.kind === 'edit' ? 0 : 1,
          enqueued_at: now,
          heartbeat_at: now,
        }),
      );
      return Number(result.lastInsertRowid);
    });
    this.timer = setInterval(() => this.beat(), options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
    // The heartbeat alone must not keep a finished CLI alive.
    this.timer.unref();
  }

  /** Whether this ticket holds the writer now. */
  get running(): boolean {
    return runningOn.get(this.catalog.sqlite)?.has(this.ticket) === true;
  }

  /** Takes the writer if it is this ticket's turn (reaping dead tickets first); true when it runs. */
  tryStart(): boolean {
    if (this.released) throw new Error('This job ticket was released.');
    if (this.running) return true;
    // A plain read first (WAL: never blocked by a writer): the write lock is asked for only when this ticket
    // looks next, so a waiting edit does not stall its thread (the app's main thread) behind every page write.
    if (!this.looksNext()) return false;
    const started = guardedWrite(this.catalog, () => {
      const rows = this.liveRows();
      if (rows.some((row) => row.state === 'running')) return false;
      if (inTurnOrder(rows)[0]?.ticket !== this.ticket) return false;
      const mine = rows.find((row) => row.ticket === this.ticket);
      if (mine === undefined) throw new Error('This job ticket was reaped: its heartbeat stopped for too long.');
      runQuery(
        this.catalog,
        this.catalog.db
          .updateTable('job_queue')
          .set({ state: 'running', started_at: mine.started_at ?? this.clock() })
          .where('ticket', '=', this.ticket),
      );
      return true;
    });
    if (started) holdOn(this.catalog, this.ticket);
    return started;
  }

  /**
   * Waits until this ticket runs. A cancel request (of this ticket) or `signal` ends the wait with an abort
   * error; `maxWaitMs` with CatalogBusyError naming the job in the way.
   */
  async waitTurn(options: WaitOptions = {}): Promise<void> {
    const started = this.clock();
    let told = false;
    for (;;) {
      options.signal?.throwIfAborted();
      if (this.checkCancel()) throw abortError(`${capitalized(describeJob(this.snapshot()))} was cancelled while it waited.`);
      if (this.tryStart()) return;
      const blocker = this.blocker();
      if (!told && blocker !== null) {
        told = true;
        options.onWaiting?.(blocker);
      }
      if (options.maxWaitMs !== undefined && this.clock() - started >= options.maxWaitMs) {
        const what = blocker === null ? 'Another job' : capitalized(describeJob(blocker));
        throw new CatalogBusyError(
          `${what} did not reach a point where ${this.job.target} could run within ${Math.round(options.maxWaitMs / 1000)} s; try again in a moment.`,
        );
      }
      await pause(this.pollMs, options.signal);
    }
  }

  /** For a running long job at a safe point: does a short edit wait for the writer? */
  editWaiting(): boolean {
    const now = this.clock();
    return this.rowsOf().some((row) => row.priority === 0 && row.state === 'waiting' && isLive(row, now, this.staleAfterMs));
  }

  /**
   * At a safe point of a running long job: if an edit waits, hands it the writer and waits to get it back.
   * True when it yielded (what the job read from the catalog may have changed: read it again).
   */
  async yieldToEdits(options: Omit<WaitOptions, 'maxWaitMs'> = {}): Promise<boolean> {
    if (this.checkCancel()) throw abortError(`${capitalized(describeJob(this.snapshot()))} was cancelled.`);
    if (!this.running || !this.editWaiting()) return false;
    guardedWrite(this.catalog, () =>
      runQuery(
        this.catalog,
        this.catalog.db.updateTable('job_queue').set({ state: 'yielded' }).where('ticket', '=', this.ticket).where('state', '=', 'running'),
      ),
    );
    runningOn.get(this.catalog.sqlite)?.delete(this.ticket);
    await this.waitTurn(options);
    return true;
  }

  /** Calls `listener` once a cancel request for this ticket is seen (heartbeat, wait or safe point). */
  onCancel(listener: () => void): () => void {
    if (this.cancelHeard) {
      listener();
      return () => {};
    }
    this.cancelListeners.add(listener);
    return () => this.cancelListeners.delete(listener);
  }

  /** Deletes the ticket (if still there) and stops the heartbeat. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    runningOn.get(this.catalog.sqlite)?.delete(this.ticket);
    if (!this.catalog.sqlite.open) return;
    try {
      runQuery(this.catalog, this.catalog.db.deleteFrom('job_queue').where('ticket', '=', this.ticket));
    } catch {
      // Left behind, the row goes stale (dead pid, no heartbeat) and the next writer reaps it.
    }
  }

  /** This ticket as the queue shows it. */
  snapshot(): QueuedJob {
    const row = this.rowsOf().find((entry) => entry.ticket === this.ticket);
    if (row !== undefined) return toQueuedJob(row);
    const now = this.clock();
    return {
      ...this.job,
      id: this.id,
      pid: process.pid,
      host: hostname(),
      state: 'waiting',
      priority: this.job.kind === 'edit' ? 'edit' : 'job',
      enqueuedAt: now,
      startedAt: null,
      heartbeatAt: now,
      cancelRequested: false,
    };
  }

  private beat(): void {
    try {
      if (!this.catalog.sqlite.open) return;
      runQuery(
        this.catalog,
        this.catalog.db.updateTable('job_queue').set({ heartbeat_at: this.clock() }).where('ticket', '=', this.ticket),
      );
      this.checkCancel();
    } catch {
      // Busy for longer than busy_timeout: the next beat tries again, long before the ticket counts as stale.
    }
  }

  /** Reads this ticket's cancel flag; the first time it is set, tells the listeners. */
  private checkCancel(): boolean {
    if (this.cancelHeard) return true;
    if (!this.catalog.sqlite.open) return false;
    const row = queryFirst(
      this.catalog,
      this.catalog.db.selectFrom('job_queue').select('cancel_requested').where('ticket', '=', this.ticket),
    );
    if (row?.cancel_requested !== 1) return false;
    this.cancelHeard = true;
    for (const listener of [...this.cancelListeners]) listener();
    this.cancelListeners.clear();
    return true;
  }

  /** Whether no live job runs and this ticket is first in line, as a read sees it now. */
  private looksNext(): boolean {
    const now = this.clock();
    const rows = this.rowsOf().filter((row) => row.ticket === this.ticket || isLive(row, now, this.staleAfterMs));
    // Reaped (its heartbeat stopped for too long): the write transaction says so.
    if (!rows.some((row) => row.ticket === this.ticket)) return true;
    return !rows.some((row) => row.state === 'running') && inTurnOrder(rows)[0]?.ticket === this.ticket;
  }

  /** The running job, else the first one in line ahead of this ticket; null when none. */
  private blocker(): QueuedJob | null {
    const now = this.clock();
    const rows = this.rowsOf().filter((row) => isLive(row, now, this.staleAfterMs));
    const running = rows.find((row) => row.state === 'running' && row.ticket !== this.ticket);
    const first = running ?? inTurnOrder(rows).find((row) => row.ticket !== this.ticket);
    return first === undefined ? null : toQueuedJob(first);
  }

  /** Every live row, after deleting the dead ones (inside a write transaction). */
  private liveRows(): Row[] {
    const now = this.clock();
    const rows = this.rowsOf();
    const dead = rows.filter((row) => row.ticket !== this.ticket && !isLive(row, now, this.staleAfterMs));
    if (dead.length > 0)
      runQuery(
        this.catalog,
        this.catalog.db.deleteFrom('job_queue').where(
          'id',
          'in',
          dead.map((row) => row.id),
        ),
      );
    return rows.filter((row) => !dead.includes(row));
  }

  private rowsOf(): Row[] {
    return allRows(this.catalog);
  }
}

/** Puts a job in the queue; call waitTurn() or tryStart() on the ticket, and release() when it ends. */
export function enqueueJob(catalog: Catalog, job: JobDescription, options: JobQueueOptions = {}): JobTicket {
  return new JobTicket(catalog, job, options);
}

export interface InTurn {
  ticket: JobTicket;
  /** Aborted by the caller's signal or by a cancel request for this job (that job alone). */
  signal: AbortSignal;
  /** For the engine's safe points: yields to waiting edits; true when one ran. */
  safePoint: () => Promise<boolean>;
}

export interface RunInTurnOptions extends JobQueueOptions, WaitOptions {
  /** false: start now or throw CatalogBusyError naming the job in the way (`--no-wait`). Default true. */
  wait?: boolean;
  /** A cancel request for this job (`marquee jobs cancel`, the app's jobs panel): stop it, e.g. abort its signal. */
  onCancel?: () => void;
}

/**
 * Runs `fn` once it is this job's turn, holding the writer; the ticket is released however it ends. While
 * waiting, a cancel request or `signal` ends the wait with an abort error.
 */
export async function runInTurn<T>(
  catalog: Catalog,
  job: JobDescription,
  fn: (turn: InTurn) => Promise<T>,
  options: RunInTurnOptions = {},
): Promise<T> {
  const ticket = enqueueJob(catalog, job, options);
  const controller = new AbortController();
  const outer = options.signal;
  const forward = (): void => controller.abort(outer?.reason);
  if (outer?.aborted === true) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  const stopListening = ticket.onCancel(() => {
    options.onCancel?.();
    controller.abort(abortError(`${capitalized(jobWhat(job))} was cancelled.`));
  });
  const signal = controller.signal;
  try {
    if (options.wait === false) {
      if (!ticket.tryStart()) throw new CatalogBusyError(busyMessage(catalog, ticket, options));
    } else {
      await ticket.waitTurn({ ...options, signal });
    }
    return await fn({ ticket, signal, safePoint: () => ticket.yieldToEdits({ signal }) });
  } finally {
    outer?.removeEventListener('abort', forward);
    stopListening();
    ticket.release();
  }
}

/** "A sync of … by marquee (pid 1234, started …) is running: another job cannot start; try again when it ends." */
export function busyMessage(catalog: Catalog, ticket: JobTicket, options: Pick<JobQueueOptions, 'clock' | 'staleAfterMs'> = {}): string {
  const blocker = listQueue(catalog, options).find((entry) => entry.id !== ticket.id);
  const what = blocker === undefined ? 'Another job' : capitalized(describeJob(blocker));
  const verb = blocker?.state === 'running' || blocker === undefined ? 'is running' : 'is ahead in the queue';
  const action = ticket.job.kind === 'edit' ? `${ticket.job.target} must wait` : 'another job cannot start';
  return `${what} ${verb}: ${action}; try again when it ends.`;
}

/** Live tickets in turn order: the running one first, then the waiting ones in the order they will run. */
export function listQueue(catalog: Catalog, options: Pick<JobQueueOptions, 'clock' | 'staleAfterMs'> = {}): QueuedJob[] {
  const now = (options.clock ?? Date.now)();
  const rows = allRows(catalog).filter((row) => isLive(row, now, options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS));
  const running = rows.filter((row) => row.state === 'running');
  return [...running, ...inTurnOrder(rows)].map(toQueuedJob);
}

/**
 * Asks one job to stop: its owner sees the flag at its next safe point (or while it waits) and stops that job
 * alone. The job as it now stands, or null when there is no such (live) job.
 */
export function requestJobCancel(catalog: Catalog, id: number): QueuedJob | null {
  return guardedWrite(catalog, () => {
    runQuery(catalog, catalog.db.updateTable('job_queue').set({ cancel_requested: 1 }).where('id', '=', id));
    return listQueue(catalog).find((job) => job.id === id) ?? null;
  });
}

/** The job that holds the writer on another connection, or null (none, a dead one, or this connection's own). */
export function runningJobElsewhere(catalog: Catalog, options: Pick<JobQueueOptions, 'clock' | 'staleAfterMs'> = {}): QueuedJob | null {
  const running = listQueue(catalog, options).find((job) => job.state === 'running');
  if (running === undefined) return null;
  const ticket = allRows(catalog).find((row) => row.id === running.id)?.ticket;
  return ticket !== undefined && runningOn.get(catalog.sqlite)?.has(ticket) === true ? null : running;
}

export function describeJob(job: QueuedJob | (JobDescription & { pid: number; host: string; startedAt?: number | null })): string {
  const where = `${job.program} (pid ${job.pid}${job.host === hostname() ? '' : ` on ${job.host}`}`;
  const started =
    job.startedAt !== null && job.startedAt !== undefined ? `, started ${new Date(job.startedAt).toISOString().slice(11, 19)} UTC` : '';
  return `${jobWhat(job)} by ${where}${started})`;
}

/** 'a sync of every active server', 'live changes of server "Home"', 'an edit: change path mappings'. */
export function jobWhat(job: JobDescription): string {
  switch (job.kind) {
    case 'sync':
      return `a sync of ${job.target}`;
    case 'import':
      return `an import of ${job.target}`;
    case 'live':
      return job.target;
    case 'edit':
      return `an edit (${job.target})`;
  }
}

export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Runs a write transaction with SQLite's "locked" and "readonly" failures as typed errors. */
export function guardedWrite<T>(catalog: Catalog, fn: () => T): T {
  try {
    return writeTransaction(catalog, fn);
  } catch (error) {
    if (isBusyError(error)) {
      throw new CatalogBusyError(
        `The catalog ${catalog.file} is busy: another program kept it locked for too long; try again in a moment.`,
        { cause: error },
      );
    }
    if (isReadOnlyError(error)) {
      throw new CatalogReadOnlyError(catalog.file, 'it was opened read-only or its file or folder is not writable', { cause: error });
    }
    throw error;
  }
}

function holdOn(catalog: Catalog, ticket: string): void {
  let set = runningOn.get(catalog.sqlite);
  if (set === undefined) {
    set = new Set();
    runningOn.set(catalog.sqlite, set);
  }
  set.add(ticket);
}

/** Not running: edits first, then a job that yielded (it resumes before others start), then by id. */
function inTurnOrder(rows: readonly Row[]): Row[] {
  return rows
    .filter((row) => row.state !== 'running')
    .sort((a, b) => a.priority - b.priority || Number(b.state === 'yielded') - Number(a.state === 'yielded') || a.id - b.id);
}

function allRows(catalog: Catalog): Row[] {
  try {
    return queryAll(catalog, catalog.db.selectFrom('job_queue').select(COLUMNS).orderBy('id'));
  } catch (error) {
    // A catalog opened read-only at an older schema has no queue: nothing can be in it.
    if (error instanceof Error && /no such table/.test(error.message)) return [];
    throw error;
  }
}

function toQueuedJob(row: Row): QueuedJob {
  return {
    id: row.id,
    kind: row.kind,
    target: row.label,
    program: row.program,
    pid: row.pid,
    host: row.host,
    state: row.state,
    priority: row.priority === 0 ? 'edit' : 'job',
    enqueuedAt: row.enqueued_at,
    startedAt: row.started_at,
    heartbeatAt: row.heartbeat_at,
    cancelRequested: row.cancel_requested === 1,
  };
}

function isLive(row: Pick<Row, 'heartbeat_at' | 'host' | 'pid'>, now: number, staleAfterMs: number): boolean {
  if (now - row.heartbeat_at > staleAfterMs) return false;
  if (row.host !== hostname()) return true;
  return processExists(row.pid);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as { code?: unknown }).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A killed process whose parent has not reaped it yet (common in containers, whose init may never reap)
 * still answers kill(pid, 0): on Linux its /proc state tells it is dead.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S …": the state follows the last ')', as comm may itself hold parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

/** An AbortError, as a cancelled request throws: every face already treats it as "cancelled". */
function abortError(message: string): Error {
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
