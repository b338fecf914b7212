// How sync failures read in reports: one line a user can act on, never a token.
import { CatalogError } from '../catalog/errors.js';
import { PlexAbortedError, PlexError, redactText } from '../plex/errors.js';
import { SecretStoreError } from '../secrets/secret-store.js';

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
export const ROWS_UNLISTED = 'PLEX_ROWS_UNLISTED';
/** A library failed because its removals were more than the guard allows. */
export const REMOVAL_REFUSED = 'REMOVAL_REFUSED';

/**
 * The stable code of a failure for a report, from the typed error's own code: Plex's prefixed with `PLEX_`
 * ('PLEX_UNAUTHORIZED'), the catalog's and the secret store's as they are; 'SYNC_FAILED' for anything untyped.
 */
export function errorCodeOf(error: unknown): string {
  if (error instanceof PlexError) return `PLEX_${error.code}`;
  if (error instanceof CatalogError || error instanceof SecretStoreError) return error.code;
  return 'SYNC_FAILED';
}
