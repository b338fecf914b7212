// How sync failures read in reports: one line a user can act on, never a token; and the engine's own typed
// refusals. Every code comes from the one vocabulary in shared/errors.ts.
import type { ErrorCode, SyncFailureCode } from '../../shared/errors.js';
import { CatalogError } from '../catalog/errors.js';
import { MigrationError } from '../catalog/migrate.js';
import { PlexAbortedError, PlexError, redactText } from '../plex/errors.js';
import { SecretStoreError } from '../secrets/secret-store.js';

/** A refusal of the sync engine itself (not Plex's nor the catalog's): the library or show asked for is not there. */
export class SyncError extends Error {
  readonly code: SyncFailureCode;

  constructor(code: SyncFailureCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The failure as one line for a report. Plex and catalog errors already say what happened and where. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return redactText(error.message);
  return redactText(String(error));
}

/** Whether the error is the sync being cancelled rather than failing. */
export function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  if (error instanceof PlexAbortedError) return true;
  if (signal?.aborted !== true) return false;
  return error === signal.reason || (error instanceof Error && error.name === 'AbortError');
}

/** A library failed because the server could not list some rows (the rest was imported). */
export const ROWS_UNLISTED = 'PLEX_ROWS_UNLISTED' satisfies ErrorCode;
/** A library failed because its removals were more than the guard allows. */
export const REMOVAL_REFUSED = 'REMOVAL_REFUSED' satisfies ErrorCode;

/**
 * The code of a typed error of the engine's layers: Plex's prefixed with `PLEX_` ('PLEX_UNAUTHORIZED'), the
 * catalog's, the migrations', the secret store's and the engine's own as they are; null for an untyped error.
 * (The `PLEX_${…}` and the other unions being part of ErrorCode is what tsc checks here.)
 */
export function typedErrorCode(error: unknown): ErrorCode | null {
  if (error instanceof PlexError) return `PLEX_${error.code}`;
  if (error instanceof CatalogError || error instanceof SecretStoreError || error instanceof MigrationError) return error.code;
  if (error instanceof SyncError) return error.code;
  return null;
}

/** The stable code of a failure for a report: the typed error's own, 'SYNC_FAILED' for anything untyped. */
export function errorCodeOf(error: unknown): ErrorCode {
  return typedErrorCode(error) ?? 'SYNC_FAILED';
}
