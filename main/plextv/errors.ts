// Typed failures of talking to plex.tv. Messages are for people and never carry a token: every text and cause
// goes through main/plex's redaction first.
import { redactError, redactText, redactUrl } from '../plex/redact.js';

export type PlexTvErrorCode =
  /** 401: the account token is wrong or was revoked (signed out elsewhere, password changed). Sign in again. */
  | 'UNAUTHORIZED'
  /** 498: a short-lived (JWT) token expired. Handled like UNAUTHORIZED: Marquee keeps long-lived tokens. */
  | 'TOKEN_EXPIRED'
  /** 429: plex.tv asks us to slow down; `retryAfterMs` when it said how long. */
  | 'RATE_LIMITED'
  | 'NETWORK'
  | 'TIMEOUT'
  /** Not JSON, or JSON without the fields every answer of that kind has. */
  | 'BAD_RESPONSE'
  | 'HTTP'
  | 'ABORTED';

export class PlexTvError extends Error {
  readonly code: PlexTvErrorCode;
  /** Request URL, token redacted. */
  readonly url: string;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(
    code: PlexTvErrorCode,
    message: string,
    context: { url: string; status?: number; retryAfterMs?: number; cause?: unknown; secrets: readonly (string | undefined)[] },
  ) {
    const cause = context.cause === undefined ? undefined : redactError(context.cause, context.secrets, true);
    super(redactText(message, context.secrets), cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.url = redactUrl(redactText(context.url, context.secrets));
    if (context.status !== undefined) this.status = context.status;
    if (context.retryAfterMs !== undefined) this.retryAfterMs = context.retryAfterMs;
  }

  /** Whether the remedy is to sign in again (a 401, or a 498 for an expired short-lived token). */
  get needsSignIn(): boolean {
    return this.code === 'UNAUTHORIZED' || this.code === 'TOKEN_EXPIRED';
  }
}
