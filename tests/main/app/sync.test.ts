import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Events } from '../../../shared/ipc.js';
import { type AppFixture, startAppFixture } from './fixtures.js';

describe('app service: sync jobs (in-process runner)', () => {
  let app: AppFixture;

  beforeEach(async () => {
    app = await startAppFixture();
  });

  afterEach(async () => {
    await app.close();
  });

  it('starts a sync at once, streams progress, then finishes with a report', async () => {
    const serverId = await app.addSimServer();
    const finished = app.nextEvent('sync:finished');
    const { runId } = await app.ok('sync:start', { serverId });
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await app.ok('sync:state', {})).toMatchObject({ runId, running: true, lastReport: null });

    const done = await finished;
    expect(done).toMatchObject({ runId, cancelled: false, error: null });
    expect(done.report.ok).toBe(true);
    expect(done.report.libraries.map((library) => library.libraryTitle).sort()).toEqual(['Kids Movies', 'Movies', 'TV Shows']);

    const progress = app.events.filter((event) => event.name === 'sync:progress').map((event) => event.payload as Events['sync:progress']);
    expect(progress.every((event) => event.runId === runId)).toBe(true);
    const kinds = new Set(progress.map((event) => event.kind));
    expect(kinds).toEqual(new Set(['library-start', 'items', 'library-done']));
    // The last event of the run is sync:finished.
    expect(app.events.at(-1)?.name).toBe('sync:finished');

    const state = await app.ok('sync:state', {});
    expect(state).toMatchObject({ runId, running: false, cancelling: false, lastCancelled: false, lastError: null });
    expect(state.lastReport).toEqual(done.report);
    expect(state.lastProgress?.kind).toBe('library-done');

    const movies = (await app.ok('libraries:list', { serverId })).find((library) => library.title === 'Movies');
    expect(movies?.itemCounts.movies).toBeGreaterThan(0);
    expect(movies?.lastSyncStatus).toBe('ok');
    expect((await app.ok('servers:list', {}))[0]?.lastSyncAt).not.toBeNull();
  });

  it('syncs one library when asked, and refuses a library of another type or server', async () => {
    const serverId = await app.addSimServer();
    const libraries = await app.ok('libraries:list', { serverId });
    const tv = libraries.find((library) => library.title === 'TV Shows');
    const music = libraries.find((library) => library.title === 'Music');
    if (tv === undefined || music === undefined) throw new Error('sim sections missing');

    const finished = app.nextEvent('sync:finished');
    await app.ok('sync:start', { libraryId: tv.id, full: true });
    const { report } = await finished;
    expect(report.libraries).toHaveLength(1);
    expect(report.libraries[0]).toMatchObject({ libraryTitle: 'TV Shows', mode: 'full', outcome: 'ok' });

    // A music library is synced when named, though new ones are not enabled for the syncs of everything.
    const musicFinished = app.nextEvent('sync:finished');
    await app.ok('sync:start', { libraryId: music.id });
    expect((await musicFinished).report.libraries[0]).toMatchObject({ libraryTitle: 'Music', outcome: 'ok' });
    expect((await app.fail('sync:start', { libraryId: tv.id, serverId: serverId + 1 })).code).toBe('INVALID_INPUT');
    expect((await app.fail('sync:start', { serverId: serverId + 1 })).code).toBe('NOT_FOUND');
  });

  it('refuses to start without any active server', async () => {
    const failure = await app.fail('sync:start', {});
    expect(failure.code).toBe('NOT_FOUND');
    expect(failure.message).toMatch(/add a Plex server/);
  });

  it('answers BUSY to a second start while a sync runs; a catalog edit waits its turn and succeeds', async () => {
    const serverId = await app.addSimServer();
    const finished = app.nextEvent('sync:finished');
    const { runId } = await app.ok('sync:start', {});
    const busy = await app.fail('sync:start', { serverId });
    expect(busy.code).toBe('BUSY');
    expect(busy.message).toBe('A sync is running: start a sync once it has finished, or cancel it.');
    // Between two pages of the sync (or after it): never refused for the sync.
    expect((await app.ok('mappings:add', { serverId, libraryId: null, plexPrefix: '/data', localPrefix: '/srv' })).plexPrefix).toBe(
      '/data',
    );
    // Reads still work.
    expect(await app.ok('servers:list', {})).toHaveLength(1);
    expect((await finished).runId).toBe(runId);
    // And once it is over, a new one may start.
    const again = app.nextEvent('sync:finished');
    await app.ok('sync:start', { serverId });
    expect((await again).cancelled).toBe(false);
  });

  it('cancels a running sync', async () => {
    const serverId = await app.addSimServer();
    // The library listings never answer: the sync can only end by being cancelled.
    app.sim.addFault({ match: /\/library\/sections\/\d+\/all/, kind: 'hang' });
    const started = app.nextEvent('sync:progress', (event) => event.kind === 'library-start');
    const finished = app.nextEvent('sync:finished');
    const { runId } = await app.ok('sync:start', { serverId });
    await started;

    expect(await app.ok('sync:cancel', { runId: 'not-this-run' })).toEqual({ cancelled: false });
    expect(await app.ok('sync:cancel', { runId })).toEqual({ cancelled: true });
    expect((await app.ok('sync:state', {})).cancelling).toBe(true);

    const done = await finished;
    expect(done).toMatchObject({ runId, cancelled: true, error: null });
    expect(done.report.ok).toBe(false);
    expect(done.report.libraries.map((library) => library.outcome)).toContain('cancelled');
    expect(await app.ok('sync:state', {})).toMatchObject({ running: false, cancelling: false, lastCancelled: true });
    expect(await app.ok('sync:cancel', { runId })).toEqual({ cancelled: false });
  });

  it('reports an unreachable server in the sync report, not as a failure of the request', async () => {
    const serverId = await app.addSimServer();
    app.sim.addFault({ match: /^\/identity/, kind: 'status', status: 500 });
    const finished = app.nextEvent('sync:finished');
    await app.ok('sync:start', { serverId });
    const { report, error } = await finished;
    expect(error).toBeNull();
    expect(report.ok).toBe(false);
    expect(report.serverErrors).toHaveLength(1);
    expect(report.serverErrors[0]?.error).not.toContain(app.sim.token);
  });
});
