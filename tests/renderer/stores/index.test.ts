import { describe, expect, it } from 'vitest';
import { createApi } from '../../../renderer/api.js';
import { createStores, startStores } from '../../../renderer/stores/index.js';
import { FakeBridge, manualScheduler } from '../fake-bridge.js';
import { finishedEvent, library, runState, server, syncReport } from '../fixtures.js';

function bridgeForApp() {
  return new FakeBridge({
    'app:info': () => ({ version: '1.2.3', secretStorage: { kind: 'key-file', warning: 'No keyring.' } }),
    'servers:list': () => [server()],
    'libraries:list': () => [library()],
    'mappings:list': () => [],
    'mappings:add': (input) => ({ id: 1, ...input }),
    'sync:state': () => runState(),
    'browse:search': () => ({ total: 0, rows: [] }),
  });
}

describe('createStores / startStores', () => {
  it('loads what the views need and subscribes to events', async () => {
    const bridge = bridgeForApp();
    const stores = createStores(createApi(bridge), { scheduleFlush: manualScheduler().schedule });
    const stop = startStores(stores);
    await expect.poll(() => stores.ui.getState().appVersion).toBe('1.2.3');
    await expect.poll(() => stores.libraries.getState().loaded).toBe(true);
    expect(stores.ui.getState().secretStorage?.warning).toBe('No keyring.');
    expect(stores.servers.getState().servers).toEqual([server()]);
    expect(bridge.listenerCount('sync:progress')).toBe(1);
    expect(bridge.listenerCount('import:progress')).toBe(1);
    stop();
    expect(bridge.listenerCount('sync:progress')).toBe(0);
    expect(bridge.listenerCount('import:progress')).toBe(0);
  });

  it('refreshes servers, libraries and the browse list when a sync finishes', async () => {
    const bridge = bridgeForApp();
    const stores = createStores(createApi(bridge), { scheduleFlush: manualScheduler().schedule });
    startStores(stores);
    await expect.poll(() => stores.libraries.getState().loaded).toBe(true);
    const before = { servers: bridge.callsOf('servers:list').length, libraries: bridge.callsOf('libraries:list').length };
    bridge.emit('sync:finished', finishedEvent('r', syncReport([])));
    await expect.poll(() => bridge.callsOf('servers:list').length).toBe(before.servers + 1);
    expect(bridge.callsOf('libraries:list').length).toBe(before.libraries + 1);
    expect(bridge.callsOf('browse:search').length).toBe(1);
  });

  it('refreshes unmapped counts when a mapping changes', async () => {
    const bridge = bridgeForApp();
    const stores = createStores(createApi(bridge));
    await stores.mappings.getState().add({ serverId: 1, libraryId: null, plexPrefix: '/a', localPrefix: '/b' });
    await expect.poll(() => bridge.callsOf('libraries:list').length).toBe(1);
  });
});
