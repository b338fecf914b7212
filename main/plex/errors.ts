// Typed failures of talking to a Plex server. Every one names the server and the (redacted) URL so a
// message can be shown to the user as is; none may ever carry the token, in its text or its cause chain.

import { redactError, redactText, redactUrl } from './redact.js';

export { redactError, redactText, redactUrl } from './redact.js';

export type PlexErrorCode =
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'BAD_RESPONSE'
  | 'HTTP'
  | 'ABORTED'
  | 'RESPONSE_TOO_LARGE'
  | 'LISTING_TOO_LONG'
  | 'WRONG_PROTOCOL'
  | 'URL_HAS_PATH';

export interface PlexErrorContext {
  serverName: string;
  /** The request URL; stored and shown redacted. */
  url: string;
  status?: number;
  /** How many attempts were made before giving up (1 when the failure was not retried). */
  attempts?: number;
  cause?: unknown;
  /** Secrets to scrub from the message and cause (not stored). */
  secrets?: readonly (string | undefined)[];
}

export class PlexError extends Error {
  readonly code: PlexErrorCode;
  readonly serverName: string;
  /** Request URL with any token redacted. */
  readonly url: string;
  readonly status?: number;
  readonly attempts?: number;

  constructor(code: PlexErrorCode, message: string, context: PlexErrorContext) {
    const secrets = context.secrets ?? [];
    const cause = context.cause === undefined ? undefined : redactError(context.cause, secrets);
    super(redactText(message, secrets), cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.serverName = context.serverName;
    this.url = redactUrl(redactText(context.url, secrets));
    if (context.status !== undefined) this.status = context.status;
    if (context.attempts !== undefined) this.attempts = context.attempts;
  }
}

function at(context: PlexErrorContext): string {
  return `at ${redactUrl(context.url)}`;
}

function afterAttempts(context: PlexErrorContext): string {
  return context.attempts !== undefined && context.attempts > 1 ? ` after ${context.attempts} attempts` : '';
}

/** 401/403: the token is wrong, expired or lacks access to this server. Never retried. */
export class PlexUnauthorizedError extends PlexError {
  constructor(context: PlexErrorContext & { status: number; tokenSent: boolean }) {
    const what = context.tokenSent ? 'refused the token' : 'requires a token';
    super('UNAUTHORIZED', `Plex server "${context.serverName}" ${what} (${context.status}) ${at(context)}`, context);
  }
}

/** 404: the path does not exist on this server (or the item was deleted). Never retried. */
export class PlexNotFoundError extends PlexError {
  constructor(context: PlexErrorContext) {
    super('NOT_FOUND', `Plex server "${context.serverName}" has nothing ${at(context)} (404)`, context);
  }
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
};

/** The server could not be reached or dropped the connection before answering. Retried. */
export class PlexNetworkError extends PlexError {
  /** The underlying error code, e.g. 'ECONNREFUSED'. */
  readonly reason: string;

  constructor(context: PlexErrorContext & { reason: string }) {
    const described = NETWORK_REASONS[context.reason] ?? context.reason;
    super('NETWORK', `Could not reach Plex server "${context.serverName}" ${at(context)} (${described})${afterAttempts(context)}`, context);
    this.reason = context.reason;
  }
}

/** No complete answer within the per-request time limit. Retried. */
export class PlexTimeoutError extends PlexError {
  readonly timeoutMs: number;

  constructor(context: PlexErrorContext & { timeoutMs: number }) {
    super(
      'TIMEOUT',
      `Plex server "${context.serverName}" did not answer within ${formatMs(context.timeoutMs)} ${at(context)}${afterAttempts(context)}`,
      context,
    );
    this.timeoutMs = context.timeoutMs;
  }
}

/** Malformed or truncated body, an unexpected status, or a listing that does not page as it should. */
export class PlexBadResponseError extends PlexError {
  constructor(context: PlexErrorContext & { reason: string }) {
    super(
      'BAD_RESPONSE',
      `Plex server "${context.serverName}" sent an unusable response ${at(context)}: ${context.reason}${afterAttempts(context)}`,
      context,
    );
  }
}

/** Any other 4xx/5xx (5xx and 429 only after retries). */
export class PlexHttpError extends PlexError {
  declare readonly status: number;

  constructor(context: PlexErrorContext & { status: number; statusText?: string }) {
    const text = context.statusText ? ` ${context.statusText}` : '';
    super('HTTP', `Plex server "${context.serverName}" answered ${context.status}${text} ${at(context)}${afterAttempts(context)}`, context);
  }
}

/** The caller's AbortSignal fired; the request and any pending retry were cancelled. */
export class PlexAbortedError extends PlexError {
  constructor(context: PlexErrorContext) {
    super('ABORTED', `Request to Plex server "${context.serverName}" was cancelled ${at(context)}`, context);
  }
}

/** One answer decompressed to more than the client accepts (a gzip bomb, an endless body). Never retried. */
export class PlexResponseTooLargeError extends PlexError {
  readonly limitBytes: number;

  constructor(context: PlexErrorContext & { limitBytes: number }) {
    super(
      'RESPONSE_TOO_LARGE',
      `Plex server "${context.serverName}" sent more than ${formatBytes(context.limitBytes)} in one answer ${at(context)}; it was refused`,
      context,
    );
    this.limitBytes = context.limitBytes;
  }
}

/** A listing brought far more items than the server announced when it began (it never ends). */
export class PlexListingTooLongError extends PlexError {
  readonly limitItems: number;

  constructor(context: PlexErrorContext & { limitItems: number; announced: number | null }) {
    const announced = context.announced === null ? 'announced no total' : `announced ${context.announced} items`;
    super(
      'LISTING_TOO_LONG',
      `Plex server "${context.serverName}" ${announced} but kept listing past ${context.limitItems} ${at(context)}; the listing was stopped`,
      context,
    );
    this.limitItems = context.limitItems;
  }
}

/** An https:// URL for a server that speaks plain http (TLS handshake answered with plain text). Never retried. */
export class PlexWrongProtocolError extends PlexError {
  /** The URL to use instead, e.g. http://host:32400. */
  readonly suggestedUrl: string;

  constructor(context: PlexErrorContext & { suggestedUrl: string }) {
    super(
      'WRONG_PROTOCOL',
      `Plex server "${context.serverName}" speaks http, not https ${at(context)}: use ${context.suggestedUrl}`,
      context,
    );
    this.suggestedUrl = context.suggestedUrl;
  }
}

/**
 * The server URL carries a path (typically Plex Web's, /web) and Plex answers at the bare address: the 401 or
 * 404 from the path is not a token problem.
 */
export class PlexUrlPathError extends PlexError {
  readonly path: string;
  readonly suggestedUrl: string;

  constructor(context: PlexErrorContext & { path: string; suggestedUrl: string }) {
    super(
      'URL_HAS_PATH',
      `The URL of Plex server "${context.serverName}" has a path (${context.path}), which Plex does not answer on; use ${context.suggestedUrl}`,
      context,
    );
    this.path = context.path;
    this.suggestedUrl = context.suggestedUrl;
  }
}

function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (mib >= 1 && Number.isInteger(mib)) return `${mib} MB`;
  if (bytes >= 1024 && Number.isInteger(bytes / 1024)) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
