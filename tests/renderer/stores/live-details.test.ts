// The live store's part for the detail pass: its state is loaded with the rest, the switch asks main, and a
// refusal leaves the state as it was with the error to show.
import { describe, expect, it } from 'vitest';
import { createApi } from '../../../renderer/api.js';
import { createLiveStore } from '../../../renderer/stores/live.js';
import type { DetailPassState } from '../../../shared/ipc.js';
import { FakeBridge, manualScheduler, Refusal } from '../fake-bridge.js';

const OFF: DetailPassState = {
  enabled: false,
  running: false,
  requestIntervalMs: 1000,
  servers: [{ serverId: 1, serverName: 'Den', done: 0, total: 40 }],
  cost: 'About 1 request per 20 items (~5,000 requests for 100,000 episodes): ~2 requests for the 40 items left, ~1 min at 1 request per 1 s.',
};

function setup(handlers: ConstructorParameters<typeof FakeBridge>[0] = {}) {
  const bridge = new FakeBridge({
    'live:state': () => ({ running: true, servers: [], recent: [] }),
    'settings:get': () => ({ keepRunningInTray: false, startAtLogin: false, artworkCacheMb: 500 }),
    'details:state': () => OFF,
    ...handlers,
  });
  const store = createLiveStore(createApi(bridge), { scheduleFlush: manualScheduler().schedule });
  return { bridge, store };
}

describe('live store: the detail pass', () => {
  it('loads its state with the rest and switches it through main', async () => {
    const { bridge, store } = setup({ 'details:set': (input) => ({ ...OFF, enabled: input.enabled, running: input.enabled }) });
    await store.getState().hydrate();
    expect(store.getState().details).toEqual(OFF);
    await store.getState().setDetailPass(true);
    expect(bridge.callsOf('details:set')).toEqual([{ enabled: true }]);
    expect(store.getState().details).toMatchObject({ enabled: true, running: true });
    expect(store.getState().detailsError).toBeNull();
  });

  it('keeps the state and shows the error when main refuses', async () => {
    const { store } = setup({
      'details:set': () => {
        throw new Refusal('BUSY', 'A sync is running');
      },
    });
    await store.getState().hydrate();
    await store.getState().setDetailPass(true);
    expect(store.getState().details).toEqual(OFF);
    expect(store.getState().detailsError).toMatchObject({ code: 'BUSY' });
  });
});
