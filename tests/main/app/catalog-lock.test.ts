// The desktop app and other processes on one catalog: a job elsewhere (a CLI sync) makes the app's edits and
// syncs answer BUSY naming it; the app's own sync, in its worker thread, makes everyone else's edits wait.
import { afterEach, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../main/catalog/database.js';
import { acquireJobLock } from '../../../main/catalog/job-lock.js';
import { addMapping } from '../../../main/catalog/mappings.js';
import { startAppFixture, type AppFixture } from './fixtures.js';

const CLI_SYNC = { kind: 'sync', program: 'marquee', target: 'server "Home"' } as const;
const BUSY_CLI = /^A sync of server "Home" by marquee \(pid \d+, started \d\d:\d\d:\d\d UTC\) is running: /;

describe('the app and a job of another process', () => {
  let app: AppFixture;
  let elsewhere: Catalog | undefined;

  afterEach(async () => {
    app.sim.resumePaused();
    elsewhere?.close();
    elsewhere = undefined;
    await app.close();
  });

  it('answers BUSY naming a sync that another process runs, and works again once it ends', async () => {
    app = await startAppFixture({ sim: { library: { movies: 20, shows: 2, episodes: 6 } } });
    const serverId = await app.addSimServer();
    elsewhere = openCatalog(app.catalog.file);
    const lock = acquireJobLock(elsewhere, CLI_SYNC);

    const mapping = { serverId, libraryId: null, plexPrefix: '/data/media/movies', localPrefix: '/mnt/movies' };
    for (const failure of [
      await app.fail('mappings:add', mapping),
      await app.fail('sync:start', { serverId }),
      await app.fail('servers:remove', { id: serverId }),
    ]) {
      expect(failure.code).toBe('BUSY');
      expect(failure.message).toMatch(BUSY_CLI);
    }
    expect((await app.ok('mappings:list', {})).length).toBe(0);

    lock.release();
    expect((await app.ok('mappings:add', mapping)).plexPrefix).toBe('/data/media/movies');
  });

  it("holds the lock in the sync worker: another process's edit is refused naming the app's sync", async () => {
    app = await startAppFixture({ runner: 'worker', sim: { library: { movies: 20, shows: 2, episodes: 6 } } });
    const serverId = await app.addSimServer();
    app.sim.addFault({ match: /\/library\/sections\/\d+\/all\?/, kind: 'pause', times: 1 });
    const finished = app.nextEvent('sync:finished');
    await app.ok('sync:start', { serverId });
    await expect.poll(() => app.sim.pausedCount(), { timeout: 30_000, interval: 20 }).toBe(1);

    elsewhere = openCatalog(app.catalog.file);
    expect(() => addMapping(elsewhere as Catalog, { serverId, libraryId: null, plexPrefix: '/data', localPrefix: '/mnt' })).toThrowError(
      /^A sync of server "Sim" by the Marquee app \(pid \d+, started .*\) is running: path mappings cannot change until it ends/,
    );
    expect(() => acquireJobLock(elsewhere as Catalog, CLI_SYNC)).toThrowError(/another job cannot start/);

    app.sim.resumePaused();
    expect((await finished).report.ok).toBe(true);
    addMapping(elsewhere, { serverId, libraryId: null, plexPrefix: '/data', localPrefix: '/mnt' });
  });
});
