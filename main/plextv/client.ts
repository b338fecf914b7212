// The plex.tv account API: PIN sign-in, the account, and the account's servers. got does the transport; the
// base URL is an argument (production: https://plex.tv; tests: the simulated plex.tv). Every failure is one
// typed, token-free PlexTvError.
import { setTimeout as delay } from 'node:timers/promises';
import got, { RequestError, TimeoutError } from 'got';
import { z } from 'zod';
import { plexClientHeaders, type PlexClientIdentity } from '../plex/headers.js';
import { PlexTvError } from './errors.js';
import type { PinCheck, PinOutcome, PlexPin, PlexTvConnection, PlexTvServer, PlexTvUser } from './model.js';

export const PLEX_TV_URL = 'https://plex.tv';
export const PLEX_AUTH_APP_URL = 'https://app.plex.tv/auth';

export interface PlexTvClientOptions extends PlexClientIdentity {
  /** Default https://plex.tv. Anything else is for tests and development (see plexTvUrlFromEnv). */
  baseUrl?: string;
  /** Per request. Default 15000. */
  timeoutMs?: number;
  /** Clock for PIN expiry, epoch ms. Default Date.now. */
  now?: () => number;
}

export interface WaitForPinOptions {
  signal?: AbortSignal;
  /** Between polls. Default 1000 (Plex's guidance: about once a second). */
  intervalMs?: number;
  /** After every poll that found the PIN still waiting. */
  onTick?: (tick: { polls: number; secondsLeft: number }) => void;
  /** Waits between polls; default a timer that an abort ends. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

/** The test/development override of plex.tv's address: MARQUEE_PLEXTV_URL. Never set it for real use. */
export function plexTvUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const value = env['MARQUEE_PLEXTV_URL']?.trim();
  return value === undefined || value === '' ? PLEX_TV_URL : value;
}

/** The page where the user approves the PIN (no redirect URI: the app polls). */
export function buildAuthUrl(options: { clientIdentifier: string; code: string; product?: string }): string {
  const params = new URLSearchParams({
    clientID: options.clientIdentifier,
    code: options.code,
    'context[device][product]': options.product ?? 'Marquee',
  });
  return `${PLEX_AUTH_APP_URL}#?${params.toString()}`;
}

const pinSchema = z.object({
  id: z.number().int(),
  code: z.string().min(1),
  expiresIn: z.number().nullish(),
  authToken: z.string().nullish(),
});

const userSchema = z.object({
  id: z.number().int(),
  uuid: z.string(),
  username: z.string().nullish(),
  title: z.string().nullish(),
  email: z.string().nullish(),
  thumb: z.string().nullish(),
});

const flag = z
  .union([z.boolean(), z.number(), z.string()])
  .nullish()
  .transform((value) => value === true || value === 1 || value === '1' || value === 'true');

const connectionSchema = z.object({
  protocol: z.string().nullish(),
  address: z.string(),
  port: z.coerce.number().int(),
  uri: z.string(),
  local: flag,
  relay: flag,
  IPv6: flag,
});

const resourceSchema = z.object({
  name: z.string().nullish(),
  clientIdentifier: z.string().min(1),
  provides: z.string().nullish(),
  productVersion: z.string().nullish(),
  owned: flag,
  accessToken: z.string().nullish(),
  publicAddressMatches: flag,
  connections: z.array(z.unknown()).nullish(),
});

export class PlexTvClient {
  private readonly base: URL;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  readonly clientIdentifier: string;
  readonly product: string;

  constructor(options: PlexTvClientOptions) {
    this.base = new URL(options.baseUrl ?? PLEX_TV_URL);
    this.headers = { ...plexClientHeaders(options), accept: 'application/json' };
    this.clientIdentifier = options.clientIdentifier;
    this.product = this.headers['x-plex-product'] ?? 'Marquee';
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.now = options.now ?? Date.now;
  }

  /** POST /api/v2/pins?strong=true: a new PIN for this installation. */
  async createPin(signal?: AbortSignal): Promise<PlexPin> {
    const body = await this.request('POST', '/api/v2/pins', { strong: 'true' }, undefined, signal);
    const pin = this.decode(pinSchema, body, '/api/v2/pins');
    return { id: pin.id, code: pin.code, expiresAtMs: this.now() + Math.max(0, pin.expiresIn ?? 0) * 1000 };
  }

  authUrl(pin: PlexPin): string {
    return buildAuthUrl({ clientIdentifier: this.clientIdentifier, code: pin.code, product: this.product });
  }

  /** GET /api/v2/pins/{id}: approved (with the account token), still waiting, or expired (plex.tv answers 404). */
  async checkPin(pin: PlexPin, signal?: AbortSignal): Promise<PinCheck> {
    const path = `/api/v2/pins/${pin.id}`;
    let body: unknown;
    try {
      body = await this.request('GET', path, {}, undefined, signal);
    } catch (error) {
      if (error instanceof PlexTvError && error.status === 404) return { state: 'expired' };
      throw error;
    }
    const answer = this.decode(pinSchema, body, path);
    if (typeof answer.authToken === 'string' && answer.authToken !== '') return { state: 'approved', authToken: answer.authToken };
    const secondsLeft = Math.max(0, Math.round((pin.expiresAtMs - this.now()) / 1000));
    return secondsLeft === 0 ? { state: 'expired' } : { state: 'waiting', secondsLeft };
  }

  /** Polls the PIN about once a second until it is approved, expires, or `signal` cancels the wait. */
  async waitForPin(pin: PlexPin, options: WaitForPinOptions = {}): Promise<PinOutcome> {
    const intervalMs = options.intervalMs ?? 1000;
    const sleep = options.sleep ?? abortableSleep;
    const { signal } = options;
    for (let polls = 1; ; polls++) {
      if (signal?.aborted) return { outcome: 'cancelled' };
      let pause = intervalMs;
      try {
        const check = await this.checkPin(pin, signal);
        if (check.state === 'approved') return { outcome: 'approved', authToken: check.authToken };
        if (check.state === 'expired') return { outcome: 'expired' };
        options.onTick?.({ polls, secondsLeft: check.secondsLeft });
      } catch (error) {
        if (error instanceof PlexTvError && error.code === 'ABORTED') return { outcome: 'cancelled' };
        // Polling too fast draws 429: wait as long as plex.tv asks, then go on.
        if (!(error instanceof PlexTvError && error.code === 'RATE_LIMITED')) throw error;
        pause = Math.max(intervalMs, error.retryAfterMs ?? intervalMs);
      }
      try {
        await sleep(pause, signal);
      } catch (error) {
        if (signal?.aborted) return { outcome: 'cancelled' };
        throw error;
      }
    }
  }

  /** GET /api/v2/user: who the token belongs to. */
  async getUser(token: string, signal?: AbortSignal): Promise<PlexTvUser> {
    const user = this.decode(userSchema, await this.request('GET', '/api/v2/user', {}, token, signal), '/api/v2/user', token);
    return {
      id: user.id,
      uuid: user.uuid,
      username: user.username ?? user.title ?? user.email ?? user.uuid,
      email: user.email ?? null,
      avatarUrl: user.thumb ?? null,
    };
  }

  /** GET /api/v2/resources: the account's Plex Media Servers (devices that provide 'server'), with every connection. */
  async getResources(token: string, signal?: AbortSignal): Promise<PlexTvServer[]> {
    const path = '/api/v2/resources';
    const body = await this.request('GET', path, { includeHttps: '1', includeRelay: '1', includeIPv6: '1' }, token, signal);
    const list = this.decode(z.array(z.unknown()), body, path, token);
    const servers: PlexTvServer[] = [];
    for (const entry of list) {
      // One odd device (a player with a half-filled record) must not hide the servers: skip what does not decode.
      const parsed = resourceSchema.safeParse(entry);
      if (!parsed.success) continue;
      const resource = parsed.data;
      if (
        !(resource.provides ?? '')
          .split(',')
          .map((part) => part.trim())
          .includes('server')
      )
        continue;
      servers.push({
        name: resource.name ?? resource.clientIdentifier,
        machineIdentifier: resource.clientIdentifier,
        owned: resource.owned,
        accessToken: resource.accessToken ?? null,
        publicAddressMatches: resource.publicAddressMatches,
        productVersion: resource.productVersion ?? null,
        connections: (resource.connections ?? []).flatMap(decodeConnection),
      });
    }
    return servers;
  }

  private decode<T extends z.ZodType>(schema: T, body: unknown, path: string, token?: string): z.output<T> {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` (${issue.path.join('.') || 'body'}: ${issue.message})`;
    throw new PlexTvError('BAD_RESPONSE', `plex.tv sent an unexpected answer to ${path}${where}`, {
      url: this.url(path, {}).href,
      secrets: [token],
    });
  }

  private url(path: string, query: Record<string, string>): URL {
    const url = new URL(this.base.pathname.replace(/\/+$/, '') + path, this.base.origin);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url;
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, string>,
    token: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const url = this.url(path, query);
    const secrets = [token];
    const context = { url: url.href, secrets };
    let response;
    try {
      response = await got(url, {
        method,
        headers: token === undefined ? this.headers : { ...this.headers, 'x-plex-token': token },
        timeout: { request: this.timeoutMs },
        retry: { limit: 0 },
        throwHttpErrors: false,
        followRedirect: false,
        responseType: 'text',
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw new PlexTvError('ABORTED', `Request to plex.tv was cancelled (${path})`, { ...context, cause: error });
      if (error instanceof TimeoutError)
        throw new PlexTvError('TIMEOUT', `plex.tv did not answer within ${this.timeoutMs} ms (${path})`, { ...context, cause: error });
      const code = error instanceof RequestError ? (error.code ?? 'unknown') : 'unknown';
      throw new PlexTvError('NETWORK', `Could not reach plex.tv at ${url.origin} (${code})`, { ...context, cause: error });
    }
    const status = response.statusCode;
    if (status === 401)
      throw new PlexTvError('UNAUTHORIZED', 'plex.tv refused the account token (401): sign in with Plex again', { ...context, status });
    if (status === 498)
      throw new PlexTvError('TOKEN_EXPIRED', 'plex.tv says the account token expired (498): sign in with Plex again', {
        ...context,
        status,
      });
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
      throw new PlexTvError('RATE_LIMITED', `plex.tv asks to slow down (429) on ${path}`, {
        ...context,
        status,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }
    if (status < 200 || status >= 300) throw new PlexTvError('HTTP', `plex.tv answered ${status} to ${path}`, { ...context, status });
    try {
      return JSON.parse(response.body) as unknown;
    } catch (error) {
      throw new PlexTvError('BAD_RESPONSE', `plex.tv sent something other than JSON to ${path}`, { ...context, status, cause: error });
    }
  }
}

function decodeConnection(entry: unknown): PlexTvConnection[] {
  const parsed = connectionSchema.safeParse(entry);
  if (!parsed.success) return [];
  const connection = parsed.data;
  const protocol = connection.protocol === 'https' || connection.uri.startsWith('https:') ? 'https' : 'http';
  return [
    {
      protocol,
      address: connection.address,
      port: connection.port,
      uri: connection.uri.replace(/\/+$/, ''),
      local: connection.local,
      relay: connection.relay,
      ipv6: connection.IPv6,
    },
  ];
}

async function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  await delay(ms, undefined, signal ? { signal } : {});
}

/** Retry-After in seconds or as an HTTP date, in milliseconds; undefined when absent or unreadable. */
function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
