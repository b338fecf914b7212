import { afterEach, describe, expect, it } from 'vitest';
import { PlexTimeoutError, PlexUnauthorizedError, PlexUrlPathError } from '../../../main/plex/errors.js';
import { INTERACTIVE_BUDGET, probeCataloguedServer, probeServer, serverMismatch } from '../../../main/sync/plex-connection.js';
import { startPlexSim, type PlexSim, type PlexSimOptions } from '../../../tools/plex-sim/index.js';
import { addSimServer, createTestCatalog } from './fixtures.js';

describe('serverMismatch', () => {
  const server = { name: 'Home', url: 'http://plex:32400', machineIdentifier: 'abc' };

  it('accepts the catalogued server and one whose identifier was never learnt', () => {
    expect(serverMismatch(server, { machineIdentifier: 'abc' })).toBeNull();
    expect(serverMismatch({ ...server, machineIdentifier: null }, { machineIdentifier: 'xyz' })).toBeNull();
  });

  it('refuses another server at the same address, naming both', () => {
    expect(serverMismatch(server, { machineIdentifier: 'xyz' })).toMatch(/another Plex server \("xyz"\).*"Home" \("abc"\)/);
  });
});

describe('probeServer (interactive checks: server add, update, test, the app)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function sim(options: PlexSimOptions = {}): Promise<PlexSim> {
    const started = await startPlexSim({ library: { movies: 5, shows: 1, episodes: 3 }, ...options });
    cleanups.push(() => started.close());
    return started;
  }

  it('checks identity and token', async () => {
    const plex = await sim();
    const { identity, sections } = await probeServer({
      baseUrl: plex.url,
      token: plex.token,
      serverName: 'Home',
      clientIdentifier: 'test',
    });
    expect(identity.machineIdentifier).toBe(plex.machineIdentifier);
    expect(sections.length).toBeGreaterThan(0);
  });

  it('gives up within its budget on a server that never answers, with at most one retry per request', async () => {
    const plex = await sim();
    plex.addFault({ match: /./, kind: 'hang' });
    const error = await probeServer(
      { baseUrl: plex.url, token: plex.token, serverName: 'Home', clientIdentifier: 'test', timeoutMs: 60_000, retries: 5 },
      { totalMs: 400, maxRetries: 1 },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlexTimeoutError);
    expect((error as PlexTimeoutError).timeoutMs).toBeLessThanOrEqual(400);
    expect(plex.requests.length).toBeLessThanOrEqual(2);
  });

  it('has a 10 s budget by default', () => {
    expect(INTERACTIVE_BUDGET).toEqual({ totalMs: 10_000, maxRetries: 1 });
  });

  it.each([
    ['/web', '/web'],
    ['/web/index.html#!/settings/server', '/web/index.html'],
    ['/web/', '/web'],
  ])('says what to type when the URL has a Plex Web path (%s) and the server answers unknown paths 401', async (path, shown) => {
    const plex = await sim({ unknownPathsUnauthorized: true });
    const error = await probeServer({
      baseUrl: `${plex.url}${path}`,
      token: plex.token,
      serverName: 'Home',
      clientIdentifier: 'test',
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlexUrlPathError);
    expect((error as PlexUrlPathError).message).toContain(`has a path (${shown}), which Plex does not answer on; use ${plex.url}`);
    expect((error as PlexUrlPathError).suggestedUrl).toBe(plex.url);
    expect((error as PlexUrlPathError).message).not.toContain(plex.token);
  });

  it('still reports a wrong token as a token problem when the URL has no path', async () => {
    const plex = await sim({ unknownPathsUnauthorized: true });
    const error = await probeServer({ baseUrl: plex.url, token: 'wrong-token', serverName: 'Home', clientIdentifier: 'test' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PlexUnauthorizedError);
  });

  it('names the path only when the bare address answers as a Plex server', async () => {
    const plex = await sim();
    const error = await probeServer({
      baseUrl: `${plex.url}/plex`,
      token: 'wrong-token',
      serverName: 'Home',
      clientIdentifier: 'test',
    }).catch((caught: unknown) => caught);
    // The bare address answers, so the path is named even though the token is wrong too: fixing the URL comes first.
    expect(error).toBeInstanceOf(PlexUrlPathError);
    plex.addFault({ match: /^\/identity/, kind: 'status', status: 404 });
    const noBare = await probeServer({
      baseUrl: `${plex.url}/plex`,
      token: plex.token,
      serverName: 'Home',
      clientIdentifier: 'test',
    }).catch((caught: unknown) => caught);
    expect(noBare).toBeInstanceOf(PlexUnauthorizedError);
  });
});

describe('probeCataloguedServer', () => {
  it('checks a catalogued server with its stored token, within the budget', async () => {
    const plex = await startPlexSim({ library: { movies: 3, shows: 1, episodes: 2 } });
    const test = createTestCatalog();
    try {
      const server = addSimServer(test, plex);
      const { identity } = await probeCataloguedServer(test.deps, server);
      expect(identity.machineIdentifier).toBe(plex.machineIdentifier);
      // Another server at the address: stopped after /identity, before the token is sent anywhere.
      plex.resetRequests();
      const refused = new Error('another server');
      await expect(
        probeCataloguedServer(test.deps, server, {}, () => {
          throw refused;
        }),
      ).rejects.toBe(refused);
      expect(plex.requests.map((request) => request.path)).toEqual(['/identity']);
      plex.addFault({ match: /./, kind: 'hang' });
      await expect(probeCataloguedServer(test.deps, server, {}, undefined, { totalMs: 300, maxRetries: 1 })).rejects.toBeInstanceOf(
        PlexTimeoutError,
      );
    } finally {
      test.cleanup();
      await plex.close();
    }
  });
});
