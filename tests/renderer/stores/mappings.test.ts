import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApi } from '../../../renderer/api.js';
import { candidateOf, createMappingsStore } from '../../../renderer/stores/mappings.js';
import type { MappingPreviewResult, PathMapping } from '../../../shared/domain.js';
import { deferred, FakeBridge, Refusal } from '../fake-bridge.js';

function previewOf(unmapped: number): MappingPreviewResult {
  return { candidateError: null, files: 10, unmappedBefore: 10, unmapped, mappedByCandidate: 10 - unmapped, samples: [] };
}

const mapping: PathMapping = { id: 1, serverId: 1, libraryId: null, plexPrefix: '/data', localPrefix: '/mnt/data' };

describe('mapping preview', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks once after typing pauses, with the latest text', async () => {
    const bridge = new FakeBridge({ 'mappings:preview': () => previewOf(3) });
    const store = createMappingsStore(createApi(bridge), { previewDelayMs: 200, sampleSize: 5 });
    for (const plexPrefix of ['/d', '/da', '/dat', '/data']) {
      store.getState().requestPreview({ serverId: 1, libraryId: null, candidate: candidateOf(plexPrefix, '/mnt') });
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(bridge.callsOf('mappings:preview')).toEqual([]);
    expect(store.getState().preview.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(200);
    expect(bridge.callsOf('mappings:preview')).toEqual([
      { serverId: 1, libraryId: null, candidate: { plexPrefix: '/data', localPrefix: '/mnt' }, sampleSize: 5 },
    ]);
    expect(store.getState().preview).toEqual({ status: 'ready', result: previewOf(3), error: null });
  });

  it('drops an answer that comes back after a newer question', async () => {
    const slow = deferred<MappingPreviewResult>();
    const bridge = new FakeBridge({
      'mappings:preview': (input) => (input.candidate?.plexPrefix === '/old' ? slow.promise : previewOf(1)),
    });
    const store = createMappingsStore(createApi(bridge), { previewDelayMs: 10 });
    store.getState().requestPreview({ serverId: 1, libraryId: null, candidate: candidateOf('/old', '/mnt') });
    await vi.advanceTimersByTimeAsync(10);
    store.getState().requestPreview({ serverId: 1, libraryId: null, candidate: candidateOf('/new', '/mnt') });
    await vi.advanceTimersByTimeAsync(10);
    expect(store.getState().preview.result?.unmapped).toBe(1);
    slow.resolve(previewOf(9));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().preview.result?.unmapped).toBe(1);
  });

  it('keeps the last result while a new one is pending, and the error when it fails', async () => {
    let fail = false;
    const bridge = new FakeBridge({
      'mappings:preview': () => {
        if (fail) throw new Refusal('NOT_FOUND', 'There is no server 1.');
        return previewOf(2);
      },
    });
    const store = createMappingsStore(createApi(bridge), { previewDelayMs: 10 });
    store.getState().requestPreview({ serverId: 1, libraryId: null, candidate: null });
    await vi.advanceTimersByTimeAsync(10);
    fail = true;
    store.getState().requestPreview({ serverId: 1, libraryId: null, candidate: null });
    expect(store.getState().preview).toMatchObject({ status: 'pending', result: previewOf(2) });
    await vi.advanceTimersByTimeAsync(10);
    expect(store.getState().preview).toMatchObject({ status: 'error', result: previewOf(2), error: { code: 'NOT_FOUND' } });
  });

  it('stops: a pending question is never asked', async () => {
    const bridge = new FakeBridge({ 'mappings:preview': () => previewOf(0) });
    const store = createMappingsStore(createApi(bridge), { previewDelayMs: 10 });
    store.getState().requestPreview({ serverId: 1, libraryId: null, candidate: null });
    store.getState().stopPreview();
    await vi.advanceTimersByTimeAsync(50);
    expect(bridge.callsOf('mappings:preview')).toEqual([]);
    expect(store.getState().preview.status).toBe('idle');
  });

  it("keeps the last result for the same server only, so another server's files never show", async () => {
    const bridge = new FakeBridge({ 'mappings:preview': (input) => previewOf(input.serverId) });
    const store = createMappingsStore(createApi(bridge), { previewDelayMs: 10 });
    store.getState().requestPreview({ serverId: 1, libraryId: null, candidate: null });
    await vi.advanceTimersByTimeAsync(10);
    store.getState().stopPreview();
    store.getState().requestPreview({ serverId: 1, libraryId: null, candidate: null });
    expect(store.getState().preview).toMatchObject({ status: 'pending', result: previewOf(1) });
    store.getState().requestPreview({ serverId: 2, libraryId: null, candidate: null });
    expect(store.getState().preview).toMatchObject({ status: 'pending', result: null });
    await vi.advanceTimersByTimeAsync(10);
    expect(store.getState().preview.result).toEqual(previewOf(2));
  });
});

describe('candidateOf', () => {
  it('is a candidate only when both prefixes have text', () => {
    expect(candidateOf('/data', '')).toBeNull();
    expect(candidateOf('  ', '/mnt')).toBeNull();
    expect(candidateOf('/data', '/mnt')).toEqual({ plexPrefix: '/data', localPrefix: '/mnt' });
  });
});

describe('mappings store', () => {
  it('adds, reloads the list and reports the change', async () => {
    const saved: PathMapping[] = [];
    const bridge = new FakeBridge({
      'mappings:list': () => [...saved],
      'mappings:add': (input) => {
        const added = { id: saved.length + 1, ...input };
        saved.push(added);
        return added;
      },
    });
    let changes = 0;
    const store = createMappingsStore(createApi(bridge), { onChanged: () => (changes += 1) });
    const added = await store.getState().add({ serverId: 1, libraryId: null, plexPrefix: '/data', localPrefix: '/mnt/data' });
    expect(added).toEqual(mapping);
    expect(store.getState().mappings).toEqual([mapping]);
    expect(changes).toBe(1);
  });

  it('keeps a refused mapping as the save error', async () => {
    const store = createMappingsStore(
      createApi(
        new FakeBridge({
          'mappings:update': () => {
            throw new Refusal('INVALID_INPUT', 'The local prefix must be an absolute path.');
          },
        }),
      ),
    );
    expect(await store.getState().update(1, { libraryId: null, plexPrefix: '/data', localPrefix: 'relative' })).toBeNull();
    expect(store.getState().saveError).toEqual({ code: 'INVALID_INPUT', message: 'The local prefix must be an absolute path.' });
    expect(store.getState().saving).toBe(false);
  });

  it('removes a mapping, or shows why not on its row', async () => {
    let saved = [mapping];
    let refuse = false;
    const bridge = new FakeBridge({
      'mappings:list': () => saved,
      'mappings:remove': (input) => {
        if (refuse) throw new Refusal('NOT_FOUND', 'gone');
        saved = saved.filter((entry) => entry.id !== input.id);
        return { removed: true };
      },
    });
    const store = createMappingsStore(createApi(bridge));
    await store.getState().load();
    refuse = true;
    expect(await store.getState().remove(1)).toBe(false);
    expect(store.getState().rowErrors[1]?.message).toBe('gone');
    refuse = false;
    expect(await store.getState().remove(1)).toBe(true);
    expect(store.getState().mappings).toEqual([]);
    expect(store.getState().rowErrors).toEqual({});
  });
});
