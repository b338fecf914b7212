// Forward-only schema migrations: `migrations/NNNN_name.sql`, applied in order, tracked by PRAGMA user_version.
// Each file runs in its own transaction together with its user_version bump, so a failing file leaves the
// database exactly as the previous file left it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type BetterSqlite3 from 'better-sqlite3';

export interface Migration {
  /** 1 for 0001_initial.sql; the database's user_version after the migration ran. */
  version: number;
  name: string;
  sql: string;
}

/** A directory of `NNNN_name.sql` files, or the migrations themselves (bundled apps ship them inline). */
export type MigrationSource = string | readonly Migration[];

export interface MigrationResult {
  from: number;
  to: number;
  applied: Migration[];
}

export type MigrationErrorCode = 'MIGRATIONS_INVALID' | 'MIGRATION_FAILED' | 'CATALOG_TOO_NEW' | 'CATALOG_OUTDATED';

export class MigrationError extends Error {
  readonly code: MigrationErrorCode;

  constructor(code: MigrationErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The catalog was written by a newer Marquee: opening it with this one could corrupt it. */
export class CatalogTooNewError extends MigrationError {
  readonly databaseVersion: number;
  readonly supportedVersion: number;

  constructor(databaseVersion: number, supportedVersion: number, file?: string) {
    const where = file === undefined ? 'The catalog' : `The catalog ${file}`;
    super(
      'CATALOG_TOO_NEW',
      `${where} has schema version ${databaseVersion}, but this version of Marquee only knows up to ` +
        `version ${supportedVersion}. It was written by a newer Marquee: update Marquee to open it.`,
    );
    this.databaseVersion = databaseVersion;
    this.supportedVersion = supportedVersion;
  }
}

const FILE_PATTERN = /^(\d{4})_([A-Za-z0-9][A-Za-z0-9_-]*)\.sql$/;

/**
 * `migrations/` next to the package: from source `main/catalog/` that is `../../migrations`, from the build
 * `dist/main/catalog/` it is `dist/migrations`, which the build copies there — the same relative path.
 */
export function defaultMigrationsDir(): string {
  return fileURLToPath(new URL('../../migrations/', import.meta.url));
}

/** Reads and validates every `NNNN_name.sql` file of a directory. Other files (README, …) are ignored. */
export function loadMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) {
    throw new MigrationError('MIGRATIONS_INVALID', `The migrations directory ${dir} does not exist.`);
  }
  const migrations: Migration[] = [];
  for (const entry of readdirSync(dir)) {
    if (!entry.toLowerCase().endsWith('.sql')) continue;
    const match = FILE_PATTERN.exec(entry);
    if (match === null) {
      throw new MigrationError(
        'MIGRATIONS_INVALID',
        `Migration file ${join(dir, entry)} is not named NNNN_name.sql (four digits, an underscore, a name).`,
      );
    }
    migrations.push({ version: Number(match[1]), name: match[2] ?? '', sql: readFileSync(join(dir, entry), 'utf8') });
  }
  return validateMigrations(migrations);
}

/** Sorts migrations and checks they are numbered 1, 2, 3… with no gap and no duplicate. */
export function validateMigrations(migrations: readonly Migration[]): Migration[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((migration, index) => {
    if (!Number.isSafeInteger(migration.version) || migration.version < 1) {
      throw new MigrationError('MIGRATIONS_INVALID', `Migration "${migration.name}" has an invalid version ${migration.version}.`);
    }
    const previous = sorted[index - 1];
    if (previous !== undefined && previous.version === migration.version) {
      throw new MigrationError(
        'MIGRATIONS_INVALID',
        `Two migrations have version ${migration.version}: "${previous.name}" and "${migration.name}".`,
      );
    }
    if (migration.version !== index + 1) {
      throw new MigrationError(
        'MIGRATIONS_INVALID',
        `Migration versions must be consecutive from 1: version ${index + 1} is missing (found ${migration.version} "${migration.name}").`,
      );
    }
  });
  return sorted;
}

export function resolveMigrations(source: MigrationSource = defaultMigrationsDir()): Migration[] {
  return typeof source === 'string' ? loadMigrations(source) : validateMigrations(source);
}

export function schemaVersion(sqlite: BetterSqlite3.Database): number {
  return sqlite.pragma('user_version', { simple: true }) as number;
}

/**
 * Throws unless the database is exactly at the latest version (for read-only opens, which cannot migrate).
 */
export function assertSchemaCurrent(sqlite: BetterSqlite3.Database, source?: MigrationSource, file?: string): void {
  const latest = resolveMigrations(source).length;
  const current = schemaVersion(sqlite);
  if (current > latest) throw new CatalogTooNewError(current, latest, file);
  if (current < latest) {
    throw new MigrationError(
      'CATALOG_OUTDATED',
      `${file === undefined ? 'The catalog' : `The catalog ${file}`} has schema version ${current} and needs ` +
        `version ${latest}; open it once for writing so it can be upgraded.`,
    );
  }
}

/** Applies every pending migration. A database newer than the migrations known here → CatalogTooNewError. */
export function migrate(sqlite: BetterSqlite3.Database, source?: MigrationSource, file?: string): MigrationResult {
  const migrations = resolveMigrations(source);
  const latest = migrations.length;
  const from = schemaVersion(sqlite);
  if (from > latest) throw new CatalogTooNewError(from, latest, file);
  const pending = migrations.slice(from);
  if (pending.length === 0) return { from, to: from, applied: [] };

  // Table rebuilds (the usual way to alter a table in SQLite) need foreign keys off, and the pragma is a
  // no-op inside a transaction: switch it off around the migrations and check integrity before each commit.
  const foreignKeys = sqlite.pragma('foreign_keys', { simple: true }) as number;
  sqlite.pragma('foreign_keys = OFF');
  try {
    for (const migration of pending) applyOne(sqlite, migration);
  } finally {
    if (foreignKeys === 1) sqlite.pragma('foreign_keys = ON');
  }
  return { from, to: latest, applied: pending };
}

function applyOne(sqlite: BetterSqlite3.Database, migration: Migration): void {
  const label = `${String(migration.version).padStart(4, '0')}_${migration.name}`;
  try {
    sqlite.transaction(() => {
      sqlite.exec(migration.sql);
      const violations = sqlite.pragma('foreign_key_check') as unknown[];
      if (violations.length > 0) {
        throw new Error(`it leaves ${violations.length} rows that break foreign keys`);
      }
      // Integer from our own validated list: safe to interpolate (pragmas take no parameters).
      sqlite.pragma(`user_version = ${migration.version}`);
    })();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError('MIGRATION_FAILED', `Migration ${label} failed and was rolled back: ${reason}`, {
      cause: error,
    });
  }
}
