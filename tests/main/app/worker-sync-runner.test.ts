// The worker runner as Electron uses it, with the TypeScript worker loaded through tsx
// (sync-worker.bootstrap.mjs): its own catalog connection, tokens handed over by the main thread,
// progress and reports as messages, cancel as a message.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Events } from '../../../shared/ipc.js';
import { createAppService } from '../../../main/app/service.js';
import { createWorkerSyncRunner } from '../../../main/app/worker-sync-runner.js';
import { openCatalog } from '../../../main/catalog/database.js';
import { updateServer } from '../../../main/catalog/servers.js';
import { dispatch } from '../../../main/ipc/dispatch.js';
import { type AppFixture, closedPortUrl, startAppFixture, TS_WORKER_BOOTSTRAP } from './fixtures.js';

describe('worker sync runner', () => {
  let app: AppFixture;

  beforeEach(async () => {
    app = await startAppFixture({ runner: 'worker' });
  });

  afterEach(async () => {
    await app.close();
  });

  it('syncs in a worker thread and reports back through events', async () => {
    expect(app.runner.kind).toBe('worker');
    const serverId = await app.addSimServer();
    const finished = app.nextEvent('sync:finished');
    const { runId } = await app.ok('sync:start', { serverId });
    expect((await app.fail('sync:start', {})).code).toBe('BUSY');

    const done = await finished;
    expect(done).toMatchObject({ runId, cancelled: false, error: null });
    expect(done.report.ok).toBe(true);
    expect(done.report.libraries).toHaveLength(3);
    const progress = app.events.filter((event) => event.name === 'sync:progress').map((event) => event.payload as Events['sync:progress']);
    expect(progress.some((event) => event.kind === 'items')).toBe(true);

    // The worker wrote through its own connection; this thread's connection sees the rows (WAL).
    const libraries = await app.ok('libraries:list', { serverId });
    expect(libraries.find((library) => library.title === 'Movies')?.itemCounts.movies).toBeGreaterThan(0);
    expect(app.catalog.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('imports a show in a worker thread', async () => {
    const serverId = await app.addSimServer();
    const show = app.sim.library.items('2', 'show')[0];
    if (show === undefined) throw new Error('the sim has no show');
    const report = await app.ok('discovery:import', { serverId, ratingKey: show.ratingKey });
    expect(report.outcome).toBe('ok');
    expect(app.events.some((event) => event.name === 'import:progress')).toBe(true);
    expect((await app.ok('browse:search', { kind: 'show', offset: 0, limit: 5 })).total).toBe(1);
  });

  it('cancels the worker through a message', async () => {
    const serverId = await app.addSimServer();
    app.sim.addFault({ match: /\/library\/sections\/\d+\/all/, kind: 'hang' });
    const started = app.nextEvent('sync:progress', (event) => event.kind === 'library-start');
    const finished = app.nextEvent('sync:finished');
    const { runId } = await app.ok('sync:start', { serverId });
    await started;
    expect(await app.ok('sync:cancel', { runId })).toEqual({ cancelled: true });
    const done = await finished;
    expect(done.cancelled).toBe(true);
    expect(done.report.libraries.map((library) => library.outcome)).toContain('cancelled');
  });

  it('ends a run whose worker fails as a whole with an error in sync:finished', async () => {
    await app.addSimServer();
    // The worker opens this file as its catalog: it is not one.
    const notACatalog = join(app.dir, 'not-a-catalog.sqlite');
    writeFileSync(notACatalog, 'plain text, not SQLite '.repeat(100));
    const runner = createWorkerSyncRunner({
      workerUrl: TS_WORKER_BOOTSTRAP,
      catalog: { ...app.catalog, file: notACatalog },
      secrets: app.secrets,
    });
    const service = createAppService({
      catalog: app.catalog,
      secrets: app.secrets,
      secretStatus: { kind: 'key-file', warning: null },
      syncRunner: runner,
    });
    const finished = new Promise<Events['sync:finished']>((resolve) => service.events.on('sync:finished', resolve));
    const started = await dispatch(service, 'sync:start', {});
    expect(started.ok).toBe(true);
    const done = await finished;
    expect(done.error).toMatch(/not a database/i);
    // The worker's ForeignDatabaseError is rebuilt as a catalog error: its own message and code, not "Something went wrong".
    expect(done.error).not.toMatch(/Something went wrong/);
    expect(done.errorCode).toBe('CATALOG_FOREIGN');
    expect(done.report).toMatchObject({ ok: false, libraries: [], serverErrors: [] });
    expect(await dispatch(service, 'sync:state', {})).toMatchObject({
      ok: true,
      value: { running: false, lastError: done.error, lastErrorCode: 'CATALOG_FOREIGN' },
    });
    await service.close();
  });

  it('reports an unreachable server with its code and message through the worker', async () => {
    const serverId = await app.addSimServer();
    updateServer(app.catalog, app.secrets, serverId, { url: await closedPortUrl() });
    const finished = app.nextEvent('sync:finished');
    await app.ok('sync:start', { serverId });
    const done = await finished;
    expect(done.error).toBeNull();
    expect(done.report.ok).toBe(false);
    expect(done.report.serverErrors).toEqual([
      { serverName: 'Sim', error: expect.stringMatching(/Could not reach Plex server "Sim"/) as string, errorCode: 'PLEX_NETWORK' },
    ]);
    expect(done.report.serverErrors[0]?.error).not.toMatch(/Something went wrong/);
    // A show import on that server fails in the worker too, and its report says why by code.
    const report = await app.ok('discovery:import', { serverId, ratingKey: '1' });
    expect(report).toMatchObject({
      outcome: 'failed',
      errorCode: 'PLEX_NETWORK',
      error: expect.stringMatching(/Could not reach Plex server "Sim"/) as string,
    });
  });

  it("keeps a failed library sync's code for the libraries list", async () => {
    const serverId = await app.addSimServer();
    app.sim.addFault({ match: /\/library\/sections\/\d+\/all/, kind: 'status', status: 401 });
    const finished = app.nextEvent('sync:finished');
    await app.ok('sync:start', { serverId });
    const done = await finished;
    expect(done.report.libraries.map((library) => library.errorCode)).toContain('PLEX_UNAUTHORIZED');
    const failed = (await app.ok('libraries:list', { serverId })).filter((library) => library.lastSyncStatus === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const library of failed) expect(library.lastSyncErrorCode).toBe('PLEX_UNAUTHORIZED');
  });

  it('refuses an in-memory catalog', () => {
    const memory = openCatalog(':memory:');
    expect(() => createWorkerSyncRunner({ workerUrl: TS_WORKER_BOOTSTRAP, catalog: memory, secrets: app.secrets })).toThrow(/catalog file/);
    memory.close();
  });
});
