// The account use cases over real HTTP (simulated plex.tv and Plex servers) and a real SQLite catalog: sign-in to
// a synced catalog without a token in any result, PIN expiry and cancel, failover to another connection at sync
// time, and a 401 that puts a server in the "sign in again" state until the next sign-in.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listAccountServers } from '../../../main/catalog/accounts.js';
import { addServer, serverToken } from '../../../main/catalog/servers.js';
import { listLastLibrarySyncs } from '../../../main/catalog/sync-history.js';
import { runSync } from '../../../main/sync/engine.js';
import { NEEDS_SIGN_IN } from '../../../main/sync/connection-failover.js';
import {
  accountInfo,
  accountMembershipVerifier,
  addDiscoveredServers,
  discoverServers,
  openSignInPage,
  serverConnections,
  signOut,
  startSignIn,
  waitForSignIn,
  type AccountDeps,
} from '../../../main/usecases/account.js';
import { UseCaseError } from '../../../main/usecases/errors.js';
import { startConnectionTargets, startPlexTvSim, type ConnectionTargets, type PlexTvSim } from '../../../tools/plextv-sim/index.js';
import {
  ACCOUNT_TOKEN,
  HOME_ID,
  HOME_TOKEN,
  SHARED_ID,
  SHARED_TOKEN,
  startAccountWorld,
  type AccountWorld,
} from '../../tools/plextv-sim/fixtures.js';
import { createTestCatalog, type TestCatalog } from '../sync/fixtures.js';

const TOKENS = [ACCOUNT_TOKEN, HOME_TOKEN, SHARED_TOKEN];

function accountDeps(test: TestCatalog, plexTvUrl: string, extra: Partial<AccountDeps> = {}): AccountDeps {
  return {
    ...test.deps,
    clientOptions: { retryBaseMs: 1, retryMaxMs: 5, timeoutMs: 1500, retries: 0 },
    plexTvUrl,
    sleep: async () => {},
    probe: { timeoutMs: 1000 },
    ...extra,
  };
}

function expectNoToken(value: unknown, tokens: readonly string[] = TOKENS): void {
  const text = JSON.stringify(value);
  for (const token of tokens) expect(text).not.toContain(token);
}

async function signInNow(deps: AccountDeps) {
  const signIn = await startSignIn(deps);
  return waitForSignIn(deps, signIn);
}

describe('account use cases', () => {
  let world: AccountWorld;
  let test: TestCatalog;
  let deps: AccountDeps;

  beforeAll(async () => {
    world = await startAccountWorld({ approveAfterPolls: 2 });
  });
  afterAll(async () => {
    await world.close();
  });
  afterEach(() => {
    test.cleanup();
  });

  it('goes from an empty catalog to a synced one: sign in, discover, add, sync; no token in any result or in the database', async () => {
    test = createTestCatalog();
    const opened: string[] = [];
    deps = accountDeps(test, world.plextv.url, {
      probe: { timeoutMs: 1000, ca: [world.targets.certificatePem] },
      openUrl: (url) => {
        opened.push(url);
        return Promise.resolve(true);
      },
    });

    const signIn = await startSignIn(deps);
    expect(signIn.authUrl).toMatch(/^https:\/\/app\.plex\.tv\/auth#\?/);
    expect(signIn.authUrl).toContain(`code=${signIn.code}`);
    expect(await openSignInPage(deps, signIn)).toBe(true);
    expect(opened).toEqual([signIn.authUrl]);
    const result = await waitForSignIn(deps, signIn);
    expect(result).toMatchObject({ outcome: 'approved', account: { username: 'marquee-user', email: 'user@example.com' } });
    expect(accountInfo(deps).signedIn).toBe(true);

    const discovered = await discoverServers(deps);
    const home = discovered.find((server) => server.id === HOME_ID);
    const friend = discovered.find((server) => server.id === SHARED_ID);
    expect(home).toMatchObject({ owned: true, cataloguedAs: null, chosen: { uri: world.targets.connections.works.uri, kind: 'local' } });
    expect(home?.connections.find((connection) => connection.uri === world.targets.connections.otherServer.uri)?.failureCode).toBe(
      'OTHER_SERVER',
    );
    expect(home?.connections.find((connection) => connection.uri === world.targets.connections.tlsMismatch.uri)?.failureCode).toBe(
      'CERT_NAME_MISMATCH',
    );
    expect(friend).toMatchObject({ owned: false, chosen: null });
    expect(friend?.ownershipNote).toMatch(/Shared/);

    const added = await addDiscoveredServers(deps, [HOME_ID, SHARED_ID], { discovered });
    expect(added.added).toMatchObject([{ name: 'Home', owned: true, connectionUri: world.targets.connections.works.uri }]);
    expect(added.added[0]?.libraries).toBeGreaterThan(0);
    expect(added.refused).toMatchObject([{ id: SHARED_ID, reason: expect.stringMatching(/None of its connections answered/) as string }]);

    const again = await addDiscoveredServers(deps, [HOME_ID]);
    expect(again.refused[0]?.reason).toMatch(/already in the catalog as "Home"/);

    const report = await runSync(deps);
    expect(report.ok).toBe(true);
    expect(report.libraries.length).toBeGreaterThan(0);
    for (const library of report.libraries)
      expect(library.notes).toContain(
        `Connection: ${world.targets.connections.works.uri} (local, ${listAccountServers(test.catalog)[0]?.connectionLatencyMs} ms).`,
      );

    const stored = listAccountServers(test.catalog)[0];
    expect(stored).toMatchObject({ name: 'Home', owned: true, needsSignIn: false });
    expect(serverToken(test.catalog, test.secrets, stored?.id ?? 0)).toBe(HOME_TOKEN);
    expectNoToken([signIn, result, discovered, added, again, report, accountInfo(deps)]);
    test.catalog.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expectNoToken(
      ['accounts', 'servers', 'server_connections', 'settings'].flatMap((table) =>
        test.catalog.sqlite.prepare(`SELECT * FROM ${table}`).all(),
      ),
    );

    expect(signOut(deps)).toEqual({ wasSignedIn: true, username: 'marquee-user' });
    expect(accountInfo(deps).signedIn).toBe(false);
    await expect(discoverServers(deps)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    // Signed out, the server keeps its own token and syncs on.
    expect((await runSync(deps)).ok).toBe(true);
  });

  it("only ever hands Plex's https sign-in page to the opener", async () => {
    test = createTestCatalog();
    const opened: string[] = [];
    deps = accountDeps(test, world.plextv.url, {
      openUrl: (url) => {
        opened.push(url);
        return Promise.resolve(true);
      },
    });
    const signIn = await startSignIn(deps);
    expect(await openSignInPage(deps, { ...signIn, authUrl: 'file:///etc/passwd' })).toBe(false);
    expect(await openSignInPage({ ...deps, openUrl: () => Promise.reject(new Error('no browser')) }, signIn)).toBe(false);
    expect(opened).toEqual([]);
  });

  it('says when the PIN expired before anyone approved it', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const plextv = await startPlexTvSim({ approveAfterPolls: null, pinLifetimeSeconds: 5, now: () => now });
    try {
      test = createTestCatalog();
      const ticks: number[] = [];
      deps = accountDeps(test, plextv.url, {
        clock: () => now,
        sleep: (ms) => {
          now += ms;
          return Promise.resolve();
        },
      });
      const signIn = await startSignIn(deps);
      const result = await waitForSignIn(deps, signIn, { onTick: (tick) => void ticks.push(tick.secondsLeft) });
      expect(result).toEqual({ outcome: 'expired' });
      expect(ticks.length).toBeGreaterThan(1);
      expect(accountInfo(deps).signedIn).toBe(false);
    } finally {
      await plextv.close();
    }
  });

  it('stops waiting when cancelled, and stores nothing', async () => {
    const plextv = await startPlexTvSim({ approveAfterPolls: null });
    try {
      test = createTestCatalog();
      deps = accountDeps(test, plextv.url);
      const controller = new AbortController();
      const signIn = await startSignIn(deps);
      const result = await waitForSignIn(deps, signIn, {
        signal: controller.signal,
        onTick: (tick) => tick.polls === 3 && controller.abort(),
      });
      expect(result).toEqual({ outcome: 'cancelled' });
      expect(accountInfo(deps).account).toBeNull();
    } finally {
      await plextv.close();
    }
  });

  it("refuses a server added by address that is not among the account's servers (before the token is sent)", async () => {
    test = createTestCatalog();
    deps = accountDeps(test, world.plextv.url);
    expect((await accountMembershipVerifier(deps))({ machineIdentifier: 'f'.repeat(40) })).toEqual({ status: 'not-signed-in' });
    await signInNow(deps);
    const verify = await accountMembershipVerifier(deps);
    expect(verify({ machineIdentifier: HOME_ID })).toEqual({ status: 'member', owned: true });
    expect(() => verify({ machineIdentifier: 'f'.repeat(40) })).toThrow(UseCaseError);
  });
});

describe('connection failover and the "sign in again" state', () => {
  const ID = 'c'.repeat(40);
  const TOKEN = 'failover-server-token-1';
  let targets: ConnectionTargets;
  let plextv: PlexTvSim;
  let test: TestCatalog;

  beforeAll(async () => {
    targets = await startConnectionTargets({ machineIdentifier: ID, token: TOKEN });
    const c = targets.connections;
    plextv = await startPlexTvSim({
      accountToken: ACCOUNT_TOKEN,
      resources: [
        {
          name: 'Laptop server',
          clientIdentifier: ID,
          provides: 'server',
          owned: true,
          accessToken: TOKEN,
          publicAddressMatches: true,
          connections: [c.remote, c.lan],
        },
      ],
    });
  });
  afterEach(() => {
    test.cleanup();
  });
  afterAll(async () => {
    await Promise.all([plextv.close(), targets.close()]);
  });

  it('fails over from the lost local connection to the remote one at the next sync, and records which served', async () => {
    test = createTestCatalog();
    const deps = accountDeps(test, plextv.url);
    await signInNow(deps);
    const [server] = await discoverServers(deps);
    expect(server?.chosen).toMatchObject({ uri: targets.connections.lan.uri, kind: 'local' });
    await addDiscoveredServers(deps, [ID]);

    const first = await runSync(deps);
    expect(first.ok).toBe(true);
    expect(first.libraries[0]?.notes.some((note) => note.startsWith(`Connection: ${targets.connections.lan.uri} (local`))).toBe(true);

    await targets.cut('lan');
    const second = await runSync(deps);
    expect(second.serverErrors).toEqual([]);
    expect(second.ok).toBe(true);
    for (const library of second.libraries) {
      expect(library.notes.find((note) => note.startsWith('Connection:'))).toMatch(
        new RegExp(
          `^Connection: ${targets.connections.remote.uri} \\(remote, \\d+ ms\\), chosen by a new probe because ${targets.connections.lan.uri} stopped answering\\.$`,
        ),
      );
    }
    expect(listAccountServers(test.catalog)[0]?.connectionUri).toBe(targets.connections.remote.uri);
    // The catalog keeps which connection served each library's last sync, with its report.
    const history = listLastLibrarySyncs(test.catalog);
    expect(history.length).toBe(second.libraries.length);
    for (const entry of history)
      expect((entry.report as { notes: string[] }).notes.join('\n')).toContain(`Connection: ${targets.connections.remote.uri} (remote`);

    const connections = await serverConnections(deps, 'Laptop server');
    expect(connections.chosenUri).toBe(targets.connections.remote.uri);
    expect(connections.connections.find((connection) => connection.uri === targets.connections.lan.uri)).toMatchObject({
      ok: false,
      failureCode: 'REFUSED',
    });
    await expect(serverConnections(deps, 'Laptop server', { use: targets.connections.lan.uri })).rejects.toMatchObject({ code: 'FAILED' });
    await expect(serverConnections(deps, 'Laptop server', { use: 'http://10.9.9.9:1' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('a 401 puts the server in the "sign in again" state, other servers sync on, signing in again brings it back', async () => {
    test = createTestCatalog();
    const deps = accountDeps(test, plextv.url);
    await signInNow(deps);
    await addDiscoveredServers(deps, [ID]);
    // A server added by address and token, outside the account: it must sync whatever happens to the other one.
    const other = targets.otherServer;
    addServer(test.catalog, test.secrets, {
      name: 'Neighbour',
      url: other.url,
      machineIdentifier: other.machineIdentifier,
      token: other.token,
    });

    // The server stops accepting its token (the owner signed out everywhere, or revoked this device).
    targets.server.addFault({ match: /^\/library\//, kind: 'status', status: 401 });
    try {
      const refused = await runSync(deps);
      const mine = refused.libraries.filter((library) => library.serverName === 'Laptop server');
      expect(mine.length).toBeGreaterThan(0);
      for (const library of mine)
        expect(library).toMatchObject({
          outcome: 'skipped',
          errorCode: NEEDS_SIGN_IN,
          error: expect.stringMatching(/sign in with Plex again/) as string,
        });
      const theirs = refused.libraries.filter((library) => library.serverName === 'Neighbour');
      expect(theirs.length).toBeGreaterThan(0);
      for (const library of theirs) expect(library.outcome).toBe('ok');
      expect(accountInfo(deps).servers[0]).toMatchObject({ name: 'Laptop server', needsSignIn: true });

      // Skipped without asking it anything, until the next sign-in.
      targets.server.resetRequests();
      const skipped = await runSync(deps, { server: 'Laptop server' });
      expect(skipped.libraries.every((library) => library.errorCode === NEEDS_SIGN_IN)).toBe(true);
      expect(targets.server.requests).toEqual([]);
      const one = await runSync(deps, { server: 'Laptop server', library: skipped.libraries[0]?.libraryTitle ?? '?' });
      expect(one.libraries).toMatchObject([{ libraryTitle: skipped.libraries[0]?.libraryTitle, errorCode: NEEDS_SIGN_IN }]);
    } finally {
      targets.server.clearFaults();
    }

    const again = await signInNow(deps);
    expect(again).toMatchObject({ outcome: 'approved', refreshedServers: ['Laptop server'], refreshFailure: null });
    expect(accountInfo(deps).servers[0]?.needsSignIn).toBe(false);
    const synced = await runSync(deps);
    expect(synced.ok).toBe(true);
    expectNoToken([again, synced], [ACCOUNT_TOKEN, TOKEN, other.token]);
  });
});
