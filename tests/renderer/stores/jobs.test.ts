import { describe, expect, it } from 'vitest';
import { createApi } from '../../../renderer/api.js';
import { createJobsStore, longJobRunning, syncWaitsFor } from '../../../renderer/stores/jobs.js';
import type { QueueJob } from '../../../shared/jobs.js';
import { FakeBridge, Refusal } from '../fake-bridge.js';

function job(id: number, fields: Partial<QueueJob> = {}): QueueJob {
  return {
    id,
    kind: 'sync',
    state: 'running',
    title: 'A sync of every active server',
    owner: 'marquee CLI, pid 4242',
    priority: 'job',
    enqueuedAt: 1_700_000_000_000,
    startedAt: 1_700_000_000_000,
    cancelRequested: false,
    here: false,
    ...fields,
  };
}

describe('jobs store', () => {
  it('loads the queue, follows jobs:changed, and cancels one job by id', async () => {
    const running = job(1);
    const waiting = job(2, { state: 'waiting', startedAt: null, owner: 'the Marquee app, pid 7' });
    const bridge = new FakeBridge({ 'jobs:list': () => [running, waiting], 'jobs:cancel': () => ({ cancelled: true }) });
    const store = createJobsStore(createApi(bridge));
    const detach = store.getState().attach();
    await store.getState().hydrate();
    expect(store.getState().jobs.map((entry) => entry.id)).toEqual([1, 2]);

    await store.getState().cancel(2);
    expect(bridge.callsOf('jobs:cancel')).toEqual([{ id: 2 }]);
    expect(store.getState().cancelling).toEqual({ 2: true });
    // The owner stopped it: the next list no longer has it, nor its "cancelling" mark; the other one runs on.
    bridge.emit('jobs:changed', { jobs: [running] });
    expect(store.getState().jobs).toEqual([running]);
    expect(store.getState().cancelling).toEqual({});
    detach();
    expect(bridge.listenerCount('jobs:changed')).toBe(0);
  });

  it('drops a job that ended before its cancel arrived, and shows a refused cancel', async () => {
    const bridge = new FakeBridge({ 'jobs:list': () => [job(1)], 'jobs:cancel': () => ({ cancelled: false }) });
    const store = createJobsStore(createApi(bridge));
    await store.getState().hydrate();
    await store.getState().cancel(1);
    expect(store.getState().jobs).toEqual([]);
    bridge.handlers['jobs:cancel'] = () => {
      throw new Refusal('FAILED', 'The catalog is read-only.');
    };
    await store.getState().cancel(5);
    expect(store.getState().cancelError).toMatchObject({ code: 'FAILED', message: 'The catalog is read-only.' });
    expect(store.getState().cancelling).toEqual({});
  });

  it("names the job this app's queued sync waits for", () => {
    const cli = job(1);
    const mine = job(2, { state: 'waiting', startedAt: null, here: true, owner: 'the Marquee app, pid 7' });
    expect(syncWaitsFor([cli, mine])).toBe(cli);
    expect(syncWaitsFor([job(3, { here: true })])).toBeNull();
    expect(syncWaitsFor([cli])).toBeNull();
  });

  it('tells when edits wait for a long job: one runs or yielded, not when only edits or waiting jobs are listed', () => {
    expect(longJobRunning([job(1)])).toBe(true);
    expect(longJobRunning([job(1, { state: 'yielded' }), job(2, { kind: 'edit', priority: 'edit' })])).toBe(true);
    expect(longJobRunning([job(1, { kind: 'edit', priority: 'edit' }), job(2, { state: 'waiting' })])).toBe(false);
    expect(longJobRunning([])).toBe(false);
  });
});
