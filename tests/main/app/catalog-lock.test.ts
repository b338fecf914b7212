// The desktop app and other processes on one catalog, one queue: a job elsewhere (a CLI sync) makes the app's
// edits and syncs wait their turn instead of answering BUSY; the app's own sync, in its worker thread, lets
// everyone else's edits run between its pages; the jobs panel's requests list and cancel any process's job.
import { afterEach, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../main/catalog/database.js';
import { acquireJobLock } from '../../../main/catalog/job-lock.js';
import { listMappings } from '../../../main/catalog/mappings.js';
import { addMapping } from '../../../main/usecases/mappings.js';
import { startAppFixture, type AppFixture } from './fixtures.js';

const CLI_SYNC = { kind: 'sync', program: 'marquee', target: 'server "Home"' } as const;
const POLL = { timeout: 30_000, interval: 20 };

describe('the app and a job of another process', () => {
  let app: AppFixture;
  let elsewhere: Catalog | undefined;

  afterEach(async () => {
    app.sim.resumePaused();
    elsewhere?.close();
    elsewhere = undefined;
    await app.close();
  });

  it("waits for another process's sync: edits and a sync queue behind it, listed, and run once it ends", async () => {
    app = await startAppFixture({ sim: { library: { movies: 20, shows: 2, episodes: 6 } } });
    const serverId = await app.addSimServer();
    elsewhere = openCatalog(app.catalog.file);
    const lock = acquireJobLock(elsewhere, CLI_SYNC);

    const mapping = { serverId, libraryId: null, plexPrefix: '/data/media/movies', localPrefix: '/mnt/movies' };
    const added = app.ok('mappings:add', mapping);
    const finished = app.nextEvent('sync:finished');
    await app.ok('sync:start', { serverId });
    const changed = app.nextEvent('jobs:changed', ({ jobs }) => jobs.length === 3);
    const { jobs } = await changed;
    expect(jobs.map((job) => [job.title, job.state, job.owner.replace(/\d+/, 'N')])).toEqual([
      ['A sync of server "Home"', 'running', 'marquee CLI, pid N'],
      ['An edit (change path mappings)', 'waiting', 'the Marquee app, pid N'],
      ['A sync of server "Sim"', 'waiting', 'the Marquee app, pid N'],
    ]);
    expect((await app.ok('mappings:list', {})).length).toBe(0);

    lock.release();
    expect((await added).plexPrefix).toBe('/data/media/movies');
    expect((await finished).report.ok).toBe(true);
    await expect.poll(async () => (await app.ok('jobs:list', {})).length, POLL).toBe(0);
  }, 60_000);

  it("runs another process's edit between the pages of the app's worker sync; a cancel from the panel stops the sync", async () => {
    app = await startAppFixture({ runner: 'worker', sim: { library: { movies: 20, shows: 2, episodes: 6 } } });
    const serverId = await app.addSimServer();
    app.sim.addFault({ match: /\/library\/sections\/\d+\/all\?/, kind: 'pause', times: 1 });
    const finished = app.nextEvent('sync:finished');
    await app.ok('sync:start', { serverId });
    await expect.poll(() => app.sim.pausedCount(), POLL).toBe(1);

    elsewhere = openCatalog(app.catalog.file);
    const other = elsewhere;
    // --no-wait elsewhere: refused naming the app's sync.
    expect(() => acquireJobLock(other, CLI_SYNC)).toThrowError(
      /^A sync of server "Sim" by the Marquee app \(pid \d+, started .*\) is running: another job cannot start/,
    );
    const edit = addMapping(
      { catalog: other, secrets: app.secrets, queue: { pollMs: 5 } },
      { serverId, libraryId: null, plexPrefix: '/data', localPrefix: '/mnt' },
    );
    await expect.poll(async () => (await app.ok('jobs:list', {})).map((job) => job.kind), POLL).toEqual(['sync', 'edit']);
    app.sim.resumePaused();
    await edit;
    expect(listMappings(other)).toHaveLength(1);
    expect((await finished).report.ok).toBe(true);

    // A second sync that Plex holds: cancelled from the jobs panel, as any process's job would be.
    app.sim.addFault({ match: /\/library\/sections\/\d+\/all\?/, kind: 'pause', times: 1 });
    const cancelled = app.nextEvent('sync:finished');
    await app.ok('sync:start', { serverId });
    await expect.poll(() => app.sim.pausedCount(), POLL).toBe(1);
    const [running] = await app.ok('jobs:list', {});
    expect(running).toMatchObject({ kind: 'sync', state: 'running' });
    expect(await app.ok('jobs:cancel', { id: running?.id ?? 0 })).toEqual({ cancelled: true });
    expect(await cancelled).toMatchObject({ cancelled: true, error: null });
    expect(await app.ok('jobs:cancel', { id: running?.id ?? 0 })).toEqual({ cancelled: false });
  }, 60_000);
});
