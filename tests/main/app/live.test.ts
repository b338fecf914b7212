// The app's live catalog through its handlers: the real live service on the simulated server's notification
// socket, a real SQLite catalog, requests through dispatch(). Every wait is on a condition.
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveServerStatus } from '../../../shared/ipc.js';
import { createAppService } from '../../../main/app/service.js';
import { createInProcessSyncRunner } from '../../../main/app/sync-runner.js';
import { updateServer } from '../../../main/catalog/servers.js';
import { dispatch } from '../../../main/ipc/dispatch.js';
import type { PlexSimOptions } from '../../../tools/plex-sim/server.js';
import { until } from '../live/fixtures.js';
import { sectionKeys } from '../sync/fixtures.js';
import { startAppFixture, TEST_CLIENT_OPTIONS, type AppFixture } from './fixtures.js';

let fixture: AppFixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const LIVE_OPTIONS = { batchWindowMs: 30, backoffBaseMs: 20, backoffMaxMs: 100 };

async function liveApp(sim: PlexSimOptions = {}): Promise<{ app: AppFixture; serverId: number }> {
  fixture = await startAppFixture({ sim, live: LIVE_OPTIONS });
  const app = fixture;
  const serverId = await app.addSimServer();
  await app.service.live.start();
  return { app, serverId };
}

function statusOf(app: AppFixture, serverId: number): LiveServerStatus | undefined {
  return app.service.live.state().servers.find((status) => status.serverId === serverId);
}

describe('the live catalog in the app', () => {
  it('a movie added on the server arrives as a live:change with its library, in the feed and in Browse', async () => {
    const { app, serverId } = await liveApp();
    await until(() => statusOf(app, serverId)?.mode === 'live', 'the live indicator');
    await app.service.live.idle();
    const change = app.nextEvent('live:change', (payload) => payload.item?.title === 'Arrived In The App');
    app.sim.library.addMovie(sectionKeys(app.sim).movies, { title: 'Arrived In The App' });
    const arrived = await change;
    expect(arrived).toMatchObject({ serverId, serverName: 'Sim', change: 'added', libraryTitle: 'Movies', more: 0 });
    const state = await app.ok('live:state', {});
    expect(state.running).toBe(true);
    expect(state.recent[0]).toEqual(arrived);
    expect(state.servers).toEqual([expect.objectContaining({ serverId, mode: 'live', lastChangeAt: arrived.at })]);
    const page = await app.ok('browse:search', { kind: 'movie', query: 'Arrived In The App', offset: 0, limit: 10 });
    expect(page.rows.map((row) => row.title)).toEqual(['Arrived In The App']);
  });

  it('a live job holds the catalog as the app, and a sync asked meanwhile waits its turn in the queue', async () => {
    const { app, serverId } = await liveApp();
    await until(() => statusOf(app, serverId)?.mode === 'live', 'the live indicator');
    await app.service.live.idle();
    // The live batch's fetch is held by the server: its job holds the catalog's job lock meanwhile.
    app.sim.addFault({ kind: 'pause', match: /^\/library\/metadata\//, times: 1 });
    app.sim.library.addMovie(sectionKeys(app.sim).movies, { title: 'Held Back' });
    await until(() => app.sim.pausedCount() === 1, 'the live fetch held');
    const finished = app.nextEvent('sync:finished');
    await app.ok('sync:start', {});
    // The queue shows both: the live job runs, the sync waits behind it.
    const { jobs } = await app.nextEvent('jobs:changed', (payload) => payload.jobs.length === 2);
    expect(jobs.map((job) => [job.title, job.state])).toContainEqual(['A sync of every active server', 'waiting']);
    expect(jobs[0]).toMatchObject({ state: 'running', owner: `the Marquee app, pid ${process.pid}` });
    app.sim.resumePaused();
    await app.nextEvent('live:change', (payload) => payload.item?.title === 'Held Back');
    expect((await finished).report.ok).toBe(true);
  });

  it('says polling when the notification socket is refused (a proxy that does not pass it)', async () => {
    const { app, serverId } = await liveApp({ notifications: { refuse: true } });
    await until(() => statusOf(app, serverId)?.mode === 'polling', 'the polling indicator');
    const announced = app.events.filter((event) => event.name === 'live:status').map((event) => event.payload as LiveServerStatus);
    expect(announced.some((status) => status.serverId === serverId && status.mode === 'polling')).toBe(true);
  });

  it('says signed out when Plex refuses the saved token', async () => {
    fixture = await startAppFixture({ live: { ...LIVE_OPTIONS, pollMs: 30 } });
    const app = fixture;
    const serverId = await app.addSimServer();
    // A token Plex no longer accepts (revoked on plex.tv): written past servers:update, which would test it first.
    updateServer(app.catalog, app.secrets, serverId, { token: 'a-token-plex-revoked' });
    await app.service.live.start();
    await until(() => statusOf(app, serverId)?.mode === 'signed-out', 'the signed-out indicator');
    expect(JSON.stringify(app.service.live.state())).not.toContain('a-token-plex-revoked');
  });

  it('a server whose token cannot be read does not keep the app from starting: it says it is not listening', async () => {
    fixture = await startAppFixture({ live: LIVE_OPTIONS });
    const app = fixture;
    const serverId = await app.addSimServer();
    app.catalog.sqlite.prepare("UPDATE servers SET token_ciphertext = 'not a ciphertext' WHERE id = ?").run(serverId);
    await app.service.live.start();
    expect(statusOf(app, serverId)).toMatchObject({ mode: 'stopped', detail: expect.stringMatching(/^not listening: /) as unknown });
    expect((await app.ok('live:state', {})).running).toBe(true);
  });

  it('listens to a server added while it runs, and stops listening to a removed one', async () => {
    fixture = await startAppFixture({ live: LIVE_OPTIONS });
    const app = fixture;
    await app.service.live.start();
    expect((await app.ok('live:state', {})).servers).toEqual([]);
    const serverId = await app.addSimServer();
    await until(() => statusOf(app, serverId)?.mode === 'live', 'the added server live');
    await app.service.live.idle();
    await app.ok('servers:remove', { id: serverId });
    await until(() => app.service.live.state().servers.length === 0, 'the removed server gone from the indicators');
  });

  it('"Scan library files" asks Plex to scan; what the scan finds arrives live', async () => {
    const { app, serverId } = await liveApp();
    await until(() => statusOf(app, serverId)?.mode === 'live', 'the live indicator');
    await app.service.live.idle();
    const movies = sectionKeys(app.sim).movies;
    const library = (await app.ok('libraries:list', { serverId })).find((entry) => entry.sectionKey === movies);
    if (library === undefined) throw new Error('no movie library');
    app.sim.notifications.stageForScan(movies, () => void app.sim.library.addMovie(movies, { title: 'Found By The Scan' }));
    const change = app.nextEvent('live:change', (payload) => payload.item?.title === 'Found By The Scan');
    expect(await app.ok('plex:scan', { libraryId: library.id })).toEqual({ libraryTitle: library.title, path: null });
    expect(await change).toMatchObject({ change: 'added', libraryTitle: library.title });
    expect(app.sim.requests.some((request) => request.path === `/library/sections/${movies}/refresh`)).toBe(true);
  });

  it('"Refresh metadata" asks Plex to refresh the item by its rating key', async () => {
    const { app } = await liveApp();
    await app.ok('sync:start', {});
    await app.nextEvent('sync:finished');
    const page = await app.ok('browse:search', { kind: 'movie', offset: 0, limit: 1 });
    const itemId = page.rows[0]?.id ?? 0;
    const details = await app.ok('browse:item', { itemId });
    expect(await app.ok('plex:refresh', { itemId })).toEqual({ ratingKey: details.ratingKey });
    expect(app.sim.requests).toContainEqual(expect.objectContaining({ path: `/library/metadata/${details.ratingKey}/refresh` }));
    expect((await app.fail('plex:refresh', { itemId: 999_999 })).code).toBe('NOT_FOUND');
    expect((await app.fail('plex:scan', { libraryId: 1, path: 'a\nb' })).code).toBe('INVALID_INPUT');
  });

  it('keeps its settings in the catalog: off by default, stored, read by a restarted app', async () => {
    fixture = await startAppFixture();
    const app = fixture;
    expect(await app.ok('settings:get', {})).toEqual({ keepRunningInTray: false, startAtLogin: false, artworkCacheMb: 500 });
    expect(await app.ok('settings:set', { keepRunningInTray: true })).toEqual({
      keepRunningInTray: true,
      startAtLogin: false,
      artworkCacheMb: 500,
    });
    // The artwork cache's cap (issue 10): a whole number of megabytes within the setting's range.
    expect(await app.ok('settings:set', { artworkCacheMb: 750 })).toMatchObject({ artworkCacheMb: 750 });
    expect((await app.fail('settings:set', { artworkCacheMb: 1 })).code).toBe('INVALID_INPUT');
    expect((await app.fail('settings:set', { artworkCacheMb: 12.5 })).code).toBe('INVALID_INPUT');
    expect((await app.fail('settings:set', { keepRunningInTray: 'yes' })).code).toBe('INVALID_INPUT');
    expect((await app.fail('settings:set', { minimizeToTray: true })).code).toBe('INVALID_INPUT');
    const restarted = createAppService({
      catalog: app.catalog,
      secrets: app.secrets,
      secretStatus: { kind: 'key-file', warning: null },
      syncRunner: createInProcessSyncRunner({ catalog: app.catalog, secrets: app.secrets, clientOptions: TEST_CLIENT_OPTIONS }),
    });
    // While a sync writes, a setting waits its turn like every other edit, then is stored.
    await app.addSimServer();
    app.sim.addFault({ kind: 'pause', match: /\/library\/sections\/\d+\/all/, times: 1 });
    const { runId } = await app.ok('sync:start', {});
    await until(() => app.sim.pausedCount() === 1, 'the sync held mid-way');
    const stored = app.ok('settings:set', { startAtLogin: true });
    await app.nextEvent('jobs:changed', ({ jobs }) => jobs.some((job) => job.title === 'An edit (change a setting)'));
    app.sim.resumePaused();
    expect(await stored).toEqual({ keepRunningInTray: true, startAtLogin: true, artworkCacheMb: 750 });
    await app.nextEvent('sync:finished', (payload) => payload.runId === runId);
    const read = await dispatch(restarted, 'settings:get', {});
    await restarted.close();
    expect(read).toEqual({ ok: true, value: { keepRunningInTray: true, startAtLogin: true, artworkCacheMb: 750 } });
  });
});
