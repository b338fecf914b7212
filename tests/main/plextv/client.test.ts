// The plex.tv client against the simulated plex.tv over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAuthUrl, plexTvUrlFromEnv, PLEX_TV_URL, PlexTvClient, PlexTvError } from '../../../main/plextv/index.js';
import { startPlexTvSim } from '../../../tools/plextv-sim/index.js';
import { ACCOUNT_TOKEN, HOME_ID, HOME_TOKEN, SHARED_ID, startAccountWorld, type AccountWorld } from '../../tools/plextv-sim/fixtures.js';

const IDENTITY = { clientIdentifier: 'marquee-test-install', version: '0.1.0', platform: 'Linux', deviceName: 'test-box' };

/** Resolves at once: the tests check what happens between polls, not how long it takes. */
const noWait = async (): Promise<void> => {};

describe('auth URL and base URL', () => {
  it('builds the app.plex.tv page with client id, code and product', () => {
    const url = buildAuthUrl({ clientIdentifier: 'id 1', code: 'ABCD', product: 'Marquee' });
    expect(url.startsWith('https://app.plex.tv/auth#?')).toBe(true);
    const params = new URLSearchParams(url.slice(url.indexOf('#?') + 2));
    expect(params.get('clientID')).toBe('id 1');
    expect(params.get('code')).toBe('ABCD');
    expect(params.get('context[device][product]')).toBe('Marquee');
  });

  it('uses plex.tv unless MARQUEE_PLEXTV_URL (tests and development only) says otherwise', () => {
    expect(plexTvUrlFromEnv({})).toBe(PLEX_TV_URL);
    expect(plexTvUrlFromEnv({ MARQUEE_PLEXTV_URL: ' ' })).toBe(PLEX_TV_URL);
    expect(plexTvUrlFromEnv({ MARQUEE_PLEXTV_URL: 'http://127.0.0.1:9' })).toBe('http://127.0.0.1:9');
  });
});

describe('PIN sign-in', () => {
  it('creates a PIN with the X-Plex-* headers and ends "approved" with the account token', async () => {
    const sim = await startPlexTvSim({ accountToken: ACCOUNT_TOKEN, approveAfterPolls: 3 });
    try {
      const client = new PlexTvClient({ ...IDENTITY, baseUrl: sim.url });
      const pin = await client.createPin();
      const created = sim.requests[0];
      expect(created?.path).toBe('/api/v2/pins?strong=true');
      expect(created?.headers).toMatchObject({
        'x-plex-client-identifier': 'marquee-test-install',
        'x-plex-product': 'Marquee',
        'x-plex-version': '0.1.0',
        'x-plex-platform': 'Linux',
        'x-plex-device': 'Linux',
        'x-plex-device-name': 'test-box',
        accept: 'application/json',
      });
      expect(client.authUrl(pin)).toContain(`code=${pin.code}`);
      const ticks: number[] = [];
      const outcome = await client.waitForPin(pin, { sleep: noWait, onTick: (tick) => ticks.push(tick.polls) });
      expect(outcome).toEqual({ outcome: 'approved', authToken: ACCOUNT_TOKEN });
      expect(ticks).toEqual([1, 2]);
    } finally {
      await sim.close();
    }
  });

  it('ends "expired" when plex.tv forgets the PIN (404)', async () => {
    let now = 1_700_000_000_000;
    const sim = await startPlexTvSim({ approveAfterPolls: null, pinLifetimeSeconds: 5, now: () => now });
    try {
      const client = new PlexTvClient({ ...IDENTITY, baseUrl: sim.url });
      const pin = await client.createPin();
      // Each wait moves plex.tv's clock on by two seconds: the third poll finds the PIN gone.
      const outcome = await client.waitForPin(pin, {
        sleep: () => {
          now += 2000;
          return Promise.resolve();
        },
      });
      expect(outcome).toEqual({ outcome: 'expired' });
      expect(sim.requests.at(-1)?.status).toBe(404);
    } finally {
      await sim.close();
    }
  });

  it('ends "cancelled" when the signal fires, and waits out a 429 instead of failing', async () => {
    const sim = await startPlexTvSim({ approveAfterPolls: null });
    try {
      const client = new PlexTvClient({ ...IDENTITY, baseUrl: sim.url });
      const pin = await client.createPin();
      sim.rateLimitNext(1);
      const controller = new AbortController();
      const pauses: number[] = [];
      const outcome = await client.waitForPin(pin, {
        signal: controller.signal,
        intervalMs: 10,
        sleep: (ms) => {
          pauses.push(ms);
          if (pauses.length === 3) controller.abort();
          return Promise.resolve();
        },
      });
      expect(outcome).toEqual({ outcome: 'cancelled' });
      expect(pauses[0]).toBe(1000); // Retry-After: 1
      expect(sim.requests.map((request) => request.status)).toEqual([201, 429, 200, 200]);
    } finally {
      await sim.close();
    }
  });
});

describe('account and servers', () => {
  let world: AccountWorld;
  let client: PlexTvClient;
  beforeAll(async () => {
    world = await startAccountWorld();
    client = new PlexTvClient({ ...IDENTITY, baseUrl: world.plextv.url });
  });
  afterAll(async () => {
    await world.close();
  });

  it('reads the user: username, email, avatar URL', async () => {
    expect(await client.getUser(ACCOUNT_TOKEN)).toEqual({
      id: 4242,
      uuid: 'a1b2c3d4e5f60718',
      username: 'marquee-user',
      email: 'user@example.com',
      avatarUrl: 'https://plex.tv/users/a1b2c3d4e5f60718/avatar?c=1700000000',
    });
  });

  it('keeps only devices that provide "server", with their tokens, owned flag and every connection', async () => {
    const servers = await client.getResources(ACCOUNT_TOKEN);
    expect(servers.map((server) => [server.name, server.machineIdentifier, server.owned])).toEqual([
      ['Home', HOME_ID, true],
      ['Friend', SHARED_ID, false],
    ]);
    const home = servers[0];
    expect(home?.accessToken).toBe(HOME_TOKEN);
    expect(home?.connections).toHaveLength(6);
    expect(home?.connections.find((connection) => connection.relay)).toMatchObject({ relay: true, local: false, protocol: 'http' });
    expect(home?.connections.find((connection) => connection.protocol === 'https')?.uri).toMatch(/^https:\/\//);
    expect(world.plextv.requests.at(-1)?.path).toBe('/api/v2/resources?includeHttps=1&includeRelay=1&includeIPv6=1');
  });

  it('refuses a bad token with a typed UNAUTHORIZED error that does not carry the token', async () => {
    const secret = 'not-the-account-token-xyz';
    const error = await client.getResources(secret).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlexTvError);
    expect((error as PlexTvError).code).toBe('UNAUTHORIZED');
    expect((error as PlexTvError).needsSignIn).toBe(true);
    expect(
      JSON.stringify({ message: (error as Error).message, url: (error as PlexTvError).url, stack: (error as Error).stack }),
    ).not.toContain(secret);
  });
});

describe('failures', () => {
  it('treats 498 (an expired short-lived token) like 401: sign in again', async () => {
    const sim = await startPlexTvSim({ accountToken: 'jwt-like', expiredStatus: 498 });
    try {
      sim.revokeToken('jwt-like');
      const error = await new PlexTvClient({ ...IDENTITY, baseUrl: sim.url }).getUser('jwt-like').catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'TOKEN_EXPIRED', status: 498, needsSignIn: true });
      expect(String((error as Error).message)).not.toContain('jwt-like');
    } finally {
      await sim.close();
    }
  });

  it('says BAD_RESPONSE for an HTML page instead of JSON; a PIN plex.tv does not know is expired', async () => {
    const sim = await startPlexTvSim({ accountToken: 'tok-abc-123', garbleNext: 1 });
    try {
      const client = new PlexTvClient({ ...IDENTITY, baseUrl: sim.url });
      await expect(client.getUser('tok-abc-123')).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
      const pin = await client.createPin();
      const strangePin = { ...pin, id: 999 };
      // An unknown PIN id answers 404, which is what plex.tv does for a PIN it forgot: expired.
      expect(await client.checkPin(strangePin)).toEqual({ state: 'expired' });
      await expect(client.getResources('tok-abc-123')).resolves.toEqual([]);
    } finally {
      await sim.close();
    }
  });

  it('says NETWORK when plex.tv cannot be reached, without the token', async () => {
    const sim = await startPlexTvSim();
    const url = sim.url;
    await sim.close();
    const error = await new PlexTvClient({ ...IDENTITY, baseUrl: url }).getUser('secret-token-123').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'NETWORK' });
    const cause = (error as Error).cause;
    expect(JSON.stringify(cause, Object.getOwnPropertyNames(cause ?? {}))).not.toContain('secret-token-123');
  });
});
