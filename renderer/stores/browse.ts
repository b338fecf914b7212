// Browse the catalog: a paged, searchable list of movies or shows (pages fetched as the virtual list
// scrolls to them), a show's seasons and episodes, and one item's details. Answers to an older search
// (or for an item no longer selected) are dropped.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  BrowseArtist,
  BrowseFacets,
  BrowseFilters,
  BrowseRow,
  BrowseSeason,
  BrowseSort,
  ItemDetails,
  ItemKind,
} from '../../shared/domain.js';
import { toUiError, type Api, type UiError } from '../api.js';

/** Kinds shown in an artist's panel (an album or track opens its artist's). */
const MUSIC_KINDS: ReadonlySet<string> = new Set(['artist', 'album', 'track']);

/** A kind the catalog holds, or null: every kind (seasons are reached through their show). */
export type BrowseKind = ItemKind | null;

export interface BrowseOrder {
  sort: BrowseSort;
  descending: boolean;
}

export type BrowseLayout = 'grid' | 'list';

/** Where the grid/list choice is remembered (the renderer's localStorage; absent in tests). */
export interface LayoutMemory {
  load(): BrowseLayout | null;
  save(layout: BrowseLayout): void;
}

const LAYOUT_KEY = 'marquee.browse.layout';

function localLayoutMemory(): LayoutMemory {
  const storage = typeof localStorage === 'undefined' ? null : localStorage;
  return {
    load() {
      const value = storage?.getItem(LAYOUT_KEY);
      return value === 'grid' || value === 'list' ? value : null;
    },
    save(layout) {
      storage?.setItem(LAYOUT_KEY, layout);
    },
  };
}

export interface Loadable<T> {
  status: 'idle' | 'loading' | 'ready' | 'error';
  value: T | null;
  error: UiError | null;
}

export interface BrowseState {
  kind: BrowseKind;
  filters: BrowseFilters;
  order: BrowseOrder;
  layout: BrowseLayout;
  /** The values the filters offer (null until loaded). */
  facets: BrowseFacets | null;
  /** The search text as typed; applied after a pause. */
  query: string;
  /** Bumped by every new search: pages of older ones are dropped. */
  generation: number;
  /** The search whose rows `pages` and `total` hold (lags `generation` until its first page arrives). */
  shownGeneration: number;
  total: number | null;
  /** Rows by page number. */
  pages: Record<number, BrowseRow[]>;
  listError: UiError | null;
  selectedId: number | null;
  seasons: Loadable<BrowseSeason[]>;
  /** Music: the artist (with albums and tracks) of the artist, album or track chosen. */
  artist: Loadable<BrowseArtist>;
  detailId: number | null;
  detail: Loadable<ItemDetails>;
  setKind(kind: BrowseKind): void;
  setQuery(query: string): void;
  /** Changes some filters (undefined clears one) and starts the list again. */
  setFilters(patch: Partial<Record<keyof BrowseFilters, BrowseFilters[keyof BrowseFilters] | undefined>>): void;
  clearFilters(): void;
  setOrder(order: BrowseOrder): void;
  setLayout(layout: BrowseLayout): void;
  loadFacets(): Promise<void>;
  /** Re-runs the current search (after a sync or an import changed the catalog). */
  reload(): void;
  /** Reloads what is on screen (the list, the open show's seasons, the item's details): live changes arrived. */
  refreshShown(): void;
  /** Fetches the pages holding rows first..last (inclusive) that are not loaded or on their way. */
  ensureRange(first: number, last: number): void;
  rowAt(index: number): BrowseRow | undefined;
  select(row: BrowseRow): void;
  showItem(itemId: number): void;
}

export type BrowseStore = StoreApi<BrowseState>;

export interface BrowseStoreOptions {
  pageSize?: number;
  searchDelayMs?: number;
  layoutMemory?: LayoutMemory;
}

const IDLE = { status: 'idle', value: null, error: null } as const;

export function createBrowseStore(api: Api, options: BrowseStoreOptions = {}): BrowseStore {
  const pageSize = options.pageSize ?? 100;
  const searchDelay = options.searchDelayMs ?? 250;
  const inFlight = new Set<string>();
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** What the current generation searches for: typing changes `query` before it is applied. */
  let applied: { kind: BrowseKind; query: string; filters: BrowseFilters; order: BrowseOrder } = {
    kind: 'movie',
    query: '',
    filters: {},
    order: { sort: 'title', descending: false },
  };
  const layoutMemory = options.layoutMemory ?? localLayoutMemory();

  return createStore<BrowseState>()((set, get) => {
    const loadPage = async (generation: number, page: number) => {
      const key = `${generation}:${page}`;
      if (inFlight.has(key)) return;
      inFlight.add(key);
      const { kind, query, filters, order } = applied;
      try {
        const result = await api.request('browse:search', {
          ...(kind === null ? {} : { kind }),
          query,
          ...filters,
          ...order,
          offset: page * pageSize,
          limit: pageSize,
        });
        if (generation !== get().generation) return;
        const fresh = get().shownGeneration !== generation;
        set({
          shownGeneration: generation,
          total: result.total,
          pages: { ...(fresh ? {} : get().pages), [page]: result.rows },
          listError: null,
        });
      } catch (error) {
        if (generation === get().generation) set({ listError: toUiError(error) });
      } finally {
        inFlight.delete(key);
      }
    };

    const restart = () => {
      clearTimeout(searchTimer);
      const generation = get().generation + 1;
      applied = { kind: get().kind, query: get().query.trim(), filters: get().filters, order: get().order };
      set({ generation, listError: null });
      void loadPage(generation, 0);
    };

    // Each load remembers its question's number; an answer to an older question is dropped.
    let seasonsAsked = 0;
    let detailAsked = 0;

    const loadSeasons = async (showId: number) => {
      const asked = ++seasonsAsked;
      set({ seasons: { status: 'loading', value: null, error: null } });
      try {
        const seasons = await api.request('browse:show', { showId });
        if (asked === seasonsAsked) set({ seasons: { status: 'ready', value: seasons, error: null } });
      } catch (error) {
        if (asked === seasonsAsked) set({ seasons: { status: 'error', value: null, error: toUiError(error) } });
      }
    };

    let artistAsked = 0;
    const loadArtist = async (itemId: number) => {
      const asked = ++artistAsked;
      set({ artist: { status: 'loading', value: get().artist.value, error: null } });
      try {
        const artist = await api.request('browse:artist', { artistId: itemId });
        if (asked === artistAsked) set({ artist: { status: 'ready', value: artist, error: null } });
      } catch (error) {
        if (asked === artistAsked) set({ artist: { status: 'error', value: null, error: toUiError(error) } });
      }
    };

    const loadDetail = async (itemId: number) => {
      const asked = ++detailAsked;
      // The previous item stays on screen (marked busy) until the new one arrives.
      set({ detailId: itemId, detail: { status: 'loading', value: get().detail.value, error: null } });
      try {
        const item = await api.request('browse:item', { itemId });
        if (asked === detailAsked) set({ detail: { status: 'ready', value: item, error: null } });
      } catch (error) {
        if (asked === detailAsked) set({ detail: { status: 'error', value: null, error: toUiError(error) } });
      }
    };

    // A new list: its rows and selection go (typing keeps the rows meanwhile, to not flicker).
    const startOver = () => {
      set({ pages: {}, total: null });
      restart();
    };

    return {
      kind: 'movie',
      filters: {},
      order: { sort: 'title', descending: false },
      layout: layoutMemory.load() ?? 'grid',
      facets: null,
      query: '',
      generation: 0,
      shownGeneration: -1,
      total: null,
      pages: {},
      listError: null,
      selectedId: null,
      seasons: IDLE,
      artist: IDLE,
      detailId: null,
      detail: IDLE,

      setKind(kind) {
        if (kind === get().kind) return;
        // Another kind is another list: no stale rows of the old one meanwhile (typing keeps them, to not flicker).
        set({ kind, pages: {}, total: null, selectedId: null, seasons: IDLE, artist: IDLE, detailId: null, detail: IDLE });
        restart();
      },

      setFilters(patch) {
        const filters: BrowseFilters = { ...get().filters };
        for (const [name, value] of Object.entries(patch)) {
          if (value === undefined || value === '' || value === false) delete filters[name as keyof BrowseFilters];
          else Object.assign(filters, { [name]: value });
        }
        set({ filters });
        startOver();
      },

      clearFilters() {
        set({ filters: {} });
        startOver();
      },

      setOrder(order) {
        set({ order });
        startOver();
      },

      setLayout(layout) {
        layoutMemory.save(layout);
        set({ layout });
      },

      async loadFacets() {
        try {
          set({ facets: await api.request('browse:facets', {}) });
        } catch (error) {
          set({ listError: toUiError(error) });
        }
      },

      setQuery(query) {
        set({ query });
        clearTimeout(searchTimer);
        searchTimer = setTimeout(restart, searchDelay);
      },

      reload() {
        restart();
      },

      refreshShown() {
        restart();
        const { selectedId, seasons, detailId } = get();
        if (selectedId !== null && seasons.status !== 'idle') void loadSeasons(selectedId);
        if (selectedId !== null && get().artist.status !== 'idle') void loadArtist(selectedId);
        if (detailId !== null) void loadDetail(detailId);
      },

      ensureRange(first, last) {
        const { generation, shownGeneration, pages, total } = get();
        const lastRow = total === null ? last : Math.min(last, total - 1);
        for (let page = Math.floor(Math.max(0, first) / pageSize); page <= Math.floor(lastRow / pageSize); page++) {
          if (shownGeneration === generation && pages[page] !== undefined) continue;
          void loadPage(generation, page);
        }
      },

      rowAt(index) {
        return get().pages[Math.floor(index / pageSize)]?.[index % pageSize];
      },

      select(row) {
        set({ selectedId: row.id });
        if (row.kind === 'show') {
          void loadSeasons(row.id);
        } else {
          seasonsAsked += 1;
          set({ seasons: IDLE });
        }
        if (MUSIC_KINDS.has(row.kind)) {
          void loadArtist(row.id);
        } else {
          artistAsked += 1;
          set({ artist: IDLE });
        }
        get().showItem(row.id);
      },

      showItem(itemId) {
        void loadDetail(itemId);
      },
    };
  });
}
