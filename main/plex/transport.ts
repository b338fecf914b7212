// got, set up once per Plex client: keep-alive agents, per-attempt timeout, and the retry rules (which statuses
// and failures are worth asking again). Also the mapping of what got reports back to typed PlexErrors. Knows
// nothing of Plex paths or decoding: client.ts drives it.

import http from 'node:http';
import https from 'node:https';
import got, { HTTPError, RequestError, TimeoutError, type Got } from 'got';
import { PlexDecodeError } from './decode.js';
import {
  PlexBadResponseError,
  PlexHttpError,
  PlexNetworkError,
  PlexNotFoundError,
  PlexTimeoutError,
  PlexUnauthorizedError,
  PlexWrongProtocolError,
  type PlexError,
  type PlexErrorContext,
} from './errors.js';
import { redactText } from './redact.js';

// Statuses worth asking again: a busy or restarting server, a proxy in between. Other 4xx will not change.
const RETRIED_STATUSES = [408, 429, ...Array.from({ length: 100 }, (_, i) => 500 + i)];

// Failures worth asking again. Certificate problems, refused headers, a server that does not speak HTTP and
// unknown codes are not in the list: asking again would fail the same way.
const RETRIED_ERROR_CODES = [
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EADDRINUSE',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // The body was cut short after the headers arrived (reset mid-body, length mismatch).
  'ERR_HTTP_CONTENT_LENGTH_MISMATCH',
  'ERR_STREAM_PREMATURE_CLOSE',
  // PlexDecodeError's code: an unreadable 2xx body (thrown from the client's afterResponse hook), possibly a
  // proxy hiccup or a body cut short without a Content-Length.
  'BAD_RESPONSE',
];

// Node refuses such a header before sending it: a bug of ours (a value we failed to make sendable), not the network.
const HEADER_BUILD_CODES = new Set(['ERR_INVALID_CHAR', 'ERR_HTTP_INVALID_HEADER_VALUE', 'ERR_INVALID_HTTP_TOKEN']);
// A TLS client that gets plain text back (an http server behind an https:// URL).
const PLAIN_TEXT_TLS_CODES = new Set(['EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG']);

export interface PlexTransport {
  /** got with everything that is the same for every request of one client. */
  readonly got: Got;
  /** Closes the keep-alive sockets. Requests made afterwards open new ones. */
  close(): void;
}

export function createTransport(headers: Record<string, string>, timeoutMs: number): PlexTransport {
  // One keep-alive pool per client: a sync makes thousands of requests to the same host.
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 8 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 8 }),
  };
  const instance = got.extend({
    headers,
    agent: agents,
    // Per attempt, from sending the request to the end of the body.
    timeout: { request: timeoutMs },
    retry: {
      methods: ['GET'],
      statusCodes: RETRIED_STATUSES,
      errorCodes: RETRIED_ERROR_CODES,
      // got gives up on a Retry-After longer than this; the client shortens it to its own cap instead.
      maxRetryAfter: Number.MAX_SAFE_INTEGER,
    },
    // The last answer of a failing status becomes a typed PlexError (statusError), not got's HTTPError.
    throwHttpErrors: false,
    // Plex does not redirect API calls, and a redirect would carry the token header to wherever it points.
    followRedirect: false,
    strictContentLength: true,
  });
  return {
    got: instance,
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** A timeout or a 5xx: what a smaller page may cure. */
export function isSlow(error: RequestError): boolean {
  return error instanceof TimeoutError || (error instanceof HTTPError && error.response.statusCode >= 500);
}

/** Few words for progress ("waiting: Plex did not answer within 30 s"). */
export function retryReason(error: RequestError, timeoutMs: number): string {
  if (error instanceof TimeoutError) return `did not answer within ${Math.round(timeoutMs / 1000)} s`;
  if (error instanceof HTTPError) return `answered ${error.response.statusCode}`;
  if (error.cause instanceof PlexDecodeError) return 'sent an unreadable answer';
  if (error.response !== undefined || error.name === 'ReadError') return 'cut its answer short';
  return 'could not be reached';
}

/** Exponential backoff with jitter: attempt n waits between half and all of min(max, base·2^(n-1)). */
export function backoffMs(attemptCount: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attemptCount - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

export interface LastAnswer {
  statusText: string | undefined;
  /** The Location header of a redirect, as sent. */
  location: string | undefined;
  tokenSent: boolean;
}

/** The last answer's status when it is not a 2xx (got's retries are over). */
export function statusError(context: PlexErrorContext & { status: number }, answer: LastAnswer): PlexError {
  const { status } = context;
  const { statusText } = answer;
  if (status === 401 || status === 403) return new PlexUnauthorizedError({ ...context, status, tokenSent: answer.tokenSent });
  if (status === 404) return new PlexNotFoundError(context);
  if (status >= 400) return new PlexHttpError({ ...context, status, ...(statusText ? { statusText } : {}) });
  const redirect = redirectTarget(context.url, answer.location);
  const reason = `unexpected status ${status}${statusText ? ` ${statusText}` : ''}`;
  return new PlexBadResponseError({ ...context, reason: redirect ? `${reason}, a redirect to ${redirect} (not followed)` : reason });
}

/**
 * Where a redirect points, without query or fragment (they may carry anything, tokens included). Redirects are
 * not followed (Plex does not redirect API calls; the token header would go along), but the address helps the
 * user: a proxy that sends http:// to https:// names the URL to use instead.
 */
function redirectTarget(requestUrl: string, location: string | undefined): string | undefined {
  if (location === undefined || location.trim() === '') return undefined;
  try {
    const target = new URL(location, requestUrl);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return undefined;
    return `${target.origin}${target.pathname}`;
  } catch {
    return undefined;
  }
}

export interface FailureContext {
  /** The error context for a given cause (the client redacts the cause). */
  context: (cause: unknown) => PlexErrorContext;
  timeoutMs: number;
  token: string | undefined;
  /** The server's base URL, to suggest its http:// form when https:// got plain text back. */
  baseUrl: URL;
}

/** The last attempt's failure (got retried the others already) as a PlexError. */
export function failureError(error: unknown, failure: FailureContext): PlexError {
  if (!(error instanceof RequestError)) throw error;
  if (error.cause instanceof PlexDecodeError) {
    return new PlexBadResponseError({ ...failure.context(error.cause), reason: error.cause.message });
  }
  const base = failure.context(error);
  if (error instanceof TimeoutError || error.name === 'TimeoutError')
    return new PlexTimeoutError({ ...base, timeoutMs: failure.timeoutMs });
  // Failing after the headers arrived means the body was cut short (reset mid-body, length mismatch).
  if (error.response !== undefined || error.name === 'ReadError') {
    const reason =
      error.code === 'ERR_HTTP_CONTENT_LENGTH_MISMATCH'
        ? 'the body is shorter than its Content-Length (truncated)'
        : `the body was cut short (${error.code})`;
    return new PlexBadResponseError({ ...base, reason });
  }
  const code = networkCode(error);
  if (HEADER_BUILD_CODES.has(code)) {
    throw new TypeError(`A Plex request header could not be built (${code}): ${redactText(error.message, [failure.token])}`);
  }
  if (failure.baseUrl.protocol === 'https:' && PLAIN_TEXT_TLS_CODES.has(code)) {
    const plain = new URL(failure.baseUrl.href);
    plain.protocol = 'http:';
    return new PlexWrongProtocolError({ ...base, suggestedUrl: plain.href.replace(/\/$/, '') });
  }
  return new PlexNetworkError({ ...base, reason: code });
}

function networkCode(error: RequestError): string {
  const code = error.code;
  if (code && code !== 'ERR_GOT_REQUEST_ERROR') return code;
  const causeCode = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof causeCode === 'string' ? causeCode : (code ?? error.name);
}
