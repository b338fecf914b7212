import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApi } from '../../../renderer/api.js';
import { createBrowseStore } from '../../../renderer/stores/browse.js';
import type { BrowsePage, BrowseRow, ItemDetails, ItemKind } from '../../../shared/domain.js';
import { deferred, FakeBridge } from '../fake-bridge.js';

function rows(kind: 'movie' | 'show', titles: string[]): BrowseRow[] {
  return titles.map((title, index) => ({
    id: index + 1,
    kind,
    title,
    year: 2000,
    libraryTitle: 'Lib',
    serverName: 'Den',
    episodeCount: kind === 'show' ? 3 : null,
    showTitle: null,
    seasonNumber: null,
    episodeNumber: null,
  }));
}

/** A catalog of `count` titles "Title 0".."Title n" answering browse:search like main does. */
function catalog(count: number) {
  const all = Array.from({ length: count }, (_, index) => `Title ${index}`);
  return (input: { kind?: ItemKind; query?: string; offset: number; limit: number }): BrowsePage => {
    const matching = all.filter((title) => title.includes(input.query ?? ''));
    const kind = input.kind === 'show' ? 'show' : 'movie';
    return { total: matching.length, rows: rows(kind, matching).slice(input.offset, input.offset + input.limit) };
  };
}

function item(id: number, kind: ItemDetails['kind']): ItemDetails {
  return {
    id,
    kind,
    title: `Item ${id}`,
    year: null,
    ratingKey: String(id),
    guid: null,
    externalIds: {},
    files: [],
    showTitle: null,
    seasonNumber: null,
    episodeNumber: null,
    addedAt: null,
    updatedAt: null,
    libraryTitle: 'Lib',
    serverName: 'Den',
    summary: null,
    tagline: null,
    contentRating: null,
    studio: null,
    originalTitle: null,
    edition: null,
    criticRating: null,
    criticRatingImage: null,
    audienceRating: null,
    audienceRatingImage: null,
    genres: [],
    countries: [],
    collections: [],
    labels: [],
    directors: [],
    writers: [],
    actors: [],
    versions: [],
    groupId: `item:${id}`,
    alsoIn: [],
  };
}

describe('browse list', () => {
  it('fetches the pages a range of rows needs, once', async () => {
    const bridge = new FakeBridge({ 'browse:search': catalog(95) });
    const store = createBrowseStore(createApi(bridge), { pageSize: 10 });
    store.getState().reload();
    await vi.waitFor(() => expect(store.getState().total).toBe(95));
    store.getState().ensureRange(5, 25);
    store.getState().ensureRange(5, 25);
    await vi.waitFor(() => expect(store.getState().rowAt(25)?.title).toBe('Title 25'));
    expect(bridge.callsOf('browse:search').map((call) => call.offset)).toEqual([0, 10, 20]);
    // Past the end: nothing to ask for.
    store.getState().ensureRange(90, 140);
    await vi.waitFor(() => expect(store.getState().rowAt(94)?.title).toBe('Title 94'));
    expect(bridge.callsOf('browse:search').map((call) => call.offset)).toEqual([0, 10, 20, 90]);
    expect(bridge.callsOf('browse:search').every((call) => call.limit === 10 && call.kind === 'movie' && call.query === '')).toBe(true);
  });

  it('shows the old rows until the first page of a new search arrives', async () => {
    const first = deferred<BrowsePage>();
    let hold = false;
    const all = catalog(30);
    const bridge = new FakeBridge({ 'browse:search': (input) => (hold && input.offset === 0 ? first.promise : all(input)) });
    const store = createBrowseStore(createApi(bridge), { pageSize: 10, searchDelayMs: 0 });
    store.getState().reload();
    await vi.waitFor(() => expect(store.getState().total).toBe(30));
    hold = true;
    store.getState().reload();
    expect(store.getState().rowAt(0)?.title).toBe('Title 0');
    expect(store.getState().shownGeneration).not.toBe(store.getState().generation);
    first.resolve({ total: 1, rows: rows('movie', ['Only']) });
    await vi.waitFor(() => expect(store.getState().total).toBe(1));
    expect(store.getState().rowAt(0)?.title).toBe('Only');
    expect(store.getState().rowAt(10)).toBeUndefined();
  });

  it('switching kind starts over and clears the selection', async () => {
    const bridge = new FakeBridge({ 'browse:search': catalog(3), 'browse:item': (input) => item(input.itemId, 'movie') });
    const store = createBrowseStore(createApi(bridge), { pageSize: 10 });
    store.getState().reload();
    await vi.waitFor(() => expect(store.getState().total).toBe(3));
    store.getState().select(rows('movie', ['Title 0'])[0]!);
    store.getState().setKind('show');
    expect(store.getState()).toMatchObject({ kind: 'show', selectedId: null, detailId: null });
    await vi.waitFor(() => expect(store.getState().rowAt(0)?.kind).toBe('show'));
    expect(bridge.callsOf('browse:search').at(-1)).toMatchObject({ kind: 'show', offset: 0 });
  });
});

describe('browse filters, sort and layout', () => {
  it('sends the filters and the sort with every page, starts over on a change, and "All" sends no kind', async () => {
    const bridge = new FakeBridge({ 'browse:search': catalog(3) });
    const store = createBrowseStore(createApi(bridge), { pageSize: 10 });
    store.getState().reload();
    await vi.waitFor(() => expect(store.getState().total).toBe(3));
    store.getState().setFilters({ genre: 'Drama', yearFrom: 1990, unmapped: true });
    await vi.waitFor(() =>
      expect(bridge.callsOf('browse:search').at(-1)).toMatchObject({ kind: 'movie', genre: 'Drama', yearFrom: 1990, unmapped: true }),
    );
    store.getState().setFilters({ genre: undefined, unmapped: false });
    store.getState().setOrder({ sort: 'added', descending: true });
    await vi.waitFor(() =>
      expect(bridge.callsOf('browse:search').at(-1)).toMatchObject({ sort: 'added', descending: true, yearFrom: 1990 }),
    );
    expect(bridge.callsOf('browse:search').at(-1)).not.toHaveProperty('genre');
    expect(bridge.callsOf('browse:search').at(-1)).not.toHaveProperty('unmapped');
    store.getState().clearFilters();
    store.getState().setKind(null);
    await vi.waitFor(() =>
      expect(bridge.callsOf('browse:search').at(-1)).toEqual({ query: '', sort: 'added', descending: true, offset: 0, limit: 10 }),
    );
  });

  it('remembers the grid or list choice', () => {
    const saved: string[] = [];
    const memory = { load: () => 'list' as const, save: (layout: 'grid' | 'list') => void saved.push(layout) };
    const store = createBrowseStore(createApi(new FakeBridge({})), { layoutMemory: memory });
    expect(store.getState().layout).toBe('list');
    store.getState().setLayout('grid');
    expect(store.getState().layout).toBe('grid');
    expect(saved).toEqual(['grid']);
    const fresh = createBrowseStore(createApi(new FakeBridge({})), { layoutMemory: { load: () => null, save: () => undefined } });
    expect(fresh.getState().layout).toBe('grid');
  });

  it('loads the values the filters offer', async () => {
    const facets = {
      servers: [],
      libraries: [],
      kinds: [{ kind: 'movie' as const, count: 2 }],
      genres: ['Drama'],
      contentRatings: [],
      resolutions: ['4k'],
      years: null,
    };
    const store = createBrowseStore(createApi(new FakeBridge({ 'browse:facets': () => facets })));
    await store.getState().loadFacets();
    expect(store.getState().facets).toEqual(facets);
  });
});

describe('browse search text', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('applies the text after typing pauses, and drops pages of older searches', async () => {
    const late = deferred<BrowsePage>();
    const all = catalog(200);
    const bridge = new FakeBridge({ 'browse:search': (input) => (input.query === '' && input.offset === 100 ? late.promise : all(input)) });
    const store = createBrowseStore(createApi(bridge), { pageSize: 100, searchDelayMs: 300 });
    store.getState().reload();
    await vi.advanceTimersByTimeAsync(0);
    store.getState().ensureRange(100, 120);
    for (const text of ['1', '19', '199']) {
      store.getState().setQuery(text);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(store.getState().query).toBe('199');
    expect(bridge.callsOf('browse:search').map((call) => call.query)).toEqual(['', '']);
    await vi.advanceTimersByTimeAsync(300);
    expect(bridge.callsOf('browse:search').map((call) => call.query)).toEqual(['', '', '199']);
    expect(store.getState().total).toBe(1);
    // The old search's second page arrives late: it is not mixed into the new list.
    late.resolve(all({ kind: 'movie', query: '', offset: 100, limit: 100 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().rowAt(0)?.title).toBe('Title 199');
    expect(store.getState().pages[1]).toBeUndefined();
  });
});

describe('browse selection', () => {
  it('loads a show with its seasons and its details', async () => {
    const bridge = new FakeBridge({
      'browse:show': () => [{ id: 11, title: 'Season 1', seasonNumber: 1, episodes: [{ id: 12, title: 'Pilot', episodeNumber: 1 }] }],
      'browse:item': (input) => item(input.itemId, input.itemId === 12 ? 'episode' : 'show'),
    });
    const store = createBrowseStore(createApi(bridge));
    store.getState().select(rows('show', ['Show'])[0]!);
    expect(store.getState().seasons.status).toBe('loading');
    await vi.waitFor(() => expect(store.getState().detail.status).toBe('ready'));
    await vi.waitFor(() => expect(store.getState().seasons.status).toBe('ready'));
    expect(store.getState().seasons.value?.[0]?.episodes[0]?.title).toBe('Pilot');
    expect(store.getState().detail.value?.kind).toBe('show');
    store.getState().showItem(12);
    await vi.waitFor(() => expect(store.getState().detail.value?.kind).toBe('episode'));
    expect(store.getState()).toMatchObject({ selectedId: 1, detailId: 12 });
    expect(bridge.callsOf('browse:show')).toEqual([{ showId: 1 }]);
  });

  it('loads a movie without asking for seasons', async () => {
    const bridge = new FakeBridge({ 'browse:item': (input) => item(input.itemId, 'movie') });
    const store = createBrowseStore(createApi(bridge));
    store.getState().select(rows('movie', ['Film'])[0]!);
    await vi.waitFor(() => expect(store.getState().detail.status).toBe('ready'));
    expect(store.getState().seasons.status).toBe('idle');
    expect(bridge.callsOf('browse:show')).toEqual([]);
  });

  it('shows the item chosen last even when an earlier answer comes later', async () => {
    const slow = deferred<ItemDetails>();
    const bridge = new FakeBridge({ 'browse:item': (input) => (input.itemId === 1 ? slow.promise : item(input.itemId, 'episode')) });
    const store = createBrowseStore(createApi(bridge));
    store.getState().showItem(1);
    store.getState().showItem(2);
    await vi.waitFor(() => expect(store.getState().detail.value?.id).toBe(2));
    slow.resolve(item(1, 'movie'));
    await slow.promise;
    expect(store.getState().detail.value?.id).toBe(2);
  });
});
