// Opens the catalog: one better-sqlite3 handle. One way to query it: Kysely builds every statement (typed by
// schema.ts) and better-sqlite3 runs it synchronously, as it runs anyway: queryAll/queryFirst/runQuery/
// queryIterate for ordinary queries, prepareQuery for hot-path ones compiled and prepared once.
//
// Two ways in. A writer checks the file is a Marquee catalog (or empty) before changing anything, then sets
// WAL, migrates and stamps `PRAGMA application_id`; it may create the catalog. A reader never writes: no
// migration, no pragma change, no new file; it works on read-only files and folders (backups, copies).
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type Compilable, Kysely, type RawBuilder, sql, SqliteDialect } from 'kysely';
import { catalogIdentity, isInMemoryCatalog, MARQUEE_APPLICATION_ID, memoryCopyOf, readOnlyReason, readStrategy } from './catalog-file.js';
import { CatalogMissingError, CatalogReadOnlyError, ForeignDatabaseError } from './errors.js';
import { assertSchemaCurrent, CatalogTooNewError, type Migration, migrate, resolveMigrations, schemaVersion } from './migrate.js';
import type { CatalogSchema } from './schema.js';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

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
  /**
   * 'write' (default): may create and migrate the catalog. 'read': opens an existing catalog without writing
   * anything; an older schema is accepted (its tables are a subset of today's), a newer one is refused.
   */
  access?: 'read' | 'write';
  /** Opens an existing, up-to-date catalog without writing anything: `access: 'read'`, exact schema version. */
  readonly?: boolean;
  /** Writers only: false refuses to create a missing catalog (CatalogMissingError). Default true. */
  create?: boolean;
  /** Writers only: called once a new catalog file was created (the CLI says so on stderr). */
  onCreate?: (file: string) => void;
}

export function openCatalog(file: string, options: OpenCatalogOptions = {}): Catalog {
  const inMemory = isInMemoryCatalog(file);
  const reading = options.readonly === true || options.access === 'read';
  const sqlite = reading ? openForReading(file, inMemory) : openForWriting(file, inMemory, options);
  try {
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    const source = options.migrations ?? options.migrationsDir;
    if (reading) checkReadable(sqlite, file, source, options.readonly === true);
    else prepareForWriting(sqlite, file, source);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return catalogOf(file, sqlite);
}

/** The Catalog of an open handle. Kysely's destroy() would close the handle too; close() owns that, once. */
function catalogOf(file: string, sqlite: BetterSqlite3.Database): Catalog {
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

/**
 * A second writing connection to a catalog this process has opened (and so checked and migrated) already: the
 * sync's writer thread writes pages through it while the opening connection reads. Sets what openCatalog sets
 * per connection (busy timeout, foreign keys, synchronous, cache); WAL is a property of the file, set already.
 */
export function attachCatalog(file: string): Catalog {
  const sqlite = new BetterSqlite3(file, { fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('cache_size = -32768');
  return catalogOf(file, sqlite);
}

function openForWriting(file: string, inMemory: boolean, options: OpenCatalogOptions): BetterSqlite3.Database {
  if (inMemory) return new BetterSqlite3(file);
  const created = !existsSync(file);
  if (created && options.create === false) throw new CatalogMissingError(file);
  if (!created) {
    const reason = readOnlyReason(file);
    if (reason !== null) throw new CatalogReadOnlyError(file, reason);
  }
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  if (created) options.onCreate?.(file);
  return sqlite;
}

function openForReading(file: string, inMemory: boolean): BetterSqlite3.Database {
  if (inMemory || !existsSync(file)) throw new CatalogMissingError(file);
  const strategy = readStrategy(file);
  if (strategy.kind === 'impossible') throw new CatalogReadOnlyError(file, strategy.why);
  if (strategy.kind === 'memory-copy') return new BetterSqlite3(memoryCopyOf(file), { readonly: true });
  return new BetterSqlite3(file, { readonly: true, fileMustExist: true });
}

/** Refuses another application's database before anything (journal mode included) is changed. */
function checkIdentity(sqlite: BetterSqlite3.Database, file: string): ReturnType<typeof catalogIdentity> {
  let identity: ReturnType<typeof catalogIdentity>;
  try {
    identity = catalogIdentity(sqlite);
  } catch (error) {
    // SQLITE_NOTADB: a text file, an encrypted database…
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB') throw new ForeignDatabaseError(file, 'it is not a database SQLite can read', { cause: error });
    throw error;
  }
  if (identity.kind === 'foreign') throw new ForeignDatabaseError(file, identity.why);
  return identity;
}

function prepareForWriting(sqlite: BetterSqlite3.Database, file: string, source: string | readonly Migration[] | undefined): void {
  checkIdentity(sqlite, file);
  // WAL: the desktop UI and the CLI can read while a sync writes. NORMAL is durable enough under WAL.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  // A 100,000-episode sync touches indexes all over the file: 32 MiB of page cache keeps them in memory (64 MiB was
  // no faster on the bench library and cost 25 MB of the sync's peak memory).
  sqlite.pragma('cache_size = -32768');
  migrate(sqlite, source, file);
  // Catalogs from before the id (and new ones) are stamped once; integer constant, safe to interpolate.
  if ((sqlite.pragma('application_id', { simple: true }) as number) !== MARQUEE_APPLICATION_ID) {
    sqlite.pragma(`application_id = ${MARQUEE_APPLICATION_ID}`);
  }
}

function checkReadable(
  sqlite: BetterSqlite3.Database,
  file: string,
  source: string | readonly Migration[] | undefined,
  exactSchema: boolean,
): void {
  const identity = checkIdentity(sqlite, file);
  if (identity.kind === 'empty') throw new ForeignDatabaseError(file, 'it is an empty database');
  if (exactSchema) {
    assertSchemaCurrent(sqlite, source, file);
    return;
  }
  const latest = resolveMigrations(source).length;
  const current = schemaVersion(sqlite);
  if (current > latest) throw new CatalogTooNewError(current, latest, file);
}

/**
 * Runs `fn` in one synchronous transaction (better-sqlite3 `transaction`; nested calls become savepoints).
 * `fn` must not be async: better-sqlite3 refuses a transaction function that returns a promise.
 */
export function transaction<T>(catalog: Catalog, fn: () => T): T {
  return catalog.sqlite.transaction(fn)();
}

/**
 * Like transaction(), but takes the write lock first (BEGIN IMMEDIATE): a read-then-write transaction that
 * only upgrades at its first write can fail at once with SQLITE_BUSY_SNAPSHOT when another connection
 * committed meanwhile, which busy_timeout does not retry. Nested inside a transaction it is a savepoint.
 */
export function writeTransaction<T>(catalog: Catalog, fn: () => T): T {
  const run = catalog.sqlite.transaction(fn);
  return catalog.sqlite.inTransaction ? run() : run.immediate();
}

// Kysely builds the SQL; these run it synchronously on the same handle, so repositories can compose
// type-checked queries inside `transaction()` (Kysely's own transactions are async and would let other
// queries on the shared connection slip in between). Kysely's async execute() is not used in the catalog.

export function runQuery(catalog: Catalog, query: Compilable): BetterSqlite3.RunResult {
  const compiled = query.compile();
  return catalog.sqlite.prepare(compiled.sql).run(...compiled.parameters);
}

export function queryAll<R>(catalog: Catalog, query: Compilable<R>): R[] {
  const compiled = query.compile();
  return catalog.sqlite.prepare(compiled.sql).all(...compiled.parameters) as R[];
}

export function queryFirst<R>(catalog: Catalog, query: Compilable<R>): R | undefined {
  const compiled = query.compile();
  return catalog.sqlite.prepare(compiled.sql).get(...compiled.parameters) as R | undefined;
}

/** Rows one at a time, for reads too large to hold (no writes on the connection while it iterates). */
export function queryIterate<R>(catalog: Catalog, query: Compilable<R>): IterableIterator<R> {
  const compiled = query.compile();
  return catalog.sqlite.prepare<unknown[], R>(compiled.sql).iterate(...compiled.parameters);
}

export type SqlValue = string | number | null;

/** Named parameters of a prepared query, bound at each run. */
export type QueryParams = Record<string, SqlValue>;

/**
 * A named parameter inside a Kysely query built once for prepareQuery(): `where('id', '=', param<number>('id'))`.
 * Typed as the column it stands for, so the schema checks the query; the value comes at run time.
 */
export function param<T extends SqlValue>(name: string): RawBuilder<T> {
  return sql<T>`${sql.raw(`@${name}`)}`;
}

/** A hot-path statement: built with Kysely (typed by the schema), compiled and prepared once, run many times. */
export interface PreparedQuery<R, P extends QueryParams | undefined> {
  get(...params: P extends QueryParams ? [P] : []): R | undefined;
  all(...params: P extends QueryParams ? [P] : []): R[];
  iterate(...params: P extends QueryParams ? [P] : []): IterableIterator<R>;
  run(...params: P extends QueryParams ? [P] : []): BetterSqlite3.RunResult;
}

/** Values must be param() placeholders: a literal value would be frozen into the statement. */
export function prepareQuery<R, P extends QueryParams | undefined = undefined>(
  catalog: Catalog,
  query: Compilable<R>,
): PreparedQuery<R, P> {
  const compiled = query.compile();
  if (compiled.parameters.length > 0) throw new Error(`A prepared query takes its values as param() placeholders: ${compiled.sql}`);
  const statement = catalog.sqlite.prepare<unknown[], R>(compiled.sql);
  return {
    get: (...params) => statement.get(...params),
    all: (...params) => statement.all(...params),
    iterate: (...params) => statement.iterate(...params),
    run: (...params) => statement.run(...params),
  };
}

/** A run of page transactions (a sync): see beginBulkWrites. */
export interface BulkWrites {
  /** Many pages follow (a full pass): checkpoint on a thread of its own from now on (wal-checkpointer.ts). */
  offloadCheckpoints(): void;
  /** Restores the connection's checkpointing and checkpoints what the run left in the WAL. */
  end(): Promise<void>;
}

/**
 * For a long run of page transactions: checkpoint the WAL every ~40 MiB instead of every 4 MiB (each checkpoint
 * syncs the database file), then once at the end; or, once offloadCheckpoints() was called, not at all on this
 * connection while a thread of its own does it.
 */
export function beginBulkWrites(catalog: Catalog): BulkWrites {
  const { sqlite } = catalog;
  const previous = sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  sqlite.pragma('wal_autocheckpoint = 10000');
  let checkpointer: WalCheckpointer | undefined;
  let ended = false;
  return {
    offloadCheckpoints() {
      if (checkpointer !== undefined || ended) return;
      checkpointer = startWalCheckpointer(catalog.file, () => {
        // The thread is gone: this connection checkpoints again (the WAL must not grow for the rest of the run).
        if (!ended && sqlite.open) sqlite.pragma('wal_autocheckpoint = 10000');
      });
      if (checkpointer !== undefined) sqlite.pragma('wal_autocheckpoint = 0');
    },
    async end() {
      if (ended) return;
      ended = true;
      sqlite.pragma(`wal_autocheckpoint = ${previous}`);
      if (checkpointer !== undefined) await checkpointer.stop();
      else sqlite.pragma('wal_checkpoint(PASSIVE)');
    },
  };
}
