// Listing semantics of `/library/sections/{key}/all`: filters, scoped filters and sorting, with caches
// keyed on the library version so paging through 100k episodes costs a slice, not a sort, per page.
//
// Filter semantics (python-plexapi documents the operators: for dates `>>` "is after", `<<` "is
// before"; for integers `>>` "is greater than", `<<` "is less than"; the trailing `=` of `>>=` is
// just the query string's `=`):
// - `updatedAt>>=N` keeps items whose updatedAt is strictly greater than N; `updatedAt<<=N` strictly
//   less. Strict is the harsher reading for a client: one that asks for "changed since my last sync
//   time" must overlap by a second or lose same-second edits. Same for `addedAt`.
// - N is epoch seconds, or relative to the sim clock: `-30d` means now − 30 days (units s, m, h, d, w,
//   mon = 30 d, y = 365 d; python-plexapi sends them with a leading minus).
// - Items without updatedAt never match an updatedAt filter, in either direction (SQL NULL).
// - A scope prefix names the level the field is read from: `show.`, `season.`, `episode.` (`movie.`,
//   `artist.`, `album.`, `track.` in music sections). No prefix means the level being listed (`type=`). A higher level
//   filters by the ancestor's field (type=4 with `show.updatedAt>>=` keeps episodes of shows updated
//   after N); a lower level keeps items with at least one matching descendant (type=2 with
//   `episode.addedAt>>=` keeps shows that got a new episode) — as Plex Web's "Show / Episode" filters do.
// - `title=` substring, case-insensitive (`title==x` exact, `title!=x` does not contain, `title<=x`
//   begins with, `title>=x` ends with); `year=` (comma = or), `year!=`, `year>>=`, `year<<=`;
//   `guid=` exact (comma = or).
// - Anything else (unknown fields, unknown operators, unparsable values, a scope the section does not
//   have) is silently ignored, as real PMS does: the listing comes back unfiltered with 200.
// - `sort=` takes a comma list of `titleSort`, `title`, `addedAt`, `updatedAt`, `year`,
//   `originallyAvailableAt`, `index`, `id` (ratingKey, numeric), each with optional `:asc`/`:desc`;
//   missing values sort first ascending (SQL NULL), and ratingKey breaks every tie, so the order is
//   total and deterministic. Default: titleSort (the title without a leading article), case-insensitive.

import type { SimItem, SimItemType, SimLibraryImpl, SimSection } from './library.js';

type Level = SimItemType;

const SECTION_LEVELS: Record<string, readonly Level[]> = {
  movie: ['movie'],
  show: ['show', 'season', 'episode'],
  artist: ['artist', 'album', 'track'],
};

const LEVEL_DEPTH: Record<Level, number> = { movie: 0, show: 0, artist: 0, season: 1, episode: 2, album: 1, track: 2 };

const RELATIVE_UNITS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800, mon: 2_592_000, y: 31_536_000 };

/** Parameters that steer a request rather than filter it. */
function isControlParameter(name: string): boolean {
  return (
    name === 'type' ||
    name === 'sort' ||
    name === 'query' ||
    name === 'limit' ||
    name.startsWith('X-Plex-') ||
    name.startsWith('include') ||
    name.startsWith('exclude') ||
    name === 'checkFiles' ||
    name === 'asyncAugmentMetadata'
  );
}

interface Condition {
  level: Level;
  /** Canonical text for cache keys. */
  text: string;
  test(item: SimItem): boolean;
}

export function parseDateValue(value: string, now: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const relative = /^-?(\d+)(mon|[smhdwy])$/.exec(trimmed);
  if (relative) return now - Number(relative[1]) * (RELATIVE_UNITS[relative[2] ?? 'd'] ?? 0);
  return undefined;
}

function dateCondition(field: 'updatedAt' | 'addedAt', op: string, value: string, now: number): ((item: SimItem) => boolean) | undefined {
  const limit = parseDateValue(value, now);
  if (limit === undefined) return undefined;
  if (op === '>>')
    return (item) => {
      const v = item[field];
      return v !== undefined && v > limit;
    };
  if (op === '<<')
    return (item) => {
      const v = item[field];
      return v !== undefined && v < limit;
    };
  return undefined;
}

function yearCondition(op: string, value: string): ((item: SimItem) => boolean) | undefined {
  const years = value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => /^\d+$/.test(v))
    .map(Number);
  if (years.length === 0) return undefined;
  const first = years[0] ?? 0;
  switch (op) {
    case '':
      return (item) => item.year !== undefined && years.includes(item.year);
    case '!':
      return (item) => item.year === undefined || !years.includes(item.year);
    case '>>':
      return (item) => item.year !== undefined && item.year > first;
    case '<<':
      return (item) => item.year !== undefined && item.year < first;
    default:
      return undefined;
  }
}

function titleCondition(op: string, value: string): ((item: SimItem) => boolean) | undefined {
  const exact = value.startsWith('=');
  const needle = (exact ? value.slice(1) : value).toLowerCase();
  switch (op) {
    case '':
      return exact ? (item) => item.title.toLowerCase() === needle : (item) => item.title.toLowerCase().includes(needle);
    case '!':
      return exact ? (item) => item.title.toLowerCase() !== needle : (item) => !item.title.toLowerCase().includes(needle);
    case '<':
      return (item) => item.title.toLowerCase().startsWith(needle);
    case '>':
      return (item) => item.title.toLowerCase().endsWith(needle);
    default:
      return undefined;
  }
}

function guidCondition(op: string, value: string): ((item: SimItem) => boolean) | undefined {
  if (op !== '') return undefined;
  const wanted = new Set(value.split(','));
  return (item) => wanted.has(item.guid);
}

/** Reads the filters of a listing request; whatever it does not understand it drops, like PMS. */
export function parseConditions(params: URLSearchParams, section: SimSection, listed: Level, now: number): Condition[] {
  const levels = SECTION_LEVELS[section.type] ?? [];
  const conditions: Condition[] = [];
  for (const [name, value] of params) {
    if (isControlParameter(name)) continue;
    const match = /^(?:([a-z]+)\.)?([A-Za-z]+)(>>|<<|!|<|>)?$/.exec(name);
    if (!match) continue;
    const level = (match[1] ?? listed) as Level;
    if (!levels.includes(level)) continue;
    const field = match[2] ?? '';
    const op = match[3] ?? '';
    let test: ((item: SimItem) => boolean) | undefined;
    if (field === 'updatedAt' || field === 'addedAt') test = dateCondition(field, op, value, now);
    else if (field === 'year') test = yearCondition(op, value);
    else if (field === 'title') test = titleCondition(op, value);
    else if (field === 'guid') test = guidCondition(op, value);
    if (test) conditions.push({ level, text: `${level}.${field}${op}=${value}`, test });
  }
  return conditions;
}

type SortKind = 'string' | 'number';
interface SortKey {
  field: string;
  kind: SortKind;
  desc: boolean;
}

const SORT_FIELDS: Record<string, { kind: SortKind; read: (item: SimItem) => string | number | undefined }> = {
  titleSort: { kind: 'string', read: (item) => (item.titleSort ?? item.title).toLowerCase() },
  title: { kind: 'string', read: (item) => item.title.toLowerCase() },
  addedAt: { kind: 'number', read: (item) => item.addedAt },
  updatedAt: { kind: 'number', read: (item) => item.updatedAt },
  year: { kind: 'number', read: (item) => item.year },
  originallyAvailableAt: { kind: 'string', read: (item) => item.originallyAvailableAt },
  index: { kind: 'number', read: (item) => item.index },
  id: { kind: 'number', read: (item) => Number(item.ratingKey) },
  ratingKey: { kind: 'number', read: (item) => Number(item.ratingKey) },
};

export function parseSort(value: string | null): SortKey[] {
  const keys: SortKey[] = [];
  for (const part of (value ?? '').split(',')) {
    const [rawField = '', direction = 'asc'] = part.trim().split(':');
    const field = rawField.replace(/^[a-z]+\./, '');
    const spec = SORT_FIELDS[field];
    if (!spec) continue;
    keys.push({ field, kind: spec.kind, desc: direction.toLowerCase() === 'desc' });
  }
  return keys.length > 0 ? keys : [{ field: 'titleSort', kind: 'string', desc: false }];
}

function sortItems(items: readonly SimItem[], keys: readonly SortKey[]): SimItem[] {
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only && (only.field === 'id' || only.field === 'ratingKey')) {
    // Lists arrive in ratingKey order already.
    return only.desc ? [...items].reverse() : [...items];
  }
  const n = items.length;
  const ids = new Float64Array(n);
  for (let i = 0; i < n; i++) ids[i] = Number((items[i] as SimItem).ratingKey);
  const columns = keys.map((key) => {
    const read = SORT_FIELDS[key.field]?.read ?? (() => undefined);
    if (key.kind === 'number') {
      const column = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = read(items[i] as SimItem);
        column[i] = typeof v === 'number' ? v : Number.NEGATIVE_INFINITY;
      }
      return { key, numbers: column, strings: undefined };
    }
    const column = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const v = read(items[i] as SimItem);
      column[i] = typeof v === 'string' ? v : '';
    }
    return { key, numbers: undefined, strings: column };
  });
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    for (const column of columns) {
      let diff = 0;
      if (column.numbers) {
        const x = column.numbers[a] ?? 0;
        const y = column.numbers[b] ?? 0;
        diff = x === y ? 0 : x < y ? -1 : 1;
      } else if (column.strings) {
        const x = column.strings[a] ?? '';
        const y = column.strings[b] ?? '';
        diff = x === y ? 0 : x < y ? -1 : 1;
      }
      if (diff !== 0) return column.key.desc ? -diff : diff;
    }
    return (ids[a] ?? 0) - (ids[b] ?? 0);
  });
  return order.map((i) => items[i] as SimItem);
}

function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const CACHE_LIMIT = 24;

export class ListingEngine {
  /** LRU of sorted and filtered lists; each key embeds the library version it depends on. */
  private readonly cache = new Map<string, SimItem[]>();
  private searchIndex: { item: SimItem; folded: string }[] | undefined;
  private searchIndexVersion = -1;

  constructor(private readonly lib: SimLibraryImpl) {}

  /** The items of a `/all` request, filtered and sorted. */
  list(section: SimSection, listed: Level, params: URLSearchParams): readonly SimItem[] {
    const levels = SECTION_LEVELS[section.type] ?? [];
    if (!levels.includes(listed)) return [];
    const sort = parseSort(params.get('sort'));
    const sortText = sort.map((k) => `${k.field}:${k.desc ? 'desc' : 'asc'}`).join(',');
    const conditions = parseConditions(params, section, listed, this.lib.now());
    // An order by updatedAt goes stale on any change; other orders only when items come, go or are edited.
    const sortVersion = sort.some((k) => k.field === 'updatedAt') ? `v${this.lib.version}` : `o${this.lib.orderVersion}`;
    const baseKey = `${section.key}|${listed}|${sortText}|${sortVersion}`;
    const sorted = this.cached(baseKey, () => sortItems(this.lib.items(section.key, listed), sort));
    if (conditions.length === 0) return sorted;
    const filterKey = `${baseKey}|v${this.lib.version}|${conditions
      .map((c) => c.text)
      .sort()
      .join('&')}`;
    return this.cached(filterKey, () => {
      const predicate = this.predicate(section, listed, conditions);
      return sorted.filter(predicate);
    });
  }

  /** Titles matching a search, per type, in title order. */
  search(query: string, sectionKey: string | undefined, types: readonly Level[]): Map<Level, SimItem[]> {
    if (this.searchIndexVersion !== this.lib.orderVersion) {
      this.searchIndex = undefined;
      this.searchIndexVersion = this.lib.orderVersion;
    }
    if (!this.searchIndex) {
      this.searchIndex = [];
      for (const type of ['movie', 'show', 'episode'] as const) {
        for (const item of sortItems(this.lib.allOfType(type), parseSort(null))) {
          this.searchIndex.push({ item, folded: foldForSearch(item.title) });
        }
      }
    }
    const needle = foldForSearch(query.trim());
    const out = new Map<Level, SimItem[]>(types.map((t) => [t, []]));
    if (needle === '') return out;
    for (const { item, folded } of this.searchIndex) {
      if (sectionKey !== undefined && item.sectionKey !== sectionKey) continue;
      if (!folded.includes(needle)) continue;
      out.get(item.type)?.push(item);
    }
    return out;
  }

  private cached(key: string, build: () => SimItem[]): SimItem[] {
    const hit = this.cache.get(key);
    if (hit) {
      // Refresh its place so the most recently used lists survive eviction.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const value = build();
    this.cache.set(key, value);
    while (this.cache.size > CACHE_LIMIT) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return value;
  }

  /** Combines the conditions of every level into one test on the listed items. */
  private predicate(section: SimSection, listed: Level, conditions: readonly Condition[]): (item: SimItem) => boolean {
    const byLevel = new Map<Level, Condition[]>();
    for (const condition of conditions) {
      const group = byLevel.get(condition.level);
      if (group) group.push(condition);
      else byLevel.set(condition.level, [condition]);
    }
    const tests: ((item: SimItem) => boolean)[] = [];
    for (const [level, group] of byLevel) {
      const all = (item: SimItem): boolean => group.every((c) => c.test(item));
      if (level === listed) {
        tests.push(all);
      } else if (LEVEL_DEPTH[level] < LEVEL_DEPTH[listed]) {
        // An ancestor's field: read it from the show or artist (or the season or album) above the listed item.
        const ancestor = LEVEL_DEPTH[level] === 0 ? (item: SimItem) => this.lib.showOf(item) : (item: SimItem) => this.lib.parentOf(item);
        tests.push((item) => {
          const above = ancestor(item);
          return above !== undefined && all(above);
        });
      } else {
        // A descendant's field: keep listed items with at least one matching descendant.
        const keep = new Set<string>();
        for (const below of this.lib.items(section.key, level)) {
          if (!all(below)) continue;
          const key =
            LEVEL_DEPTH[listed] === 0 ? (LEVEL_DEPTH[below.type] === 2 ? below.grandparentKey : below.parentKey) : below.parentKey;
          if (key !== undefined) keep.add(key);
        }
        tests.push((item) => keep.has(item.ratingKey));
      }
    }
    return (item) => tests.every((t) => t(item));
  }
}
