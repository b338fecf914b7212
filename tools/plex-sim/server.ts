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

import { randomBytes } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  el, encodeJson, encodeXml, itemNode, mediaContainer, sectionAttrs, sectionNode,
  type ItemView, type LazyChildren, type PlexContainer, type PlexNode,
} from './encode.js';
import {
  createSimLibrary, PlexSimError, SIM_LIBRARY_METHODS, simTypeFromNumber,
  type SimItem, type SimItemType, type SimLibrary, type SimLibraryImpl, type SimLibrarySpec, type SimSection,
} from './library.js';
import { ListingEngine } from './listing.js';
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
}

export interface SimRequestLog {
  method: string;
  /** Decoded path, without the query. */
  path: string;
  /** Query parameters (last value wins); token values are redacted. */
  query: Record<string, string>;
  /** 0 while unanswered (e.g. a hanging fault). */
  status: number;
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
  /** Closes the listener and every connection (keep-alive, hanging, delayed). */
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

const TYPE_TITLE: Record<SimItemType, string> = { movie: 'All Movies', show: 'All Shows', season: 'All Seasons', episode: 'All Episodes', artist: 'All Artists' };
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

class PlexSimServer {
  readonly requests: SimRequestLog[] = [];
  private readonly faults: ActiveFault[] = [];
  private readonly corrupt = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly listing: ListingEngine;
  private closed: Promise<void> | undefined;

  constructor(
    readonly lib: SimLibraryImpl,
    readonly token: string,
    readonly machineIdentifier: string,
    readonly friendlyName: string,
    readonly controlKey: string,
    readonly xmlOnly: boolean,
    readonly server: Server,
    readonly version: string = PLEX_SIM_VERSION,
  ) {
    this.listing = new ListingEngine(lib);
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

  /** A page that holds a corrupt row fails whole, as the real server's query does. */
  private holdsCorruptRow(slice: readonly (SimItem | string)[]): boolean {
    return this.corrupt.size > 0 && slice.some((entry) => typeof entry !== 'string' && this.corrupt.has(entry.ratingKey));
  }

  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
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
    this.requests.push(entry);
    const fault = this.takeFault(rawUrl);
    const answer = (): SimResponse => this.route(req, path, params);

    if (!fault) {
      this.send(res, entry, answer());
      return;
    }
    switch (fault.kind) {
      case 'hang':
        return; // never answered; close() destroys the socket
      case 'status':
        this.send(res, entry, {
          status: fault.status,
          headers: { 'Content-Type': HTML_CONTENT_TYPE, ...fault.headers },
          body: fault.body ?? htmlErrorBody(fault.status),
        });
        return;
      case 'delay': {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (!res.destroyed) this.send(res, entry, answer());
        }, Math.max(0, fault.ms));
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

  private commonHeaders(): Record<string, string> {
    return { 'X-Plex-Protocol': '1.0', 'Cache-Control': 'no-cache' };
  }

  private send(res: ServerResponse, entry: SimRequestLog, response: SimResponse): void {
    entry.status = response.status;
    const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
    res.writeHead(response.status, { ...this.commonHeaders(), ...response.headers, 'Content-Length': String(body.length) });
    res.end(body);
  }

  // ---- routing ------------------------------------------------------------------------------------

  private authorized(req: IncomingMessage, params: URLSearchParams): boolean {
    const header = req.headers['x-plex-token'];
    const token = params.get('X-Plex-Token') ?? (Array.isArray(header) ? header[0] : header);
    return token === this.token;
  }

  private route(req: IncomingMessage, path: string, params: URLSearchParams): SimResponse {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') return htmlError(405);
    const json = !this.xmlOnly && wantsJson(req);
    if (path === '/identity') return this.identity(json);
    if (!this.authorized(req, params)) return htmlError(401);

    if (path === '/' || path === '') return this.root(json);
    if (path === '/library/sections') return this.sectionList(json);
    if (path === '/hubs/search') return this.hubSearch(params, json);

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
    return htmlError(404);
  }

  /** Item nodes are built while writing, one at a time (see LazyChildren). */
  private lazyItems(items: readonly SimItem[], view: ItemView): LazyChildren {
    return { jsonKey: 'Metadata', count: items.length, node: (i) => itemNode(this.lib, items[i] as SimItem, view) };
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
    const directories = ['activities', 'butler', 'channels', 'clients', 'hubs', 'library', 'playlists', 'search', 'updater']
      .map((key) => el('Directory', 'Directory', { count: 1, key, title: key }));
    return this.respond(mediaContainer({
      size: directories.length, allowCameraUpload: true, allowChannelAccess: true, allowSync: true,
      certificate: true, friendlyName: this.friendlyName, machineIdentifier: this.machineIdentifier, multiuser: true,
      myPlex: true, myPlexSigninState: 'ok', platform: 'Linux', platformVersion: '6.1.0', transcoderActiveVideoSessions: 0,
      updatedAt: this.lib.now(), version: this.version,
    }, directories), json);
  }

  private sectionList(json: boolean): SimResponse {
    const sections = this.lib.sections();
    return this.respond(mediaContainer({ size: sections.length, allowSync: false, title1: 'Plex Library' }, sections.map(sectionNode)), json);
  }

  private sectionDetail(section: SimSection, json: boolean): SimResponse {
    const listed = SECTION_DEFAULT_TYPE[section.type] ?? 'movie';
    const entries: [string, string][] = [
      ['all', TYPE_TITLE[listed]], ['unwatched', 'Unplayed'], ['newest', 'Recently Released'],
      ['recentlyAdded', 'Recently Added'], ['collection', 'By Collection'], ['year', 'By Year'],
    ];
    const directories = entries.map(([key, title]) => el('Directory', 'Directory', { key, title }));
    return this.respond(mediaContainer({
      size: directories.length, allowSync: true, art: `/:/resources/${section.type}-fanart.jpg`, content: 'secondary',
      identifier: 'com.plexapp.plugins.library', librarySectionID: Number(section.key), mediaTagPrefix: '/system/bundle/media/flags/',
      mediaTagVersion: MEDIA_TAG_VERSION, thumb: `/:/resources/${section.type}.png`, title1: section.title,
      viewGroup: 'secondary', viewMode: 65592,
    }, directories), json);
  }

  private listView(params: URLSearchParams): ItemView {
    return { full: false, includeGuids: params.get('includeGuids') === '1', sectionOnItem: false };
  }

  private sectionListing(section: SimSection, listed: SimItemType | undefined, items: readonly SimItem[], paging: Paging | undefined, params: URLSearchParams, json: boolean): SimResponse {
    const { slice, attrs, headers } = page(items, paging);
    if (this.holdsCorruptRow(slice)) return htmlError(500);
    return this.respond(mediaContainer({
      ...attrs, allowSync: true, art: `/:/resources/${section.type}-fanart.jpg`, identifier: 'com.plexapp.plugins.library',
      ...sectionAttrs(section), mediaTagPrefix: '/system/bundle/media/flags/', mediaTagVersion: MEDIA_TAG_VERSION,
      thumb: `/:/resources/${section.type}.png`, title1: section.title, title2: listed ? TYPE_TITLE[listed] : 'All',
      viewGroup: listed ?? section.type,
    }, [], this.lazyItems(slice, this.listView(params))), json, headers);
  }

  private sectionAll(req: IncomingMessage, section: SimSection, params: URLSearchParams, json: boolean): SimResponse {
    const paging = readPaging(req, params);
    // Recent PMS refuses an unbounded /all (it warned "will fail with 400" since 1.28).
    if (paging?.size === undefined) {
      return { status: 400, headers: { 'Content-Type': HTML_CONTENT_TYPE }, body: 'Missing X-Plex-Container-Size header.' };
    }
    const typeParam = params.get('type');
    const listed = typeParam === null ? SECTION_DEFAULT_TYPE[section.type] : simTypeFromNumber(Number(typeParam));
    const items = listed ? this.listing.list(section, listed, params) : [];
    return this.sectionListing(section, listed, items, paging, params, json);
  }

  private sectionLeaves(req: IncomingMessage, section: SimSection, params: URLSearchParams, json: boolean): SimResponse {
    const items = this.listing.list(section, 'episode', params);
    return this.sectionListing(section, 'episode', items, readPaging(req, params), params, json);
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
    return this.respond(mediaContainer({
      ...attrs, allowSync: true, identifier: 'com.plexapp.plugins.library', ...sectionAttrs(shared),
      mediaTagPrefix: '/system/bundle/media/flags/', mediaTagVersion: MEDIA_TAG_VERSION,
    }, [], this.lazyItems(slice, view)), json, headers);
  }

  private children(req: IncomingMessage, key: string, params: URLSearchParams, json: boolean): SimResponse {
    const parent = this.lib.get(key);
    if (!parent) return htmlError(404);
    const section = this.lib.section(parent.sectionKey);
    // Entries are paged as one list; the "All episodes" pseudo-entry, when present, is its first element.
    const entries: (SimItem | 'allLeaves')[] = this.lib.children(key);
    let containerAttrs: Record<string, string | number | boolean | undefined> = {};
    if (parent.type === 'show') {
      if (params.get('excludeAllLeaves') !== '1') entries.unshift('allLeaves');
      containerAttrs = {
        key: parent.ratingKey, parentIndex: parent.index, parentTitle: parent.title, parentYear: parent.year,
        summary: parent.summary, theme: `/library/metadata/${parent.ratingKey}/theme/${parent.updatedAt ?? parent.addedAt}`,
        thumb: `/library/metadata/${parent.ratingKey}/thumb/${parent.updatedAt ?? parent.addedAt}`,
        title1: section?.title, title2: parent.title, viewGroup: 'season',
      };
    } else if (parent.type === 'season') {
      const show = this.lib.parentOf(parent);
      containerAttrs = {
        key: parent.ratingKey, grandparentRatingKey: show?.ratingKey, grandparentTitle: show?.title,
        parentIndex: parent.index, parentTitle: parent.title, title1: show?.title, title2: parent.title, viewGroup: 'episode',
      };
    }
    const { slice, attrs, headers } = page(entries, readPaging(req, params));
    if (this.holdsCorruptRow(slice)) return htmlError(500);
    const pseudo: PlexNode[] = slice.includes('allLeaves')
      ? [el('Directory', 'Directory', {
          leafCount: this.lib.leafCount(parent), thumb: `/library/metadata/${parent.ratingKey}/thumb/${parent.updatedAt ?? parent.addedAt}`,
          viewedLeafCount: 0, key: `/library/metadata/${parent.ratingKey}/allLeaves`, title: 'All episodes',
        })]
      : [];
    const items = slice.filter((entry): entry is SimItem => entry !== 'allLeaves');
    return this.respond(mediaContainer({
      ...attrs, allowSync: true, identifier: 'com.plexapp.plugins.library', ...containerAttrs, ...sectionAttrs(section),
      mediaTagPrefix: '/system/bundle/media/flags/', mediaTagVersion: MEDIA_TAG_VERSION, nocache: true,
    }, pseudo, this.lazyItems(items, this.listView(params))), json, headers);
  }

  private allLeaves(req: IncomingMessage, key: string, params: URLSearchParams, json: boolean): SimResponse {
    const parent = this.lib.get(key);
    if (!parent) return htmlError(404);
    const section = this.lib.section(parent.sectionKey);
    const leaves = parent.type === 'show' ? this.lib.leaves(key) : parent.type === 'season' ? this.lib.children(key) : [];
    const { slice, attrs, headers } = page(leaves, readPaging(req, params));
    if (this.holdsCorruptRow(slice)) return htmlError(500);
    const show = this.lib.showOf(parent);
    return this.respond(mediaContainer({
      ...attrs, allowSync: true, identifier: 'com.plexapp.plugins.library', key: parent.ratingKey, ...sectionAttrs(section),
      mediaTagPrefix: '/system/bundle/media/flags/', mediaTagVersion: MEDIA_TAG_VERSION, nocache: true,
      parentTitle: show?.title, title1: show?.title, title2: parent.type === 'season' ? parent.title : 'All episodes', viewGroup: 'episode',
    }, [], this.lazyItems(slice, this.listView(params))), json, headers);
  }

  private hubSearch(params: URLSearchParams, json: boolean): SimResponse {
    const query = params.get('query') ?? '';
    const sectionId = params.get('sectionId') ?? undefined;
    const limit = readNonNegative(params.get('limit')) ?? 10;
    const hubs: [SimItemType, string][] = [['movie', 'Movies'], ['show', 'Shows'], ['episode', 'Episodes']];
    const found = this.listing.search(query, sectionId, hubs.map(([type]) => type));
    const view: ItemView = { full: false, includeGuids: params.get('includeGuids') === '1', sectionOnItem: true };
    const nodes = hubs.map(([type, title]) => {
      const matches = found.get(type) ?? [];
      const shown = matches.slice(0, limit);
      return el('Hub', 'Hub', {
        title, type, hubIdentifier: type, context: '', size: shown.length, more: matches.length > shown.length, style: 'shelf',
      }, shown.map((item) => itemNode(this.lib, item, view)));
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
  const lib = createSimLibrary({ ...options.library, seed: options.library?.seed ?? seed }, { clockStart: options.clockStart ?? 1_700_000_000 });
  const ids = new Rng(seed ^ 0x1d3a7);
  const machineIdentifier = options.machineIdentifier ?? ids.hex(40);
  const token = options.token ?? ids.chars(20, TOKEN_ALPHABET);
  const controlKey = options.controlKey ?? randomBytes(16).toString('hex');

  let sim: PlexSimServer | undefined;
  const server = createServer((req, res) => {
    if (!sim) {
      res.writeHead(503).end();
      return;
    }
    try {
      sim.handle(req, res);
    } catch (error) {
      process.stderr.write(`plex-sim: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': HTML_CONTENT_TYPE }).end(htmlErrorBody(500));
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 20_000;
  sim = new PlexSimServer(lib, token, machineIdentifier, options.friendlyName ?? 'Marquee Plex Sim', controlKey, options.xmlOnly === true, server, options.version);

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
    close: () => active.close(),
  };
}
