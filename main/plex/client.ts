// HTTP client for one Plex Media Server. got does the transport: keep-alive agents, timeouts, abort, and the
// retry loop (limit, methods, status and error codes, Retry-After). What is ours is Plex-specific: the headers,
// decoding, the size cap, which failures a smaller page cures, progress callbacks, and the mapping of every
// failure to one typed, token-free PlexError.

import { performance } from 'node:perf_hooks';
import { RequestError, type Response, type RetryObject } from 'got';
import { decodeContainer, decodeIdentity, decodeItem, detectFormat, PlexDecodeError, type ItemDecoder } from './decode.js';
import {
  PlexAbortedError,
  PlexBadResponseError,
  PlexListingTooLongError,
  PlexNotFoundError,
  PlexResponseTooLargeError,
  type PlexErrorContext,
} from './errors.js';
import { clientHeaders, type ClientIdentity } from './headers.js';
import type { PlexContainer, PlexIdentity, PlexItem, PlexSection } from './model.js';
import { pageThrough, type PlexPage } from './paging.js';
import { redactError, redactText, redactUrl } from './redact.js';
import { backoffMs, createTransport, failureError, isSlow, retryReason, statusError, type PlexTransport } from './transport.js';

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

export interface PlexClientOptions extends ClientIdentity {
  baseUrl: string;
  token?: string;
  serverName: string;
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

/** An image the photo transcoder made. */
export interface PlexImage {
  bytes: Buffer;
  /** As the server sent it: always an `image/…` type. */
  contentType: string;
}

/** Largest image answer accepted (a poster is tens of kilobytes; a 4K background a few megabytes). */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** Most keys per `/library/metadata/k1,k2,…` request. */
export const METADATA_BATCH_SIZE = 100;

/** What the detail pass leaves out of full metadata: tag arrays and images it does not read (Reaparr #593). */
const DETAIL_EXCLUDED_ELEMENTS = 'Role,Director,Writer,Producer,Genre,Country,Collection,Label,Guid,Rating,Image,Similar,Field';

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

/** What one request learns across its attempts; got's hooks fill it in. */
interface CallState<I> {
  attempts: number;
  /** performance.now() when the current attempt started. */
  started: number;
  /** The current attempt was reported to onRequest already. */
  reported: boolean;
  /** The decoded answer of a 2xx attempt. */
  container?: PlexContainer<I>;
  /** The answer grew past maxResponseBytes: the attempt was aborted and is not retried. */
  tooLarge: boolean;
}

/** What a single, unretried request (PlexClient.once) adds to the usual. */
interface SingleRequest {
  method?: 'GET' | 'PUT';
  /** Overrides the signal got is given (the caller's still decides what counts as a cancel). */
  signal?: AbortSignal;
  /** Sees the request while it runs (a size guard on its progress). */
  watch?: (pending: ReturnType<PlexTransport['got']>) => void;
  /** A failure of the caller's own that explains a transport error better than the usual mapping. */
  failure?: () => Error | undefined;
}

interface RequestTarget {
  url: URL;
  signal: AbortSignal | undefined;
  sendToken: boolean;
  /** Overrides the client's retry count for this request. */
  retries?: number;
  /** The caller asks again in smaller pages when this one times out or answers 5xx: those are not retried. */
  shrinkable?: boolean;
}

interface RequestSpec<I> extends RequestTarget {
  /** Decodes each item of the answer. */
  items: ItemDecoder<I>;
}

/** What paging needs of an item, whatever it was decoded into. */
type Keyed = { ratingKey: string };

export interface ContainerOptions {
  signal?: AbortSignal;
  retries?: number;
  shrinkable?: boolean;
}

/** Items decoded by the caller's decoder instead of into PlexItems (the sync's listings: straight into records). */
export interface DecodedWith<I> {
  items: ItemDecoder<I>;
}

export interface PagesOptions {
  pageSize?: number;
  signal?: AbortSignal;
  startAt?: number;
  shrinkable?: boolean;
}

export class PlexClient {
  readonly serverName: string;
  private readonly base: URL;
  private readonly token: string | undefined;
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
  private readonly transport: PlexTransport;

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
    this.transport = createTransport(clientHeaders(options), this.timeoutMs);
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
    const container = await this.request({ url, items: decodeItem, signal: undefined, sendToken: false });
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
  container(path: string, query?: PlexQuery, paging?: PlexPaging, options?: ContainerOptions): Promise<PlexContainer>;
  container<I>(
    path: string,
    query: PlexQuery,
    paging: PlexPaging | undefined,
    options: ContainerOptions & DecodedWith<I>,
  ): Promise<PlexContainer<I>>;
  async container(
    path: string,
    query: PlexQuery = {},
    paging?: PlexPaging,
    options: ContainerOptions & Partial<DecodedWith<unknown>> = {},
  ): Promise<PlexContainer<unknown>> {
    const pagedQuery = paging ? { ...query, 'X-Plex-Container-Start': paging.start, 'X-Plex-Container-Size': paging.size } : query;
    return this.request({
      url: this.urlFor(path, pagedQuery),
      items: options.items ?? decodeItem,
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
      const batch = keys
        .slice(i, i + METADATA_BATCH_SIZE)
        .map(encodeURIComponent)
        .join(',');
      try {
        items.push(...(await this.container(`/library/metadata/${batch}`)).items);
      } catch (error) {
        if (!(error instanceof PlexNotFoundError)) throw error;
      }
    }
    return items;
  }

  /**
   * Full metadata with their `Guid[]` for at most METADATA_BATCH_SIZE keys, in ONE request
   * (`/library/metadata/{a,b,c}?includeGuids=1`): what live changes fetch after Plex announced them. Keys the
   * server no longer has are missing from the result (none left: 404, an empty result).
   */
  async metadataBatch(ratingKeys: readonly string[]): Promise<PlexItem[]> {
    const keys = [...new Set(ratingKeys)];
    if (keys.length === 0) return [];
    if (keys.length > METADATA_BATCH_SIZE)
      throw new TypeError(`At most ${METADATA_BATCH_SIZE} keys per metadata request, got ${keys.length}`);
    for (const key of keys) {
      if (!/^[^,/?#\s]+$/.test(key)) throw new TypeError(`Invalid Plex rating key: ${JSON.stringify(key)}`);
    }
    try {
      return (await this.container(`/library/metadata/${keys.map(encodeURIComponent).join(',')}`, { includeGuids: 1 })).items;
    } catch (error) {
      if (error instanceof PlexNotFoundError) return [];
      throw error;
    }
  }

  /**
   * Full metadata for the detail pass: each Part's `Stream` elements, for at most METADATA_BATCH_SIZE keys in ONE
   * request. A comma list of keys answers full items with `Media[].Part[].Stream[]` (python-plexapi PR #1184 made
   * fetchItems take a list of keys this way; Reaparr issue #593 saw streams kept in such batches on real servers,
   * with `excludeElements` leaving out the tag arrays the pass does not need, and `skipRefresh=1`). Keys the
   * server no longer has are missing from the result (none left: 404, an empty result).
   */
  async metadataStreams(ratingKeys: readonly string[], options: { signal?: AbortSignal } = {}): Promise<PlexItem[]> {
    const keys = [...new Set(ratingKeys)];
    if (keys.length === 0) return [];
    if (keys.length > METADATA_BATCH_SIZE)
      throw new TypeError(`At most ${METADATA_BATCH_SIZE} keys per metadata request, got ${keys.length}`);
    for (const key of keys) {
      if (!/^[^,/?#\s]+$/.test(key)) throw new TypeError(`Invalid Plex rating key: ${JSON.stringify(key)}`);
    }
    const query = { skipRefresh: 1, excludeElements: DETAIL_EXCLUDED_ELEMENTS };
    try {
      return (
        await this.container(`/library/metadata/${keys.map(encodeURIComponent).join(',')}`, query, undefined, {
          ...(options.signal !== undefined ? { signal: options.signal } : {}),
        })
      ).items;
    } catch (error) {
      if (error instanceof PlexNotFoundError) return [];
      throw error;
    }
  }

  /**
   * Pages through a listing, two requests ahead of the consumer (see paging.ts). `shrinkable`: a page that
   * times out or answers 5xx fails at once, without retries, because the caller will ask in smaller pages.
   */
  pages(path: string, query?: PlexQuery, options?: PagesOptions): AsyncGenerator<PlexPage, void, undefined>;
  pages<I extends Keyed>(
    path: string,
    query: PlexQuery,
    options: PagesOptions & DecodedWith<I>,
  ): AsyncGenerator<PlexPage<I>, void, undefined>;
  pages(
    path: string,
    query: PlexQuery = {},
    options: PagesOptions & Partial<DecodedWith<Keyed>> = {},
  ): AsyncGenerator<PlexPage<Keyed>, void, undefined> {
    const url = this.urlFor(path, query);
    const shrinkable = options.shrinkable === true;
    const items: ItemDecoder<Keyed> = options.items ?? decodeItem;
    return pageThrough((start, size, signal) => this.container(path, query, { start, size }, { signal, shrinkable, items }), {
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

  /**
   * Asks Plex to scan a library's folders for new, changed and removed files: GET
   * /library/sections/{key}/refresh, optionally for one folder (`path=`) or re-reading everything (`force=1`).
   * Plex answers at once with an empty 200; the results arrive on the notification socket.
   */
  async scanSection(sectionKey: string, options: { path?: string; force?: boolean } = {}): Promise<void> {
    const query: PlexQuery = {};
    if (options.path !== undefined) query.path = options.path;
    if (options.force === true) query.force = 1;
    await this.action('GET', `/library/sections/${encodeURIComponent(sectionKey)}/refresh`, query);
  }

  /** Asks Plex to refresh one item's metadata from its agents: PUT /library/metadata/{key}/refresh (empty 200). */
  async refreshItem(ratingKey: string): Promise<void> {
    await this.action('PUT', `/library/metadata/${encodeURIComponent(ratingKey)}/refresh`, {});
  }

  /**
   * A request whose answer carries nothing to decode (Plex's actions answer 200 with an empty body). Not retried:
   * asking twice would start a second scan. Failures are the same typed, token-free PlexErrors as elsewhere.
   */
  private async action(method: 'GET' | 'PUT', path: string, query: PlexQuery): Promise<void> {
    await this.once(this.urlFor(path, query), this.signal, { method }, () => undefined);
  }

  /**
   * An item's image through Plex's photo transcoder at a size: `GET /photo/:/transcode?url=SOURCE&width=W&height=H
   * &minSize=1&upscale=1` (the parameters python-plexapi's `PlexServer.transcodeImage` sends), where SOURCE is the
   * item's `/library/metadata/{key}/thumb` or `…/art`. Not retried: a missing image shows a placeholder and is
   * asked again the next time it is on screen, while a retry's backoff would hold a slot of the caller's queue.
   * Failures are the usual typed, token-free PlexErrors (404: the item has no such image); an answer that is not
   * an image, or larger than MAX_IMAGE_BYTES, is a PlexBadResponseError / PlexResponseTooLargeError.
   */
  async photo(source: string, size: { width: number; height: number }, options: { signal?: AbortSignal } = {}): Promise<PlexImage> {
    if (!/^\/library\/metadata\/[^/?#\s]+\/(?:thumb|art)$/.test(source))
      throw new TypeError(`Not an item image path: ${JSON.stringify(source)}`);
    const url = this.urlFor('/photo/:/transcode', { url: source, width: size.width, height: size.height, minSize: 1, upscale: 1 });
    const signal = combineSignals(this.signal, options.signal);
    const sizeGuard = new AbortController();
    let tooLarge = false;
    const request: SingleRequest = {
      signal: signal ? AbortSignal.any([signal, sizeGuard.signal]) : sizeGuard.signal,
      watch: (pending) => {
        void pending.on('downloadProgress', (progress: { transferred: number; total?: number }) => {
          if (tooLarge || (progress.transferred <= MAX_IMAGE_BYTES && (progress.total ?? 0) <= MAX_IMAGE_BYTES)) return;
          tooLarge = true;
          sizeGuard.abort();
        });
      },
      failure: () => (tooLarge ? new PlexResponseTooLargeError({ ...this.context(url, 1), limitBytes: MAX_IMAGE_BYTES }) : undefined),
    };
    return this.once(url, signal, request, (response) => {
      const contentType = (response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (!contentType.startsWith('image/')) {
        throw new PlexBadResponseError({ ...this.context(url, 1), reason: `the answer is not an image (${contentType || 'no type'})` });
      }
      return { bytes: Buffer.from(response.rawBody), contentType };
    });
  }

  /**
   * One request, never retried (actions must not run twice; images are asked again when next on screen), and
   * counted. A non-2xx answer, a transport failure or a cancel become the usual typed, token-free PlexErrors;
   * `request.failure` may name a failure of its own first (an image over the size limit).
   */
  private async once<T>(
    url: URL,
    signal: AbortSignal | undefined,
    request: SingleRequest,
    answer: (response: Response<Uint8Array<ArrayBuffer>>) => T,
  ): Promise<T> {
    const spec: RequestTarget = { url, signal, sendToken: true };
    if (signal?.aborted) throw this.aborted(spec, 0, signal);
    const started = performance.now();
    let status: number | null = null;
    try {
      const requestSignal = request.signal ?? signal;
      const pending = this.transport.got(url, {
        method: request.method ?? 'GET',
        responseType: 'buffer',
        ...(this.token !== undefined ? { headers: { 'x-plex-token': this.token } } : {}),
        ...(requestSignal !== undefined ? { signal: requestSignal } : {}),
        retry: { limit: 0 },
      });
      request.watch?.(pending);
      const response = await pending;
      status = response.statusCode;
      this.noteServerDate(response.headers.date);
      if (status < 200 || status >= 300) {
        throw statusError(
          { ...this.context(url, 1), status },
          { statusText: response.statusMessage, location: response.headers.location, tokenSent: this.token !== undefined },
        );
      }
      return answer(response);
    } catch (error) {
      if (status !== null) throw error;
      const own = request.failure?.();
      if (own !== undefined) throw own;
      if (signal?.aborted) throw this.aborted(spec, 1, signal);
      throw failureError(error, {
        context: (cause) => this.context(url, 1, cause),
        timeoutMs: this.timeoutMs,
        token: this.token,
        baseUrl: this.base,
      });
    } finally {
      try {
        this.onRequest?.({ path: this.relativePath(url), status, ms: Math.round(performance.now() - started) });
      } catch {
        // Counting requests must never break one.
      }
    }
  }

  /** Closes the keep-alive sockets. Requests made afterwards open new ones. */
  close(): void {
    this.transport.close();
  }

  private async request<I>(spec: RequestSpec<I>): Promise<PlexContainer<I>> {
    const signal = combineSignals(this.signal, spec.signal);
    if (signal?.aborted) throw this.aborted(spec, 0, signal);
    const call: CallState<I> = { attempts: 0, started: 0, reported: true, tooLarge: false };
    // Ends the request alone (not the caller's signal) when an answer grows past the cap.
    const sizeGuard = new AbortController();
    let response: Response<Uint8Array>;
    try {
      const pending = this.transport.got(spec.url, {
        responseType: 'buffer',
        ...(spec.sendToken && this.token !== undefined ? { headers: { 'x-plex-token': this.token } } : {}),
        signal: signal ? AbortSignal.any([signal, sizeGuard.signal]) : sizeGuard.signal,
        retry: { limit: spec.retries ?? this.retries, calculateDelay: (retry) => this.retryDelay(spec, call, retry) },
        hooks: {
          beforeRequest: [() => this.attemptStarts(call)],
          afterResponse: [(answer) => this.attemptAnswered(spec, call, answer)],
        },
      });
      // got counts decompressed bytes as they arrive (`transferred`) and reports the announced length (`total`)
      // before the first chunk: either past the cap ends the request without holding more than the cap.
      // on() returns the same request, awaited just below.
      void pending.on('downloadProgress', (progress: { transferred: number; total?: number }) => {
        if (call.tooLarge || (progress.transferred <= this.maxResponseBytes && (progress.total ?? 0) <= this.maxResponseBytes)) return;
        call.tooLarge = true;
        sizeGuard.abort();
      });
      response = await pending;
    } catch (error) {
      this.attemptFailed(spec, call);
      if (call.tooLarge)
        throw new PlexResponseTooLargeError({ ...this.context(spec.url, call.attempts), limitBytes: this.maxResponseBytes });
      if (signal?.aborted) throw this.aborted(spec, call.attempts, signal);
      throw failureError(error, {
        context: (cause) => this.context(spec.url, call.attempts, cause),
        timeoutMs: this.timeoutMs,
        token: this.token,
        baseUrl: this.base,
      });
    }
    if (call.container !== undefined) return call.container;
    const context = { ...this.context(spec.url, call.attempts), status: response.statusCode };
    throw statusError(context, {
      statusText: response.statusMessage,
      location: response.headers.location,
      tokenSent: spec.sendToken && this.token !== undefined,
    });
  }

  private attemptStarts(call: CallState<unknown>): void {
    call.attempts++;
    call.started = performance.now();
    call.reported = false;
  }

  /** Every answer, whatever its status: the server's clock, the report, and the decoded body of a 2xx. */
  private attemptAnswered<I>(spec: RequestSpec<I>, call: CallState<I>, response: Response): Response {
    this.noteServerDate(response.headers.date);
    this.reportAttempt(spec, call, response.statusCode);
    if (response.statusCode < 200 || response.statusCode >= 300) return response;
    const bytes = response.rawBody;
    // Buffer's own UTF-8 decoder: markedly cheaper than got's text decoding on pages of a megabyte or more.
    const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    // A PlexDecodeError thrown here reaches got's retry as error code BAD_RESPONSE.
    call.container = decodeContainer(body, detectFormat(response.headers['content-type'], body), spec.items);
    return response;
  }

  /** An attempt ended without an answer (network, timeout, body cut short, abort): reported once, status null. */
  private attemptFailed(spec: RequestTarget, call: CallState<unknown>): void {
    if (call.attempts > 0 && !call.reported) this.reportAttempt(spec, call, null);
  }

  /**
   * got's calculateDelay, called only for failures its rules allow to retry (limit, GET, RETRIED_STATUSES,
   * RETRIED_ERROR_CODES). Our own exponential backoff with jitter; a server's Retry-After wins, shortened to the
   * cap (got would give up instead). A slow page the caller will ask in smaller pieces is not retried.
   */
  private retryDelay(spec: RequestTarget, call: CallState<unknown>, retry: RetryObject): number {
    const { attemptCount, error, retryAfter } = retry;
    this.attemptFailed(spec, call);
    if (spec.shrinkable === true && isSlow(error)) return 0;
    const wait =
      retryAfter !== undefined ? Math.min(retryAfter, this.maxRetryAfterMs) : backoffMs(attemptCount, this.retryBaseMs, this.retryMaxMs);
    const reason = retryReason(error, this.timeoutMs);
    const maxAttempts = retry.retryOptions.limit + 1;
    this.announceRetry({ path: this.relativePath(spec.url), attempt: attemptCount + 1, maxAttempts, reason, retryInMs: Math.round(wait) });
    // 0 would cancel the retry: an immediate one is 1 ms.
    return Math.max(1, wait);
  }

  private noteServerDate(value: string | undefined): void {
    if (value === undefined) return;
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) this.serverDate = Math.floor(ms / 1000);
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

  private aborted(spec: RequestTarget, attempts: number, signal: AbortSignal): PlexAbortedError {
    return new PlexAbortedError({ ...this.context(spec.url, attempts), cause: signal.reason });
  }

  private reportAttempt(spec: RequestTarget, call: CallState<unknown>, status: number | null): void {
    call.reported = true;
    if (!this.onRequest) return;
    try {
      this.onRequest({ path: this.relativePath(spec.url), status, ms: Math.round(performance.now() - call.started) });
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

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
