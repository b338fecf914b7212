// The client's Plex-side actions against the simulated server: what they send, and their typed, token-free errors.
import { afterEach, describe, expect, it } from 'vitest';

import { PlexClient } from '../../../main/plex/client.js';
import { PlexNotFoundError, PlexUnauthorizedError } from '../../../main/plex/errors.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';

let sim: PlexSim | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function client(server: PlexSim, token = server.token): PlexClient {
  return new PlexClient({ baseUrl: server.url, token, serverName: 'Home', clientIdentifier: 'test', retries: 0 });
}

describe('Plex-side actions', () => {
  it('scanSection sends GET /library/sections/{key}/refresh with path and force; refreshItem sends PUT', async () => {
    sim = await startPlexSim({ seed: 2 });
    const plex = client(sim);
    await plex.scanSection('1', { path: '/media/movies/New', force: true });
    const key = sim.library.items('1', 'movie')[0]?.ratingKey ?? '';
    await plex.refreshItem(key);
    plex.close();
    expect(sim.requests.map((request) => [request.method, request.path, request.query.path, request.query.force])).toEqual([
      ['GET', '/library/sections/1/refresh', '/media/movies/New', '1'],
      ['PUT', `/library/metadata/${key}/refresh`, undefined, undefined],
    ]);
  });

  it('a wrong token is PlexUnauthorizedError, a missing item PlexNotFoundError, neither naming the token', async () => {
    sim = await startPlexSim({ seed: 2 });
    const wrong = client(sim, 'not-the-token-1234');
    const refused = await wrong.scanSection('1').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PlexUnauthorizedError);
    expect(String((refused as Error).message)).not.toContain('not-the-token-1234');
    wrong.close();
    const plex = client(sim);
    await expect(plex.refreshItem('999999')).rejects.toBeInstanceOf(PlexNotFoundError);
    plex.close();
    // A failing action is never asked twice: a second scan is not what the user asked for.
    expect(sim.requests.filter((request) => request.path === '/library/metadata/999999/refresh')).toHaveLength(1);
  });
});
