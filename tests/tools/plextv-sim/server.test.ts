// The simulated plex.tv over real HTTP: PINs, the account, its resources, and the mutations tests use.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlexTvSim } from '../../../tools/plextv-sim/index.js';
import { ACCOUNT_TOKEN, HOME_ID, startAccountWorld, type AccountWorld } from './fixtures.js';

const CLIENT = { 'X-Plex-Client-Identifier': 'test-client', 'X-Plex-Product': 'Marquee', Accept: 'application/json' };

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; json: unknown; headers: Headers }> {
  const response = await fetch(url, init);
  return { status: response.status, json: await response.json(), headers: response.headers };
}

type Json = Record<string, unknown>;

describe('plextv-sim PINs', () => {
  it('creates a strong PIN, hands out the token on the Nth poll, and forgets it once expired (404)', async () => {
    let now = 1_700_000_000_000;
    const sim = await startPlexTvSim({ accountToken: ACCOUNT_TOKEN, approveAfterPolls: 3, pinLifetimeSeconds: 60, now: () => now });
    try {
      const created = await call(`${sim.url}/api/v2/pins?strong=true`, { method: 'POST', headers: CLIENT });
      expect(created.status).toBe(201);
      const pin = created.json as Json;
      expect(pin).toMatchObject({ authToken: null, expiresIn: 60, clientIdentifier: 'test-client' });
      expect(String(pin['code']).length).toBeGreaterThan(4);
      const poll = async (): Promise<Json> => (await call(`${sim.url}/api/v2/pins/${String(pin['id'])}`, { headers: CLIENT })).json as Json;
      expect((await poll())['authToken']).toBeNull();
      expect((await poll())['authToken']).toBeNull();
      expect((await poll())['authToken']).toBe(ACCOUNT_TOKEN);
      now += 61_000;
      expect((await call(`${sim.url}/api/v2/pins/${String(pin['id'])}`, { headers: CLIENT })).status).toBe(404);
    } finally {
      await sim.close();
    }
  });

  it('refuses a PIN without a client identifier and answers 429 when told to', async () => {
    const sim = await startPlexTvSim({ rateLimitNext: 1 });
    try {
      const limited = await call(`${sim.url}/api/v2/pins?strong=true`, { method: 'POST', headers: CLIENT });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect((await call(`${sim.url}/api/v2/pins`, { method: 'POST', headers: { Accept: 'application/json' } })).status).toBe(400);
    } finally {
      await sim.close();
    }
  });
});

describe('plextv-sim account and resources', () => {
  let world: AccountWorld;
  beforeAll(async () => {
    world = await startAccountWorld();
  });
  afterAll(async () => {
    await world.close();
  });
  const auth = (token: string): Record<string, string> => ({ ...CLIENT, 'X-Plex-Token': token });

  it('answers /user for the account token and 401 for any other', async () => {
    const user = await call(`${world.plextv.url}/api/v2/user`, { headers: auth(ACCOUNT_TOKEN) });
    expect(user.status).toBe(200);
    expect(user.json).toMatchObject({ username: 'marquee-user', email: 'user@example.com' });
    expect((await call(`${world.plextv.url}/api/v2/user`, { headers: auth('wrong') })).status).toBe(401);
    expect((await call(`${world.plextv.url}/api/v2/user`, { headers: CLIENT })).status).toBe(401);
  });

  it('lists https, relay and IPv6 connections only when asked for', async () => {
    const all = (
      await call(`${world.plextv.url}/api/v2/resources?includeHttps=1&includeRelay=1&includeIPv6=1`, { headers: auth(ACCOUNT_TOKEN) })
    ).json as Json[];
    const plain = (await call(`${world.plextv.url}/api/v2/resources`, { headers: auth(ACCOUNT_TOKEN) })).json as Json[];
    const home = (list: Json[]): Json[] =>
      (list.find((resource) => resource['clientIdentifier'] === HOME_ID)?.['connections'] ?? []) as Json[];
    expect(home(all)).toHaveLength(6);
    expect(home(plain).some((connection) => connection['relay'] === true || connection['protocol'] === 'https')).toBe(false);
    expect(all.map((resource) => [resource['name'], resource['owned'], resource['provides']])).toEqual([
      ['Home', true, 'server'],
      ['Friend', false, 'server'],
      ['Living Room TV', true, 'client,player'],
    ]);
  });

  it('revokes a token, and adds and removes connections', async () => {
    const sim = await startPlexTvSim({ accountToken: 'revocable', resources: structuredClone(world.plextv.resources) });
    try {
      const connection = {
        protocol: 'http' as const,
        address: '10.0.0.9',
        port: 32400,
        uri: 'http://10.0.0.9:32400',
        local: true,
        relay: false,
        IPv6: false,
      };
      sim.addConnection(HOME_ID, connection);
      const list = async (): Promise<Json[]> =>
        (await call(`${sim.url}/api/v2/resources?includeHttps=1&includeRelay=1`, { headers: auth('revocable') })).json as Json[];
      const uris = (resources: Json[]): unknown[] => ((resources[0]?.['connections'] ?? []) as Json[]).map((c) => c['uri']);
      expect(uris(await list())).toContain(connection.uri);
      sim.removeConnection(HOME_ID, connection.uri);
      expect(uris(await list())).not.toContain(connection.uri);
      sim.revokeToken('revocable');
      expect((await call(`${sim.url}/api/v2/resources`, { headers: auth('revocable') })).status).toBe(401);
    } finally {
      await sim.close();
    }
  });

  it('answers 498 for a revoked token when playing the JWT flow', async () => {
    const sim = await startPlexTvSim({ accountToken: 'short-lived', expiredStatus: 498 });
    try {
      sim.revokeToken('short-lived');
      expect((await call(`${sim.url}/api/v2/user`, { headers: auth('short-lived') })).status).toBe(498);
    } finally {
      await sim.close();
    }
  });

  it('points connections at listeners that work, refuse, hang, and relay', async () => {
    const { connections, server } = world.targets;
    const identity = async (uri: string): Promise<Json> =>
      ((await call(`${uri}/identity`, { headers: CLIENT })).json as { MediaContainer: Json }).MediaContainer;
    expect((await identity(connections.works.uri))['machineIdentifier']).toBe(server.machineIdentifier);
    expect((await identity(connections.relay.uri))['machineIdentifier']).toBe(server.machineIdentifier);
    expect((await identity(connections.otherServer.uri))['machineIdentifier']).not.toBe(server.machineIdentifier);
    await expect(fetch(`${connections.refuses.uri}/identity`)).rejects.toThrow();
    // The hanging one accepts the connection and then never says anything.
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(connections.hangs.port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    expect(accepted).toBe(true);
    const controller = new AbortController();
    const pending = fetch(`${connections.hangs.uri}/identity`, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toThrow();
    // The https one's certificate is for wrong.example, not for 127.0.0.1.
    await expect(fetch(`${connections.tlsMismatch.uri}/identity`)).rejects.toThrow();
  });
});

describe('plextv-sim garbled answers', () => {
  it('answers an HTML page with 200 when told to, then JSON again', async () => {
    const sim = await startPlexTvSim({ garbleNext: 1 });
    try {
      const first = await fetch(`${sim.url}/api/v2/pins?strong=true`, { method: 'POST', headers: CLIENT });
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toContain('text/html');
      expect((await call(`${sim.url}/api/v2/pins?strong=true`, { method: 'POST', headers: CLIENT })).status).toBe(201);
    } finally {
      await sim.close();
    }
  });
});
