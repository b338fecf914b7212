// One job (a sync or a show import) per catalog, across processes: the desktop app, its sync worker, any
// number of CLIs. The lock is a row of `job_lock`, taken in a BEGIN IMMEDIATE transaction, refreshed by a
// heartbeat while the job runs and deleted when it ends. A holder that died (its pid is gone on this host) or
// stopped refreshing is taken over. Catalog edits call assertNoRunningJob() inside their own write
// transaction: an edit is either refused naming the job, or committed before the job reads the mappings.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { type Catalog, param, prepareQuery, queryFirst, runQuery, writeTransaction } from './database.js';
import { CatalogBusyError, CatalogReadOnlyError, isBusyError, isReadOnlyError } from './errors.js';
import type { JobLockTable } from './schema.js';

export type JobKind = JobLockTable['kind'];

export interface JobDescription {
  kind: JobKind;
  /** What it works on, in words: 'every active server', 'server "Home"'. */
  target: string;
  /** Who runs it: 'marquee' (the CLI), 'the Marquee app'. */
  program: string;
}

export interface JobHolder extends JobDescription {
  pid: number;
  host: string;
  /** Epoch milliseconds. */
  startedAt: number;
  heartbeatAt: number;
}

export interface JobLockOptions {
  /** Milliseconds since the epoch. */
  clock?: () => number;
  /** How often the holder refreshes its heartbeat. Default 5 s. */
  heartbeatMs?: number;
  /** A holder whose heartbeat is older than this is gone. Default 60 s: far above any page write. */
  staleAfterMs?: number;
}

export interface JobLock {
  readonly holder: JobHolder;
  /** Deletes the row (if still ours) and stops the heartbeat. Idempotent. */
  release(): void;
}

const DEFAULT_HEARTBEAT_MS = 5_000;
const DEFAULT_STALE_AFTER_MS = 60_000;

/** Lock rows this process holds, by connection: the holder's own writes (the engine's) pass the edit check. */
const heldBy = new WeakMap<BetterSqlite3.Database, string>();

type LockRow = Omit<JobLockTable, 'id'>;

/**
 * Takes the catalog's job lock for `job` on this connection, or throws CatalogBusyError naming the job that
 * holds it. A stale holder is replaced.
 */
export function acquireJobLock(catalog: Catalog, job: JobDescription, options: JobLockOptions = {}): JobLock {
  const clock = options.clock ?? Date.now;
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const holderId = randomUUID();
  const now = clock();
  const holder: JobHolder = { ...job, pid: process.pid, host: hostname(), startedAt: now, heartbeatAt: now };
  guardedWrite(catalog, () => {
    const current = lockRow(catalog);
    if (current !== undefined && isLive(current, now, staleAfterMs))
      throw new CatalogBusyError(busyMessage(toHolder(current), 'another job cannot start'));
    runQuery(
      catalog,
      catalog.db.replaceInto('job_lock').values({
        id: 1,
        holder: holderId,
        pid: holder.pid,
        host: holder.host,
        program: holder.program,
        kind: holder.kind,
        target: holder.target,
        started_at: now,
        heartbeat_at: now,
      }),
    );
  });
  heldBy.set(catalog.sqlite, holderId);
  const beat = prepareQuery<unknown, { heartbeatAt: number; holder: string }>(
    catalog,
    catalog.db
      .updateTable('job_lock')
      .set({ heartbeat_at: param<number>('heartbeatAt') })
      .where('id', '=', sql<number>`1`)
      .where('holder', '=', param<string>('holder')),
  );
  const timer = setInterval(() => {
    try {
      if (catalog.sqlite.open) beat.run({ heartbeatAt: clock(), holder: holderId });
    } catch {
      // Busy for longer than busy_timeout: the next beat tries again, long before the lock counts as stale.
    }
  }, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  // The heartbeat alone must not keep a finished CLI alive.
  timer.unref();
  let released = false;
  return {
    holder,
    release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      if (heldBy.get(catalog.sqlite) === holderId) heldBy.delete(catalog.sqlite);
      if (!catalog.sqlite.open) return;
      try {
        runQuery(catalog, catalog.db.deleteFrom('job_lock').where('id', '=', 1).where('holder', '=', holderId));
      } catch {
        // Left behind, the row goes stale (dead pid, no heartbeat) and the next job takes it over.
      }
    },
  };
}

/** Runs `fn` with the job lock held; it is released however `fn` ends. */
export async function withJobLock<T>(catalog: Catalog, job: JobDescription, fn: () => Promise<T>, options?: JobLockOptions): Promise<T> {
  const lock = acquireJobLock(catalog, job, options);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/** The job another connection runs on this catalog, or null (none, a stale one, or this connection's own). */
export function runningJob(catalog: Catalog, options: JobLockOptions = {}): JobHolder | null {
  const row = lockRow(catalog);
  if (row === undefined || heldBy.get(catalog.sqlite) === row.holder) return null;
  return isLive(row, (options.clock ?? Date.now)(), options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS) ? toHolder(row) : null;
}

/**
 * For catalog edits, inside their write transaction: throws CatalogBusyError while another connection's job
 * runs (the job would keep writing files with the mappings and servers it read when it started).
 */
export function assertNoRunningJob(catalog: Catalog, action: string): void {
  const job = runningJob(catalog);
  if (job !== null) throw new CatalogBusyError(busyMessage(job, action));
}

/**
 * A catalog edit: one BEGIN IMMEDIATE transaction that first checks no other job runs. SQLite's "database is
 * locked" (a writer holding the lock past busy_timeout) and "readonly database" become typed errors.
 */
export function editTransaction<T>(catalog: Catalog, action: string, fn: () => T): T {
  return guardedWrite(catalog, () => {
    assertNoRunningJob(catalog, action);
    return fn();
  });
}

function guardedWrite<T>(catalog: Catalog, fn: () => T): T {
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

export function describeJob(job: JobHolder): string {
  const started = new Date(job.startedAt).toISOString().slice(11, 19);
  const what = job.kind === 'sync' ? `a sync of ${job.target}` : `an import of ${job.target}`;
  return `${what} by ${job.program} (pid ${job.pid}${job.host === hostname() ? '' : ` on ${job.host}`}, started ${started} UTC)`;
}

function busyMessage(job: JobHolder, action: string): string {
  return `${capitalized(describeJob(job))} is running: ${action}; try again when it ends.`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lockRow(catalog: Catalog): LockRow | undefined {
  try {
    return queryFirst(
      catalog,
      catalog.db
        .selectFrom('job_lock')
        .select(['holder', 'pid', 'host', 'program', 'kind', 'target', 'started_at', 'heartbeat_at'])
        .where('id', '=', 1),
    );
  } catch (error) {
    // A catalog opened read-only at an older schema has no job_lock table: no job can be holding it then.
    if (error instanceof Error && /no such table/.test(error.message)) return undefined;
    throw error;
  }
}

function isLive(row: LockRow, now: number, staleAfterMs: number): boolean {
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

function toHolder(row: LockRow): JobHolder {
  return {
    kind: row.kind,
    target: row.target,
    program: row.program,
    pid: row.pid,
    host: row.host,
    startedAt: row.started_at,
    heartbeatAt: row.heartbeat_at,
  };
}
