import { describe, expect, it } from 'vitest';
import { createApi } from '../../../renderer/api.js';
import { createLibrariesStore, isSyncable } from '../../../renderer/stores/libraries.js';
import { deferred, FakeBridge, Refusal } from '../fake-bridge.js';
import { library } from '../fixtures.js';

describe('libraries store', () => {
  it('loads every library', async () => {
    const store = createLibrariesStore(
      createApi(new FakeBridge({ 'libraries:list': () => [library(), library({ id: 2, title: 'Shows', type: 'show' })] })),
    );
    await store.getState().load();
    expect(store.getState().libraries.map((entry) => entry.title)).toEqual(['Movies', 'Shows']);
  });

  it('marks a toggle pending until main answers, then shows the new state', async () => {
    const answer = deferred<ReturnType<typeof library>>();
    const bridge = new FakeBridge({ 'libraries:list': () => [library()], 'libraries:setEnabled': () => answer.promise });
    const store = createLibrariesStore(createApi(bridge));
    await store.getState().load();
    const toggling = store.getState().setEnabled(1, false);
    expect(store.getState().pending).toEqual({ 1: true });
    // The checkbox follows the click at once.
    expect(store.getState().libraries[0]?.enabled).toBe(false);
    answer.resolve(library({ enabled: false }));
    await toggling;
    expect(store.getState().pending).toEqual({});
    expect(store.getState().libraries[0]?.enabled).toBe(false);
    expect(bridge.callsOf('libraries:setEnabled')).toEqual([{ libraryId: 1, enabled: false }]);
  });

  it('puts a refused toggle back and keeps the row error', async () => {
    const store = createLibrariesStore(
      createApi(
        new FakeBridge({
          'libraries:list': () => [library()],
          'libraries:setEnabled': () => {
            throw new Refusal('NOT_FOUND', 'There is no library 1.');
          },
        }),
      ),
    );
    await store.getState().load();
    await store.getState().setEnabled(1, false);
    expect(store.getState().libraries[0]?.enabled).toBe(true);
    expect(store.getState().rowErrors[1]?.message).toBe('There is no library 1.');
    expect(store.getState().pending).toEqual({});
  });

  it('syncs movie, show and music libraries, not photos', () => {
    expect(isSyncable(library({ type: 'movie' }))).toBe(true);
    expect(isSyncable(library({ type: 'show' }))).toBe(true);
    expect(isSyncable(library({ type: 'artist' }))).toBe(true);
    expect(isSyncable(library({ type: 'photo' }))).toBe(false);
  });
});
