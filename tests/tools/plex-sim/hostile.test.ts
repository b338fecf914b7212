// The simulator's options for hostile or struggling servers, over real HTTP.
import http from 'node:http';
import { createGunzip } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startPlexSim, type PlexSim, type PlexSimOptions } from '../../../tools/plex-sim/index.js';
import { get, paged, parseJsonContainer, ratingKeys, waitFor } from './test-helpers.js';

const MiB = 1024 * 1024;
const sims: PlexSim[] = [];
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.close();
});

async function start(options: PlexSimOptions = {}): Promise<PlexSim> {
  const sim = await startPlexSim({ library: { movies: 5, shows: 1, episodes: 3 }, ...options });
  sims.push(sim);
  return sim;
}

/** Reads a raw (undecoded) answer: status, headers, bytes on the wire and bytes after gunzip; stops after `limit`. */
function rawGet(
  sim: PlexSim,
  path: string,
  limit = Number.POSITIVE_INFINITY,
): Promise<{ status: number; encoding: string | undefined; wire: number; inflated: number; stillGoing: boolean }> {
  return new Promise((resolve, reject) => {
    const request = http.get(sim.url + path, { headers: { 'X-Plex-Token': sim.token } }, (res) => {
      let wire = 0;
      let inflated = 0;
      let done = false;
      const finish = (stillGoing: boolean): void => {
        if (done) return;
        done = true;
        request.destroy();
        resolve({ status: res.statusCode ?? 0, encoding: res.headers['content-encoding'], wire, inflated, stillGoing });
      };
      res.on('data', (chunk: Buffer) => {
        wire += chunk.length;
      });
      const body = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
      body.on('data', (chunk: Buffer) => {
        if (body !== res) inflated += chunk.length;
        else inflated = wire;
        if (inflated > limit) finish(true);
      });
      body.on('end', () => finish(false));
      body.on('error', reject);
    });
    request.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
  });
}

describe('unknown paths', () => {
  it('answers 404 by default and 401 with an HTML page, like real PMS, with unknownPathsUnauthorized', async () => {
    expect((await get(await start(), '/web/index.html')).status).toBe(404);
    const real = await start({ unknownPathsUnauthorized: true });
    for (const path of ['/web/index.html', '/web/identity', '/web/library/sections']) {
      const answer = await get(real, path);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toBe('text/html');
      expect(answer.text).toContain('<title>Unauthorized</title>');
    }
    expect((await get(real, '/library/metadata/999999')).status).toBe(404);
    expect((await get(real, '/identity', { token: false })).status).toBe(200);
  });
});

describe('pageLimit: pages bigger than the server serves', () => {
  it('answers 500 for bigger pages and unpaged listings; serves smaller pages and counts', async () => {
    const sim = await start({ pageLimit: { maxItems: 3, answer: 'error' } });
    expect((await get(sim, paged('/library/sections/1/all?type=1', 0, 4))).status).toBe(500);
    expect((await get(sim, '/library/sections/2/allLeaves')).status).toBe(500);
    expect((await get(sim, paged('/library/sections/1/all?type=1', 0, 3), { json: true })).status).toBe(200);
    expect((await get(sim, paged('/library/sections/1/all?type=1', 0, 0))).status).toBe(200);
    expect((await get(sim, '/library/sections')).status).toBe(200);
  });

  it('hangs bigger pages (the client times out) while smaller ones are answered', async () => {
    const sim = await start({ pageLimit: { maxItems: 3, answer: 'hang' } });
    const big = get(sim, paged('/library/sections/1/all?type=1', 0, 5)).catch((error: unknown) => error);
    await waitFor(() => sim.requests.length === 1);
    const small = await get(sim, paged('/library/sections/1/all?type=1', 0, 2), { json: true });
    expect(ratingKeys(parseJsonContainer(small.text))).toHaveLength(2);
    expect(sim.requests.map((request) => request.status)).toEqual([0, 200]);
    await sim.close();
    expect(await big).toBeInstanceOf(Error);
  });

  it('answers bigger pages late with a delay', async () => {
    const sim = await start({ pageLimit: { maxItems: 3, answer: { delayMs: 50 } } });
    const answer = await get(sim, paged('/library/sections/1/all?type=1', 0, 5), { json: true });
    expect(ratingKeys(parseJsonContainer(answer.text))).toHaveLength(5);
  });
});

describe('bodies too large to hold', () => {
  it('gzipBomb: a few hundred kilobytes on the wire inflate to the given size', async () => {
    const sim = await start();
    sim.addFault({ match: /\/library\/sections$/, kind: 'gzipBomb', bytes: 64 * MiB });
    const answer = await rawGet(sim, '/library/sections');
    expect(answer).toMatchObject({ status: 200, encoding: 'gzip', stillGoing: false });
    expect(answer.inflated).toBeGreaterThan(64 * MiB);
    expect(answer.wire).toBeLessThan(MiB);
  });

  it('endlessBody: keeps writing as long as the client reads', async () => {
    const sim = await start();
    sim.addFault({ match: /\/all/, kind: 'endlessBody' });
    const answer = await rawGet(sim, paged('/library/sections/1/all?type=1', 0, 5), 8 * MiB);
    expect(answer).toMatchObject({ status: 200, stillGoing: true });
  });
});

describe('endlessListings', () => {
  it('always announces more than it sent, and keeps sending new ratingKeys past the real items', async () => {
    const sim = await start({ endlessListings: true });
    const movies = sim.library.items('1', 'movie').map((movie) => movie.ratingKey);
    const first = parseJsonContainer((await get(sim, paged('/library/sections/1/all?type=1&sort=id', 0, 4), { json: true })).text);
    expect(first['totalSize']).toBe(8);
    expect(ratingKeys(first)).toEqual(movies.slice(0, 4));
    const far = parseJsonContainer((await get(sim, paged('/library/sections/1/all?type=1&sort=id', 1000, 4), { json: true })).text);
    expect(far['totalSize']).toBe(1008);
    expect(ratingKeys(far)).toHaveLength(4);
    expect(ratingKeys(far).some((key) => movies.includes(key))).toBe(false);
  });
});

describe('request log', () => {
  it('records the X-Plex-Device-Name header as received', async () => {
    const sim = await start();
    await get(sim, '/identity', { headers: { 'X-Plex-Device-Name': "Ana's %E5%8C%97" } });
    expect(sim.requests[0]?.deviceName).toBe("Ana's %E5%8C%97");
  });
});
