// Read-only queries for the desktop UI: paged search, a show's seasons and episodes, one item's details.
import { sql } from 'kysely';
import type { ExternalIds, ItemKind, MediaFile } from '../../shared/domain.js';
import { type Catalog, queryAll, queryFirst } from './database.js';

export interface SearchItemsOptions {
  serverId?: number;
  libraryId?: number;
  kind: 'movie' | 'show';
  /** Case-insensitive substring of the title; empty or absent: everything. */
  query?: string;
  offset: number;
  limit: number;
}

export interface SearchRow {
  id: number;
  title: string;
  year: number | null;
  kind: 'movie' | 'show';
  libraryTitle: string;
  serverName: string;
  /** Shows: episodes in the catalog. */
  episodeCount?: number;
}

export interface SearchResult {
  total: number;
  rows: SearchRow[];
}

/** LIKE pattern for a literal substring: %, _ and the escape character itself are escaped. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

export function searchItems(catalog: Catalog, options: SearchItemsOptions): SearchResult {
  const { db } = catalog;
  let base = db
    .selectFrom('items as i')
    .innerJoin('libraries as l', 'l.id', 'i.library_id')
    .innerJoin('servers as s', 's.id', 'i.server_id')
    .where('i.kind', '=', options.kind);
  if (options.serverId !== undefined) base = base.where('i.server_id', '=', options.serverId);
  if (options.libraryId !== undefined) base = base.where('i.library_id', '=', options.libraryId);
  const query = options.query?.trim() ?? '';
  // LIKE folds ASCII case only; good enough for a search box and it keeps the query indexable later.
  if (query !== '') base = base.where(sql<boolean>`i.title LIKE ${containsPattern(query)} ESCAPE '\\'`);

  const totalRow = queryFirst(
    catalog,
    base.select((eb) => eb.fn.countAll<number>().as('total')),
  );
  const rows = queryAll(
    catalog,
    base
      .select(['i.id', 'i.title', 'i.year', 'l.title as library_title', 's.name as server_name'])
      .select((eb) =>
        eb
          .selectFrom('episodes as e')
          .whereRef('e.show_id', '=', 'i.id')
          .select((inner) => inner.fn.countAll<number>().as('n'))
          .as('episode_count'),
      )
      .orderBy(sql`i.title collate nocase`)
      .orderBy('i.year')
      .orderBy('i.id')
      .limit(Math.max(0, Math.floor(options.limit)))
      .offset(Math.max(0, Math.floor(options.offset))),
  );

  return {
    total: Number(totalRow?.total ?? 0),
    rows: rows.map((row) => {
      const result: SearchRow = {
        id: row.id,
        title: row.title,
        year: row.year,
        kind: options.kind,
        libraryTitle: row.library_title,
        serverName: row.server_name,
      };
      if (options.kind === 'show') result.episodeCount = Number(row.episode_count ?? 0);
      return result;
    }),
  };
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
}

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
