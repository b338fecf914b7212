// The sync run: start, cancel, the latest progress event and the last report. Main throttles progress
// events; on top of that the store keeps only the newest one, published at most once per frame.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SyncProgress, SyncReport } from '../../shared/domain.js';
import type { Events, PastLibrarySync } from '../../shared/ipc.js';
import { toUiError, type Api, type UiError } from '../api.js';
import { coalesce, frameScheduler, type FlushScheduler } from './coalesce.js';

export interface SyncScope {
  serverId?: number;
  libraryId?: number;
  full?: boolean;
}

export interface SyncState {
  runId: string | null;
  running: boolean;
  starting: boolean;
  cancelling: boolean;
  /** What is being synced, as asked (undefined fields: everything). */
  scope: SyncScope | null;
  progress: SyncProgress | null;
  lastReport: SyncReport | null;
  /** The last finished run was cancelled by the user. */
  lastCancelled: boolean;
  /** The last finished run failed as a whole (its report then lists nothing). */
  lastError: string | null;
  /** Starting or cancelling was refused. */
  error: UiError | null;
  /** Each library's last sync as the catalog remembers it (also from before the app started); null until loaded. */
  history: PastLibrarySync[] | null;
  historyError: UiError | null;
  /** (Re)reads `history` from the catalog. */
  loadHistory(): Promise<void>;
  /** Picks up a run already going (e.g. after a reload) and the last report. */
  hydrate(): Promise<void>;
  start(scope?: SyncScope): Promise<void>;
  cancel(): Promise<void>;
  /** Listens to main's sync events; returns the unsubscribe. */
  attach(): () => void;
  clearError(): void;
}

export type SyncStore = StoreApi<SyncState>;

export interface SyncStoreOptions {
  /** Runs `flush` soon; default: the next animation frame in a browser, a microtask elsewhere. */
  scheduleFlush?: FlushScheduler;
  onFinished?: (report: SyncReport) => void;
}

export function createSyncStore(api: Api, options: SyncStoreOptions = {}): SyncStore {
  const schedule = options.scheduleFlush ?? frameScheduler;
  /** Runs already finished: a late `sync:start` answer or progress event must not revive them. */
  const finished = new Set<string>();

  return createStore<SyncState>()((set, get) => {
    const progress = coalesce<Events['sync:progress']>(schedule, (event) => {
      if (!finished.has(event.runId)) set({ progress: event, runId: event.runId, running: true });
    });

    const onProgress = (event: Events['sync:progress']) => {
      if (!finished.has(event.runId)) progress.push(event);
    };

    const onFinished = (event: Events['sync:finished']) => {
      finished.add(event.runId);
      progress.drop((pending) => pending.runId === event.runId);
      set({
        runId: event.runId,
        running: false,
        starting: false,
        cancelling: false,
        progress: null,
        lastReport: event.report,
        lastCancelled: event.cancelled,
        lastError: event.error,
      });
      options.onFinished?.(event.report);
      void get().loadHistory();
    };

    return {
      runId: null,
      running: false,
      starting: false,
      cancelling: false,
      scope: null,
      progress: null,
      lastReport: null,
      lastCancelled: false,
      lastError: null,
      error: null,
      history: null,
      historyError: null,

      async loadHistory() {
        try {
          set({ history: await api.request('sync:history', {}), historyError: null });
        } catch (error) {
          set({ historyError: toUiError(error) });
        }
      },

      async hydrate() {
        void get().loadHistory();
        try {
          const state = await api.request('sync:state', {});
          if (state.runId !== null && !state.running) finished.add(state.runId);
          // An event may have come in meanwhile: it is newer than this snapshot, which then fills gaps only.
          const current = get();
          if (current.runId !== null) {
            if (current.lastReport === null) set({ lastReport: state.lastReport });
            return;
          }
          set({
            runId: state.runId,
            running: state.running,
            cancelling: state.running && state.cancelling,
            progress: state.running ? state.lastProgress : null,
            lastReport: state.lastReport,
            lastCancelled: state.lastCancelled,
            lastError: state.lastError,
          });
        } catch (error) {
          set({ error: toUiError(error) });
        }
      },

      async start(scope = {}) {
        if (get().running || get().starting) return;
        set({ starting: true, error: null, scope, progress: null });
        try {
          const { runId } = await api.request('sync:start', scope);
          if (finished.has(runId)) set({ starting: false });
          else set({ starting: false, running: true, runId });
        } catch (error) {
          set({ starting: false, error: toUiError(error) });
        }
      },

      async cancel() {
        const { runId, running } = get();
        if (runId === null || !running) return;
        set({ cancelling: true, error: null });
        try {
          const { cancelled } = await api.request('sync:cancel', { runId });
          // Not cancelled: it had already finished; `sync:finished` settles the state.
          if (!cancelled) set({ cancelling: false });
        } catch (error) {
          set({ cancelling: false, error: toUiError(error) });
        }
      },

      attach() {
        const offProgress = api.on('sync:progress', onProgress);
        const offFinished = api.on('sync:finished', onFinished);
        return () => {
          offProgress();
          offFinished();
        };
      },

      clearError() {
        set({ error: null });
      },
    };
  });
}
