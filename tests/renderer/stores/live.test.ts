import { describe, expect, it } from 'vitest';
import { createApi } from '../../../renderer/api.js';
import { createLiveStore, mergeChanges, refreshActionKey, scanActionKey } from '../../../renderer/stores/live.js';
import { createStores } from '../../../renderer/stores/index.js';
import { LIVE_FEED_LIMIT, type LiveChange, type LiveServerStatus } from '../../../shared/ipc.js';
import { FakeBridge, manualScheduler, Refusal } from '../fake-bridge.js';

function change(seq: number, title = `Movie ${seq}`): LiveChange {
  return {
    seq,
    at: 1_000 * seq,
    serverId: 1,
    serverName: 'Den',
    libraryTitle: 'Movies',
    change: 'added',
    item: { kind: 'movie', title },
    more: 0,
  };
}

const LIVE: LiveServerStatus = { serverId: 1, serverName: 'Den', mode: 'live', detail: 'notification socket open', lastChangeAt: null };

function setup(handlers: ConstructorParameters<typeof FakeBridge>[0] = {}) {
  const bridge = new FakeBridge({
    'live:state': () => ({ running: true, servers: [LIVE], recent: [change(2), change(1)] }),
    'settings:get': () => ({ keepRunningInTray: false, startAtLogin: false, artworkCacheMb: 500 }),
    ...handlers,
  });
  const scheduler = manualScheduler();
  let changed = 0;
  const store = createLiveStore(createApi(bridge), { scheduleFlush: scheduler.schedule, onChanged: () => (changed += 1) });
  const detach = store.getState().attach();
  return { bridge, scheduler, store, detach, changed: () => changed };
}

describe('live store', () => {
  it('hydrates the indicators, the feed and the settings', async () => {
    const { store } = setup();
    await store.getState().hydrate();
    expect(store.getState()).toMatchObject({
      running: true,
      servers: { 1: LIVE },
      settings: { keepRunningInTray: false, startAtLogin: false, artworkCacheMb: 500 },
      loadError: null,
    });
    expect(store.getState().recent.map((entry) => entry.seq)).toEqual([2, 1]);
  });

  it('puts each change at the top of the feed once, and tells the views once per flush of a burst', async () => {
    const { bridge, scheduler, store, changed } = setup();
    bridge.emit('live:change', change(3));
    bridge.emit('live:change', change(4));
    await store.getState().hydrate();
    expect(store.getState().recent.map((entry) => entry.seq)).toEqual([4, 3, 2, 1]);
    expect(changed()).toBe(0);
    scheduler.run();
    expect(changed()).toBe(1);
  });

  it('a status event is newer than a state answered meanwhile', async () => {
    const { bridge, store } = setup();
    bridge.emit('live:status', { ...LIVE, mode: 'polling', detail: 'the socket could not be opened' });
    await store.getState().hydrate();
    expect(store.getState().servers[1]?.mode).toBe('polling');
  });

  it('stops listening when detached', () => {
    const { bridge, store, detach } = setup();
    detach();
    bridge.emit('live:change', change(9));
    expect(store.getState().recent).toEqual([]);
  });

  it('stores a setting, and puts the switch back when main refuses', async () => {
    const { bridge, store } = setup({
      'settings:set': (input) => ({ keepRunningInTray: input.keepRunningInTray ?? false, startAtLogin: false, artworkCacheMb: 500 }),
    });
    await store.getState().hydrate();
    await store.getState().setSetting('keepRunningInTray', true);
    expect(bridge.callsOf('settings:set')).toEqual([{ keepRunningInTray: true }]);
    expect(store.getState().settings?.keepRunningInTray).toBe(true);
    bridge.handlers['settings:set'] = () => {
      throw new Refusal('FAILED', 'disk full');
    };
    await store.getState().setSetting('startAtLogin', true);
    expect(store.getState().settings).toEqual({ keepRunningInTray: true, startAtLogin: false, artworkCacheMb: 500 });
    expect(store.getState().settingsError?.message).toBe('disk full');
  });

  it('asks Plex to scan or refresh, and keeps a refusal on its row', async () => {
    const { bridge, store } = setup({
      'plex:scan': () => ({ libraryTitle: 'Movies', path: null }),
      'plex:refresh': () => {
        throw new Refusal('UNREACHABLE', 'Plex server "Den" is not reachable', 'PLEX_NETWORK');
      },
    });
    await store.getState().scanLibrary(7);
    await store.getState().refreshItem(12);
    expect(bridge.callsOf('plex:scan')).toEqual([{ libraryId: 7 }]);
    expect(store.getState().actions[scanActionKey(7)]).toEqual({ status: 'asked', error: null });
    expect(store.getState().actions[refreshActionKey(12)]).toMatchObject({ status: 'failed', error: { errorCode: 'PLEX_NETWORK' } });
  });

  it('keeps the newest changes only', () => {
    const many = Array.from({ length: LIVE_FEED_LIMIT + 5 }, (_, index) => change(index + 1));
    const merged = mergeChanges([], many);
    expect(merged).toHaveLength(LIVE_FEED_LIMIT);
    expect(merged[0]?.seq).toBe(LIVE_FEED_LIMIT + 5);
  });

  it('a live change reloads what Browse shows and the libraries', async () => {
    const scheduler = manualScheduler();
    const bridge = new FakeBridge({
      'browse:search': () => ({ total: 0, rows: [] }),
      'libraries:list': () => [],
    });
    const stores = createStores(createApi(bridge), { scheduleFlush: scheduler.schedule });
    const detach = stores.live.getState().attach();
    bridge.emit('live:change', change(1));
    scheduler.run();
    await Promise.resolve();
    expect(bridge.callsOf('browse:search')).toHaveLength(1);
    expect(bridge.callsOf('libraries:list')).toHaveLength(1);
    detach();
  });
});
