// The simulated Plex Media Server: real HTTP on 127.0.0.1 (node:http), answering the endpoints an
// importer uses the way a real PMS does (see /work/shared/plex-api-notes.md), plus fault injection and a
// control API so another process (the benchmark) can mutate the library.
//
// Control API (never logged in `requests`, never subject to faults; header `X-Sim-Control: <controlKey>`,
// otherwise 403):
//   POST /__sim/mutate          {"op": "touchEpisodes", "args": [0.01]}  → {"result": …}
//   POST /__sim/faults          {"match": "regex source", "flags"?: "i", "kind": "status", "status": 503, "times"?: 2}
//   POST /__sim/faults/clear    → {"result": null}
//   GET  /__sim/requests        → {"result": SimRequestLog[]}
//   POST /__sim/requests/reset  → {"result": null}
//   POST /__sim/notifications/drop → {"result": null}   (cuts every notification socket)

import { randomBytes } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createGzip } from 'node:zlib';

import {
  el,
  encodeJson,
  encodeXml,
  itemNode,
  mediaContainer,
  sectionAttrs,
  sectionNode,
  seasonHidden,
  type ItemView,
  type LazyChildren,
  type PlexContainer,
  type PlexNode,
} from './encode.js';
import {
  createSimLibrary,
  PlexSimError,
  SIM_LIBRARY_METHODS,
  simTypeFromNumber,
  type SimItem,
  type SimItemType,
  type SimLibrary,
  type SimLibraryImpl,
  type SimLibrarySpec,
  type SimSection,
} from './library.js';
import { ListingEngine } from './listing.js';
import { NotificationHub, type SimNotificationOptions } from './notifications.js';
import { PHOTO_TRANSCODE_PATH, transcodePhoto, type SimPhotoOptions, type SimPhotoStats } from './photo.js';
import { Rng } from './random.js';

export interface PlexSimOptions {
  seed?: number;
  library?: SimLibrarySpec;
  token?: string;
  machineIdentifier?: string;
  friendlyName?: string;
  /** The Plex version /identity and / report; default PLEX_SIM_VERSION. Hostile tests put escape codes in it. */
  version?: string;
  /** Ignore `Accept: application/json` (older servers, proxies): always answer XML. */
  xmlOnly?: boolean;
  port?: number;
  /** Epoch seconds; default 1_700_000_000. */
  clockStart?: number;
  /** Key for the control API; default: random per start. */
  controlKey?: string;
  // Quirks of real servers, each off by default (see the simulator's section of the README).
  /**
   * The server's clock runs this many hours off the real one (either way): its clock starts at real time plus the
   * skew (unless clockStart says otherwise), and its `Date` header tells that clock, as a real server's does.
   */
  clockSkewHours?: number;
  /** The first N movies of each movie section and episodes of each show section are dated 30 days ahead of the server's clock. */
  futureDatedItems?: number;
  /** The last N movies of each movie section and episodes of each show section carry `updatedAt` 1e300. */
  absurdDatedItems?: number;
  /**
   * The first N movies of the first movie section form a collection set to "hide items in this collection":
   * listings and counts without `includeCollections=0` show the collection instead of its movies.
   */
  hiddenCollection?: number;
  /** "Hide seasons for single-season series" (see ItemView.hiddenSeasons). */
  hiddenSeasons?: 'keep-index' | 'drop-index';
  /** A second accepted token, of an account the server is shared with: its answers carry no file paths. */
  sharedToken?: string;
  /**
   * Listings carry each Part's `Stream` elements (video with DOVIPresent/colorTrc, audio and subtitle languages), as
   * full metadata (`/library/metadata/{key}`) always does; real listings leave them out.
   */
  listingStreams?: boolean;
  /**
   * Real PMS answers any path it does not serve with 401 and an HTML page, token or not (so a pasted Plex Web
   * URL, http://host:32400/web, looks like a token problem). Default: 404 when the token is good.
   */
  unknownPathsUnauthorized?: boolean;
  /**
   * Big pages the server cannot serve (a large episode listing on a big library): listing requests asking for
   * more than `maxItems` (or for no size at all) hang until the client gives up, answer `delayMs` late, or
   * answer 500. Counts (size 0) and smaller pages are served normally.
   */
  pageLimit?: { maxItems: number; answer: 'hang' | 'error' | { delayMs: number } };
  /**
   * Listings that never end: every paged section listing (`/library/sections/{key}/all`) reports a totalSize
   * beyond the page it sends, and pages past the real items repeat them under new ratingKeys.
   */
  endlessListings?: boolean;
  /** The notification socket's hostile behaviours (notifications.ts); each off by default. */
  notifications?: SimNotificationOptions;
  /** The photo transcoder's slow, failing or missing images (photo.ts); each off by default. */
  photo?: SimPhotoOptions;
}

/** The quirks a request's answers are written with. */
interface ServerQuirks {
  skewedClock: boolean;
  hiddenCollection: number;
  hiddenSeasons: 'keep-index' | 'drop-index' | undefined;
  sharedToken: string | undefined;
  listingStreams: boolean;
}

const COLLECTION_RATING_KEY = '990000';

export interface SimRequestLog {
  method: string;
  /** Decoded path, without the query. */
  path: string;
  /** Query parameters (last value wins); token values are redacted. */
  query: Record<string, string>;
  /** 0 while unanswered (e.g. a hanging fault). */
  status: number;
  /** The X-Plex-Device-Name header as received (Latin-1 as Node reads it), when one was sent. */
  deviceName?: string;
}

export type SimFault = {
  /** Tested against the request's path + query string as sent. */
  match: RegExp;
  /** How many requests it applies to; default forever. */
  times?: number;
} & (
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'truncate' }
  | { kind: 'malformed' }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number }
  /** 200 with Content-Encoding gzip whose body inflates to `bytes` (compressed on the fly, never held). */
  | { kind: 'gzipBomb'; bytes: number }
  /** 200 with an XML body that never ends (chunked, written as fast as the client reads). */
  | { kind: 'endlessBody' }
  /** Held unanswered until resumePaused(), then answered normally: a sync kept mid-way for as long as a test needs. */
  | { kind: 'pause' }
);

export interface PlexSim {
  url: string;
  token: string;
  machineIdentifier: string;
  controlKey: string;
  library: SimLibrary;
  requests: SimRequestLog[];
  resetRequests(): void;
  addFault(fault: SimFault): void;
  /**
   * One corrupt row, as real servers have: every listing page or metadata answer that would contain this item
   * answers 500 instead, until clearFaults().
   */
  corruptItem(ratingKey: string): void;
  clearFaults(): void;
  /** How many requests a 'pause' fault holds right now. */
  pausedCount(): number;
  /** Answers every request held by a 'pause' fault, normally. */
  resumePaused(): void;
  /** The notification socket: its log, open sockets, dropAll(), skipNext(), stageForScan(). */
  notifications: NotificationHub;
  /** The photo transcoder's counters: requests, in flight now, most in flight at once. */
  photoStats(): SimPhotoStats;
  /** Closes the listener and every connection (keep-alive, hanging, delayed, WebSocket). */
  close(): Promise<void>;
}

export const PLEX_SIM_VERSION = '1.41.3.9314-a0bfb8370';
const MEDIA_TAG_VERSION = 1_700_000_000;
const XML_CONTENT_TYPE = 'text/xml;charset=utf-8';
const JSON_CONTENT_TYPE = 'application/json';
const HTML_CONTENT_TYPE = 'text/html';
const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export function htmlErrorBody(status: number): string {
  const text = STATUS_CODES[status] ?? 'Error';
  return `<html><head><title>${text}</title></head><body><h1>${status} ${text}</h1></body></html>`;
}

function htmlError(status: number, body = htmlErrorBody(status)): SimResponse {
  return { status, headers: { 'Content-Type': HTML_CONTENT_TYPE }, body };
}

interface Paging {
  start: number;
  /** Undefined when the client sent no X-Plex-Container-Size. */
  size: number | undefined;
}

function readNonNegative(value: string | string[] | null | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text === null || !/^\s*\d+\s*$/.test(text)) return undefined;
  return Number(text);
}

/** Paging from query parameters or headers (query wins). */
function readPaging(req: IncomingMessage, params: URLSearchParams): Paging | undefined {
  const start = readNonNegative(params.get('X-Plex-Container-Start') ?? req.headers['x-plex-container-start']);
  const size = readNonNegative(params.get('X-Plex-Container-Size') ?? req.headers['x-plex-container-size']);
  if (start === undefined && size === undefined) return undefined;
  return { start: start ?? 0, size };
}

interface Page<T> {
  slice: readonly T[];
  attrs: Record<string, number>;
  headers: Record<string, string>;
}

/** Real PMS: paged responses carry size/totalSize/offset and two headers; unpaged ones only size. */
function page<T>(all: readonly T[], paging: Paging | undefined): Page<T> {
  if (!paging) return { slice: all, attrs: { size: all.length }, headers: {} };
  const start = Math.min(paging.start, all.length);
  const end = paging.size === undefined ? all.length : Math.min(all.length, start + paging.size);
  const slice = all.slice(start, end);
  return {
    slice,
    attrs: { size: slice.length, totalSize: all.length, offset: paging.start },
    headers: { 'X-Plex-Container-Total-Size': String(all.length), 'X-Plex-Container-Start': String(paging.start) },
  };
}

/**
 * A page of a listing that never ends: position p holds item p mod n, under a new ratingKey after the first
 * round, and the total always reaches one page beyond this one.
 */
function endlessPage(all: readonly (SimItem | PlexNode)[], start: number, size: number): Page<SimItem | PlexNode> {
  if (all.length === 0) return page(all, { start, size });
  const slice: (SimItem | PlexNode)[] = [];
  for (let position = start; position < start + size; position++) {
    const item = all[position % all.length] as SimItem | PlexNode;
    const round = Math.floor(position / all.length);
    slice.push(round === 0 || isNode(item) ? item : { ...item, ratingKey: `${item.ratingKey}${String(round).padStart(4, '0')}` });
  }
  const total = start + size * 2;
  return {
    slice,
    attrs: { size: slice.length, totalSize: total, offset: start },
    headers: { 'X-Plex-Container-Total-Size': String(total), 'X-Plex-Container-Start': String(start) },
  };
}

const TYPE_TITLE: Record<SimItemType, string> = {
  movie: 'All Movies',
  show: 'All Shows',
  season: 'All Seasons',
  episode: 'All Episodes',
  artist: 'All Artists',
  album: 'All Albums',
  track: 'All Tracks',
};
const SECTION_DEFAULT_TYPE: Record<string, SimItemType> = { movie: 'movie', show: 'show', artist: 'artist' };

function redactQuery(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of params) out[name] = name.toLowerCase() === 'x-plex-token' ? 'REDACTED' : value;
  return out;
}

function wantsJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept;
  return typeof accept === 'string' && accept.toLowerCase().includes('application/json');
}

function breakBody(body: Buffer, json: boolean): Buffer {
  // Half of the real answer, then (for XML) an attribute whose quote never closes: no parser accepts it.
  const half = body.subarray(0, Math.floor(body.length / 2));
  return json ? half : Buffer.concat([half, Buffer.from('\n<Video ratingKey="')]);
}

interface ActiveFault {
  fault: SimFault;
  remaining: number | undefined;
}

type HostileOptions = Pick<PlexSimOptions, 'unknownPathsUnauthorized' | 'pageLimit' | 'endlessListings' | 'notifications' | 'photo'>;

const LISTING_PATH = /^\/library\/(?:sections\/[^/]+\/(?:all|allLeaves)|metadata\/[^/]+\/(?:children|allLeaves))$/;

/** Writes `produce()` chunks to `out` until it returns null or the client goes away, honouring backpressure. */
function pump(out: NodeJS.WritableStream & { destroyed: boolean }, produce: () => Buffer | null, end: () => void): void {
  const write = (): void => {
    for (;;) {
      if (out.destroyed) return;
      const chunk = produce();
      if (chunk === null) {
        end();
        return;
      }
      if (!out.write(chunk)) {
        out.once('drain', write);
        return;
      }
    }
  };
  write();
}

class PlexSimServer {
  readonly requests: SimRequestLog[] = [];
  private readonly faults: ActiveFault[] = [];
  private readonly corrupt = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly paused: (() => void)[] = [];
  private readonly listing: ListingEngine;
  private closed: Promise<void> | undefined;
  /** Set per request in route(): answers to a shared token carry no file paths. */
  private sharedRequest = false;
  readonly photoStats: SimPhotoStats = { requests: 0, inFlight: 0, peakInFlight: 0 };
  readonly notifications: NotificationHub;

  constructor(
    readonly lib: SimLibraryImpl,
    readonly token: string,
    readonly machineIdentifier: string,
    readonly friendlyName: string,
    readonly controlKey: string,
    readonly xmlOnly: boolean,
    readonly server: Server,
    readonly quirks: ServerQuirks,
    readonly hostile: HostileOptions = {},
    readonly version: string = PLEX_SIM_VERSION,
  ) {
    this.listing = new ListingEngine(lib);
    this.notifications = new NotificationHub(lib, (req, params) => this.authorized(req, params), hostile.notifications);
    server.on('upgrade', (req: IncomingMessage, socket: Duplex) => this.upgrade(req, socket));
  }

  private upgrade(req: IncomingMessage, socket: Duplex): void {
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const params = new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1));
    socket.on('error', () => socket.destroy());
    this.notifications.upgrade(req, socket, queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt), params);
  }

  addFault(fault: SimFault): void {
    if (!(fault.match instanceof RegExp)) throw new TypeError('fault.match must be a RegExp');
    this.faults.push({ fault, remaining: fault.times });
  }

  clearFaults(): void {
    this.faults.length = 0;
    this.corrupt.clear();
  }

  corruptItem(ratingKey: string): void {
    this.corrupt.add(ratingKey);
  }

  pausedCount(): number {
    return this.paused.length;
  }

  resumePaused(): void {
    for (const answer of this.paused.splice(0)) answer();
  }

  /** A page that holds a corrupt row fails whole, as the real server's query does. */
  private holdsCorruptRow(slice: readonly (SimItem | PlexNode | string)[]): boolean {
    return this.corrupt.size > 0 && slice.some((entry) => typeof entry !== 'string' && !isNode(entry) && this.corrupt.has(entry.ratingKey));
  }

  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.notifications.close();
      this.server.close(() => resolve());
      // Keep-alive, hanging and delayed connections would otherwise hold close() open.
      this.server.closeAllConnections();
    });
    return this.closed;
  }

  private takeFault(url: string): SimFault | undefined {
    for (let i = 0; i < this.faults.length; i++) {
      const active = this.faults[i];
      if (!active) continue;
      active.fault.match.lastIndex = 0;
      if (!active.fault.match.test(url)) continue;
      if (active.remaining !== undefined) {
        active.remaining--;
        if (active.remaining <= 0) this.faults.splice(i, 1);
      }
      return active.fault;
    }
    return undefined;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    const params = new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1));
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      path = rawPath;
    }
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);

    if (path.startsWith('/__sim/')) {
      this.handleControl(req, res, path);
      return;
    }
    // Library requests carry no body we use; drain whatever comes so keep-alive keeps working.
    req.resume();

    const entry: SimRequestLog = { method: req.method ?? 'GET', path, query: redactQuery(params), status: 0 };
    const deviceName = req.headers['x-plex-device-name'];
    if (typeof deviceName === 'string') entry.deviceName = deviceName;
    this.requests.push(entry);
    if (path === PHOTO_TRANSCODE_PATH) this.countPhoto(res);
    const fault = this.takeFault(rawUrl) ?? this.pageTooBig(req, path, params) ?? this.slowPhoto(path);
    const answer = (): SimResponse => this.route(req, path, params);

    if (!fault) {
      this.send(res, entry, answer());
      return;
    }
    switch (fault.kind) {
      case 'hang':
        return; // never answered; close() destroys the socket
      case 'pause':
        this.paused.push(() => {
          if (!res.destroyed) this.send(res, entry, answer());
        });
        return;
      case 'status':
        this.send(res, entry, {
          status: fault.status,
          headers: { 'Content-Type': HTML_CONTENT_TYPE, ...fault.headers },
          body: fault.body ?? htmlErrorBody(fault.status),
        });
        return;
      case 'delay': {
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            if (!res.destroyed) this.send(res, entry, answer());
          },
          Math.max(0, fault.ms),
        );
        this.timers.add(timer);
        return;
      }
      case 'truncate': {
        const full = answer();
        const body = typeof full.body === 'string' ? Buffer.from(full.body, 'utf8') : full.body;
        entry.status = full.status;
        res.writeHead(full.status, { ...this.commonHeaders(), ...full.headers, 'Content-Length': String(body.length) });
        res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
        return;
      }
      case 'gzipBomb':
        this.sendGzipBomb(res, entry, fault.bytes);
        return;
      case 'endlessBody':
        this.sendEndlessBody(res, entry);
        return;
      case 'malformed': {
        const full = answer();
        const json = (full.headers['Content-Type'] ?? '').startsWith(JSON_CONTENT_TYPE);
        this.send(res, entry, {
          status: 200,
          headers: { 'Content-Type': json ? JSON_CONTENT_TYPE : XML_CONTENT_TYPE },
          body: breakBody(typeof full.body === 'string' ? Buffer.from(full.body, 'utf8') : full.body, json),
        });
        return;
      }
    }
  }

  /** A transcode request is in flight from its arrival until its answer is sent or its connection goes. */
  private countPhoto(res: ServerResponse): void {
    const stats = this.photoStats;
    stats.requests++;
    stats.inFlight++;
    stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
    res.once('close', () => stats.inFlight--);
  }

  /** The photo.delayMs option as a fault for a transcode request. */
  private slowPhoto(path: string): SimFault | undefined {
    const delayMs = this.hostile.photo?.delayMs;
    if (delayMs === undefined || path !== PHOTO_TRANSCODE_PATH) return undefined;
    return { match: /./, kind: 'delay', ms: delayMs };
  }

  /** GET /photo/:/transcode (photo.ts). */
  private photo(params: URLSearchParams): SimResponse {
    const options = this.hostile.photo ?? {};
    if (options.failing === true) return htmlError(500);
    const answer = transcodePhoto(params, (key) => this.lib.get(key) !== undefined, options);
    if (answer.status !== 200) return htmlError(answer.status);
    return { status: 200, headers: { 'Content-Type': answer.contentType }, body: answer.body };
  }

  /** The pageLimit option as a fault for this request, when it asks for a bigger page than the server serves. */
  private pageTooBig(req: IncomingMessage, path: string, params: URLSearchParams): SimFault | undefined {
    const limit = this.hostile.pageLimit;
    if (limit === undefined || !LISTING_PATH.test(path)) return undefined;
    const size = readPaging(req, params)?.size;
    if (size !== undefined && size <= limit.maxItems) return undefined;
    const match = /./;
    if (limit.answer === 'hang') return { match, kind: 'hang' };
    if (limit.answer === 'error') return { match, kind: 'status', status: 500 };
    return { match, kind: 'delay', ms: limit.answer.delayMs };
  }

  private sendGzipBomb(res: ServerResponse, entry: SimRequestLog, bytes: number): void {
    entry.status = 200;
    res.writeHead(200, { ...this.commonHeaders(), 'Content-Type': XML_CONTENT_TYPE, 'Content-Encoding': 'gzip' });
    const gzip = createGzip({ level: 1 });
    gzip.pipe(res);
    res.once('close', () => gzip.destroy());
    const spaces = Buffer.alloc(1 << 20, 0x20);
    let left = Math.max(0, bytes);
    let opened = false;
    pump(
      gzip,
      () => {
        if (!opened) {
          opened = true;
          return Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<MediaContainer size="0">');
        }
        if (left <= 0) return null;
        const chunk = left >= spaces.length ? spaces : spaces.subarray(0, left);
        left -= chunk.length;
        return chunk;
      },
      () => gzip.end('</MediaContainer>\n'),
    );
  }

  private sendEndlessBody(res: ServerResponse, entry: SimRequestLog): void {
    entry.status = 200;
    res.writeHead(200, { ...this.commonHeaders(), 'Content-Type': XML_CONTENT_TYPE });
    let row = 0;
    const rows = (): Buffer => {
      let text = row === 0 ? '<?xml version="1.0" encoding="UTF-8"?>\n<MediaContainer size="1" totalSize="1" offset="0">\n' : '';
      for (let i = 0; i < 1000; i++, row++)
        text += `<Video ratingKey="${row}" key="/library/metadata/${row}" type="movie" title="Again ${row}"/>\n`;
      return Buffer.from(text);
    };
    pump(res, rows, () => res.end());
  }

  private commonHeaders(): Record<string, string> {
    const headers: Record<string, string> = { 'X-Plex-Protocol': '1.0', 'Cache-Control': 'no-cache' };
    // Node stamps real time; a skewed server's Date header tells its own clock.
    if (this.quirks.skewedClock) headers.Date = new Date(this.lib.now() * 1000).toUTCString();
    return headers;
  }

  private send(res: ServerResponse, entry: SimRequestLog, response: SimResponse): void {
    entry.status = response.status;
    const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
    res.writeHead(response.status, { ...this.commonHeaders(), ...response.headers, 'Content-Length': String(body.length) });
    res.end(body);
  }

  // ---- routing ------------------------------------------------------------------------------------

  private authorized(req: IncomingMessage, params: URLSearchParams): boolean {
    const token = this.requestToken(req, params);
    return token === this.token || (this.quirks.sharedToken !== undefined && token === this.quirks.sharedToken);
  }

  private requestToken(req: IncomingMessage, params: URLSearchParams): string | undefined {
    const header = req.headers['x-plex-token'];
    return params.get('X-Plex-Token') ?? (Array.isArray(header) ? header[0] : header);
  }

  /** What every item of this request's answer is written with. */
  private itemView(view: ItemView): ItemView {
    const quirks: Partial<ItemView> = {};
    if (this.sharedRequest) quirks.withoutFiles = true;
    if (this.quirks.hiddenSeasons !== undefined) quirks.hiddenSeasons = this.quirks.hiddenSeasons;
    if (this.quirks.listingStreams) quirks.streams = true;
    return { ...view, ...quirks };
  }

  private route(req: IncomingMessage, path: string, params: URLSearchParams): SimResponse {
    const method = req.method ?? 'GET';
    const action = /^\/library\/(sections|metadata)\/([^/]+)\/refresh$/.exec(path);
    if (action !== null)
      return this.authorized(req, params) ? this.refreshAction(method, action[1] === 'sections', action[2] ?? '') : htmlError(401);
    if (method !== 'GET' && method !== 'HEAD') return htmlError(405);
    const json = !this.xmlOnly && wantsJson(req);
    if (path === '/identity') return this.identity(json);
    if (!this.authorized(req, params)) return htmlError(401);
    this.sharedRequest = this.quirks.sharedToken !== undefined && this.requestToken(req, params) === this.quirks.sharedToken;
    const answer = this.routeAuthorized(req, path, params, json);
    return answer ?? htmlError(this.hostile.unknownPathsUnauthorized === true ? 401 : 404);
  }

  /** The answer for a path the server serves; undefined for any other path. */
  private routeAuthorized(req: IncomingMessage, path: string, params: URLSearchParams, json: boolean): SimResponse | undefined {
    if (path === '/' || path === '') return this.root(json);
    if (path === '/library/sections') return this.sectionList(json);
    if (path === '/hubs/search') return this.hubSearch(params, json);
    if (path === PHOTO_TRANSCODE_PATH) return this.photo(params);

    let match = /^\/library\/sections\/([^/]+)(?:\/(all|allLeaves))?$/.exec(path);
    if (match) {
      const section = this.lib.section(match[1] ?? '');
      if (!section) return htmlError(404);
      if (match[2] === 'all') return this.sectionAll(req, section, params, json);
      if (match[2] === 'allLeaves') return this.sectionLeaves(req, section, params, json);
      return this.sectionDetail(section, json);
    }
    match = /^\/library\/metadata\/([^/]+)(?:\/(children|allLeaves))?$/.exec(path);
    if (match) {
      const keys = (match[1] ?? '').split(',').filter((k) => k !== '');
      if (match[2] === 'children') return this.children(req, keys[0] ?? '', params, json);
      if (match[2] === 'allLeaves') return this.allLeaves(req, keys[0] ?? '', params, json);
      return this.metadata(req, keys, params, json);
    }
    return undefined;
  }

  /**
   * GET /library/sections/{key}/refresh (a scan; `path=` and `force=1` accepted) and PUT
   * /library/metadata/{key}/refresh: 200 with an empty body, as PMS answers; what they did arrives on the socket.
   */
  private refreshAction(method: string, section: boolean, key: string): SimResponse {
    const empty: SimResponse = { status: 200, headers: { 'Content-Type': HTML_CONTENT_TYPE }, body: '' };
    if (section) {
      if (method !== 'GET') return htmlError(405);
      const found = this.lib.section(key);
      if (!found) return htmlError(404);
      this.notifications.scan(found.key, found.title);
      return empty;
    }
    if (method !== 'PUT') return htmlError(405);
    const item = this.lib.get(key);
    if (!item) return htmlError(404);
    this.notifications.refreshItem(item.ratingKey, () => this.lib.editItem(item.ratingKey, {}));
    return empty;
  }

  /** Item nodes are built while writing, one at a time (see LazyChildren). */
  private lazyItems(items: readonly (SimItem | PlexNode)[], view: ItemView): LazyChildren {
    const shown = this.itemView(view);
    return {
      jsonKey: 'Metadata',
      count: items.length,
      node: (i) => {
        const entry = items[i] as SimItem | PlexNode;
        return isNode(entry) ? entry : itemNode(this.lib, entry, shown);
      },
    };
  }

  private respond(container: PlexContainer, json: boolean, headers: Record<string, string> = {}): SimResponse {
    return json
      ? { status: 200, headers: { 'Content-Type': JSON_CONTENT_TYPE, ...headers }, body: encodeJson(container) }
      : { status: 200, headers: { 'Content-Type': XML_CONTENT_TYPE, ...headers }, body: encodeXml(container) };
  }

  private identity(json: boolean): SimResponse {
    return this.respond(mediaContainer({ size: 0, claimed: true, machineIdentifier: this.machineIdentifier, version: this.version }), json);
  }

  private root(json: boolean): SimResponse {
    const directories = ['activities', 'butler', 'channels', 'clients', 'hubs', 'library', 'playlists', 'search', 'updater'].map((key) =>
      el('Directory', 'Directory', { count: 1, key, title: key }),
    );
    return this.respond(
      mediaContainer(
        {
          size: directories.length,
          allowCameraUpload: true,
          allowChannelAccess: true,
          allowSync: true,
          certificate: true,
          friendlyName: this.friendlyName,
          machineIdentifier: this.machineIdentifier,
          multiuser: true,
          myPlex: true,
          myPlexSigninState: 'ok',
          platform: 'Linux',
          platformVersion: '6.1.0',
          transcoderActiveVideoSessions: 0,
          updatedAt: this.lib.now(),
          version: this.version,
        },
        directories,
      ),
      json,
    );
  }

  private sectionList(json: boolean): SimResponse {
    const sections = this.lib.sections();
    return this.respond(
      mediaContainer({ size: sections.length, allowSync: false, title1: 'Plex Library' }, sections.map(sectionNode)),
      json,
    );
  }

  private sectionDetail(section: SimSection, json: boolean): SimResponse {
    const listed = SECTION_DEFAULT_TYPE[section.type] ?? 'movie';
    const entries: [string, string][] = [
      ['all', TYPE_TITLE[listed]],
      ['unwatched', 'Unplayed'],
      ['newest', 'Recently Released'],
      ['recentlyAdded', 'Recently Added'],
      ['collection', 'By Collection'],
      ['year', 'By Year'],
    ];
    const directories = entries.map(([key, title]) => el('Directory', 'Directory', { key, title }));
    return this.respond(
      mediaContainer(
        {
          size: directories.length,
          allowSync: true,
          art: `/:/resources/${section.type}-fanart.jpg`,
          content: 'secondary',
          identifier: 'com.plexapp.plugins.library',
          librarySectionID: Number(section.key),
          mediaTagPrefix: '/system/bundle/media/flags/',
          mediaTagVersion: MEDIA_TAG_VERSION,
          thumb: `/:/resources/${section.type}.png`,
          title1: section.title,
          viewGroup: 'secondary',
          viewMode: 65592,
        },
        directories,
      ),
      json,
    );
  }

  private listView(params: URLSearchParams): ItemView {
    return { full: false, includeGuids: params.get('includeGuids') === '1', sectionOnItem: false };
  }

  private sectionListing(
    section: SimSection,
    listed: SimItemType | undefined,
    items: readonly (SimItem | PlexNode)[],
    paging: Paging | undefined,
    params: URLSearchParams,
    json: boolean,
  ): SimResponse {
    const { slice, attrs, headers } =
      this.hostile.endlessListings === true && paging?.size ? endlessPage(items, paging.start, paging.size) : page(items, paging);
    if (this.holdsCorruptRow(slice)) return htmlError(500);
    return this.respond(
      mediaContainer(
        {
          ...attrs,
          allowSync: true,
          art: `/:/resources/${section.type}-fanart.jpg`,
          identifier: 'com.plexapp.plugins.library',
          ...sectionAttrs(section),
          mediaTagPrefix: '/system/bundle/media/flags/',
          mediaTagVersion: MEDIA_TAG_VERSION,
          thumb: `/:/resources/${section.type}.png`,
          title1: section.title,
          title2: listed ? TYPE_TITLE[listed] : 'All',
          viewGroup: listed ?? section.type,
        },
        [],
        this.lazyItems(slice, this.listView(params)),
      ),
      json,
      headers,
    );
  }

  private sectionAll(req: IncomingMessage, section: SimSection, params: URLSearchParams, json: boolean): SimResponse {
    const paging = readPaging(req, params);
    // Recent PMS refuses an unbounded /all (it warned "will fail with 400" since 1.28).
    if (paging?.size === undefined) {
      return { status: 400, headers: { 'Content-Type': HTML_CONTENT_TYPE }, body: 'Missing X-Plex-Container-Size header.' };
    }
    const typeParam = params.get('type');
    const listed = typeParam === null ? SECTION_DEFAULT_TYPE[section.type] : simTypeFromNumber(Number(typeParam));
    const listedItems = listed ? this.listing.list(section, listed, params) : [];
    const items = listed === 'movie' ? this.withHiddenCollection(section, listedItems, params) : listedItems;
    return this.sectionListing(section, listed, items, paging, params, json);
  }

  /**
   * A collection set to "hide items in this collection" stands in for its movies in library views, unless the
   * client sends includeCollections=0 (as python-plexapi and Home Assistant do).
   */
  private withHiddenCollection(section: SimSection, items: readonly SimItem[], params: URLSearchParams): readonly (SimItem | PlexNode)[] {
    const size = this.quirks.hiddenCollection;
    if (size <= 0 || params.get('includeCollections') === '0') return items;
    const first = this.lib.sections().find((candidate) => candidate.type === 'movie');
    if (first?.key !== section.key) return items;
    const members = new Set(
      this.lib
        .items(section.key, 'movie')
        .slice(0, size)
        .map((movie) => movie.ratingKey),
    );
    const shown: (SimItem | PlexNode)[] = items.filter((movie) => !members.has(movie.ratingKey));
    if (shown.length === items.length) return items;
    shown.push(
      el('Directory', 'Metadata', {
        ratingKey: COLLECTION_RATING_KEY,
        key: `/library/collections/${COLLECTION_RATING_KEY}/children`,
        guid: 'collection://9f2c4e1a-0000-4000-8000-000000000001',
        type: 'collection',
        title: 'Hidden Collection',
        subtype: 'movie',
        childCount: members.size,
        addedAt: this.lib.now(),
        updatedAt: this.lib.now(),
      }),
    );
    return shown;
  }

  private sectionLeaves(req: IncomingMessage, section: SimSection, params: URLSearchParams, json: boolean): SimResponse {
    const leaf = section.type === 'artist' ? 'track' : 'episode';
    const items = this.listing.list(section, leaf, params);
    return this.sectionListing(section, leaf, items, readPaging(req, params), params, json);
  }

  private metadata(req: IncomingMessage, keys: string[], params: URLSearchParams, json: boolean): SimResponse {
    const items: SimItem[] = [];
    for (const key of keys) {
      const item = this.lib.get(key);
      if (item) items.push(item);
    }
    if (items.length === 0) return htmlError(404);
    const { slice, attrs, headers } = page(items, readPaging(req, params));
    if (this.holdsCorruptRow(slice)) return htmlError(500);
    const sectionKeys = new Set(items.map((i) => i.sectionKey));
    const shared = sectionKeys.size === 1 ? this.lib.section(items[0]?.sectionKey ?? '') : undefined;
    const view: ItemView = { full: true, includeGuids: true, sectionOnItem: true };
    return this.respond(
      mediaContainer(
        {
          ...attrs,
          allowSync: true,
          identifier: 'com.plexapp.plugins.library',
          ...sectionAttrs(shared),
          mediaTagPrefix: '/system/bundle/media/flags/',
          mediaTagVersion: MEDIA_TAG_VERSION,
        },
        [],
        this.lazyItems(slice, view),
      ),
      json,
      headers,
    );
  }

  private children(req: IncomingMessage, key: string, params: URLSearchParams, json: boolean): SimResponse {
    const parent = this.lib.get(key);
    if (!parent) return htmlError(404);
    const section = this.lib.section(parent.sectionKey);
    // Entries are paged as one list; the "All episodes" pseudo-entry, when present, is its first element.
    // With hidden seasons, a single-season show's children are its episodes.
    const hidden = parent.type === 'show' && seasonHidden(parent, this.itemView(this.listView(params)));
    const entries: (SimItem | 'allLeaves')[] = hidden ? this.lib.leaves(key) : this.lib.children(key);
    let containerAttrs: Record<string, string | number | boolean | undefined> = {};
    if (parent.type === 'show') {
      if (params.get('excludeAllLeaves') !== '1') entries.unshift('allLeaves');
      containerAttrs = {
        key: parent.ratingKey,
        parentIndex: parent.index,
        parentTitle: parent.title,
        parentYear: parent.year,
        summary: parent.summary,
        theme: `/library/metadata/${parent.ratingKey}/theme/${parent.updatedAt ?? parent.addedAt}`,
        thumb: `/library/metadata/${parent.ratingKey}/thumb/${parent.updatedAt ?? parent.addedAt}`,
        title1: section?.title,
        title2: parent.title,
        viewGroup: 'season',
      };
    } else if (parent.type === 'artist') {
      // An artist's /children lists its albums: its `key` is `/library/metadata/{artist}/children`, which
      // python-plexapi audio.py trims (FIX_BUG_50); Artist.tracks reads the artist's /allLeaves.
      containerAttrs = {
        key: parent.ratingKey,
        parentIndex: parent.index,
        parentTitle: parent.title,
        summary: parent.summary,
        thumb: `/library/metadata/${parent.ratingKey}/thumb/${parent.updatedAt ?? parent.addedAt}`,
        title1: section?.title,
        title2: parent.title,
        viewGroup: 'album',
      };
    } else if (parent.type === 'album') {
      const artist = this.lib.parentOf(parent);
      containerAttrs = {
        key: parent.ratingKey,
        grandparentRatingKey: artist?.ratingKey,
        grandparentTitle: artist?.title,
        parentIndex: parent.index,
        parentTitle: parent.title,
        parentYear: parent.year,
        title1: artist?.title,
        title2: parent.title,
        viewGroup: 'track',
      };
    } else if (parent.type === 'season') {
      const show = this.lib.parentOf(parent);
      containerAttrs = {
        key: parent.ratingKey,
        grandparentRatingKey: show?.ratingKey,
        grandparentTitle: show?.title,
        parentIndex: parent.index,
        parentTitle: parent.title,
        title1: show?.title,
        title2: parent.title,
        viewGroup: 'episode',
      };
    }
    const { slice, attrs, headers } = page(entries, readPaging(req, params));
    if (this.holdsCorruptRow(slice)) return htmlError(500);
    const pseudo: PlexNode[] = slice.includes('allLeaves')
      ? [
          el('Directory', 'Directory', {
            leafCount: this.lib.leafCount(parent),
            thumb: `/library/metadata/${parent.ratingKey}/thumb/${parent.updatedAt ?? parent.addedAt}`,
            viewedLeafCount: 0,
            key: `/library/metadata/${parent.ratingKey}/allLeaves`,
            title: 'All episodes',
          }),
        ]
      : [];
    const items = slice.filter((entry): entry is SimItem => entry !== 'allLeaves');
    return this.respond(
      mediaContainer(
        {
          ...attrs,
          allowSync: true,
          identifier: 'com.plexapp.plugins.library',
          ...containerAttrs,
          ...sectionAttrs(section),
          mediaTagPrefix: '/system/bundle/media/flags/',
          mediaTagVersion: MEDIA_TAG_VERSION,
          nocache: true,
        },
        pseudo,
        this.lazyItems(items, this.listView(params)),
      ),
      json,
      headers,
    );
  }

  private allLeaves(req: IncomingMessage, key: string, params: URLSearchParams, json: boolean): SimResponse {
    const parent = this.lib.get(key);
    if (!parent) return htmlError(404);
    const section = this.lib.section(parent.sectionKey);
    const leaves =
      parent.type === 'show' || parent.type === 'artist'
        ? this.lib.leaves(key)
        : parent.type === 'season' || parent.type === 'album'
          ? this.lib.children(key)
          : [];
    const { slice, attrs, headers } = page(leaves, readPaging(req, params));
    if (this.holdsCorruptRow(slice)) return htmlError(500);
    const show = this.lib.showOf(parent);
    return this.respond(
      mediaContainer(
        {
          ...attrs,
          allowSync: true,
          identifier: 'com.plexapp.plugins.library',
          key: parent.ratingKey,
          ...sectionAttrs(section),
          mediaTagPrefix: '/system/bundle/media/flags/',
          mediaTagVersion: MEDIA_TAG_VERSION,
          nocache: true,
          parentTitle: show?.title,
          title1: show?.title,
          title2:
            parent.type === 'season' || parent.type === 'album' ? parent.title : parent.type === 'artist' ? 'All tracks' : 'All episodes',
          viewGroup: parent.type === 'artist' || parent.type === 'album' ? 'track' : 'episode',
        },
        [],
        this.lazyItems(slice, this.listView(params)),
      ),
      json,
      headers,
    );
  }

  private hubSearch(params: URLSearchParams, json: boolean): SimResponse {
    const query = params.get('query') ?? '';
    const sectionId = params.get('sectionId') ?? undefined;
    const limit = readNonNegative(params.get('limit')) ?? 10;
    const hubs: [SimItemType, string][] = [
      ['movie', 'Movies'],
      ['show', 'Shows'],
      ['episode', 'Episodes'],
    ];
    const found = this.listing.search(
      query,
      sectionId,
      hubs.map(([type]) => type),
    );
    const view: ItemView = this.itemView({ full: false, includeGuids: params.get('includeGuids') === '1', sectionOnItem: true });
    const nodes = hubs.map(([type, title]) => {
      const matches = found.get(type) ?? [];
      const shown = matches.slice(0, limit);
      return el(
        'Hub',
        'Hub',
        {
          title,
          type,
          hubIdentifier: type,
          context: '',
          size: shown.length,
          more: matches.length > shown.length,
          style: 'shelf',
        },
        shown.map((item) => itemNode(this.lib, item, view)),
      );
    });
    return this.respond(mediaContainer({ size: nodes.length }, nodes), json);
  }

  // ---- control API --------------------------------------------------------------------------------

  private handleControl(req: IncomingMessage, res: ServerResponse, path: string): void {
    const reply = (status: number, payload: unknown): void => {
      const body = Buffer.from(JSON.stringify(payload ?? null), 'utf8');
      res.writeHead(status, { 'Content-Type': JSON_CONTENT_TYPE, 'Content-Length': String(body.length) });
      res.end(body);
    };
    if (req.headers['x-sim-control'] !== this.controlKey) {
      req.resume();
      reply(403, { error: 'forbidden: wrong or missing X-Sim-Control header' });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: unknown = null;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          reply(400, { error: 'body is not JSON' });
          return;
        }
      }
      try {
        reply(200, { result: this.control(req.method ?? 'GET', path, body) ?? null });
      } catch (error) {
        if (error instanceof PlexSimError) reply(error.code === 'NOT_FOUND' ? 404 : 400, { error: error.message, code: error.code });
        else reply(400, { error: error instanceof Error ? error.message : String(error) });
      }
    });
  }

  private control(method: string, path: string, body: unknown): unknown {
    const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    if (method === 'POST' && path === '/__sim/mutate') {
      const op = record['op'];
      const args = record['args'] ?? [];
      if (typeof op !== 'string' || !(SIM_LIBRARY_METHODS as readonly string[]).includes(op)) {
        throw new PlexSimError('BAD_ARGUMENT', `unknown op ${String(op)}; one of ${SIM_LIBRARY_METHODS.join(', ')}`);
      }
      if (!Array.isArray(args)) throw new PlexSimError('BAD_ARGUMENT', 'args must be an array');
      const method = (this.lib as unknown as Record<string, (...a: unknown[]) => unknown>)[op];
      if (typeof method !== 'function') throw new PlexSimError('BAD_ARGUMENT', `unknown op ${op}`);
      return method.apply(this.lib, args);
    }
    if (method === 'POST' && path === '/__sim/faults') {
      const { match, flags, ...rest } = record;
      if (typeof match !== 'string') throw new PlexSimError('BAD_ARGUMENT', 'match must be a regular expression source string');
      this.addFault({ ...rest, match: new RegExp(match, typeof flags === 'string' ? flags : '') } as SimFault);
      return null;
    }
    if (method === 'POST' && path === '/__sim/faults/clear') {
      this.clearFaults();
      return null;
    }
    if (method === 'POST' && path === '/__sim/notifications/drop') {
      this.notifications.dropAll();
      return null;
    }
    if (method === 'GET' && path === '/__sim/requests') return this.requests;
    if (method === 'POST' && path === '/__sim/requests/reset') {
      this.requests.length = 0;
      return null;
    }
    throw new PlexSimError('NOT_FOUND', `no control endpoint ${method} ${path}`);
  }
}

/** Starts a simulated Plex Media Server on 127.0.0.1. */
export async function startPlexSim(options: PlexSimOptions = {}): Promise<PlexSim> {
  const seed = options.seed ?? options.library?.seed ?? 1;
  const skewSeconds = options.clockSkewHours === undefined ? undefined : Math.round(options.clockSkewHours * 3600);
  const clockStart = options.clockStart ?? (skewSeconds === undefined ? 1_700_000_000 : Math.floor(Date.now() / 1000) + skewSeconds);
  const lib = createSimLibrary({ ...options.library, seed: options.library?.seed ?? seed }, { clockStart });
  applyDateQuirks(lib, options);
  const ids = new Rng(seed ^ 0x1d3a7);
  const machineIdentifier = options.machineIdentifier ?? ids.hex(40);
  const token = options.token ?? ids.chars(20, TOKEN_ALPHABET);
  const controlKey = options.controlKey ?? randomBytes(16).toString('hex');

  // `sim` is declared below, with the server it needs: no request arrives before listen(), after both exist.
  const server = createServer((req, res) => {
    try {
      sim.handle(req, res);
    } catch (error) {
      process.stderr.write(`plex-sim: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': HTML_CONTENT_TYPE }).end(htmlErrorBody(500));
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 20_000;
  const hostile: HostileOptions = {
    ...(options.unknownPathsUnauthorized !== undefined ? { unknownPathsUnauthorized: options.unknownPathsUnauthorized } : {}),
    ...(options.pageLimit !== undefined ? { pageLimit: options.pageLimit } : {}),
    ...(options.endlessListings !== undefined ? { endlessListings: options.endlessListings } : {}),
    ...(options.notifications !== undefined ? { notifications: options.notifications } : {}),
    ...(options.photo !== undefined ? { photo: options.photo } : {}),
  };
  const quirks: ServerQuirks = {
    skewedClock: skewSeconds !== undefined,
    hiddenCollection: Math.max(0, Math.floor(options.hiddenCollection ?? 0)),
    hiddenSeasons: options.hiddenSeasons,
    sharedToken: options.sharedToken,
    listingStreams: options.listingStreams === true,
  };
  const sim = new PlexSimServer(
    lib,
    token,
    machineIdentifier,
    options.friendlyName ?? 'Marquee Plex Sim',
    controlKey,
    options.xmlOnly === true,
    server,
    quirks,
    hostile,
    options.version,
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const active = sim;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    machineIdentifier,
    controlKey,
    library: lib,
    requests: active.requests,
    resetRequests: () => {
      active.requests.length = 0;
    },
    addFault: (fault) => active.addFault(fault),
    corruptItem: (ratingKey) => active.corruptItem(ratingKey),
    clearFaults: () => active.clearFaults(),
    pausedCount: () => active.pausedCount(),
    resumePaused: () => active.resumePaused(),
    notifications: active.notifications,
    photoStats: () => ({ ...active.photoStats }),
    close: () => active.close(),
  };
}

function isNode(entry: SimItem | PlexNode): entry is PlexNode {
  return 'tag' in entry;
}

const FUTURE_DAYS = 30;
const ABSURD_TIME = 1e300;

/** Future-dated and absurdly dated items, as real databases hold them (a file with a future date, garbage stamps). */
function applyDateQuirks(lib: SimLibraryImpl, options: PlexSimOptions): void {
  const future = Math.max(0, Math.floor(options.futureDatedItems ?? 0));
  const absurd = Math.max(0, Math.floor(options.absurdDatedItems ?? 0));
  if (future === 0 && absurd === 0) return;
  const ahead = lib.now() + FUTURE_DAYS * 86_400;
  for (const section of lib.sections()) {
    const type = section.type === 'movie' ? 'movie' : section.type === 'show' ? 'episode' : undefined;
    if (type === undefined) continue;
    const keys = lib.items(section.key, type).map((item) => item.ratingKey);
    for (const key of keys.slice(0, future)) lib.setDates(key, { addedAt: ahead, updatedAt: ahead });
    for (const key of keys.slice(Math.max(future, keys.length - absurd))) lib.setDates(key, { updatedAt: ABSURD_TIME });
  }
}
