// How sync failures read in reports: one line a user can act on, never a token.
import { PlexAbortedError, redactText } from '../plex/errors.js';

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
