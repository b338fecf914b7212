// The one vocabulary of failure codes, from the Plex client up to the renderer. Every typed error of main
// carries one of these (main/app/errors.ts checks at compile time that each layer's own code union is listed
// here, both ways), reports and IPC failures carry them, and the renderer picks its remedy by them. Plain
// data only: shared/ imports nothing of main.

/** The Plex client's failures (main/plex/errors.ts `PlexErrorCode`, prefixed). */
export const PLEX_ERROR_CODES = [
  'PLEX_UNAUTHORIZED',
  'PLEX_NOT_FOUND',
  'PLEX_NETWORK',
  'PLEX_TIMEOUT',
  'PLEX_BAD_RESPONSE',
  'PLEX_HTTP',
  'PLEX_ABORTED',
  'PLEX_RESPONSE_TOO_LARGE',
  'PLEX_LISTING_TOO_LONG',
  'PLEX_WRONG_PROTOCOL',
  'PLEX_URL_HAS_PATH',
] as const;

/** The catalog's repositories (main/catalog/errors.ts `CatalogErrorCode`). */
export const CATALOG_ERROR_CODES = [
  'CATALOG_CONFLICT',
  'CATALOG_NOT_FOUND',
  'CATALOG_INVALID',
  'LIBRARY_AMBIGUOUS',
  'CATALOG_MISSING',
  'CATALOG_FOREIGN',
  'CATALOG_READ_ONLY',
  'CATALOG_BUSY',
] as const;

/** Opening a catalog written by another version (main/catalog/migrate.ts `MigrationErrorCode`). */
export const MIGRATION_ERROR_CODES = ['MIGRATIONS_INVALID', 'MIGRATION_FAILED', 'CATALOG_TOO_NEW', 'CATALOG_OUTDATED'] as const;

/** Token storage (main/secrets/secret-store.ts `SecretStoreErrorCode`). */
export const SECRET_ERROR_CODES = ['SECRET_UNREADABLE', 'SECRET_KEY_INSECURE', 'SECRET_KEY_INVALID'] as const;

/** The sync engine's own refusals (main/sync/errors.ts `SyncError`) and its report-only outcomes. */
export const SYNC_ERROR_CODES = [
  /** The address now answers as another Plex server than the catalogued one. */
  'SERVER_MISMATCH',
  /** The library asked for is not on the server (or no server has it). */
  'LIBRARY_NOT_FOUND',
  /** Music, photo… libraries are listed but never synced. */
  'LIBRARY_NOT_SYNCABLE',
  /** The item to import is not a show, or its library is gone. */
  'NOT_A_SHOW',
  /** A discovery search without any text. */
  'SEARCH_TEXT_EMPTY',
  /** Report only: the server could not list some rows (the rest was imported). */
  'PLEX_ROWS_UNLISTED',
  /** Report only: the removals were more than the guard allows. */
  'REMOVAL_REFUSED',
  /** Report only: a failure without a type of its own (a bug): its message says what. */
  'SYNC_FAILED',
  /** A server added through a Plex account refused its token: skipped until the account signs in again. */
  'NEEDS_SIGN_IN',
  /** The sync's writer thread failed to write a page: that page was rolled back, earlier pages are kept. */
  'CATALOG_WRITE_FAILED',
] as const;

/** The desktop app's categories, as IPC failures carry them (`IpcErrorCode`), and its worker's failures. */
export const APP_ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHORIZED',
  'UNREACHABLE',
  'BUSY',
  'FAILED',
  /** The sync worker thread crashed or stopped before answering. */
  'WORKER_FAILED',
] as const;

export const ERROR_CODES = [
  ...PLEX_ERROR_CODES,
  ...CATALOG_ERROR_CODES,
  ...MIGRATION_ERROR_CODES,
  ...SECRET_ERROR_CODES,
  ...SYNC_ERROR_CODES,
  ...APP_ERROR_CODES,
] as const;

export type PlexFailureCode = (typeof PLEX_ERROR_CODES)[number];
export type CatalogFailureCode = (typeof CATALOG_ERROR_CODES)[number];
export type MigrationFailureCode = (typeof MIGRATION_ERROR_CODES)[number];
export type SecretFailureCode = (typeof SECRET_ERROR_CODES)[number];
export type SyncFailureCode = (typeof SYNC_ERROR_CODES)[number];
export type AppFailureCode = (typeof APP_ERROR_CODES)[number];
export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES);

/** For codes read back from storage or another thread. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN.has(value);
}

/**
 * An error as it crosses a thread boundary (structured clone keeps no class): enough to rebuild it as its
 * type on the other side. `code` is null for an untyped error (a bug), which stays "unexpected" there too.
 */
export interface SerializedError {
  name: string;
  code: ErrorCode | null;
  message: string;
  /** The typed error's own fields (a Plex error's serverName, url, status, attempts); plain data only. */
  details: Record<string, string | number | boolean | null>;
}
