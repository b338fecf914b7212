// `marquee login | logout | account | server discover | server connections`, in-process over real HTTP (the
// simulated plex.tv and Plex servers) with a real SQLite catalog: from an empty catalog to a synced one without a
// token in any output, PIN expiry, Ctrl-C, the account check of `server add`, and a 401 back to synced.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPlexTvSim } from '../../../tools/plextv-sim/index.js';
import { ACCOUNT_TOKEN, HOME_TOKEN, SHARED_TOKEN, startAccountWorld, type AccountWorld } from '../../tools/plextv-sim/fixtures.js';
import { cliSandbox, type CliResult, type CliSandbox } from './harness.js';

const TOKENS = [ACCOUNT_TOKEN, HOME_TOKEN, SHARED_TOKEN];

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

function expectNoToken(results: readonly CliResult[]): void {
  for (const result of results) for (const token of TOKENS) expect(result.stdout + result.stderr).not.toContain(token);
}

describe("marquee login and the account's servers", () => {
  let world: AccountWorld;
  let box: CliSandbox;
  let env: Record<string, string>;

  beforeEach(async () => {
    world = await startAccountWorld({ approveAfterPolls: 2 });
    box = cliSandbox();
    env = { MARQUEE_PLEXTV_URL: world.plextv.url, MARQUEE_OPEN_BROWSER: '0', MARQUEE_PLEXTV_POLL_MS: '1', MARQUEE_PLEX_TIMEOUT_MS: '1000' };
  });
  afterEach(async () => {
    box.cleanup();
    await world.close();
  });

  it('login → discover --add → sync from an empty catalog, and no output ever shows a token', async () => {
    const run = (argv: string[]) => box.run(argv, { env });
    const results: CliResult[] = [];

    const before = await run(['account']);
    results.push(before);
    expect(before).toMatchObject({ code: 0, stdout: expect.stringContaining('Not signed in with Plex') as string });

    const login = await run(['login']);
    results.push(login);
    expect(login.code).toBe(0);
    expect(login.stdout).toMatch(
      /https:\/\/app\.plex\.tv\/auth#\?clientID=[^&\s]+&code=[A-Z0-9]+&context%5Bdevice%5D%5Bproduct%5D=Marquee/,
    );
    expect(login.stdout).toMatch(/Code: [A-Z0-9]{25}/);
    expect(login.stdout).toContain('Signed in to Plex as marquee-user (user@example.com).');

    const discover = await run(['server', 'discover']);
    results.push(discover);
    expect(discover.code).toBe(0);
    expect(discover.stdout).toMatch(
      new RegExp(`Home\\s+owned\\s+local ${world.targets.connections.works.uri.replace(/[.]/g, '\\.')} \\(\\d+ ms\\)\\s+-`),
    );
    expect(discover.stdout).toMatch(/Friend\s+shared\s+none answers/);
    expect(discover.stdout).toContain('Nothing accepts connections');

    const unknown = await run(['server', 'discover', '--add', 'Nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('The account has no server "Nope"; its servers: "Home", "Friend".');

    const add = await run(['server', 'discover', '--add', 'home']);
    results.push(add);
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/Added server "Home" \(owned\) at http:\/\/127\.0\.0\.1:\d+ with \d+ libraries\./);

    const all = await run(['server', 'discover', '--all', '--json']);
    results.push(all);
    expect(all.code).toBe(1);
    const parsed = JSON.parse(all.stdout) as {
      servers: { name: string; cataloguedAs: string | null }[];
      added: unknown[];
      refused: { name: string }[];
    };
    expect(parsed.servers.find((server) => server.name === 'Home')?.cataloguedAs).toBe('Home');
    expect(parsed.added).toEqual([]);
    expect(parsed.refused.map((refusal) => refusal.name)).toEqual(['Friend']);

    const sync = await run(['sync', '--json']);
    results.push(sync);
    expect(sync.code).toBe(0);
    const report = JSON.parse(sync.stdout) as { ok: boolean; libraries: { notes: string[] }[] };
    expect(report.ok).toBe(true);
    expect(report.libraries[0]?.notes.some((note) => note.startsWith(`Connection: ${world.targets.connections.works.uri} (local`))).toBe(
      true,
    );

    const account = await run(['account']);
    results.push(account);
    expect(account.stdout).toMatch(/Signed in to Plex as marquee-user \(user@example\.com\) since /);
    expect(account.stdout).toMatch(/Home\s+owned\s+ok\s+http:\/\/127\.0\.0\.1:\d+ \(\d+ ms\)/);
    const accountJson = await run(['account', '--json']);
    results.push(accountJson);
    expect(JSON.parse(accountJson.stdout)).toMatchObject({ signedIn: true, account: { username: 'marquee-user' } });

    const connections = await run(['server', 'connections', 'Home']);
    results.push(connections);
    expect(connections.code).toBe(0);
    expect(connections.stdout).toMatch(/Another Plex server answers at/);
    expect(connections.stdout).toMatch(/"Home" uses http:\/\/127\.0\.0\.1:\d+\./);
    const useRelay = await run(['server', 'connections', 'Home', '--use', world.targets.connections.relay.uri]);
    results.push(useRelay);
    expect(useRelay.code).toBe(0);
    expect(useRelay.stdout).toContain(`"Home" now uses ${world.targets.connections.relay.uri}.`);
    const useBad = await run(['server', 'connections', 'Home', '--use', world.targets.connections.otherServer.uri]);
    results.push(useBad);
    expect(useBad.code).toBe(1);
    expect(useBad.stderr).toContain('The connection was not changed.');

    const logout = await run(['logout']);
    results.push(logout);
    expect(logout.stdout).toContain('Signed out of Plex (marquee-user).');
    expect((await run(['logout'])).stdout).toContain('Not signed in with Plex.');
    const afterLogout = await run(['server', 'discover']);
    results.push(afterLogout);
    expect(afterLogout.code).toBe(1);
    expect(afterLogout.stderr).toContain('Not signed in with Plex');
    expectNoToken(results);
    // Each discovery waits out the connection that never answers (1 s here): a budget, not a timing assertion.
  }, 30_000);

  it("server add by address while signed in refuses a server that is not the account's, before sending the token", async () => {
    const run = (argv: string[], extra: Record<string, string> = {}) => box.run(argv, { env: { ...env, ...extra } });
    expect((await run(['login'])).code).toBe(0);
    const neighbour = world.targets.otherServer;
    neighbour.resetRequests();
    const refused = await run(['server', 'add', '--name', 'Neighbour', '--url', neighbour.url], { MARQUEE_TOKEN: neighbour.token });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('not among the servers of the signed-in Plex account');
    expect(refused.stderr).toContain('Nothing was saved.');
    // Only /identity, which the client sends without a token: the pasted token never reached that server.
    expect(neighbour.requests.map((request) => request.path)).toEqual(['/identity']);

    const own = await run(['server', 'add', '--name', 'Home', '--url', world.targets.connections.works.uri], { MARQUEE_TOKEN: HOME_TOKEN });
    expect(own.code).toBe(0);

    expect((await run(['logout'])).code).toBe(0);
    // Signed out: the advanced path adds any server with its token, as before.
    expect((await run(['server', 'add', '--name', 'Neighbour', '--url', neighbour.url], { MARQUEE_TOKEN: neighbour.token })).code).toBe(0);
  });

  it('Ctrl-C while the connections are being probed exits 130', async () => {
    expect((await box.run(['login'], { env })).code).toBe(0);
    const controller = new AbortController();
    const before = world.plextv.requests.length;
    // The connection that never answers holds the probe for 4 s: long enough to be cancelled in the middle.
    const running = box.run(['server', 'discover'], { env: { ...env, MARQUEE_PLEX_TIMEOUT_MS: '60000' }, signal: controller.signal });
    await waitFor(() => world.plextv.requests.slice(before).some((request) => request.path.startsWith('/api/v2/resources')));
    controller.abort();
    const result = await running;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('marquee: cancelled');
  });

  it('a 401 shows "sign in again" in the sync, and `marquee login` brings the server back', async () => {
    const run = (argv: string[]) => box.run(argv, { env });
    expect((await run(['login'])).code).toBe(0);
    expect((await run(['server', 'discover', '--add', 'Home'])).code).toBe(0);
    world.targets.server.addFault({ match: /^\/library\//, kind: 'status', status: 401 });
    const refused = await run(['sync']);
    world.targets.server.clearFaults();
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/Home\s+\S+\s+\w+\s+skipped/);
    expect(refused.stdout + refused.stderr).toContain('sign in with Plex again');
    expect((await run(['account'])).stdout).toMatch(/Home\s+owned\s+sign in again/);

    const login = await run(['login']);
    expect(login.stdout).toContain('Refreshed the tokens of 1 server: Home.');
    const synced = await run(['sync']);
    expect(synced.code).toBe(0);
    expectNoToken([refused, login, synced]);
  });
});

describe('marquee login, waiting', () => {
  let box: CliSandbox;

  beforeEach(() => {
    box = cliSandbox();
  });
  afterEach(() => {
    box.cleanup();
  });

  it('says so when the code expires, and exits 1', async () => {
    // Every look at the simulated clock moves it a minute on: the 30-minute PIN runs out within a few polls.
    let now = Date.now();
    const plextv = await startPlexTvSim({ approveAfterPolls: null, now: () => (now += 60_000) });
    try {
      const result = await box.run(['login'], {
        env: { MARQUEE_PLEXTV_URL: plextv.url, MARQUEE_OPEN_BROWSER: '0', MARQUEE_PLEXTV_POLL_MS: '1' },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('The code expired before it was confirmed; nothing was saved.');
      expect((await box.run(['account'])).stdout).toContain('Not signed in with Plex');
    } finally {
      await plextv.close();
    }
  });

  it('Ctrl-C cancels the wait and exits 130', async () => {
    const plextv = await startPlexTvSim({ approveAfterPolls: null });
    try {
      const controller = new AbortController();
      const result = await box.run(['login'], {
        env: { MARQUEE_PLEXTV_URL: plextv.url, MARQUEE_OPEN_BROWSER: '0', MARQUEE_PLEXTV_POLL_MS: '1' },
        signal: controller.signal,
        onStderr: (text) => {
          if (text.includes('Waiting for plex.tv')) controller.abort();
        },
      });
      expect(result.code).toBe(130);
      expect(result.stderr).toContain('Sign-in cancelled; nothing was saved.');
    } finally {
      await plextv.close();
    }
  });
});
