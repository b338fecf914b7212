// Read-only queries for the desktop UI: a paged, filtered and sorted list with title search (FTS5, migration
// 0008_search), the values its filters offer, a show's seasons and episodes, one item's details.
import { type RawBuilder, sql } from 'kysely';
import type {
  BrowseFacets,
  BrowseFilters,
  BrowseSort,
  DuplicateCopy,
  ExternalIds,
  ItemKind,
  ItemMetadata,
  ItemVersion,
  MediaFile,
} from '../../shared/domain.js';
import { type Catalog, queryAll, queryFirst } from './database.js';
import { duplicateGroupOf } from './duplicates.js';

/** What a Browse list is narrowed to; every field left out lets everything through. */
export interface BrowseFilter extends BrowseFilters {
  /** One kind; absent: every kind but seasons (a season is reached through its show). */
  kind?: ItemKind;
  /** Words the title (or original title) has, the last one as a prefix: "star w" finds "Star Wars". */
  query?: string;
}

export interface SearchItemsOptions extends BrowseFilter {
  /** title (the sort title where Plex has one), year, added, updated; default title. */
  sort?: BrowseSort;
  /** Default: ascending for title, newest first for the others. */
  descending?: boolean;
  offset: number;
  limit: number;
}

export interface SearchRow {
  id: number;
  title: string;
  year: number | null;
  kind: ItemKind;
  libraryTitle: string;
  serverName: string;
  /** Shows: episodes in the catalog. */
  episodeCount?: number;
  /** Episodes: the show, season and number. */
  showTitle?: string | null;
  seasonNumber?: number | null;
  episodeNumber?: number | null;
}

export interface SearchResult {
  total: number;
  rows: SearchRow[];
}

/**
 * The FTS5 query for what the user typed: each word a quoted prefix, all required ("star w" → `"star"* "w"*`).
 * Words are split where the index's tokenizer splits them (anything but letters and digits), so no FTS syntax
 * reaches the query; null when nothing searchable is left.
 */
export function ftsQuery(text: string): string | null {
  const words = text.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');
  if (words.length === 0) return null;
  return words.map((word) => `"${word}"*`).join(' ');
}

const SORTS: Record<BrowseSort, { expression: RawBuilder<unknown>; descendingByDefault: boolean }> = {
  title: { expression: sql`coalesce(i.title_sort, i.title) COLLATE NOCASE`, descendingByDefault: false },
  year: { expression: sql`i.year`, descendingByDefault: true },
  added: { expression: sql`i.added_at`, descendingByDefault: true },
  updated: { expression: sql`i.updated_at`, descendingByDefault: true },
};

function filtered(catalog: Catalog, filter: BrowseFilter) {
  // Items alone: the count needs no join (items_library_kind covers it), the page joins what it shows.
  let base = catalog.db.selectFrom('items as i');
  base = filter.kind === undefined ? base.where('i.kind', '!=', 'season') : base.where('i.kind', '=', filter.kind);
  if (filter.serverId !== undefined) base = base.where('i.server_id', '=', filter.serverId);
  if (filter.libraryId !== undefined) base = base.where('i.library_id', '=', filter.libraryId);
  const match = ftsQuery(filter.query ?? '');
  // The index answers the words; the rest of the filters then apply to its (few) rows.
  if (match !== null) base = base.where(sql<boolean>`i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ${match})`);
  if (filter.contentRating !== undefined) base = base.where('i.content_rating', '=', filter.contentRating);
  if (filter.yearFrom !== undefined) base = base.where('i.year', '>=', filter.yearFrom);
  if (filter.yearTo !== undefined) base = base.where('i.year', '<=', filter.yearTo);
  // No index is added for these (each would slow every full sync); measured on the benchmark's 112,000 items
  // (README "Performance"). A genre's items are collected once (a scan of item_tags: a few times faster than
  // a probe per item); an unmapped file is found through media_files_unmapped, which holds only those.
  if (filter.genre !== undefined) {
    base = base.where(
      sql<boolean>`i.id IN (SELECT it.item_id FROM item_tags AS it JOIN tags AS t ON t.id = it.tag_id
        WHERE t.kind = 'genre' AND t.name = ${filter.genre})`,
    );
  }
  if (filter.resolution !== undefined) {
    base = base.where(
      sql<boolean>`EXISTS (SELECT 1 FROM media_versions AS v WHERE v.item_id = i.id AND v.resolution = ${filter.resolution})`,
    );
  }
  if (filter.hdr === true) {
    base = base.where(sql<boolean>`EXISTS (SELECT 1 FROM media_versions AS v WHERE v.item_id = i.id AND v.hdr IS NOT NULL)`);
  }
  if (filter.unmapped === true) {
    base = base.where(sql<boolean>`i.id IN (SELECT f.item_id FROM media_files AS f WHERE f.mapped = 0)`);
  }
  return base;
}

export function searchItems(catalog: Catalog, options: SearchItemsOptions): SearchResult {
  const base = filtered(catalog, options);
  const sort = SORTS[options.sort ?? 'title'];
  const descending = options.descending ?? sort.descendingByDefault;
  // First the page's ids, in order, from items alone; then what the rows show, for those ids only. The total
  // comes with the page where the filters are costly (a search runs its FTS match once, a file or tag filter
  // its subquery once); otherwise a count on its own is cheaper (an index covers it, and the page keeps only
  // its top rows while sorting instead of all of them). Measured in README "Performance".
  const costly =
    ftsQuery(options.query ?? '') !== null ||
    [options.genre, options.resolution, options.hdr, options.unmapped].some((value) => value !== undefined);
  let ordered = base.select('i.id');
  if (costly) ordered = ordered.select(sql<number>`count(*) OVER ()`.as('total_rows'));
  const page = queryAll(
    catalog,
    ordered
      // Unknown values last whichever the direction; ties by title, then id, so pages never overlap.
      .orderBy(sql`${sort.expression} IS NULL`)
      .orderBy(sql`${sort.expression} ${sql.raw(descending ? 'DESC' : 'ASC')}`)
      .orderBy(sql`coalesce(i.title_sort, i.title) COLLATE NOCASE`)
      .orderBy('i.id')
      .limit(Math.max(0, Math.floor(options.limit)))
      .offset(Math.max(0, Math.floor(options.offset))),
  ) as { id: number; total_rows?: number }[];
  // Without the total in the page (or past its end, where no row carries it), it is counted on its own.
  const total =
    page[0]?.total_rows ??
    (costly && page.length === 0 && options.offset === 0
      ? 0
      : Number(
          queryFirst(
            catalog,
            base.select((eb) => eb.fn.countAll<number>().as('n')),
          )?.n ?? 0,
        ));
  const rows = rowsByIds(
    catalog,
    page.map((row) => row.id),
  );
  return { total: Number(total), rows: page.flatMap((row) => rows.get(row.id) ?? []) };
}

function rowsByIds(catalog: Catalog, ids: readonly number[]): Map<number, SearchRow> {
  const byId = new Map<number, SearchRow>();
  if (ids.length === 0) return byId;
  const rows = queryAll(
    catalog,
    catalog.db
      .selectFrom('items as i')
      .innerJoin('libraries as l', 'l.id', 'i.library_id')
      .innerJoin('servers as s', 's.id', 'i.server_id')
      .leftJoin('episodes as e', 'e.item_id', 'i.id')
      .leftJoin('items as show', 'show.id', 'e.show_id')
      .select(['i.id', 'i.kind', 'i.title', 'i.year', 'l.title as library_title', 's.name as server_name'])
      .select(['show.title as show_title', 'e.season_number', 'e.episode_number'])
      .select(
        sql<number | null>`CASE WHEN i.kind = 'show' THEN (SELECT count(*) FROM episodes AS ep WHERE ep.show_id = i.id) END`.as(
          'episode_count',
        ),
      )
      .where('i.id', 'in', ids),
  );
  for (const row of rows) {
    const result: SearchRow = {
      id: row.id,
      title: row.title,
      year: row.year,
      kind: row.kind,
      libraryTitle: row.library_title,
      serverName: row.server_name,
    };
    if (row.kind === 'show') result.episodeCount = Number(row.episode_count ?? 0);
    if (row.kind === 'episode') {
      result.showTitle = row.show_title;
      result.seasonNumber = row.season_number;
      result.episodeNumber = row.episode_number;
    }
    byId.set(row.id, result);
  }
  return byId;
}

export function browseFacets(catalog: Catalog): BrowseFacets {
  const { db } = catalog;
  const servers = queryAll(
    catalog,
    db
      .selectFrom('servers')
      .select(['id', 'name'])
      .orderBy(sql`name COLLATE NOCASE`),
  );
  const libraries = queryAll(
    catalog,
    db
      .selectFrom('libraries as l')
      .innerJoin('servers as s', 's.id', 'l.server_id')
      .select(['l.id', 'l.title', 'l.server_id', 's.name as server_name'])
      .where((eb) => eb.exists(eb.selectFrom('items as i').select('i.id').whereRef('i.library_id', '=', 'l.id')))
      .orderBy(sql`s.name COLLATE NOCASE`)
      .orderBy(sql`l.title COLLATE NOCASE`),
  );
  const kinds = queryAll(
    catalog,
    db
      .selectFrom('items')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('count')])
      .where('kind', '!=', 'season')
      .groupBy('kind')
      .orderBy('kind'),
  );
  const genres = queryAll(
    catalog,
    db
      .selectFrom('tags')
      .select('name')
      .where('kind', '=', 'genre')
      .orderBy(sql`name COLLATE NOCASE`),
  );
  const ratings = queryAll(
    catalog,
    db.selectFrom('items').select('content_rating').distinct().where('content_rating', 'is not', null).orderBy('content_rating'),
  );
  const resolutions = queryAll(
    catalog,
    db.selectFrom('media_versions').select('resolution').distinct().where('resolution', 'is not', null),
  );
  const years = queryFirst(
    catalog,
    db.selectFrom('items').select((eb) => [eb.fn.min<number | null>('year').as('min'), eb.fn.max<number | null>('year').as('max')]),
  );
  return {
    servers: servers.map((row) => ({ id: row.id, name: row.name })),
    libraries: libraries.map((row) => ({ id: row.id, title: row.title, serverId: row.server_id, serverName: row.server_name })),
    kinds: kinds.map((row) => ({ kind: row.kind, count: Number(row.count) })),
    genres: genres.map((row) => row.name),
    contentRatings: ratings.flatMap((row) => (row.content_rating === null ? [] : [row.content_rating])),
    resolutions: resolutions.flatMap((row) => (row.resolution === null ? [] : [row.resolution])).sort(compareResolutions),
    years: years?.min === null || years?.min === undefined || years.max === null ? null : { min: years.min, max: years.max },
  };
}

/** Highest first: 8k, 4k, 1080, 720, 576, 480, sd, then anything else by name. */
function compareResolutions(a: string, b: string): number {
  const rank = (value: string): number => {
    const named: Record<string, number> = { '8k': 4320, '4k': 2160, sd: 1 };
    return named[value.toLowerCase()] ?? (Number.parseInt(value, 10) || 0);
  };
  return rank(b) - rank(a) || a.localeCompare(b);
}

export interface CatalogBrowseEpisode {
  id: number;
  number: number | null;
  title: string;
}

export interface CatalogBrowseSeason {
  /** null: episodes whose season is not in the catalog, grouped by their season number. */
  id: number | null;
  number: number | null;
  title: string | null;
  episodes: CatalogBrowseEpisode[];
}

/** The item's kind, or null when the catalog has no item with this id. */
export function itemKind(catalog: Catalog, itemId: number): ItemKind | null {
  const row = queryFirst(catalog, catalog.db.selectFrom('items').select('kind').where('id', '=', itemId));
  return row === undefined ? null : row.kind;
}

/** The show's seasons in order (unnumbered last), each with its episodes in order. */
export function showChildren(catalog: Catalog, showId: number): CatalogBrowseSeason[] {
  const { db } = catalog;
  const seasons = queryAll(
    catalog,
    db
      .selectFrom('seasons as se')
      .innerJoin('items as i', 'i.id', 'se.item_id')
      .select(['i.id', 'i.title', 'se.season_number'])
      .where('se.show_id', '=', showId),
  );
  const episodes = queryAll(
    catalog,
    db
      .selectFrom('episodes as e')
      .innerJoin('items as i', 'i.id', 'e.item_id')
      .select(['i.id', 'i.title', 'e.season_id', 'e.season_number', 'e.episode_number'])
      .where('e.show_id', '=', showId),
  );

  const byId = new Map<number, CatalogBrowseSeason>();
  for (const season of seasons) {
    byId.set(season.id, { id: season.id, number: season.season_number, title: season.title, episodes: [] });
  }
  // Episodes of a season Plex hides (or that was never listed) are grouped by number instead.
  const orphans = new Map<number | null, CatalogBrowseSeason>();
  for (const episode of episodes) {
    let season = episode.season_id === null ? undefined : byId.get(episode.season_id);
    if (season === undefined) {
      season = orphans.get(episode.season_number);
      if (season === undefined) {
        season = { id: null, number: episode.season_number, title: null, episodes: [] };
        orphans.set(episode.season_number, season);
      }
    }
    season.episodes.push({ id: episode.id, number: episode.episode_number, title: episode.title });
  }
  const all = [...byId.values(), ...orphans.values()];
  for (const season of all) season.episodes.sort((a, b) => compareNumbers(a.number, b.number) || a.id - b.id);
  return all.sort((a, b) => compareNumbers(a.number, b.number) || (a.id ?? Infinity) - (b.id ?? Infinity));
}

/** Ascending, nulls last. */
function compareNumbers(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

export interface CatalogItemDetails {
  id: number;
  kind: ItemKind;
  title: string;
  year: number | null;
  ratingKey: string;
  guid: string | null;
  externalIds: ExternalIds;
  /** Movies and episodes, in media then part order; empty for shows and seasons. */
  files: MediaFile[];
  /** Seasons and episodes. */
  show?: { id: number; title: string } | null;
  /** Episodes: their season (id null when the season is not in the catalog). Seasons: themselves. */
  season?: { id: number | null; number: number | null };
  /** Episodes: their number. */
  episode?: number | null;
  addedAt: number | null;
  updatedAt: number | null;
  libraryTitle: string;
  serverName: string;
  metadata: ItemMetadata;
  versions: ItemVersion[];
  groupId: string;
  alsoIn: DuplicateCopy[];
}

/** Tag kinds as stored, and the metadata field each goes to. */
const TAG_FIELDS = {
  genre: 'genres',
  country: 'countries',
  collection: 'collections',
  label: 'labels',
  director: 'directors',
  writer: 'writers',
  actor: 'actors',
} as const satisfies Record<string, keyof ItemMetadata>;

export function itemDetails(catalog: Catalog, itemId: number): CatalogItemDetails | null {
  const { db } = catalog;
  const item = queryFirst(
    catalog,
    db
      .selectFrom('items as i')
      .innerJoin('libraries as l', 'l.id', 'i.library_id')
      .innerJoin('servers as s', 's.id', 'i.server_id')
      .selectAll('i')
      .select(['l.title as library_title', 's.name as server_name'])
      .where('i.id', '=', itemId),
  );
  if (item === undefined) return null;

  const ids = queryAll(catalog, db.selectFrom('external_ids').select(['provider', 'value']).where('item_id', '=', itemId));
  const externalIds: ExternalIds = {};
  for (const provider of ['imdb', 'tmdb', 'tvdb', 'plex'] as const) {
    const found = ids.find((row) => row.provider === provider);
    if (found !== undefined) externalIds[provider] = found.value;
  }

  const fileRows = queryAll(
    catalog,
    db.selectFrom('media_files').selectAll().where('item_id', '=', itemId).orderBy('media_index').orderBy('part_index'),
  );
  const files: MediaFile[] = fileRows.map((row) => ({
    plexPath: row.plex_path,
    localPath: row.local_path,
    mapped: row.mapped === 1,
    size: row.size,
    duration: row.duration_ms,
    container: row.container,
  }));

  const group = duplicateGroupOf(catalog, itemId);
  const details: CatalogItemDetails = {
    id: item.id,
    kind: item.kind,
    title: item.title,
    year: item.year,
    ratingKey: item.rating_key,
    guid: item.guid,
    externalIds,
    files,
    addedAt: item.added_at,
    updatedAt: item.updated_at,
    libraryTitle: item.library_title,
    serverName: item.server_name,
    metadata: itemMetadata(catalog, item),
    versions: itemVersions(catalog, itemId, fileRows),
    groupId: group?.groupId ?? `item:${itemId}`,
    alsoIn: copiesOf(
      catalog,
      (group?.itemIds ?? []).filter((id) => id !== itemId),
    ),
  };

  if (item.kind === 'episode') {
    const episode = queryFirst(
      catalog,
      db
        .selectFrom('episodes as e')
        .leftJoin('items as show', 'show.id', 'e.show_id')
        .select(['e.show_id', 'show.title as show_title', 'e.season_id', 'e.season_number', 'e.episode_number'])
        .where('e.item_id', '=', itemId),
    );
    if (episode !== undefined) {
      details.show = episode.show_id === null || episode.show_title === null ? null : { id: episode.show_id, title: episode.show_title };
      details.season = { id: episode.season_id, number: episode.season_number };
      details.episode = episode.episode_number;
    }
  } else if (item.kind === 'season') {
    const season = queryFirst(
      catalog,
      db
        .selectFrom('seasons as se')
        .leftJoin('items as show', 'show.id', 'se.show_id')
        .select(['se.show_id', 'show.title as show_title', 'se.season_number'])
        .where('se.item_id', '=', itemId),
    );
    if (season !== undefined) {
      details.show = season.show_title === null ? null : { id: season.show_id, title: season.show_title };
      details.season = { id: item.id, number: season.season_number };
    }
  }
  return details;
}

interface ItemRowMetadata {
  summary: string | null;
  tagline: string | null;
  content_rating: string | null;
  studio: string | null;
  original_title: string | null;
  edition: string | null;
  critic_rating: number | null;
  critic_rating_image: string | null;
  audience_rating: number | null;
  audience_rating_image: string | null;
  id: number;
}

function itemMetadata(catalog: Catalog, item: ItemRowMetadata): ItemMetadata {
  const metadata: ItemMetadata = {
    summary: item.summary,
    tagline: item.tagline,
    contentRating: item.content_rating,
    studio: item.studio,
    originalTitle: item.original_title,
    edition: item.edition,
    criticRating: item.critic_rating,
    criticRatingImage: item.critic_rating_image,
    audienceRating: item.audience_rating,
    audienceRatingImage: item.audience_rating_image,
    genres: [],
    countries: [],
    collections: [],
    labels: [],
    directors: [],
    writers: [],
    actors: [],
  };
  const tags = queryAll(
    catalog,
    catalog.db
      .selectFrom('item_tags as it')
      .innerJoin('tags as t', 't.id', 'it.tag_id')
      .select(['t.kind', 't.name'])
      .where('it.item_id', '=', item.id)
      .orderBy('it.position'),
  );
  for (const tag of tags) metadata[TAG_FIELDS[tag.kind]].push(tag.name);
  return metadata;
}

interface FileRow {
  media_index: number;
  plex_path: string;
  local_path: string;
  mapped: number;
  size: number | null;
  duration_ms: number | null;
  container: string | null;
}

/** Versions in media order, each with its files; a file without a version row gets an empty version. */
function itemVersions(catalog: Catalog, itemId: number, fileRows: readonly FileRow[]): ItemVersion[] {
  const rows = queryAll(catalog, catalog.db.selectFrom('media_versions').selectAll().where('item_id', '=', itemId));
  const byIndex = new Map<number, ItemVersion>();
  for (const row of rows) {
    byIndex.set(row.media_index, {
      resolution: row.resolution,
      width: row.width,
      height: row.height,
      videoCodec: row.video_codec,
      videoProfile: row.video_profile,
      frameRate: row.frame_rate,
      bitrate: row.bitrate,
      audioCodec: row.audio_codec,
      audioChannels: row.audio_channels,
      audioProfile: row.audio_profile,
      container: row.container,
      durationMs: row.duration_ms,
      hdr: row.hdr,
      audioLanguages: parseLanguages(row.audio_languages),
      subtitleLanguages: parseLanguages(row.subtitle_languages),
      files: [],
    });
  }
  for (const file of fileRows) {
    let version = byIndex.get(file.media_index);
    if (version === undefined) {
      version = emptyVersion(file.container);
      byIndex.set(file.media_index, version);
    }
    version.files.push({
      plexPath: file.plex_path,
      localPath: file.local_path,
      mapped: file.mapped === 1,
      size: file.size,
      duration: file.duration_ms,
      container: file.container,
    });
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, version]) => version);
}

function emptyVersion(container: string | null): ItemVersion {
  return {
    resolution: null,
    width: null,
    height: null,
    videoCodec: null,
    videoProfile: null,
    frameRate: null,
    bitrate: null,
    audioCodec: null,
    audioChannels: null,
    audioProfile: null,
    container,
    durationMs: null,
    hdr: null,
    audioLanguages: null,
    subtitleLanguages: null,
    files: [],
  };
}

function parseLanguages(json: string | null): string[] | null {
  if (json === null) return null;
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((value): value is string => typeof value === 'string') : null;
  } catch {
    return null;
  }
}

/** The other copies of a title, by server then library. */
function copiesOf(catalog: Catalog, ids: readonly number[]): DuplicateCopy[] {
  if (ids.length === 0) return [];
  const rows = queryAll(
    catalog,
    catalog.db
      .selectFrom('items as i')
      .innerJoin('libraries as l', 'l.id', 'i.library_id')
      .innerJoin('servers as s', 's.id', 'i.server_id')
      .select(['i.id', 'i.title', 'i.year', 'l.title as library_title', 's.name as server_name'])
      .where('i.id', 'in', ids)
      .orderBy(sql`s.name COLLATE NOCASE`)
      .orderBy(sql`l.title COLLATE NOCASE`)
      .orderBy('i.id'),
  );
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    year: row.year,
    libraryTitle: row.library_title,
    serverName: row.server_name,
  }));
}
