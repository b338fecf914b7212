// HTTP client for one Plex Media Server. got does the transport (keep-alive agents, timeouts, abort);
// retries, status mapping and decoding are ours, so every failure ends as one typed, token-free PlexError.

import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import got, { RequestError, TimeoutError } from 'got';
import { decodeContainer, decodeIdentity, detectFormat, PlexDecodeError } from './decode.js';
import {
  PlexAbortedError,
  PlexBadResponseError,
  PlexError,
  PlexHttpError,
  PlexListingTooLongError,
  PlexNetworkError,
  PlexNotFoundError,
  PlexResponseTooLargeError,
  PlexTimeoutError,
  PlexUnauthorizedError,
  PlexWrongProtocolError,
  type PlexErrorContext,
} from './errors.js';
import { plexClientHeaders } from './headers.js';
import type { PlexContainer, PlexIdentity, PlexItem, PlexSection } from './model.js';
import { pageThrough, type PlexPage } from './paging.js';
import { redactError, redactText, redactUrl } from './redact.js';

export type { PlexPage } from './paging.js';

export type PlexQuery = Record<string, string | number>;

export interface PlexRequestInfo {
  /** Path and query of the request (never the token). */
  path: string;
  /** HTTP status, or null when no response arrived (network error, timeout, abort). */
  status: number | null;
  ms: number;
}

/** A request is about to be asked again (after a failure or as a smaller page): what progress shows meanwhile. */
export interface PlexRetryInfo {
  /** Path and query of the request (never the token). */
  path: string;
  /** The attempt about to be made (2 for the first retry). */
  attempt: number;
  maxAttempts: number;
  /** Why, in a few words: "timed out after 30 s", "answered 503". */
  reason: string;
  /** How long until it is asked again. */
  retryInMs: number;
}

export interface PlexClientOptions {
  baseUrl: string;
  token?: string;
  serverName: string;
  /** X-Plex-Client-Identifier, stable per installation and persisted by the caller. */
  clientIdentifier: string;
  /** X-Plex-Product, default 'Marquee'. */
  product?: string;
  /** X-Plex-Version. */
  version?: string;
  /** X-Plex-Platform, default from the OS. */
  platform?: string;
  /** X-Plex-Device-Name, default the host name. */
  deviceName?: string;
  /** Per attempt, from sending the request to the end of the body. Default 30000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** Base of the exponential backoff (attempt n waits about base·2^(n-1), with jitter). Default 500. */
  retryBaseMs?: number;
  /** Upper bound of one backoff delay. Default 10000. */
  retryMaxMs?: number;
  /** Longest Retry-After (429/503) honoured; longer requests are shortened to this. Default 30000. */
  maxRetryAfterMs?: number;
  /** Cancels in-flight requests and pending retries. */
  signal?: AbortSignal;
  /** Default true: Accept: application/json. */
  preferJson?: boolean;
  /** Called after every attempt (including retries), e.g. to count requests for sync reports. */
  onRequest?: (info: PlexRequestInfo) => void;
  /** Called before a request is asked again (backoff or a smaller page), e.g. for "waiting for Plex…" progress. */
  onRetry?: (info: PlexRetryInfo) => void;
  /**
   * Most bytes one answer may decompress to; more fails at once with PlexResponseTooLargeError (a gzip bomb,
   * an endless body). Counted as chunks arrive. Default 256 MiB, far above any real page.
   */
  maxResponseBytes?: number;
  /**
   * How many items a listing may bring beyond the total the server announced on its first page (a listing
   * that never ends must not fill the disk). Default: the announced total again plus 10,000.
   */
  maxListingGrowth?: number;
}

export interface PlexPaging {
  start: number;
  size: number;
}

/** Most keys per `/library/metadata/k1,k2,…` request. */
export const METADATA_BATCH_SIZE = 100;

const DEFAULTS = {
  timeoutMs: 30_000,
  retries: 3,
  retryBaseMs: 500,
  retryMaxMs: 10_000,
  maxRetryAfterMs: 30_000,
  maxResponseBytes: 256 * 1024 * 1024,
};

/** Smallest page the client shrinks a listing to when big pages time out or fail. */
export const MIN_SHRUNK_PAGE_SIZE = 100;

// Node refuses such a header before sending it: a bug of ours (a value we failed to make sendable), not the network.
const HEADER_BUILD_CODES = new Set(['ERR_INVALID_CHAR', 'ERR_HTTP_INVALID_HEADER_VALUE', 'ERR_INVALID_HTTP_TOKEN']);
// A TLS client that gets plain text back (an http server behind an https:// URL).
const PLAIN_TEXT_TLS_CODES = new Set(['EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG']);

// Certificate problems do not go away by asking again.
const PERMANENT_NETWORK_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_INVALID_URL',
]);

type AttemptResult =
  | { ok: true; container: PlexContainer }
  | {
      ok: false;
      retryable: boolean;
      /** A timeout or 5xx: what a smaller page may cure (see RequestSpec.shrinkable). */
      slow?: boolean;
      retryAfterMs?: number;
      /** Few words for progress: "timed out after 30 s". */
      reason: string;
      fail: (attempts: number) => PlexError;
    };

interface RequestSpec {
  url: URL;
  signal: AbortSignal | undefined;
  sendToken: boolean;
  /** Overrides the client's retry count for this request. */
  retries?: number;
  /** The caller asks again in smaller pages when this one times out or answers 5xx: those are not retried. */
  shrinkable?: boolean;
}

export interface ContainerOptions {
  signal?: AbortSignal;
  retries?: number;
  shrinkable?: boolean;
}

export class PlexClient {
  readonly serverName: string;
  private readonly base: URL;
  private readonly token: string | undefined;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly signal: AbortSignal | undefined;
  private readonly onRequest: PlexClientOptions['onRequest'];
  private readonly onRetry: PlexClientOptions['onRetry'];
  private readonly maxResponseBytes: number;
  private readonly maxListingGrowth: number | undefined;
  private shrunkPageSize: number | undefined;
  private serverDate: number | null = null;
  private readonly agents: { http: http.Agent; https: https.Agent };

  constructor(options: PlexClientOptions) {
    this.serverName = options.serverName;
    this.token = options.token === '' ? undefined : options.token;
    this.base = parseBaseUrl(options.baseUrl, this.token);
    this.timeoutMs = positive(options.timeoutMs, DEFAULTS.timeoutMs);
    this.retries = Math.max(0, Math.floor(options.retries ?? DEFAULTS.retries));
    this.retryBaseMs = Math.max(0, options.retryBaseMs ?? DEFAULTS.retryBaseMs);
    this.retryMaxMs = Math.max(0, options.retryMaxMs ?? DEFAULTS.retryMaxMs);
    this.maxRetryAfterMs = Math.max(0, options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs);
    this.signal = options.signal;
    this.onRequest = options.onRequest;
    this.onRetry = options.onRetry;
    this.maxResponseBytes = positive(options.maxResponseBytes, DEFAULTS.maxResponseBytes);
    this.maxListingGrowth = options.maxListingGrowth;
    if (this.token !== undefined && !/^[\x21-\x7e]+$/.test(this.token)) {
      throw new TypeError('The Plex token contains spaces or characters a token cannot have; paste it again');
    }
    this.headers = clientHeaders(options);
    // One keep-alive pool per client: a sync makes thousands of requests to the same host.
    this.agents = {
      http: new http.Agent({ keepAlive: true, maxSockets: 8 }),
      https: new https.Agent({ keepAlive: true, maxSockets: 8 }),
    };
  }

  /**
   * The server's clock: the `Date` header of the latest answer that had one, in epoch seconds (null before any).
   * A watermark must not run ahead of it.
   */
  get lastServerDate(): number | null {
    return this.serverDate;
  }

  /** GET /identity: the server's machineIdentifier and version. Sent without the token (none is needed). */
  async identity(): Promise<PlexIdentity> {
    const url = this.urlFor('/identity', {});
    const container = await this.request({ url, signal: undefined, sendToken: false });
    try {
      return decodeIdentity(container);
    } catch (error) {
      if (!(error instanceof PlexDecodeError)) throw error;
      throw new PlexBadResponseError({ ...this.context(url, 1, error), reason: error.message });
    }
  }

  /** GET /library/sections. */
  async sections(): Promise<PlexSection[]> {
    return (await this.container('/library/sections')).sections;
  }

  /** GET any path (relative to the server) and decode it, optionally one page of it. */
  async container(path: string, query: PlexQuery = {}, paging?: PlexPaging, options: ContainerOptions = {}): Promise<PlexContainer> {
    const pagedQuery = paging
      ? { ...query, 'X-Plex-Container-Start': paging.start, 'X-Plex-Container-Size': paging.size }
      : query;
    return this.request({
      url: this.urlFor(path, pagedQuery),
      signal: options.signal,
      sendToken: true,
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.shrinkable === true ? { shrinkable: true } : {}),
    });
  }

  /**
   * Full metadata for the given rating keys, in batches of at most 100 keys per request. Keys the server no
   * longer has are simply missing from the result (a batch where none exists answers 404: that is an empty batch).
   */
  async metadata(ratingKeys: string[]): Promise<PlexItem[]> {
    const keys = [...new Set(ratingKeys)];
    for (const key of keys) {
      if (!/^[^,/?#\s]+$/.test(key)) throw new TypeError(`Invalid Plex rating key: ${JSON.stringify(key)}`);
    }
    const items: PlexItem[] = [];
    for (let i = 0; i < keys.length; i += METADATA_BATCH_SIZE) {
      const batch = keys.slice(i, i + METADATA_BATCH_SIZE).map(encodeURIComponent).join(',');
      try {
        items.push(...(await this.container(`/library/metadata/${batch}`)).items);
      } catch (error) {
        if (!(error instanceof PlexNotFoundError)) throw error;
      }
    }
    return items;
  }

  /**
   * Pages through a listing, one request ahead of the consumer (see paging.ts). `shrinkable`: a page that
   * times out or answers 5xx fails at once, without retries, because the caller will ask in smaller pages.
   */
  pages(
    path: string,
    query: PlexQuery = {},
    options: { pageSize?: number; signal?: AbortSignal; startAt?: number; shrinkable?: boolean } = {},
  ): AsyncGenerator<PlexPage, void, undefined> {
    const url = this.urlFor(path, query);
    const shrinkable = options.shrinkable === true;
    return pageThrough((start, size, signal) => this.container(path, query, { start, size }, { signal, shrinkable }), {
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
      ...(options.startAt !== undefined ? { startAt: options.startAt } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(this.maxListingGrowth !== undefined ? { maxGrowth: this.maxListingGrowth } : {}),
      stalled: (reason) => new PlexBadResponseError({ ...this.context(url), reason }),
      tooLong: (limitItems, announced) => new PlexListingTooLongError({ ...this.context(url), limitItems, announced }),
    });
  }

  /** The page size listings use from now on: the asked size, or less once big pages failed on this server. */
  pageSizeFor(requested: number): number {
    return this.shrunkPageSize === undefined ? requested : Math.min(requested, this.shrunkPageSize);
  }

  /**
   * Big pages time out or fail on this server: every later listing of this client asks for at most half of
   * `failedSize` (not below MIN_SHRUNK_PAGE_SIZE). Returns the new size.
   */
  shrinkPageSize(failedSize: number): number {
    const smaller = Math.max(MIN_SHRUNK_PAGE_SIZE, Math.floor(failedSize / 2));
    this.shrunkPageSize = Math.min(this.shrunkPageSize ?? smaller, smaller);
    return this.shrunkPageSize;
  }

  /** Tells the onRetry listener that a request is asked again; listing readers use it when they shrink pages. */
  announceRetry(info: PlexRetryInfo): void {
    if (!this.onRetry) return;
    try {
      this.onRetry({ ...info, path: redactUrl(info.path) });
    } catch {
      // Progress must never break a request.
    }
  }

  /** The listing's total size, asked with X-Plex-Container-Size=0 (no items are sent). */
  async count(path: string, query: PlexQuery = {}): Promise<number> {
    const container = await this.container(path, query, { start: 0, size: 0 });
    if (container.totalSize !== undefined) return container.totalSize;
    // A server that ignored the paging sent everything, and said how much in `size`.
    if (container.size !== undefined && container.size > 0 && container.size === container.items.length) return container.size;
    const url = this.urlFor(path, { ...query, 'X-Plex-Container-Start': 0, 'X-Plex-Container-Size': 0 });
    throw new PlexBadResponseError({ ...this.context(url), reason: 'the answer has no totalSize' });
  }

  /** GET /hubs/search: items matching the query across the server, or in one section. */
  async search(query: string, sectionId?: string): Promise<PlexItem[]> {
    const params: PlexQuery = { query };
    if (sectionId !== undefined) params.sectionId = sectionId;
    return (await this.container('/hubs/search', params)).items;
  }

  /** Closes the keep-alive sockets. Requests made afterwards open new ones. */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private async request(spec: RequestSpec): Promise<PlexContainer> {
    const signal = combineSignals(this.signal, spec.signal);
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw this.aborted(spec, attempt - 1, signal);
      const result = await this.attempt(spec, signal);
      if (result.ok) return result.container;
      if (signal?.aborted) throw this.aborted(spec, attempt, signal);
      const retries = spec.retries ?? this.retries;
      if (!result.retryable || attempt > retries || (spec.shrinkable === true && result.slow === true)) throw result.fail(attempt);
      const wait = this.retryDelay(attempt, result.retryAfterMs);
      this.announceRetry({ path: this.relativePath(spec.url), attempt: attempt + 1, maxAttempts: retries + 1, reason: result.reason, retryInMs: Math.round(wait) });
      await this.sleep(wait, signal, spec, attempt);
    }
  }

  private async attempt(spec: RequestSpec, signal: AbortSignal | undefined): Promise<AttemptResult> {
    const { url } = spec;
    const started = performance.now();
    let status: number | null = null;
    // Ends this attempt alone (not the caller's signal) when the answer grows past the cap.
    const sizeGuard = new AbortController();
    let tooLarge = false;
    try {
      const request = got(url, {
        headers: spec.sendToken && this.token !== undefined ? { ...this.headers, 'x-plex-token': this.token } : this.headers,
        agent: { http: this.agents.http, https: this.agents.https },
        timeout: { request: this.timeoutMs },
        retry: { limit: 0 },
        throwHttpErrors: false,
        // A redirect would carry the token header to wherever it points; Plex does not redirect API calls.
        followRedirect: false,
        strictContentLength: true,
        // Bytes, decoded below by Buffer's own UTF-8 decoder: markedly cheaper than got's text decoding on
        // pages of a megabyte or more.
        responseType: 'buffer',
        signal: signal ? AbortSignal.any([signal, sizeGuard.signal]) : sizeGuard.signal,
      });
      // got counts decompressed bytes as they arrive (`transferred`) and reports the announced length (`total`)
      // before the first chunk: either past the cap ends the attempt without holding more than the cap.
      request.on('downloadProgress', (progress: { transferred: number; total?: number }) => {
        if (tooLarge || (progress.transferred <= this.maxResponseBytes && (progress.total ?? 0) <= this.maxResponseBytes)) return;
        tooLarge = true;
        sizeGuard.abort();
      });
      const response = await request;
      status = response.statusCode;
      this.noteServerDate(response.headers.date);
      const bytes = response.body;
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
      return this.interpret(spec, response.statusCode, response.statusMessage, response.headers, text);
    } catch (error) {
      if (tooLarge) return this.tooLarge(spec);
      return this.interpretFailure(spec, error);
    } finally {
      this.report(url, status, performance.now() - started);
    }
  }

  private interpret(
    spec: RequestSpec,
    status: number,
    statusText: string | undefined,
    headers: http.IncomingHttpHeaders,
    body: string,
  ): AttemptResult {
    const context = (attempts: number): PlexErrorContext => ({ ...this.context(spec.url, attempts), status });
    if (status >= 200 && status < 300) {
      try {
        return { ok: true, container: decodeContainer(body, detectFormat(headers['content-type'], body)) };
      } catch (error) {
        if (!(error instanceof PlexDecodeError)) throw error;
        // Possibly a proxy hiccup or a body cut short without a content-length: worth another try.
        return {
          ok: false,
          retryable: true,
          reason: 'sent an unreadable answer',
          fail: (n) => new PlexBadResponseError({ ...context(n), cause: error, reason: error.message }),
        };
      }
    }
    const reason = `answered ${status}`;
    if (status === 401 || status === 403) {
      const tokenSent = spec.sendToken && this.token !== undefined;
      return { ok: false, retryable: false, reason, fail: (n) => new PlexUnauthorizedError({ ...context(n), status, tokenSent }) };
    }
    if (status === 404) return { ok: false, retryable: false, reason, fail: (n) => new PlexNotFoundError(context(n)) };
    const httpError = (n: number): PlexError =>
      new PlexHttpError({ ...context(n), status, ...(statusText ? { statusText } : {}) });
    if (status === 429 || status === 408 || status >= 500) {
      const retryAfterMs = parseRetryAfter(headers['retry-after']);
      return { ok: false, retryable: true, slow: status >= 500, reason, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), fail: httpError };
    }
    if (status >= 400) return { ok: false, retryable: false, reason, fail: httpError };
    return {
      ok: false,
      retryable: false,
      reason,
      fail: (n) => new PlexBadResponseError({ ...context(n), reason: `unexpected status ${status}${statusText ? ` ${statusText}` : ''}` }),
    };
  }

  private tooLarge(spec: RequestSpec): AttemptResult {
    const limitBytes = this.maxResponseBytes;
    return {
      ok: false,
      retryable: false,
      reason: 'sent too much',
      fail: (n) => new PlexResponseTooLargeError({ ...this.context(spec.url, n), limitBytes }),
    };
  }

  private noteServerDate(value: string | undefined): void {
    if (value === undefined) return;
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) this.serverDate = Math.floor(ms / 1000);
  }

  private interpretFailure(spec: RequestSpec, error: unknown): AttemptResult {
    if (!(error instanceof RequestError)) throw error;
    const base = (attempts: number): PlexErrorContext => this.context(spec.url, attempts, error);
    if (error instanceof TimeoutError || error.name === 'TimeoutError') {
      return {
        ok: false,
        retryable: true,
        slow: true,
        reason: `did not answer within ${Math.round(this.timeoutMs / 1000)} s`,
        fail: (n) => new PlexTimeoutError({ ...base(n), timeoutMs: this.timeoutMs }),
      };
    }
    // Failing after the headers arrived means the body was cut short (reset mid-body, length mismatch).
    if (error.response !== undefined || error.name === 'ReadError') {
      const reason =
        error.code === 'ERR_HTTP_CONTENT_LENGTH_MISMATCH'
          ? 'the body is shorter than its Content-Length (truncated)'
          : `the body was cut short (${error.code})`;
      return { ok: false, retryable: true, reason: 'cut its answer short', fail: (n) => new PlexBadResponseError({ ...base(n), reason }) };
    }
    const code = networkCode(error);
    if (HEADER_BUILD_CODES.has(code)) {
      throw new TypeError(`A Plex request header could not be built (${code}): ${redactText(error.message, [this.token])}`);
    }
    if (spec.url.protocol === 'https:' && PLAIN_TEXT_TLS_CODES.has(code)) {
      const plain = new URL(this.base.href);
      plain.protocol = 'http:';
      const suggestedUrl = plain.href.replace(/\/$/, '');
      return { ok: false, retryable: false, reason: code, fail: (n) => new PlexWrongProtocolError({ ...base(n), suggestedUrl }) };
    }
    return {
      ok: false,
      retryable: !PERMANENT_NETWORK_CODES.has(code),
      reason: 'could not be reached',
      fail: (n) => new PlexNetworkError({ ...base(n), reason: code }),
    };
  }

  private context(url: URL, attempts?: number, cause?: unknown): PlexErrorContext {
    return {
      serverName: this.serverName,
      url: url.href,
      ...(attempts !== undefined ? { attempts } : {}),
      secrets: [this.token],
      // got's errors hold the request options, headers and token included: keep only a redacted copy.
      ...(cause !== undefined ? { cause: redactError(cause, [this.token], cause instanceof RequestError) } : {}),
    };
  }

  private aborted(spec: RequestSpec, attempts: number, signal: AbortSignal): PlexAbortedError {
    return new PlexAbortedError({ ...this.context(spec.url, attempts), cause: signal.reason });
  }

  /** Exponential backoff with jitter (half fixed, half random); a server's Retry-After wins, up to the cap. */
  private retryDelay(attempt: number, retryAfterMs: number | undefined): number {
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, this.maxRetryAfterMs);
    const ceiling = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (attempt - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  /** Waits out a backoff; an abort ends the wait at once. */
  private async sleep(ms: number, signal: AbortSignal | undefined, spec: RequestSpec, attempts: number): Promise<void> {
    try {
      await delay(ms, undefined, signal ? { signal } : {});
    } catch (error) {
      if (signal?.aborted) throw this.aborted(spec, attempts, signal);
      throw error;
    }
  }

  private report(url: URL, status: number | null, ms: number): void {
    if (!this.onRequest) return;
    try {
      this.onRequest({ path: this.relativePath(url), status, ms: Math.round(ms) });
    } catch {
      // Counting requests must never break one.
    }
  }

  private relativePath(url: URL): string {
    return redactUrl(url.pathname.slice(this.basePath().length) + url.search);
  }

  private basePath(): string {
    return this.base.pathname.replace(/\/+$/, '');
  }

  private urlFor(path: string, query: PlexQuery): URL {
    if (!path.startsWith('/') || path.startsWith('//')) {
      throw new TypeError(`Plex paths are relative to the server and start with one "/": ${JSON.stringify(redactUrl(path))}`);
    }
    const url = new URL(this.basePath() + path, this.base.origin);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
    return url;
  }
}

function parseBaseUrl(baseUrl: string, token: string | undefined): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`Not a valid Plex server URL: ${JSON.stringify(redactText(baseUrl, [token]))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Plex server URL must be http or https: ${JSON.stringify(redactUrl(url.href))}`);
  }
  // The token travels as a header only; a token pasted into the URL is dropped rather than sent twice.
  url.search = '';
  url.hash = '';
  return url;
}

function combineSignals(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}

function networkCode(error: RequestError): string {
  const code = error.code;
  if (code && code !== 'ERR_GOT_REQUEST_ERROR') return code;
  const causeCode = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof causeCode === 'string' ? causeCode : (code ?? error.name);
}

/** Retry-After in seconds or as an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The headers every request carries (see headers.ts). */
export function clientHeaders(options: Pick<PlexClientOptions, 'clientIdentifier' | 'product' | 'version' | 'platform' | 'deviceName' | 'preferJson'>): Record<string, string> {
  return { accept: options.preferJson === false ? 'application/xml' : 'application/json', ...plexClientHeaders(options) };
}
