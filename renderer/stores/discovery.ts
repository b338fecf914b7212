// Manual discovery: search one server for a show by title (and year), import a candidate on its own.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DiscoveryCandidate, LibrarySyncReport, SyncProgress } from '../../shared/domain.js';
import type { Events } from '../../shared/ipc.js';
import { toUiError, type Api, type UiError } from '../api.js';
import { coalesce, frameScheduler, type FlushScheduler } from './coalesce.js';

export interface DiscoveryQuery {
  serverId: number;
  title: string;
  year?: number;
}

export interface ImportState {
  status: 'running' | 'done' | 'failed';
  progress: SyncProgress | null;
  report: LibrarySyncReport | null;
  error: UiError | null;
}

export interface DiscoveryState {
  query: DiscoveryQuery | null;
  searching: boolean;
  results: DiscoveryCandidate[] | null;
  searchError: UiError | null;
  /** By rating key (the key `import:progress` events carry). */
  imports: Record<string, ImportState>;
  search(query: DiscoveryQuery): Promise<void>;
  importShow(serverId: number, ratingKey: string): Promise<void>;
  attach(): () => void;
}

export type DiscoveryStore = StoreApi<DiscoveryState>;

export interface DiscoveryStoreOptions {
  scheduleFlush?: FlushScheduler;
  onImported?: (report: LibrarySyncReport) => void;
}

export function createDiscoveryStore(api: Api, options: DiscoveryStoreOptions = {}): DiscoveryStore {
  let latestSearch = 0;

  return createStore<DiscoveryState>()((set, get) => {
    const setImport = (ratingKey: string, state: ImportState) => set({ imports: { ...get().imports, [ratingKey]: state } });

    const progress = coalesce<Events['import:progress']>(options.scheduleFlush ?? frameScheduler, (event) => {
      const current = get().imports[event.ratingKey];
      if (current?.status === 'running') setImport(event.ratingKey, { ...current, progress: event });
    });

    return {
      query: null,
      searching: false,
      results: null,
      searchError: null,
      imports: {},

      async search(query) {
        latestSearch += 1;
        const asked = latestSearch;
        const input = { serverId: query.serverId, title: query.title.trim(), ...(query.year === undefined ? {} : { year: query.year }) };
        set({ query: input, searching: true, searchError: null });
        try {
          const results = await api.request('discovery:search', input);
          if (asked === latestSearch) set({ results, searching: false });
        } catch (error) {
          if (asked === latestSearch) set({ results: null, searching: false, searchError: toUiError(error) });
        }
      },

      async importShow(serverId, ratingKey) {
        if (get().imports[ratingKey]?.status === 'running') return;
        setImport(ratingKey, { status: 'running', progress: null, report: null, error: null });
        try {
          const report = await api.request('discovery:import', { serverId, ratingKey });
          progress.drop((pending) => pending.ratingKey === ratingKey);
          const ok = report.outcome === 'ok';
          const error: UiError | null = ok ? null : { code: 'FAILED', message: report.error ?? `Import ${report.outcome}` };
          setImport(ratingKey, { status: ok ? 'done' : 'failed', progress: null, report, error });
          if (ok) {
            const results =
              get().results?.map((candidate) => (candidate.ratingKey === ratingKey ? { ...candidate, inCatalog: true } : candidate)) ??
              null;
            set({ results });
          }
          options.onImported?.(report);
        } catch (error) {
          progress.drop((pending) => pending.ratingKey === ratingKey);
          setImport(ratingKey, { status: 'failed', progress: null, report: null, error: toUiError(error) });
        }
      },

      attach() {
        return api.on('import:progress', (event) => progress.push(event));
      },
    };
  });
}
