// Reading a listing to its end over real HTTP, with corrupt rows the server cannot serve.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlexClient } from '../../../main/plex/client.js';
import { decodeItem, type ItemDecoder } from '../../../main/plex/decode.js';
import type { PlexItem } from '../../../main/plex/model.js';
import { describePositions, readListing } from '../../../main/sync/listing-reader.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { TEST_CLIENT_OPTIONS } from './fixtures.js';

let sim: PlexSim;
let client: PlexClient;

beforeEach(async () => {
  sim = await startPlexSim({ seed: 3, library: { movies: 250, shows: 1, episodes: 1 } });
  client = new PlexClient({ baseUrl: sim.url, token: sim.token, serverName: 'Home', clientIdentifier: 'test', ...TEST_CLIENT_OPTIONS });
});

afterEach(async () => {
  client.close();
  await sim.close();
});

async function read(pageSize = 100, items: ItemDecoder<PlexItem> = decodeItem) {
  const keys: string[] = [];
  const outcome = await readListing(client, {
    path: '/library/sections/1/all',
    query: { type: 1, sort: 'id' },
    pageSize,
    items,
    onItems: (items: readonly PlexItem[]) => {
      keys.push(...items.map((item) => item.ratingKey));
      return Promise.resolve();
    },
  });
  return { outcome, keys };
}

describe('readListing', () => {
  it('reads every page in order', async () => {
    const movies = sim.library.items('1', 'movie').map((movie) => movie.ratingKey);
    const { outcome, keys } = await read();
    expect(keys).toEqual(movies);
    expect(outcome).toEqual({ received: movies.length, total: movies.length, shifted: false, unlisted: [] });
  });

  it('pages and counts by what the server listed, not by what the item decoder kept', async () => {
    const movies = sim.library.items('1', 'movie').map((movie) => movie.ratingKey);
    // Keeps every third item: pages come back short of kept items, and must not look like the listing's end.
    const { outcome, keys } = await read(100, (node, ratingKey, hoisted) =>
      movies.indexOf(ratingKey) % 3 === 0 ? decodeItem(node, ratingKey, hoisted) : null,
    );
    expect(keys).toEqual(movies.filter((_key, position) => position % 3 === 0));
    expect(outcome).toEqual({ received: movies.length, total: movies.length, shifted: false, unlisted: [] });
  });

  it('misses only the corrupt rows, in two pages, and names their positions', async () => {
    const movies = sim.library.items('1', 'movie').map((movie) => movie.ratingKey);
    for (const position of [5, 6, 170]) sim.corruptItem(movies[position] ?? '');
    const { outcome, keys } = await read();
    expect(outcome.unlisted).toEqual([5, 6, 170]);
    // Re-asked ranges arrive as they are recovered, not necessarily in listing order.
    expect(keys.sort()).toEqual(movies.filter((_key, position) => ![5, 6, 170].includes(position)).sort());
  });

  it('with big pages, halves them down to the floor before isolating a corrupt row, and keeps the smaller size', async () => {
    const movies = sim.library.items('1', 'movie').map((movie) => movie.ratingKey);
    sim.corruptItem(movies[170] ?? '');
    const { outcome, keys } = await read(1000);
    expect(outcome.unlisted).toEqual([170]);
    expect(keys.sort()).toEqual(movies.filter((_key, position) => position !== 170).sort());
    const sizes = sim.requests.map((request) => Number(request.query['X-Plex-Container-Size']));
    // 1000, 500, 250, 125 fail at once (no retries above the floor); 100 is retried, then isolated in tenths.
    expect(sizes.slice(0, 4)).toEqual([1000, 500, 250, 125]);
    expect(client.pageSizeFor(1000)).toBe(100);
    sim.clearFaults();
    sim.resetRequests();
    await read(1000);
    expect(new Set(sim.requests.map((request) => request.query['X-Plex-Container-Size']))).toEqual(new Set(['100']));
  });

  it('gives up with the server error when nothing at all can be served', async () => {
    sim.addFault({ match: /\/all/, kind: 'status', status: 503 });
    await expect(read()).rejects.toThrow(/answered 503/);
  });
});

describe('describePositions', () => {
  it.each([
    [[412], 'the row at position 412'],
    [[12, 13, 900], '3 rows (positions 12, 13, 900)'],
    [Array.from({ length: 12 }, (_, i) => i), '12 rows (positions 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, …)'],
  ])('%j → %s', (positions, text) => {
    expect(describePositions(positions)).toBe(text);
  });
});
