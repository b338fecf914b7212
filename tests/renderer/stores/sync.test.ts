import { describe, expect, it } from 'vitest';
import { createApi } from '../../../renderer/api.js';
import { describeProgress } from '../../../renderer/format.js';
import { createSyncStore } from '../../../renderer/stores/sync.js';
import type { SyncReport } from '../../../shared/domain.js';
import type { Events } from '../../../shared/ipc.js';
import { deferred, FakeBridge, manualScheduler, Refusal } from '../fake-bridge.js';
import { finishedEvent, libraryReport, runState, syncReport } from '../fixtures.js';

function items(runId: string, done: number): Events['sync:progress'] {
  return {
    runId,
    kind: 'items',
    index: 0,
    total: 2,
    serverName: 'Den',
    libraryTitle: 'Movies',
    phase: 'movies',
    done,
    itemsTotal: 1000,
    ratePerSecond: 100,
    etaSeconds: (1000 - done) / 100,
  };
}

function setup(handlers: ConstructorParameters<typeof FakeBridge>[0] = {}) {
  const bridge = new FakeBridge({ 'sync:start': () => ({ runId: 'r1' }), 'sync:cancel': () => ({ cancelled: true }), ...handlers });
  const scheduler = manualScheduler();
  const finished: SyncReport[] = [];
  const store = createSyncStore(createApi(bridge), { scheduleFlush: scheduler.schedule, onFinished: (report) => finished.push(report) });
  const detach = store.getState().attach();
  return { bridge, scheduler, store, finished, detach };
}

describe('sync store', () => {
  it('starts a run with the scope asked for', async () => {
    const { bridge, store } = setup();
    await store.getState().start({ serverId: 2, libraryId: 5 });
    expect(bridge.callsOf('sync:start')).toEqual([{ serverId: 2, libraryId: 5 }]);
    expect(store.getState()).toMatchObject({ running: true, starting: false, runId: 'r1', scope: { serverId: 2, libraryId: 5 } });
  });

  it('keeps only the newest of a burst of progress events and publishes it once', async () => {
    const { bridge, scheduler, store } = setup();
    await store.getState().start();
    let updates = 0;
    store.subscribe(() => (updates += 1));
    bridge.emit('sync:progress', items('r1', 100));
    bridge.emit('sync:progress', items('r1', 200));
    bridge.emit('sync:progress', items('r1', 300));
    expect(store.getState().progress).toBeNull();
    expect(scheduler.pending()).toBe(1);
    scheduler.run();
    expect(updates).toBe(1);
    expect(store.getState().progress).toMatchObject({ kind: 'items', done: 300 });
  });

  it('ends with the report, dropping progress that had not been shown yet', async () => {
    const { bridge, scheduler, store, finished } = setup();
    await store.getState().start();
    const report = syncReport([libraryReport({ added: 5 })]);
    bridge.emit('sync:progress', items('r1', 900));
    bridge.emit('sync:finished', finishedEvent('r1', report));
    scheduler.run();
    expect(store.getState()).toMatchObject({ running: false, progress: null, lastReport: report });
    expect(finished).toEqual([report]);
    // A straggler of the finished run does not bring it back.
    bridge.emit('sync:progress', items('r1', 1000));
    scheduler.run();
    expect(store.getState()).toMatchObject({ running: false, progress: null });
  });

  it('stays finished when the run ends before sync:start answers', async () => {
    const answer = deferred<{ runId: string }>();
    const { bridge, store } = setup({ 'sync:start': () => answer.promise });
    const starting = store.getState().start();
    expect(store.getState().starting).toBe(true);
    bridge.emit('sync:finished', finishedEvent('fast', syncReport([])));
    answer.resolve({ runId: 'fast' });
    await starting;
    expect(store.getState()).toMatchObject({ running: false, starting: false, lastReport: syncReport([]) });
  });

  it('keeps the error of a run that failed as a whole', () => {
    const { bridge, store } = setup();
    bridge.emit('sync:finished', finishedEvent('r2', syncReport([]), { error: 'The catalog could not be opened.' }));
    expect(store.getState()).toMatchObject({ running: false, lastError: 'The catalog could not be opened.', lastCancelled: false });
  });

  it('follows a run it did not start (progress names the run)', () => {
    const { bridge, scheduler, store } = setup();
    bridge.emit('sync:progress', items('other', 10));
    scheduler.run();
    expect(store.getState()).toMatchObject({ running: true, runId: 'other' });
  });

  it('cancels the running run', async () => {
    const { bridge, store } = setup();
    await store.getState().start();
    await store.getState().cancel();
    expect(bridge.callsOf('sync:cancel')).toEqual([{ runId: 'r1' }]);
    expect(store.getState().cancelling).toBe(true);
    bridge.emit('sync:finished', finishedEvent('r1', syncReport([libraryReport({ outcome: 'cancelled' })]), { cancelled: true }));
    expect(store.getState()).toMatchObject({ running: false, cancelling: false, lastCancelled: true, lastError: null });
    expect(store.getState().lastReport?.libraries[0]?.outcome).toBe('cancelled');
  });

  it('shows why a run could not start', async () => {
    const { store } = setup({
      'sync:start': () => {
        throw new Refusal('BUSY', 'A sync is already running.');
      },
    });
    await store.getState().start();
    expect(store.getState()).toMatchObject({
      running: false,
      starting: false,
      error: { code: 'BUSY', message: 'A sync is already running.' },
    });
    store.getState().clearError();
    expect(store.getState().error).toBeNull();
  });

  it('picks up a run already going and the last report', async () => {
    const state = runState({
      runId: 'r9',
      running: true,
      cancelling: true,
      lastProgress: items('r9', 40),
      lastReport: syncReport([libraryReport()]),
    });
    const { store } = setup({ 'sync:state': () => state });
    await store.getState().hydrate();
    expect(store.getState()).toMatchObject({
      runId: 'r9',
      running: true,
      cancelling: true,
      progress: { done: 40 },
      lastReport: state.lastReport,
    });
  });

  it('does not revive a finished run from the snapshot', async () => {
    const state = runState({
      runId: 'r8',
      running: false,
      lastProgress: items('r8', 1000),
      lastReport: syncReport([]),
      lastCancelled: true,
    });
    const { bridge, scheduler, store } = setup({ 'sync:state': () => state });
    await store.getState().hydrate();
    bridge.emit('sync:progress', items('r8', 1000));
    scheduler.run();
    expect(store.getState()).toMatchObject({ running: false, progress: null, lastCancelled: true });
  });

  it('stops listening when detached', () => {
    const { bridge, detach } = setup();
    expect(bridge.listenerCount('sync:progress')).toBe(1);
    detach();
    expect(bridge.listenerCount('sync:progress')).toBe(0);
    expect(bridge.listenerCount('sync:finished')).toBe(0);
  });
});

describe('sync store: past syncs', () => {
  const past = {
    libraryId: 4,
    serverId: 1,
    serverName: 'Den',
    libraryTitle: 'Movies',
    syncedAt: 1_700_000_000,
    outcome: 'failed' as const,
    error: 'Plex server "Den" refused the token (401)',
    report: libraryReport({ serverName: 'Den', outcome: 'failed', errorCode: 'PLEX_UNAUTHORIZED' }),
  };

  it("loads each library's last sync from the catalog on start", async () => {
    const { bridge, store } = setup({ 'sync:state': () => runState(), 'sync:history': () => [past] });
    expect(store.getState().history).toBeNull();
    await store.getState().hydrate();
    await expect.poll(() => store.getState().history).toEqual([past]);
    expect(store.getState().lastReport).toBeNull();
    expect(bridge.callsOf('sync:history')).toHaveLength(1);
  });

  it('reads them again when a sync finishes', async () => {
    let answers = 0;
    const { bridge, store } = setup({ 'sync:state': () => runState(), 'sync:history': () => (answers++ === 0 ? [] : [past]) });
    await store.getState().hydrate();
    await expect.poll(() => store.getState().history).toEqual([]);
    await store.getState().start();
    bridge.emit('sync:finished', finishedEvent('r1', syncReport([libraryReport()])));
    await expect.poll(() => store.getState().history).toEqual([past]);
  });

  it('keeps the failure to read them apart from sync errors', async () => {
    const { store } = setup({
      'sync:state': () => runState(),
      'sync:history': () => {
        throw new Refusal('FAILED', 'The catalog is locked');
      },
    });
    await store.getState().hydrate();
    await expect.poll(() => store.getState().historyError?.message).toBe('The catalog is locked');
    expect(store.getState().error).toBeNull();
  });
});

describe('sync store: a slow server', () => {
  it('keeps the waiting event as the progress, which the bars then describe as waiting', async () => {
    const { bridge, scheduler, store } = setup();
    await store.getState().start();
    bridge.emit('sync:progress', items('r1', 300));
    bridge.emit('sync:progress', {
      runId: 'r1',
      kind: 'waiting',
      index: 0,
      total: 2,
      serverName: 'Den',
      libraryTitle: 'Movies',
      attempt: 2,
      maxAttempts: 4,
      reason: 'Plex did not answer within 30 s',
      retryInSeconds: 5,
    });
    scheduler.run();
    const progress = store.getState().progress;
    expect(progress).toMatchObject({ kind: 'waiting', attempt: 2 });
    if (progress === null) throw new Error('no progress');
    expect(describeProgress(progress).waiting?.text).toBe('Waiting for Plex… attempt 2 of 4 (retrying in 5 s)');
    // The next page arrives: back to counting.
    bridge.emit('sync:progress', items('r1', 400));
    scheduler.run();
    expect(describeProgress(store.getState().progress ?? items('r1', 0)).waiting).toBeNull();
  });
});
