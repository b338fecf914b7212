// A simulated plex.tv: the account API Marquee's "Sign in with Plex" uses, served over real HTTP on loopback.
// It answers the way plex.tv does as far as public material shows (see docs/plextv.md: documented vs inferred):
// PINs (`/api/v2/pins`), the account (`/api/v2/user`) and its devices (`/api/v2/resources`). It never imports the
// code it tests (main/plextv). Hostile behaviours are options, all off by default.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimConnection {
  protocol: 'http' | 'https';
  address: string;
  port: number;
  uri: string;
  local: boolean;
  relay: boolean;
  IPv6: boolean;
}

export interface SimResource {
  name: string;
  /** The server's machineIdentifier. */
  clientIdentifier: string;
  /** Comma-separated, as plex.tv sends it: 'server', 'client,player', … */
  provides: string;
  product?: string;
  owned: boolean;
  /** The server's own token for this account (plex.tv sends one per server). */
  accessToken: string | null;
  publicAddressMatches: boolean;
  connections: SimConnection[];
}

export interface SimUser {
  id: number;
  uuid: string;
  username: string;
  email: string;
  thumb: string;
}

export interface PlexTvSimOptions {
  /** The account token a PIN approval hands out; default random. */
  accountToken?: string;
  user?: Partial<SimUser>;
  resources?: SimResource[];
  /** A PIN's token appears on the Nth poll of GET /api/v2/pins/{id} (default 2); `null`: never approved. */
  approveAfterPolls?: number | null;
  /** Lifetime of a new PIN in seconds (real plex.tv: 1800 for strong PINs, 900 otherwise). */
  pinLifetimeSeconds?: number;
  /** The simulated clock, epoch ms; default Date.now. Tests move it to expire PINs without waiting. */
  now?: () => number;
  /** The next N requests answer 429 with Retry-After: 1 (plex.tv rate-limits busy pollers). */
  rateLimitNext?: number;
  /** The next N requests answer 200 with an HTML page instead of JSON (a captive portal, a proxy error page). */
  garbleNext?: number;
  /** Answer 498 (expired JWT, as the documented JWT flow does) instead of 401 for a revoked token. */
  expiredStatus?: 401 | 498;
}

export interface PlexTvRequestLog {
  method: string;
  path: string;
  status: number;
  /** Request headers (lower-case names), so tests can check the X-Plex-* set was sent. */
  headers: Record<string, string>;
}

export interface PlexTvSim {
  url: string;
  accountToken: string;
  user: SimUser;
  resources: SimResource[];
  requests: PlexTvRequestLog[];
  /** The token now answers 401 (or 498 with expiredStatus) everywhere. */
  revokeToken(token: string): void;
  /** Approves a PIN on its next poll, whatever approveAfterPolls says. */
  approvePin(id: number): void;
  addConnection(clientIdentifier: string, connection: SimConnection): void;
  removeConnection(clientIdentifier: string, uri: string): void;
  rateLimitNext(count: number): void;
  garbleNext(count: number): void;
  close(): Promise<void>;
}

interface SimPin {
  id: number;
  code: string;
  clientIdentifier: string;
  product: string;
  createdAtMs: number;
  expiresAtMs: number;
  polls: number;
  approvedNow: boolean;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export async function startPlexTvSim(options: PlexTvSimOptions = {}): Promise<PlexTvSim> {
  const now = options.now ?? Date.now;
  const accountToken = options.accountToken ?? randomBytes(15).toString('base64url');
  const user: SimUser = {
    id: 4242,
    uuid: 'a1b2c3d4e5f60718',
    username: 'marquee-user',
    email: 'user@example.com',
    thumb: 'https://plex.tv/users/a1b2c3d4e5f60718/avatar?c=1700000000',
    ...options.user,
  };
  const resources = structuredClone(options.resources ?? []);
  const pins = new Map<number, SimPin>();
  const revoked = new Set<string>();
  const requests: PlexTvRequestLog[] = [];
  let rateLimited = Math.max(0, options.rateLimitNext ?? 0);
  let garbled = Math.max(0, options.garbleNext ?? 0);
  let nextPinId = 1_000_001;

  const lifetimeMs = (options.pinLifetimeSeconds ?? 1800) * 1000;
  const approveAfter = options.approveAfterPolls === undefined ? 2 : options.approveAfterPolls;

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number {
    res.writeHead(status, { 'Content-Type': JSON_TYPE, ...headers }).end(JSON.stringify(body));
    return status;
  }

  function errorBody(code: number, message: string): unknown {
    return { errors: [{ code, message, status: code >= 1000 ? 401 : code }] };
  }

  /** 401 for a missing, unknown or revoked token; 498 for a revoked one when the JWT behaviour is asked for. */
  function authorize(req: IncomingMessage, res: ServerResponse): number | null {
    const token = header(req, 'x-plex-token') ?? new URL(req.url ?? '/', 'http://x').searchParams.get('X-Plex-Token');
    if (token !== null && token !== undefined && revoked.has(token) && options.expiredStatus === 498) {
      return send(res, 498, errorBody(498, 'Token expired'));
    }
    if (token !== accountToken || revoked.has(token)) return send(res, 401, errorBody(1001, 'User could not be authenticated'));
    return null;
  }

  function pinJson(pin: SimPin): Record<string, unknown> {
    const approved = approveAfter !== null && pin.polls >= approveAfter;
    return {
      id: pin.id,
      code: pin.code,
      product: pin.product,
      trusted: false,
      qr: `https://plex.tv/api/v2/pins/qr/${pin.code}`,
      clientIdentifier: pin.clientIdentifier,
      location: { code: 'ZZ', country: 'Nowhere' },
      expiresIn: Math.max(0, Math.round((pin.expiresAtMs - now()) / 1000)),
      createdAt: new Date(pin.createdAtMs).toISOString(),
      expiresAt: new Date(pin.expiresAtMs).toISOString(),
      authToken: approved || pin.approvedNow ? accountToken : null,
      newRegistration: null,
    };
  }

  function handle(req: IncomingMessage, res: ServerResponse): number {
    const url = new URL(req.url ?? '/', 'http://plextv.sim');
    const path = url.pathname.replace(/\/+$/, '');
    if (rateLimited > 0) {
      rateLimited--;
      return send(res, 429, errorBody(429, 'Too many requests'), { 'Retry-After': '1' });
    }
    if (garbled > 0) {
      garbled--;
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>Sign in to the hotel Wi-Fi</body></html>');
      return 200;
    }
    if (req.method === 'POST' && path === '/api/v2/pins') {
      const clientIdentifier = header(req, 'x-plex-client-identifier') ?? url.searchParams.get('X-Plex-Client-Identifier');
      if (!clientIdentifier) return send(res, 400, errorBody(1000, 'X-Plex-Client-Identifier is missing'));
      const strong = url.searchParams.get('strong') === 'true';
      const created = now();
      const pin: SimPin = {
        id: nextPinId++,
        code: strong ? randomCode(25) : randomCode(4),
        clientIdentifier,
        product: header(req, 'x-plex-product') ?? 'unknown',
        createdAtMs: created,
        expiresAtMs: created + lifetimeMs,
        polls: 0,
        approvedNow: false,
      };
      pins.set(pin.id, pin);
      return send(res, 201, pinJson(pin));
    }
    const pinMatch = /^\/api\/v2\/pins\/(\d+)$/.exec(path);
    if (req.method === 'GET' && pinMatch) {
      const pin = pins.get(Number(pinMatch[1]));
      // An expired PIN is gone: plex.tv answers 404 (python-plexapi's poller treats the failure as "expired").
      if (pin === undefined || now() >= pin.expiresAtMs) return send(res, 404, errorBody(1020, 'Code not found or expired'));
      pin.polls++;
      return send(res, 200, pinJson(pin));
    }
    if (req.method === 'GET' && path === '/api/v2/user') {
      const refused = authorize(req, res);
      if (refused !== null) return refused;
      return send(res, 200, {
        ...user,
        title: user.username,
        friendlyName: user.username,
        authToken: accountToken,
        subscription: { active: false },
      });
    }
    if (req.method === 'GET' && path === '/api/v2/resources') {
      const refused = authorize(req, res);
      if (refused !== null) return refused;
      const https = url.searchParams.get('includeHttps') === '1';
      const relay = url.searchParams.get('includeRelay') === '1';
      const ipv6 = url.searchParams.get('includeIPv6') === '1';
      return send(
        res,
        200,
        resources.map((resource) => resourceJson(resource, { https, relay, ipv6 })),
      );
    }
    return send(res, 404, errorBody(404, 'Not found'));
  }

  const server: Server = createServer((req, res) => {
    // Bodies (form-encoded PIN parameters) are not needed: drain them so keep-alive stays usable.
    req.resume();
    req.on('end', () => {
      const status = handle(req, res);
      requests.push({ method: req.method ?? 'GET', path: stripToken(req.url ?? '/'), status, headers: plainHeaders(req) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  function resourceOf(clientIdentifier: string): SimResource {
    const resource = resources.find((candidate) => candidate.clientIdentifier === clientIdentifier);
    if (!resource) throw new Error(`plextv-sim: no resource ${clientIdentifier}`);
    return resource;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    accountToken,
    user,
    resources,
    requests,
    revokeToken: (token) => void revoked.add(token),
    approvePin: (id) => {
      const pin = pins.get(id);
      if (pin) pin.approvedNow = true;
    },
    addConnection: (clientIdentifier, connection) => void resourceOf(clientIdentifier).connections.push(connection),
    removeConnection: (clientIdentifier, uri) => {
      const resource = resourceOf(clientIdentifier);
      resource.connections = resource.connections.filter((connection) => connection.uri !== uri);
    },
    rateLimitNext: (count) => {
      rateLimited = count;
    },
    garbleNext: (count) => {
      garbled = count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A resource as plex.tv lists it; https, relay and IPv6 connections only when asked for, as the real API does. */
function resourceJson(resource: SimResource, include: { https: boolean; relay: boolean; ipv6: boolean }): unknown {
  const connections = resource.connections.filter(
    (connection) =>
      (include.https || connection.protocol === 'http' || connection.relay) &&
      (include.relay || !connection.relay) &&
      (include.ipv6 || !connection.IPv6),
  );
  return {
    name: resource.name,
    product: resource.product ?? (resource.provides.includes('server') ? 'Plex Media Server' : 'Plex Web'),
    productVersion: '1.41.3.9314-a0bfb8370',
    platform: 'Linux',
    platformVersion: '6.1.0',
    device: 'PC',
    clientIdentifier: resource.clientIdentifier,
    createdAt: '2024-01-01T00:00:00Z',
    lastSeenAt: '2026-01-01T00:00:00Z',
    provides: resource.provides,
    ownerId: resource.owned ? null : 777,
    sourceTitle: resource.owned ? null : 'a-friend',
    publicAddress: '203.0.113.7',
    accessToken: resource.accessToken,
    owned: resource.owned,
    home: false,
    synced: false,
    relay: true,
    presence: true,
    httpsRequired: false,
    publicAddressMatches: resource.publicAddressMatches,
    dnsRebindingProtection: false,
    natLoopbackSupported: false,
    connections,
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function plainHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function stripToken(url: string): string {
  return url.replace(/([?&]X-Plex-Token=)[^&]*/gi, '$1REDACTED');
}

function randomCode(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]).join('');
}

/** A resource id looking like a machineIdentifier (40 hex). */
export function simMachineIdentifier(): string {
  return randomUUID().replace(/-/g, '') + randomBytes(4).toString('hex');
}
