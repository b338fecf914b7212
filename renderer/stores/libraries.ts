// Libraries of every server: enable/disable, counts and last sync come from `libraries:list`.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LibrarySummary } from '../../shared/domain.js';
import { toUiError, type Api, type UiError } from '../api.js';

export interface LibrariesState {
  libraries: LibrarySummary[];
  loaded: boolean;
  loadError: UiError | null;
  /** Libraries whose toggle is on its way to main. */
  pending: Record<number, true>;
  rowErrors: Record<number, UiError>;
  load(): Promise<void>;
  setEnabled(libraryId: number, enabled: boolean): Promise<void>;
}

export type LibrariesStore = StoreApi<LibrariesState>;

/** Movie, show and music (artist) libraries are synced; photo libraries are listed but never synced. */
export function isSyncable(library: LibrarySummary): boolean {
  return library.type === 'movie' || library.type === 'show' || library.type === 'artist';
}

export function createLibrariesStore(api: Api): LibrariesStore {
  return createStore<LibrariesState>()((set, get) => ({
    libraries: [],
    loaded: false,
    loadError: null,
    pending: {},
    rowErrors: {},

    async load() {
      try {
        const libraries = await api.request('libraries:list', {});
        set({ libraries, loaded: true, loadError: null });
      } catch (error) {
        set({ loaded: true, loadError: toUiError(error) });
      }
    },

    async setEnabled(libraryId, enabled) {
      const { [libraryId]: _error, ...rowErrors } = get().rowErrors;
      const withEnabled = (value: boolean) =>
        get().libraries.map((entry) => (entry.id === libraryId ? { ...entry, enabled: value } : entry));
      // Optimistic: the checkbox follows the click at once and goes back if main refuses.
      set({ pending: { ...get().pending, [libraryId]: true }, rowErrors, libraries: withEnabled(enabled) });
      try {
        const updated = await api.request('libraries:setEnabled', { libraryId, enabled });
        set({ libraries: get().libraries.map((entry) => (entry.id === libraryId ? updated : entry)) });
      } catch (error) {
        set({ libraries: withEnabled(!enabled), rowErrors: { ...get().rowErrors, [libraryId]: toUiError(error) } });
      } finally {
        const { [libraryId]: _done, ...pending } = get().pending;
        set({ pending });
      }
    },
  }));
}
