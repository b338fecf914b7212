// The catalog's job lock between connections (each as another process would hold it), and the repair of
// paths that an edit during an older Marquee's sync left stale.
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../main/catalog/database.js';
import { CatalogBusyError } from '../../../main/catalog/errors.js';
import { acquireJobLock, runningJob, withJobLock } from '../../../main/catalog/job-lock.js';
import { setLibraryEnabled } from '../../../main/catalog/libraries.js';
import { addMapping, removeMapping } from '../../../main/catalog/mappings.js';
import { removeServer } from '../../../main/catalog/servers.js';
import { runSync } from '../../../main/sync/engine.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { addSimServer, createTestCatalog, type TestCatalog } from '../sync/fixtures.js';

const SYNC = { kind: 'sync', program: 'marquee', target: 'every active server' } as const;

describe('job lock', () => {
  let test: TestCatalog;
  let other: Catalog;
  let serverId: number;

  beforeEach(async () => {
    test = createTestCatalog();
    serverId = (
      await test.catalog.db
        .insertInto('servers')
        .values({ name: 'Home', url: 'http://127.0.0.1:1', created_at: 0 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    test.catalog.sqlite
      .prepare("INSERT INTO libraries (id, server_id, section_key, title, type) VALUES (1, ?, '1', 'Movies', 'movie')")
      .run(serverId);
    other = openCatalog(test.file);
  });

  afterEach(() => {
    other.close();
    test.cleanup();
  });

  it('refuses a second job and every edit on other connections, naming the holder; the holder itself may write', async () => {
    const lock = acquireJobLock(test.catalog, SYNC);
    expect(() => acquireJobLock(other, { ...SYNC, program: 'the Marquee app' })).toThrowError(
      /^A sync of every active server by marquee \(pid \d+, started \d\d:\d\d:\d\d UTC\) is running: another job cannot start; try again when it ends\.$/,
    );
    const edit = { serverId, libraryId: null, plexPrefix: '/data', localPrefix: '/mnt' };
    expect(() => addMapping(other, edit)).toThrowError(CatalogBusyError);
    expect(() => removeServer(other, serverId)).toThrowError(/servers cannot be added, changed or removed until it ends/);
    expect(runningJob(other)).toMatchObject({ kind: 'sync', program: 'marquee', pid: process.pid });
    // The job's own connection is not refused (the engine writes through it).
    expect(runningJob(test.catalog)).toBeNull();
    const added = addMapping(test.catalog, edit);
    lock.release();
    lock.release();
    expect(runningJob(other)).toBeNull();
    removeMapping(other, added.mapping.id);
    await withJobLock(other, SYNC, () => {
      expect(() => setLibraryEnabled(test.catalog, 1, false)).toThrowError(CatalogBusyError);
      return Promise.resolve();
    });
    expect(test.catalog.sqlite.prepare('SELECT count(*) AS n FROM job_queue').get()).toEqual({ n: 0 });
  });

  it('takes over a holder whose heartbeat stopped, or whose process is gone', () => {
    acquireJobLock(other, SYNC, { clock: () => Date.now() - 120_000 });
    const taken = acquireJobLock(test.catalog, SYNC, { staleAfterMs: 60_000 });
    expect(runningJob(other)?.startedAt).toBe(taken.holder.startedAt);
    taken.release();

    // A process that has exited: its pid no longer exists on this host.
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(exited.stdout);
    acquireJobLock(other, SYNC);
    other.sqlite.prepare('UPDATE job_queue SET pid = ?').run(deadPid);
    expect(runningJob(test.catalog)).toBeNull();
    acquireJobLock(test.catalog, SYNC).release();
  });
});

describe('a full sync', () => {
  let sim: PlexSim;
  let test: TestCatalog;

  beforeEach(async () => {
    sim = await startPlexSim({ seed: 8, library: { movies: 60, shows: 3, episodes: 20 } });
    test = createTestCatalog();
  });

  afterEach(async () => {
    test.cleanup();
    await sim.close();
  });

  it('re-resolves stored paths that an edit during an older sync left stale', async () => {
    const server = addSimServer(test, sim);
    addMapping(test.catalog, { serverId: server.id, libraryId: null, plexPrefix: '/data/media/movies', localPrefix: '/mnt/movies' });
    expect((await runSync(test.deps)).ok).toBe(true);
    const unmapped = () =>
      (
        test.catalog.sqlite
          .prepare("SELECT count(*) AS n FROM media_files WHERE plex_path LIKE '/data/media/movies/%' AND mapped = 0")
          .get() as { n: number }
      ).n;
    expect(unmapped()).toBe(0);
    // What the issue saw: files written after a mid-sync mapping edit kept their Plex path, unmapped.
    test.catalog.sqlite.exec(
      "UPDATE media_files SET local_path = plex_path, mapped = 0 WHERE id % 3 = 0 AND plex_path LIKE '/data/media/movies/%'",
    );
    expect(unmapped()).toBeGreaterThan(0);
    // An incremental sync sees no change and writes nothing; a full one repairs every file.
    expect((await runSync(test.deps)).ok).toBe(true);
    expect(unmapped()).toBeGreaterThan(0);
    expect((await runSync(test.deps, { full: true })).ok).toBe(true);
    expect(unmapped()).toBe(0);
  });
});
