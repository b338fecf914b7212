// Path mappings (Plex prefix → local prefix) and their live preview. The preview is debounced: typing
// sends one `mappings:preview` after a pause, and an answer that arrives after a newer question is dropped.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MappingPreviewResult, PathMapping } from '../../shared/domain.js';
import { toUiError, type Api, type UiError } from '../api.js';

export interface MappingDraft {
  serverId: number;
  libraryId: number | null;
  plexPrefix: string;
  localPrefix: string;
}

export interface PreviewQuery {
  serverId: number;
  libraryId: number | null;
  /** null: the existing mappings alone. */
  candidate: { plexPrefix: string; localPrefix: string } | null;
  /** The mapping being edited, which the candidate would replace. */
  replacingId?: number;
}

export interface PreviewState {
  status: 'idle' | 'pending' | 'ready' | 'error';
  /** The last answer, kept while a newer one is pending so the table does not flicker. */
  result: MappingPreviewResult | null;
  error: UiError | null;
}

export interface MappingsState {
  mappings: PathMapping[];
  loaded: boolean;
  loadError: UiError | null;
  saving: boolean;
  saveError: UiError | null;
  rowErrors: Record<number, UiError>;
  preview: PreviewState;
  load(): Promise<void>;
  add(draft: MappingDraft): Promise<PathMapping | null>;
  update(id: number, draft: Omit<MappingDraft, 'serverId'>): Promise<PathMapping | null>;
  remove(id: number): Promise<boolean>;
  requestPreview(query: PreviewQuery): void;
  stopPreview(): void;
  clearSaveError(): void;
}

export type MappingsStore = StoreApi<MappingsState>;

export interface MappingsStoreOptions {
  previewDelayMs?: number;
  sampleSize?: number;
  /** Called after a mapping was added, changed or removed (unmapped counts elsewhere change). */
  onChanged?: () => void;
}

/** A candidate only when both prefixes have text; otherwise the preview shows the existing mappings. */
export function candidateOf(plexPrefix: string, localPrefix: string): PreviewQuery['candidate'] {
  return plexPrefix.trim() === '' || localPrefix.trim() === '' ? null : { plexPrefix, localPrefix };
}

export function createMappingsStore(api: Api, options: MappingsStoreOptions = {}): MappingsStore {
  const delay = options.previewDelayMs ?? 250;
  const sampleSize = options.sampleSize ?? 12;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  /** The server the shown result is about: another server's result is never shown meanwhile. */
  let resultServerId: number | null = null;

  return createStore<MappingsState>()((set, get) => {
    const changed = async () => {
      await get().load();
      options.onChanged?.();
    };

    const runPreview = async (question: number, query: PreviewQuery) => {
      try {
        const result = await api.request('mappings:preview', { ...query, sampleSize });
        if (question !== latest) return;
        resultServerId = query.serverId;
        set({ preview: { status: 'ready', result, error: null } });
      } catch (error) {
        if (question === latest) set({ preview: { status: 'error', result: get().preview.result, error: toUiError(error) } });
      }
    };

    return {
      mappings: [],
      loaded: false,
      loadError: null,
      saving: false,
      saveError: null,
      rowErrors: {},
      preview: { status: 'idle', result: null, error: null },

      async load() {
        try {
          const mappings = await api.request('mappings:list', {});
          set({ mappings, loaded: true, loadError: null });
        } catch (error) {
          set({ loaded: true, loadError: toUiError(error) });
        }
      },

      async add(draft) {
        set({ saving: true, saveError: null });
        try {
          const mapping = await api.request('mappings:add', draft);
          set({ saving: false });
          await changed();
          return mapping;
        } catch (error) {
          set({ saving: false, saveError: toUiError(error) });
          return null;
        }
      },

      async update(id, draft) {
        set({ saving: true, saveError: null });
        try {
          const mapping = await api.request('mappings:update', { id, ...draft });
          set({ saving: false });
          await changed();
          return mapping;
        } catch (error) {
          set({ saving: false, saveError: toUiError(error) });
          return null;
        }
      },

      async remove(id) {
        const { [id]: _old, ...rowErrors } = get().rowErrors;
        set({ rowErrors });
        try {
          await api.request('mappings:remove', { id });
          await changed();
          return true;
        } catch (error) {
          set({ rowErrors: { ...get().rowErrors, [id]: toUiError(error) } });
          return false;
        }
      },

      requestPreview(query) {
        latest += 1;
        const question = latest;
        clearTimeout(timer);
        const shown = resultServerId === query.serverId ? get().preview.result : null;
        set({ preview: { status: 'pending', result: shown, error: null } });
        timer = setTimeout(() => void runPreview(question, query), delay);
      },

      stopPreview() {
        // The last result stays (for the same server) so reopening the editor does not flash empty.
        latest += 1;
        clearTimeout(timer);
        set({ preview: { ...get().preview, status: 'idle' } });
      },

      clearSaveError() {
        set({ saveError: null });
      },
    };
  });
}
