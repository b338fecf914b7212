// What a catalog file is before Marquee touches it: missing, read-only, another application's database, an
// older Marquee catalog without the application id, or ours. Decided from the file system and SQLite's header
// pragmas only, so that nothing is written to a file that turns out not to be ours.
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

/** Whether a catalog "file" is SQLite's private in-memory database: nothing another connection or thread can open. */
export function isInMemoryCatalog(file: string): boolean {
  return file === '' || file === ':memory:';
}

/** `PRAGMA application_id` of every Marquee catalog: "MRQU" in ASCII. */
export const MARQUEE_APPLICATION_ID = 0x4d525155;

/** Tables every Marquee catalog has had since schema version 1: how catalogs from before the id are recognised. */
const MARQUEE_TABLES = ['settings', 'servers', 'libraries', 'path_mappings', 'items', 'media_files'] as const;

export type CatalogIdentity =
  | { kind: 'empty' }
  | { kind: 'marquee' }
  /** Schema version ≥ 1 and Marquee's tables, no application id yet: stamped on the next write. */
  | { kind: 'unstamped-marquee' }
  | { kind: 'foreign'; why: string };

export function catalogIdentity(sqlite: BetterSqlite3.Database): CatalogIdentity {
  const applicationId = sqlite.pragma('application_id', { simple: true }) as number;
  const userVersion = sqlite.pragma('user_version', { simple: true }) as number;
  const tables = new Set(
    (sqlite.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]).map((name) => name.toLowerCase()),
  );
  if (applicationId === MARQUEE_APPLICATION_ID) return { kind: 'marquee' };
  if (applicationId !== 0) return { kind: 'foreign', why: `its application id is 0x${(applicationId >>> 0).toString(16)}` };
  if (userVersion === 0 && tables.size === 0) return { kind: 'empty' };
  const missing = MARQUEE_TABLES.filter((table) => !tables.has(table));
  if (userVersion >= 1 && missing.length === 0) return { kind: 'unstamped-marquee' };
  const sample = [...tables].slice(0, 3).join(', ');
  return {
    kind: 'foreign',
    why:
      tables.size === 0
        ? `its schema version is ${userVersion} but it has no tables`
        : `it holds other tables: ${sample}${tables.size > 3 ? ', …' : ''}`,
  };
}

/**
 * Whether a write to `path` should be attempted. Besides access(2), a file or folder with no write bit for
 * anyone counts as read-only: root passes access(2) everywhere, yet `chmod a-w` on a backup says "do not
 * write this", and a catalog tool running as root must not quietly rewrite it.
 */
export function isWritablePath(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return (statSync(path).mode & 0o222) !== 0;
  } catch {
    return false;
  }
}

/** Why a write open of an existing catalog must fail, or null when it can be written (file, and folder for WAL). */
export function readOnlyReason(file: string): string | null {
  if (existsSync(file) && !isWritablePath(file)) return 'the file is read-only';
  const folder = dirname(file);
  if (existsSync(folder) && !isWritablePath(folder)) {
    return `its folder ${folder} is read-only (SQLite needs to create its journal files next to the catalog)`;
  }
  return null;
}

/** Byte 18 of the header is 2 for a WAL database: reading it then needs the -shm file, created on demand. */
export function isWalFile(file: string): boolean {
  const header = Buffer.alloc(20);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    return readSync(fd, header, 0, 20, 0) === 20 && header[18] === 2;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * How a read-only open must proceed. SQLite opens a WAL catalog read-only only if it can find or create its
 * -shm file; in a read-only folder without one, the catalog is read from an in-memory copy instead (possible
 * only when no -wal file holds committed pages that the main file lacks).
 */
export type ReadStrategy = { kind: 'direct' } | { kind: 'memory-copy' } | { kind: 'impossible'; why: string };

export function readStrategy(file: string): ReadStrategy {
  const folder = dirname(file);
  if (isWritablePath(folder) || !isWalFile(file)) return { kind: 'direct' };
  if (existsSync(`${file}-shm`)) return { kind: 'direct' };
  const wal = `${file}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    return {
      kind: 'impossible',
      why: `its folder ${folder} is read-only and ${wal} holds changes that only a writable folder lets SQLite read; copy the catalog with its -wal file to a writable folder`,
    };
  }
  return { kind: 'memory-copy' };
}

/** The file's bytes with the header switched to rollback journal mode: an in-memory database cannot use WAL. */
export function memoryCopyOf(file: string): Buffer {
  const bytes = readFileSync(file);
  if (bytes.length >= 20) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
  return bytes;
}
