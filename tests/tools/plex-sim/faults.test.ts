import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/server.js';
import { get, paged, parseJsonContainer, parseXml, waitFor } from './test-helpers.js';

let sim: PlexSim;

beforeEach(async () => {
  sim = await startPlexSim({ seed: 9 });
});

afterEach(async () => {
  await sim.close();
});

describe('status faults', () => {
  it('answers the given status with an HTML body for `times` requests, then normally', async () => {
    sim.addFault({ match: /^\/library\/sections\/1\/all/, kind: 'status', status: 500, times: 2 });
    const path = paged('/library/sections/1/all?type=1', 0, 5);
    const first = await get(sim, path);
    expect(first.status).toBe(500);
    expect(first.headers.get('content-type')).toContain('text/html');
    expect(first.text).toContain('500 Internal Server Error');
    expect((await get(sim, path)).status).toBe(500);
    expect((await get(sim, path)).status).toBe(200);
    expect((await get(sim, '/library/sections')).status).toBe(200);
    expect(sim.requests.map((r) => r.status)).toEqual([500, 500, 200, 200]);
  });

  it('simulates a revoked token with 401 and a custom body, a rate limit with headers', async () => {
    sim.addFault({ match: /sections/, kind: 'status', status: 401 });
    const res = await get(sim, '/library/sections');
    expect(res.status).toBe(401);
    expect(res.text).toBe('<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>');
    sim.clearFaults();
    sim.addFault({ match: /sections/, kind: 'status', status: 429, body: 'slow down', headers: { 'Retry-After': '2' }, times: 1 });
    const limited = await get(sim, '/library/sections');
    expect([limited.status, limited.text, limited.headers.get('retry-after')]).toEqual([429, 'slow down', '2']);
    expect((await get(sim, '/library/sections')).status).toBe(200);
  });

  it('matches against the query string as sent', async () => {
    sim.addFault({ match: /X-Plex-Container-Start=10(&|$)/, kind: 'status', status: 503 });
    expect((await get(sim, paged('/library/sections/2/all?type=4', 0, 10))).status).toBe(200);
    expect((await get(sim, paged('/library/sections/2/all?type=4', 10, 10))).status).toBe(503);
  });
});

describe('broken answers', () => {
  it('truncates: headers and half the body, then a dead socket', async () => {
    sim.addFault({ match: /\/all/, kind: 'truncate', times: 1 });
    const response = await fetch(`${sim.url}${paged('/library/sections/1/all?type=1', 0, 40)}`, { headers: { 'X-Plex-Token': sim.token } });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect((await get(sim, paged('/library/sections/1/all?type=1', 0, 40))).status).toBe(200);
  });

  it('answers 200 with a body no parser accepts, in either format', async () => {
    sim.addFault({ match: /\/library\/sections$/, kind: 'malformed' });
    const xml = await get(sim, '/library/sections');
    expect(xml.status).toBe(200);
    expect(() => parseXml(xml.text)).toThrow();
    const json = await get(sim, '/library/sections', { json: true });
    expect(json.status).toBe(200);
    expect(() => parseJsonContainer(json.text)).toThrow();
  });

  it('delays an answer by at least the given time', async () => {
    sim.addFault({ match: /identity/, kind: 'delay', ms: 150, times: 1 });
    const started = performance.now();
    const res = await get(sim, '/identity');
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('hanging', () => {
  it('never answers, and close() still returns promptly and ends the request', async () => {
    sim.addFault({ match: /\/all/, kind: 'hang' });
    const pending = fetch(`${sim.url}${paged('/library/sections/1/all?type=1', 0, 5)}`, { headers: { 'X-Plex-Token': sim.token } });
    const outcome = pending.then(
      () => 'answered',
      () => 'failed',
    );
    await waitFor(() => sim.requests.length === 1);
    expect(sim.requests[0]?.status).toBe(0);
    // A keep-alive connection left idle by another request must not hold close() open either.
    expect((await get(sim, '/identity')).status).toBe(200);
    const started = performance.now();
    await sim.close();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await outcome).toBe('failed');
  });

  it('close() is idempotent and also ends delayed answers', async () => {
    sim.addFault({ match: /identity/, kind: 'delay', ms: 60_000 });
    const outcome = fetch(`${sim.url}/identity`).then(
      () => 'answered',
      () => 'failed',
    );
    await waitFor(() => sim.requests.length === 1);
    await Promise.all([sim.close(), sim.close()]);
    expect(await outcome).toBe('failed');
  });
});

describe('pausing', () => {
  it('holds matching requests until resumePaused(), then answers them normally', async () => {
    sim.addFault({ match: /identity/, kind: 'pause', times: 1 });
    const pending = get(sim, '/identity');
    await waitFor(() => sim.pausedCount() === 1);
    expect(sim.requests[0]?.status).toBe(0);
    sim.resumePaused();
    expect((await pending).status).toBe(200);
    expect(sim.pausedCount()).toBe(0);
    // times: 1: the next request is not held.
    expect((await get(sim, '/identity')).status).toBe(200);
  });
});

describe('corrupt rows', () => {
  it('fails every page and answer that would hold the row, and only those, until cleared', async () => {
    const movies = sim.library.items('1', 'movie');
    const corrupt = movies[7];
    if (corrupt === undefined) throw new Error('sample library too small');
    sim.corruptItem(corrupt.ratingKey);
    expect((await get(sim, paged('/library/sections/1/all?type=1&sort=id', 5, 5))).status).toBe(500);
    expect((await get(sim, paged('/library/sections/1/all?type=1&sort=id', 0, 5))).status).toBe(200);
    expect((await get(sim, paged('/library/sections/1/all?type=1&sort=id', 8, 5))).status).toBe(200);
    expect((await get(sim, `/library/metadata/${corrupt.ratingKey}`)).status).toBe(500);
    sim.clearFaults();
    expect((await get(sim, paged('/library/sections/1/all?type=1&sort=id', 5, 5))).status).toBe(200);
  });
});
