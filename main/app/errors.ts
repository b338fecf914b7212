// How failures cross the IPC boundary and the worker boundary. Every error becomes an IpcFailure (the
// category the renderer branches on, the precise code it picks a remedy by, and a message written for the
// user): Electron keeps only `message` of a thrown error, so nothing is thrown across. Between the sync worker
// and the main thread an error travels as a SerializedError and is rebuilt as its type. Nothing that reaches
// the renderer may carry a Plex token.
import type {
  AppFailureCode,
  CatalogFailureCode,
  ErrorCode,
  MigrationFailureCode,
  PlexFailureCode,
  SecretFailureCode,
  SerializedError,
  SyncFailureCode,
} from '../../shared/errors.js';
import {
  APP_ERROR_CODES,
  CATALOG_ERROR_CODES,
  isErrorCode,
  MIGRATION_ERROR_CODES,
  PLEX_ERROR_CODES,
  SECRET_ERROR_CODES,
  SYNC_ERROR_CODES,
} from '../../shared/errors.js';
import type { IpcErrorCode, IpcFailure } from '../../shared/ipc.js';
import { CatalogError, type CatalogErrorCode } from '../catalog/errors.js';
import { MigrationError, type MigrationErrorCode } from '../catalog/migrate.js';
import { PlexError, type PlexErrorCode } from '../plex/errors.js';
import { redactText } from '../plex/redact.js';
import { SecretStoreError, type SecretStoreErrorCode } from '../secrets/secret-store.js';
import { SyncError, typedErrorCode } from '../sync/errors.js';
import { UseCaseError, type UseCaseErrorCode } from '../usecases/errors.js';

/** A failure the service raises on purpose, already in the contract's vocabulary. */
export class AppError extends Error {
  readonly code: AppFailureCode;

  constructor(code: AppFailureCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

// Each layer's own code union and its list in shared/errors.ts must be the same set: a code added on one side
// only fails tsc here (both directions), so the vocabulary cannot drift from the errors that carry it.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameCodes = <T extends true>(_check: T): void => undefined;
sameCodes<Same<`PLEX_${PlexErrorCode}`, PlexFailureCode>>(true);
sameCodes<Same<CatalogErrorCode, CatalogFailureCode>>(true);
sameCodes<Same<MigrationErrorCode, MigrationFailureCode>>(true);
sameCodes<Same<SecretStoreErrorCode, SecretFailureCode>>(true);

/** Longest message sent to the renderer; engine messages are one line, this only stops pathological ones. */
const MAX_MESSAGE = 2000;

/** A use case's refusal in the shared vocabulary; a cancelled action is a failure the UI need not explain. */
const USE_CASE_CODES: Readonly<Record<UseCaseErrorCode, ErrorCode>> = {
  INVALID_INPUT: 'INVALID_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  BUSY: 'BUSY',
  UNAUTHORIZED: 'UNAUTHORIZED',
  CANCELLED: 'FAILED',
  FAILED: 'FAILED',
};

/**
 * The IPC category of every code (a Record, so a new code without a category fails tsc). Plex failures map
 * by what the user can do about them: a refused token (UNAUTHORIZED), a server that cannot be reached or does
 * not answer (UNREACHABLE).
 */
const IPC_CATEGORY: Record<ErrorCode, IpcErrorCode> = {
  PLEX_UNAUTHORIZED: 'UNAUTHORIZED',
  PLEX_NOT_FOUND: 'FAILED',
  PLEX_NETWORK: 'UNREACHABLE',
  PLEX_TIMEOUT: 'UNREACHABLE',
  PLEX_BAD_RESPONSE: 'FAILED',
  PLEX_HTTP: 'FAILED',
  PLEX_ABORTED: 'FAILED',
  PLEX_RESPONSE_TOO_LARGE: 'FAILED',
  PLEX_LISTING_TOO_LONG: 'FAILED',
  PLEX_WRONG_PROTOCOL: 'FAILED',
  PLEX_URL_HAS_PATH: 'FAILED',
  CATALOG_CONFLICT: 'CONFLICT',
  CATALOG_NOT_FOUND: 'NOT_FOUND',
  CATALOG_INVALID: 'INVALID_INPUT',
  LIBRARY_AMBIGUOUS: 'INVALID_INPUT',
  CATALOG_MISSING: 'FAILED',
  CATALOG_FOREIGN: 'FAILED',
  CATALOG_READ_ONLY: 'FAILED',
  CATALOG_BUSY: 'BUSY',
  MIGRATIONS_INVALID: 'FAILED',
  MIGRATION_FAILED: 'FAILED',
  CATALOG_TOO_NEW: 'FAILED',
  CATALOG_OUTDATED: 'FAILED',
  SECRET_UNREADABLE: 'FAILED',
  SECRET_KEY_INSECURE: 'FAILED',
  SECRET_KEY_INVALID: 'FAILED',
  SERVER_MISMATCH: 'CONFLICT',
  LIBRARY_NOT_FOUND: 'NOT_FOUND',
  LIBRARY_NOT_SYNCABLE: 'INVALID_INPUT',
  NOT_A_SHOW: 'INVALID_INPUT',
  SEARCH_TEXT_EMPTY: 'INVALID_INPUT',
  PLEX_ROWS_UNLISTED: 'FAILED',
  REMOVAL_REFUSED: 'FAILED',
  SYNC_FAILED: 'FAILED',
  NEEDS_SIGN_IN: 'UNAUTHORIZED',
  CATALOG_WRITE_FAILED: 'FAILED',
  INVALID_INPUT: 'INVALID_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  UNAUTHORIZED: 'UNAUTHORIZED',
  UNREACHABLE: 'UNREACHABLE',
  BUSY: 'BUSY',
  FAILED: 'FAILED',
  WORKER_FAILED: 'FAILED',
};

/** The precise code of a typed error (ours or the engine's); null for an untyped one, which is a bug. */
export function knownErrorCode(error: unknown): ErrorCode | null {
  if (error instanceof AppError) return error.code;
  if (error instanceof UseCaseError) return USE_CASE_CODES[error.code];
  return typedErrorCode(error);
}

/** The contract category of an error: FAILED for anything without a code of its own. */
export function errorCode(error: unknown): IpcErrorCode {
  const code = knownErrorCode(error);
  return code === null ? 'FAILED' : IPC_CATEGORY[code];
}

/**
 * The error as the renderer sees it. `secrets` are scrubbed on top of the generic token patterns (pass the
 * token of the request being handled). Only an untyped error (a bug) reads "Something went wrong in Marquee",
 * with its text kept: hiding it would leave nobody able to report the problem.
 */
export function toIpcFailure(error: unknown, secrets: readonly (string | undefined)[] = []): Required<IpcFailure> {
  const known = knownErrorCode(error);
  const raw = error instanceof Error ? error.message : String(error);
  const text = known !== null ? raw : `Something went wrong in Marquee: ${raw || 'unknown error'}`;
  const message = redactText(text, secrets);
  return {
    code: known === null ? 'FAILED' : IPC_CATEGORY[known],
    errorCode: known ?? 'FAILED',
    message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
  };
}

// ---- across the worker boundary ---------------------------------------------------------------------------

/** The error as plain data for postMessage; the message is redacted on this side already. */
export function serializeError(error: unknown): SerializedError {
  const message = redactText(error instanceof Error ? error.message : String(error));
  const name = error instanceof Error ? error.name : 'Error';
  const details: SerializedError['details'] = {};
  if (error instanceof PlexError) {
    details.serverName = error.serverName;
    details.url = error.url;
    if (error.status !== undefined) details.status = error.status;
    if (error.attempts !== undefined) details.attempts = error.attempts;
  }
  return { name, code: knownErrorCode(error), message, details };
}

const PLEX_CODES: ReadonlySet<string> = new Set(PLEX_ERROR_CODES);
const CATALOG_CODES: ReadonlySet<string> = new Set(CATALOG_ERROR_CODES);
const MIGRATION_CODES: ReadonlySet<string> = new Set(MIGRATION_ERROR_CODES);
const SECRET_CODES: ReadonlySet<string> = new Set(SECRET_ERROR_CODES);
const SYNC_CODES: ReadonlySet<string> = new Set(SYNC_ERROR_CODES);
const APP_CODES: ReadonlySet<string> = new Set(APP_ERROR_CODES);

/**
 * The error rebuilt on this side as the class of its layer (PlexError, CatalogError, SyncError…) with its code,
 * so `instanceof` and `code` work as if it had been thrown here. The subclasses compose their messages from
 * their context, so a rebuilt error is its layer's base class with the original message and `name`. An error
 * without a code (a bug in the worker) stays a plain Error: it is unexpected here too.
 */
export function rebuildError(serialized: SerializedError): Error {
  const error = rebuildTyped(serialized) ?? new Error(serialized.message);
  error.name = serialized.name;
  return error;
}

function rebuildTyped({ code, message, details }: SerializedError): Error | null {
  if (!isErrorCode(code)) return null;
  if (PLEX_CODES.has(code)) {
    const context = {
      serverName: typeof details.serverName === 'string' ? details.serverName : '',
      url: typeof details.url === 'string' ? details.url : '',
      ...(typeof details.status === 'number' ? { status: details.status } : {}),
      ...(typeof details.attempts === 'number' ? { attempts: details.attempts } : {}),
    };
    return new PlexError(code.slice('PLEX_'.length) as PlexErrorCode, message, context);
  }
  if (CATALOG_CODES.has(code)) return new CatalogError(code as CatalogErrorCode, message);
  if (MIGRATION_CODES.has(code)) return new MigrationError(code as MigrationErrorCode, message);
  if (SECRET_CODES.has(code)) return new SecretStoreError(code as SecretStoreErrorCode, message);
  if (SYNC_CODES.has(code)) return new SyncError(code as SyncFailureCode, message);
  if (APP_CODES.has(code)) return new AppError(code as AppFailureCode, message);
  return null;
}
