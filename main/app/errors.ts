// How failures cross the IPC boundary: every error becomes an IpcFailure (a code the renderer can branch on
// and a message written for the user). Electron keeps only `message` of a thrown error, so nothing is thrown
// across; and nothing that reaches the renderer may carry a Plex token.
import type { IpcErrorCode, IpcFailure } from '../../shared/ipc.js';
import { CatalogError } from '../catalog/errors.js';
import { MigrationError } from '../catalog/migrate.js';
import { PlexError } from '../plex/errors.js';
import { redactText } from '../plex/redact.js';
import { SecretStoreError } from '../secrets/secret-store.js';
import { UseCaseError, type UseCaseErrorCode } from '../usecases/errors.js';

/** A failure the service raises on purpose, already in the contract's vocabulary. */
export class AppError extends Error {
  readonly code: IpcErrorCode;

  constructor(code: IpcErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Longest message sent to the renderer; engine messages are one line, this only stops pathological ones. */
const MAX_MESSAGE = 2000;

/** A use case's refusal in the contract's words; a cancelled action is a failure the UI need not explain. */
const USE_CASE_CODES: Readonly<Record<UseCaseErrorCode, IpcErrorCode>> = {
  INVALID_INPUT: 'INVALID_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  BUSY: 'BUSY',
  UNAUTHORIZED: 'UNAUTHORIZED',
  CANCELLED: 'FAILED',
  FAILED: 'FAILED',
};

/**
 * The contract code for an error of the engine. Plex failures map by what the user can do about them:
 * a refused token (UNAUTHORIZED), a server that cannot be reached or does not answer (UNREACHABLE).
 */
export function errorCode(error: unknown): IpcErrorCode {
  if (error instanceof AppError) return error.code;
  if (error instanceof UseCaseError) return USE_CASE_CODES[error.code];
  if (error instanceof CatalogError) {
    switch (error.code) {
      case 'CATALOG_NOT_FOUND':
        return 'NOT_FOUND';
      case 'CATALOG_CONFLICT':
        return 'CONFLICT';
      case 'CATALOG_INVALID':
      case 'LIBRARY_AMBIGUOUS':
        return 'INVALID_INPUT';
      case 'CATALOG_BUSY':
        return 'BUSY';
    }
  }
  if (error instanceof PlexError) {
    switch (error.code) {
      case 'UNAUTHORIZED':
        return 'UNAUTHORIZED';
      case 'NETWORK':
      case 'TIMEOUT':
        return 'UNREACHABLE';
      default:
        return 'FAILED';
    }
  }
  return 'FAILED';
}

/** Whether the message was written for users (ours and the engine's typed errors) or is a raw internal one. */
function isUserFacing(error: unknown): error is Error {
  return (
    error instanceof AppError ||
    error instanceof UseCaseError ||
    error instanceof CatalogError ||
    error instanceof PlexError ||
    error instanceof SecretStoreError ||
    error instanceof MigrationError
  );
}

/**
 * The error as the renderer sees it. `secrets` are scrubbed on top of the generic token patterns (pass the
 * token of the request being handled). Unexpected errors keep their text, prefixed so the user knows it is
 * not their mistake: hiding it would leave nobody able to report the problem.
 */
export function toIpcFailure(error: unknown, secrets: readonly (string | undefined)[] = []): IpcFailure {
  const code = errorCode(error);
  const raw = error instanceof Error ? error.message : String(error);
  const text = isUserFacing(error) ? raw : `Something went wrong in Marquee: ${raw || 'unknown error'}`;
  const message = redactText(text, secrets);
  return { code, message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message };
}
