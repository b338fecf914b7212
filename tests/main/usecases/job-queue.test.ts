// The catalog's job queue in one process, on real SQLite connections (each as another process would hold
// one): edits go before waiting jobs and run at a running job's safe point; an edit's wait is bounded and
// then names the job; a cancel stops that job alone; tickets of dead owners never block anyone. The
// two-process path (real CLIs) is tests/main/cli/catalog-concurrency.test.ts.
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../main/catalog/database.js';
import { acquireJobLock } from '../../../main/catalog/job-lock.js';
import { enqueueJob, listQueue, runInTurn } from '../../../main/catalog/job-queue.js';
import { listMappings } from '../../../main/catalog/mappings.js';
import type { UseCaseDeps } from '../../../main/usecases/deps.js';
import { cancelJob, listJobs } from '../../../main/usecases/jobs.js';
import { addMapping } from '../../../main/usecases/mappings.js';
import { createTestCatalog, type TestCatalog } from '../sync/fixtures.js';
import { until } from '../live/fixtures.js';

const SYNC = { kind: 'sync', program: 'marquee', target: 'every active server' } as const;
const OTHER_SYNC = { kind: 'sync', program: 'the Marquee app', target: 'server "Home"' } as const;

describe('the job queue', () => {
  let test: TestCatalog;
  let other: Catalog;
  let third: Catalog;
  let serverId: number;
  let deps: UseCaseDeps;

  beforeEach(() => {
    test = createTestCatalog();
    serverId = Number(
      test.catalog.sqlite.prepare("INSERT INTO servers (name, url, created_at) VALUES ('Home', 'http://127.0.0.1:1', 0)").run()
        .lastInsertRowid,
    );
    other = openCatalog(test.file);
    third = openCatalog(test.file);
    deps = { catalog: test.catalog, secrets: test.secrets, queue: { pollMs: 5 } };
  });

  afterEach(() => {
    other.close();
    third.close();
    test.cleanup();
  });

  const mapping = (plexPrefix: string) => ({ serverId, libraryId: null, plexPrefix, localPrefix: '/mnt' });

  it('runs a waiting edit before a sync queued earlier, and the sync after it', async () => {
    const running = acquireJobLock(other, SYNC);
    const order: string[] = [];
    const queuedSync = runInTurn(
      third,
      OTHER_SYNC,
      () => {
        order.push(`sync saw ${listMappings(third).length} mapping(s)`);
        return Promise.resolve();
      },
      { pollMs: 5 },
    );
    await until(() => listQueue(test.catalog).length === 2, 'the sync to queue');
    const edit = addMapping(deps, mapping('/data')).then(() => order.push('edit'));
    await until(() => listQueue(test.catalog).length === 3, 'the edit to queue');
    // Turn order: the running job, then the edit (it jumps ahead), then the sync queued before it.
    expect(listJobs(deps).map((job) => [job.kind, job.state])).toEqual([
      ['sync', 'running'],
      ['edit', 'waiting'],
      ['sync', 'waiting'],
    ]);
    expect(listJobs(deps)[1]).toMatchObject({ title: 'An edit (change path mappings)', owner: `marquee CLI, pid ${process.pid}` });
    expect(order).toEqual([]);
    running.release();
    await Promise.all([edit, queuedSync]);
    expect(order).toEqual(['edit', 'sync saw 1 mapping(s)']);
    expect(listQueue(test.catalog)).toEqual([]);
  });

  it('a running job yields to a waiting edit at its safe point, then resumes before other jobs', async () => {
    const steps: string[] = [];
    let safePointReached!: () => void;
    const atSafePoint = new Promise<void>((resolve) => (safePointReached = resolve));
    let release!: () => void;
    const mayGoOn = new Promise<void>((resolve) => (release = resolve));
    const job = runInTurn(
      other,
      SYNC,
      async ({ safePoint }) => {
        steps.push('page 1');
        safePointReached();
        await mayGoOn;
        const yielded = await safePoint();
        steps.push(`page 2 (yielded: ${String(yielded)}, mappings: ${listMappings(other).length})`);
        expect(await safePoint()).toBe(false);
      },
      { pollMs: 5 },
    );
    await atSafePoint;
    const laterJob = runInTurn(third, OTHER_SYNC, () => Promise.resolve(steps.push('later job')), { pollMs: 5 });
    const edit = addMapping(deps, mapping('/data')).then(() => steps.push('edit'));
    await until(() => listQueue(test.catalog).length === 3, 'the edit and the later job to queue');
    release();
    await Promise.all([job, edit, laterJob]);
    expect(steps).toEqual(['page 1', 'edit', 'page 2 (yielded: true, mappings: 1)', 'later job']);
  });

  it('an edit that finds no safe point in time is refused naming the job, and leaves nothing queued', async () => {
    const running = acquireJobLock(other, SYNC);
    try {
      const refused = addMapping({ ...deps, queue: { pollMs: 5, maxWaitMs: 50 } }, mapping('/data'));
      await expect(refused).rejects.toMatchObject({
        code: 'BUSY',
        message: expect.stringMatching(
          /^A sync of every active server by marquee \(pid \d+, started \d\d:\d\d:\d\d UTC\) did not reach a point where change path mappings could run/,
        ) as unknown,
      });
      // --no-wait: at once.
      await expect(addMapping({ ...deps, queue: { wait: false } }, mapping('/data'))).rejects.toMatchObject({ code: 'BUSY' });
      expect(listQueue(test.catalog).map((job) => job.kind)).toEqual(['sync']);
      expect(listMappings(test.catalog)).toEqual([]);
    } finally {
      running.release();
    }
  });

  it('cancelling a waiting job stops it alone; the running one and the others go on', async () => {
    const running = acquireJobLock(other, SYNC);
    const first = enqueueJob(third, OTHER_SYNC, { pollMs: 5 });
    const second = enqueueJob(test.catalog, { ...OTHER_SYNC, target: 'server "Away"' }, { pollMs: 5 });
    const firstWait = first.waitTurn();
    const secondWait = second.waitTurn();
    expect(cancelJob(deps, first.id)).toMatchObject({ id: first.id, cancelRequested: true, state: 'waiting' });
    await expect(firstWait).rejects.toMatchObject({ name: 'AbortError' });
    first.release();
    expect(listJobs(deps).map((job) => job.id)).toEqual([running.holder.id, second.id]);
    running.release();
    await secondWait;
    expect(second.running).toBe(true);
    second.release();
    expect(() => cancelJob(deps, first.id)).toThrowError(/There is no job \d+ in the queue/);
  });

  it("never waits for a dead owner's ticket, running or waiting: the next writer reaps it", async () => {
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(exited.stdout);
    const deadRunning = acquireJobLock(other, SYNC);
    const deadWaiting = enqueueJob(third, OTHER_SYNC);
    other.sqlite.prepare('UPDATE job_queue SET pid = ?').run(deadPid);
    // Also a ticket whose heartbeat stopped long ago (another host's owner cannot be asked by pid).
    other.sqlite
      .prepare(
        "INSERT INTO job_queue (ticket, kind, label, program, pid, host, priority, enqueued_at, heartbeat_at) VALUES ('x', 'sync', 'x', 'marquee', 1, 'elsewhere', 1, 0, 0)",
      )
      .run();
    expect(listJobs(deps)).toEqual([]);
    const change = await addMapping(deps, mapping('/data'));
    expect(change.mapping.plexPrefix).toBe('/data');
    expect(test.catalog.sqlite.prepare('SELECT count(*) AS n FROM job_queue').get()).toEqual({ n: 0 });
    deadRunning.release();
    deadWaiting.release();
  });
});
