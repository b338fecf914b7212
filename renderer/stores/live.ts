// The live catalog as the renderer sees it: each server's indicator, the feed of recent changes, the app's
// settings (tray, start at login) and the Plex-side actions (scan a library's files, refresh an item). A
// change arriving makes the views that show catalog data reload (onChanged, once per flush for a burst).
import { createStore, type StoreApi } from 'zustand/vanilla';
import { LIVE_FEED_LIMIT, type AppSettings, type DetailPassState, type LiveChange, type LiveServerStatus } from '../../shared/ipc.js';
import { toUiError, type Api, type UiError } from '../api.js';
import { coalesce, frameScheduler, type FlushScheduler } from './coalesce.js';

/** A Plex-side action asked from a row: on its way, asked (Plex works on it; results arrive live), or refused. */
export interface PlexActionState {
  status: 'asking' | 'asked' | 'failed';
  error: UiError | null;
}

export interface LiveStoreState {
  /** Whether the app runs the live catalog at all. */
  running: boolean;
  servers: Record<number, LiveServerStatus>;
  /** Newest first. */
  recent: LiveChange[];
  loadError: UiError | null;
  settings: AppSettings | null;
  settingsError: UiError | null;
  /** The background detail pass (HDR, languages): on or off, its cost and how far it is. */
  details: DetailPassState | null;
  detailsError: UiError | null;
  /** Plex-side actions by `scan:<libraryId>` or `refresh:<itemId>`. */
  actions: Record<string, PlexActionState>;
  hydrate: () => Promise<void>;
  /** Subscribes to live events; returns the unsubscribe. */
  attach: () => () => void;
  setSetting: <K extends keyof AppSettings>(name: K, value: AppSettings[K]) => Promise<void>;
  /** Asks again how far the detail pass is (the settings card does while it runs). */
  loadDetails: () => Promise<void>;
  setDetailPass: (enabled: boolean) => Promise<void>;
  scanLibrary: (libraryId: number) => Promise<void>;
  refreshItem: (itemId: number) => Promise<void>;
}

export type LiveStore = StoreApi<LiveStoreState>;

export interface LiveStoreOptions {
  scheduleFlush?: FlushScheduler;
  /** The catalog changed under the views (Browse, Libraries): called once per flush of a burst of changes. */
  onChanged?: () => void;
}

export function scanActionKey(libraryId: number): string {
  return `scan:${libraryId}`;
}

export function refreshActionKey(itemId: number): string {
  return `refresh:${itemId}`;
}

/** Merges changes into the feed: newest first, each once (a hydrate may overlap the events), at most the limit. */
export function mergeChanges(current: readonly LiveChange[], incoming: readonly LiveChange[]): LiveChange[] {
  const bySeq = new Map(current.map((change) => [change.seq, change]));
  for (const change of incoming) bySeq.set(change.seq, change);
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq).slice(0, LIVE_FEED_LIMIT);
}

export function createLiveStore(api: Api, options: LiveStoreOptions = {}): LiveStore {
  const changed = coalesce<true>(options.scheduleFlush ?? frameScheduler, () => options.onChanged?.());

  return createStore<LiveStoreState>()((set, get) => {
    const runAction = async (key: string, request: () => Promise<unknown>): Promise<void> => {
      set({ actions: { ...get().actions, [key]: { status: 'asking', error: null } } });
      try {
        await request();
        set({ actions: { ...get().actions, [key]: { status: 'asked', error: null } } });
      } catch (error) {
        set({ actions: { ...get().actions, [key]: { status: 'failed', error: toUiError(error) } } });
      }
    };

    return {
      running: false,
      servers: {},
      recent: [],
      loadError: null,
      settings: null,
      settingsError: null,
      details: null,
      detailsError: null,
      actions: {},

      async hydrate() {
        try {
          const state = await api.request('live:state', {});
          set({
            running: state.running,
            // Events that arrived meanwhile are newer than the answer: they win.
            servers: { ...Object.fromEntries(state.servers.map((status) => [status.serverId, status])), ...get().servers },
            recent: mergeChanges(get().recent, state.recent),
            loadError: null,
          });
        } catch (error) {
          set({ loadError: toUiError(error) });
        }
        try {
          set({ settings: await api.request('settings:get', {}), settingsError: null });
        } catch (error) {
          set({ settingsError: toUiError(error) });
        }
        await get().loadDetails();
      },

      async loadDetails() {
        try {
          set({ details: await api.request('details:state', {}), detailsError: null });
        } catch (error) {
          set({ detailsError: toUiError(error) });
        }
      },

      async setDetailPass(enabled) {
        try {
          set({ details: await api.request('details:set', { enabled }), detailsError: null });
        } catch (error) {
          set({ detailsError: toUiError(error) });
        }
      },

      attach() {
        const detachChange = api.on('live:change', (change) => {
          set({ recent: mergeChanges(get().recent, [change]) });
          changed.push(true);
        });
        const detachStatus = api.on('live:status', (status) => {
          set({ running: true, servers: { ...get().servers, [status.serverId]: status } });
        });
        return () => {
          detachChange();
          detachStatus();
        };
      },

      async setSetting(name, value) {
        const before = get().settings;
        // Optimistic: the switch follows the click and goes back if main refuses.
        if (before !== null) set({ settings: { ...before, [name]: value }, settingsError: null });
        try {
          set({ settings: await api.request('settings:set', { [name]: value }), settingsError: null });
        } catch (error) {
          set({ settings: before, settingsError: toUiError(error) });
        }
      },

      scanLibrary(libraryId) {
        return runAction(scanActionKey(libraryId), () => api.request('plex:scan', { libraryId }));
      },

      refreshItem(itemId) {
        return runAction(refreshActionKey(itemId), () => api.request('plex:refresh', { itemId }));
      },
    };
  });
}
