// The app's "Sign in with Plex" channels through dispatch(), on the simulated plex.tv and Plex servers and a real
// catalog: the code and page come back at once, approval arrives as an event, the page opens only through the
// opener, discovery and adding work by id, a server's connections can be listed, probed and switched, and no
// token reaches any result or event the renderer would see.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ExternalOpener } from '../../../main/app/external-opener.js';
import { allowListedOpener } from '../../../main/app/external-opener.js';
import {
  ACCOUNT_TOKEN,
  HOME_ID,
  HOME_TOKEN,
  SHARED_ID,
  SHARED_TOKEN,
  startAccountWorld,
  type AccountWorld,
} from '../../tools/plextv-sim/fixtures.js';
import { startAppFixture, type AppFixture } from './fixtures.js';

const TOKENS = [ACCOUNT_TOKEN, HOME_TOKEN, SHARED_TOKEN];

function expectNoToken(value: unknown): void {
  const text = JSON.stringify(value);
  for (const token of TOKENS) expect(text).not.toContain(token);
}

describe('app: sign in with Plex', () => {
  let world: AccountWorld;
  let app: AppFixture;
  let opened: string[];

  beforeAll(async () => {
    // Nothing is approved by polling alone: the test approves like a user at plex.tv.
    world = await startAccountWorld({ approveAfterPolls: null });
  });
  afterAll(async () => {
    await world.close();
  });
  afterEach(async () => {
    await app.close();
  });

  async function start(): Promise<void> {
    opened = [];
    const record: ExternalOpener = allowListedOpener((url) => {
      opened.push(url);
      return Promise.resolve();
    });
    app = await startAppFixture({
      account: {
        plexTvUrl: world.plextv.url,
        openExternal: record,
        pollIntervalMs: 20,
        probe: { timeoutMs: 800, ca: [world.targets.certificatePem] },
      },
    });
  }

  it('signs in, discovers, adds the chosen servers and switches a connection, without a token in anything the renderer gets', async () => {
    await start();
    expect(await app.ok('account:info', {})).toMatchObject({ signedIn: false, account: null, pendingSignIn: null, servers: [] });

    const started = await app.ok('account:startSignIn', {});
    expect(started.authUrl).toMatch(/^https:\/\/app\.plex\.tv\/auth#\?clientID=[^&]+&code=/);
    expect(started.authUrl).toContain(`code=${started.code}`);
    expect(started.expiresAt).toBeGreaterThan(Date.now());
    expect((await app.ok('account:info', {})).pendingSignIn).toEqual(started);
    await app.nextEvent('account:signin', (event) => event.pinId === started.pinId && event.state === 'waiting');

    expect(await app.ok('account:openSignInPage', { pinId: started.pinId })).toEqual({ opened: true });
    expect(opened).toEqual([started.authUrl]);
    expect((await app.fail('account:openSignInPage', { pinId: started.pinId + 1 })).code).toBe('NOT_FOUND');

    const approved = app.nextEvent('account:signin', (event) => event.pinId === started.pinId && event.state !== 'waiting');
    world.plextv.approvePin(started.pinId);
    expect(await approved).toMatchObject({ state: 'approved', account: { username: 'marquee-user', email: 'user@example.com' } });
    const info = await app.ok('account:info', {});
    expect(info).toMatchObject({ signedIn: true, account: { username: 'marquee-user' }, pendingSignIn: null });

    const discovered = await app.ok('account:discover', {});
    const home = discovered.find((server) => server.id === HOME_ID);
    expect(home).toMatchObject({ name: 'Home', owned: true, chosen: { uri: world.targets.connections.works.uri, kind: 'local' } });
    expect(discovered.find((server) => server.id === SHARED_ID)).toMatchObject({
      owned: false,
      chosen: null,
      ownershipNote: expect.stringMatching(/Shared/) as unknown,
    });

    const added = await app.ok('account:addServers', { ids: [HOME_ID, SHARED_ID] });
    expect(added.added).toMatchObject([{ name: 'Home', owned: true, connectionUri: world.targets.connections.works.uri }]);
    expect(added.refused).toMatchObject([{ id: SHARED_ID, name: 'Friend' }]);
    const serverId = added.added[0]?.serverId ?? 0;
    expect((await app.ok('servers:list', {})).map((server) => server.name)).toEqual(['Home']);
    expect((await app.ok('libraries:list', { serverId })).length).toBeGreaterThan(0);
    expect((await app.ok('account:info', {})).servers).toEqual([
      {
        serverId,
        name: 'Home',
        owned: true,
        needsSignIn: false,
        connectionUri: world.targets.connections.works.uri,
        connectionKind: 'local',
        connectionLatencyMs: expect.any(Number) as unknown,
      },
    ]);

    // As last probed: every connection, best first, with why the others failed.
    const stored = await app.ok('servers:connections', { id: serverId });
    expect(stored.chosenUri).toBe(world.targets.connections.works.uri);
    expect(stored.connections.find((c) => c.uri === world.targets.connections.works.uri)).toMatchObject({
      kind: 'local',
      ok: true,
      latencyMs: expect.any(Number) as unknown,
    });
    expect(stored.connections.find((c) => c.uri === world.targets.connections.tlsMismatch.uri)).toMatchObject({
      ok: false,
      failureCode: 'CERT_NAME_MISMATCH',
    });
    expect(stored.connections.find((c) => c.uri === world.targets.connections.otherServer.uri)).toMatchObject({
      ok: false,
      failureCode: 'OTHER_SERVER',
      explanation: expect.stringMatching(/Another Plex server/) as unknown,
    });
    expect(stored.connections.at(-1)).toMatchObject({ kind: 'relay' });

    // The user picks the relay: it is checked, used, and the relay warning shows.
    const relay = await app.ok('servers:useConnection', { id: serverId, uri: world.targets.connections.relay.uri });
    expect(relay).toMatchObject({
      chosenUri: world.targets.connections.relay.uri,
      switched: true,
      warning: expect.stringMatching(/relay/) as unknown,
    });
    expect((await app.ok('servers:list', {}))[0]?.url).toBe(world.targets.connections.relay.uri);
    expect((await app.fail('servers:useConnection', { id: serverId, uri: world.targets.connections.refuses.uri })).code).toBe('FAILED');
    expect((await app.fail('servers:useConnection', { id: serverId, uri: 'http://10.9.9.9:1' })).code).toBe('INVALID_INPUT');
    // Probing again chooses the best one.
    const probed = await app.ok('servers:connections', { id: serverId, probe: true });
    expect(probed).toMatchObject({ chosenUri: world.targets.connections.works.uri, switched: true });

    expectNoToken([
      started,
      info,
      discovered,
      added,
      stored,
      relay,
      probed,
      app.events,
      await app.ok('account:info', {}),
      await app.ok('servers:list', {}),
    ]);

    expect(await app.ok('account:signOut', {})).toEqual({ wasSignedIn: true, username: 'marquee-user' });
    expect((await app.ok('account:info', {})).signedIn).toBe(false);
    expect((await app.fail('account:discover', {})).code).toBe('UNAUTHORIZED');
  }, 30_000);

  it('cancels a sign-in, and a new one replaces the one under way', async () => {
    await start();
    const first = await app.ok('account:startSignIn', {});
    const firstEnd = app.nextEvent('account:signin', (event) => event.pinId === first.pinId && event.state !== 'waiting');
    const second = await app.ok('account:startSignIn', {});
    expect(second.pinId).not.toBe(first.pinId);
    expect(await firstEnd).toMatchObject({ state: 'cancelled' });

    const secondEnd = app.nextEvent('account:signin', (event) => event.pinId === second.pinId && event.state !== 'waiting');
    expect(await app.ok('account:cancelSignIn', { pinId: second.pinId })).toEqual({ cancelled: true });
    expect(await secondEnd).toMatchObject({ state: 'cancelled' });
    expect(await app.ok('account:cancelSignIn', { pinId: second.pinId })).toEqual({ cancelled: false });
    expect((await app.fail('account:openSignInPage', { pinId: second.pinId })).code).toBe('NOT_FOUND');
    expect(opened).toEqual([]);
    expect(await app.ok('account:info', {})).toMatchObject({ signedIn: false, pendingSignIn: null });
  });

  it('while signed in, adds by address only a server of the account, checked before its token is sent', async () => {
    await start();
    // Signed out: the advanced path is unchanged.
    expect(await app.addSimServer('Before')).toBeGreaterThan(0);
    const started = await app.ok('account:startSignIn', {});
    const approved = app.nextEvent('account:signin', (event) => event.pinId === started.pinId && event.state === 'approved');
    world.plextv.approvePin(started.pinId);
    await approved;

    app.sim.resetRequests();
    const refused = await app.fail('servers:add', { name: 'Stranger', url: app.sim.url, token: app.sim.token });
    expect(refused).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/not among the servers of the signed-in Plex account/) as unknown,
    });
    expect(app.sim.requests.map((request) => request.path)).toEqual(['/identity']);
    expect((await app.ok('servers:list', {})).map((server) => server.name)).toEqual(['Before']);

    const home = await app.ok('servers:add', { name: 'Home by address', url: world.targets.server.url, token: HOME_TOKEN });
    expect(home.machineIdentifier).toBe(HOME_ID);
  });

  it('refuses malformed inputs and a server added by address', async () => {
    await start();
    expect((await app.fail('account:addServers', { ids: [] })).code).toBe('INVALID_INPUT');
    expect((await app.fail('account:addServers', { ids: ['../etc'] })).code).toBe('INVALID_INPUT');
    expect((await app.fail('account:openSignInPage', { pinId: 1, url: 'file:///etc/passwd' })).code).toBe('INVALID_INPUT');
    expect((await app.fail('account:addServers', { ids: [HOME_ID] })).code).toBe('UNAUTHORIZED');
    const id = await app.addSimServer();
    expect((await app.fail('servers:connections', { id })).code).toBe('INVALID_INPUT');
    expect((await app.fail('servers:connections', { id: 999 })).code).toBe('NOT_FOUND');
  });
});
