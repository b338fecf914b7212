// Opens the catalog: one better-sqlite3 handle, shared by Kysely (repositories, async) and by prepared
// statements (the sync engine's bulk writes and the streaming reads, synchronous).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type Compilable, Kysely, SqliteDialect } from 'kysely';
import { assertSchemaCurrent, type Migration, migrate } from './migrate.js';
import type { CatalogSchema } from './schema.js';

export interface Catalog {
  readonly file: string;
  readonly sqlite: BetterSqlite3.Database;
  readonly db: Kysely<CatalogSchema>;
  close(): void;
}

export interface OpenCatalogOptions {
  /** Directory of `NNNN_name.sql` files; defaults to the package's `migrations/`. */
  migrationsDir?: string;
  /** The migrations themselves, for bundled apps without a migrations directory. Wins over migrationsDir. */
  migrations?: readonly Migration[];
  /** Opens an existing, up-to-date catalog without writing anything (no migration, no pragma change). */
  readonly?: boolean;
}

export function openCatalog(file: string, options: OpenCatalogOptions = {}): Catalog {
  const readonly = options.readonly === true;
  const inMemory = file === ':memory:' || file === '';
  if (!readonly && !inMemory) mkdirSync(dirname(file), { recursive: true });
  const sqlite = new BetterSqlite3(file, { readonly, fileMustExist: readonly });
  try {
    configure(sqlite, readonly);
    const source = options.migrations ?? options.migrationsDir;
    if (readonly) assertSchemaCurrent(sqlite, source, file);
    else migrate(sqlite, source, file);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  // Kysely's destroy() would close the handle too; close() below owns that, once.
  const db = new Kysely<CatalogSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    file,
    sqlite,
    db,
    close() {
      if (sqlite.open) sqlite.close();
    },
  };
}

function configure(sqlite: BetterSqlite3.Database, readonly: boolean): void {
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  if (readonly) return;
  // WAL: the desktop UI and the CLI can read while a sync writes. NORMAL is durable enough under WAL.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  // A 100,000-episode sync touches indexes all over the file: 64 MiB of page cache keeps them in memory.
  sqlite.pragma('cache_size = -65536');
}

/**
 * Runs `fn` in one synchronous transaction (better-sqlite3 `transaction`; nested calls become savepoints).
 * `fn` must not be async: better-sqlite3 refuses a transaction function that returns a promise.
 */
export function transaction<T>(catalog: Catalog, fn: () => T): T {
  return catalog.sqlite.transaction(fn)();
}

// Kysely builds the SQL; these run it synchronously on the same handle, so repositories can compose
// type-checked queries inside `transaction()` (Kysely's own transactions are async and would let other
// queries on the shared connection slip in between).

export function runSync(catalog: Catalog, query: Compilable): BetterSqlite3.RunResult {
  const compiled = query.compile();
  return catalog.sqlite.prepare(compiled.sql).run(...compiled.parameters);
}

export function allSync<R>(catalog: Catalog, query: Compilable<R>): R[] {
  const compiled = query.compile();
  return catalog.sqlite.prepare(compiled.sql).all(...compiled.parameters) as R[];
}

export function firstSync<R>(catalog: Catalog, query: Compilable<R>): R | undefined {
  const compiled = query.compile();
  return catalog.sqlite.prepare(compiled.sql).get(...compiled.parameters) as R | undefined;
}

/**
 * For a long run of page transactions: checkpoint the WAL every ~40 MiB instead of every 4 MiB (each checkpoint
 * syncs the database file), then checkpoint once at the end. Returns the function that restores the default.
 */
export function beginBulkWrites(catalog: Catalog): () => void {
  const previous = catalog.sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  catalog.sqlite.pragma('wal_autocheckpoint = 10000');
  return () => {
    catalog.sqlite.pragma(`wal_autocheckpoint = ${previous}`);
    catalog.sqlite.pragma('wal_checkpoint(PASSIVE)');
  };
}
