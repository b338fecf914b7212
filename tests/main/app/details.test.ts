// The detail pass in the app, through its handlers: off by default with its cost stated, switched on it runs in
// the background after the live catalog's own jobs and fills HDR and languages; switched off it stops.
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../live/fixtures.js';
import { startAppFixture, type AppFixture } from './fixtures.js';

let fixture: AppFixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

function languagesKnown(app: AppFixture): number {
  const row = app.catalog.sqlite.prepare('SELECT count(*) AS n FROM media_versions WHERE audio_languages IS NOT NULL').get() as {
    n: number;
  };
  return row.n;
}

describe('the detail pass in the app', () => {
  it('is off by default with its cost, runs in the background once switched on, and stops when switched off', async () => {
    fixture = await startAppFixture({
      sim: { library: { movies: 30, shows: 1, episodes: 10 } },
      live: { batchWindowMs: 30, backoffBaseMs: 20, backoffMaxMs: 100, details: { requestIntervalMs: 1, yieldPollMs: 5 } },
    });
    const app = fixture;
    const serverId = await app.addSimServer();
    const { runId } = await app.ok('sync:start', {});
    await app.nextEvent('sync:finished', (payload) => payload.runId === runId);
    await app.service.live.start();
    await app.service.live.idle();

    const off = await app.ok('details:state', {});
    expect(off).toMatchObject({ enabled: false, running: false, requestIntervalMs: 1000, servers: [{ serverId, done: 0 }] });
    const total = off.servers[0]?.total ?? 0;
    expect(total).toBeGreaterThan(20);
    expect(off.cost).toContain(`~${Math.ceil(total / 20)} requests for the ${total} items left`);
    expect(languagesKnown(app)).toBe(0);

    const on = await app.ok('details:set', { enabled: true });
    expect(on.enabled).toBe(true);
    await until(() => languagesKnown(app) > 0 && !app.service.live.detailsRunning, 'the background pass');
    const done = await app.ok('details:state', {});
    expect(done.servers[0]).toMatchObject({ done: total, total });
    expect(done.cost).toContain('nothing left to do');

    expect((await app.ok('details:set', { enabled: false })).enabled).toBe(false);
    expect((await app.fail('details:set', { enabled: 'yes' })).code).toBe('INVALID_INPUT');
    expect((await app.fail('details:set', {})).code).toBe('INVALID_INPUT');
  });
});
