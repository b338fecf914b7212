// The catalog as one JSON object per movie, show and episode (seasons are folded into their episodes).
// Streamed: one statement iterated row by row, files and ids aggregated by SQLite, nothing held in memory.
import type { ExternalIds, GuidProvider } from '../../shared/domain.js';
import { sql } from 'kysely';
import { type Catalog, queryIterate } from './database.js';

export interface ExportFile {
  plexPath: string;
  localPath: string;
  mapped: boolean;
}

interface ExportRowHead {
  id: number;
  server: string;
  machineIdentifier: string | null;
  library: string;
  ratingKey: string;
  title: string;
  year: number | null;
  /** Only the providers the item has, in the order imdb, tmdb, tvdb, plex. */
  guids: ExternalIds;
}

export interface MovieExportRow extends ExportRowHead {
  type: 'movie';
  files: ExportFile[];
  addedAt: number | null;
  updatedAt: number | null;
}

export interface ShowExportRow extends ExportRowHead {
  type: 'show';
  addedAt: number | null;
  updatedAt: number | null;
}

export interface EpisodeExportRow extends ExportRowHead {
  type: 'episode';
  /** The show's title (null only for an episode whose show is not in the catalog). */
  show: string | null;
  season: number | null;
  episode: number | null;
  files: ExportFile[];
  addedAt: number | null;
  updatedAt: number | null;
}

export type ExportRow = MovieExportRow | ShowExportRow | EpisodeExportRow;

export interface ExportOptions {
  serverId?: number;
  libraryId?: number;
}

interface RawExportRow {
  id: number;
  server: string;
  machine_identifier: string | null;
  library: string;
  kind: 'movie' | 'show' | 'episode';
  rating_key: string;
  title: string;
  year: number | null;
  added_at: number | null;
  updated_at: number | null;
  show_title: string | null;
  season_number: number | null;
  episode_number: number | null;
  /** JSON object provider → value, or null without ids. */
  guids: string | null;
  /** JSON array of [plexPath, localPath, mapped], or null without files. */
  files: string | null;
}

const GUID_ORDER: readonly GuidProvider[] = ['imdb', 'tmdb', 'tvdb', 'plex'];

/**
 * Every movie, show and episode, in catalog id order. The statement keeps the connection busy until the
 * iteration ends: consume it fully (or break out of the loop) before writing to the catalog again.
 */
export function* exportRows(catalog: Catalog, options: ExportOptions = {}): Generator<ExportRow, void, undefined> {
  let query = catalog.db
    .selectFrom('items as i')
    .innerJoin('servers as s', 's.id', 'i.server_id')
    .innerJoin('libraries as l', 'l.id', 'i.library_id')
    .leftJoin('episodes as e', 'e.item_id', 'i.id')
    .leftJoin('items as parent', 'parent.id', 'e.show_id')
    .select([
      'i.id',
      's.name as server',
      's.machine_identifier',
      'l.title as library',
      'i.kind',
      'i.rating_key',
      'i.title',
      'i.year',
      'i.added_at',
      'i.updated_at',
      'parent.title as show_title',
      'e.season_number',
      'e.episode_number',
    ])
    // Correlated subqueries use the (item_id, …) primary/unique indexes: one index probe per item.
    .select(sql<string | null>`(SELECT json_group_object(x.provider, x.value) FROM external_ids AS x WHERE x.item_id = i.id)`.as('guids'))
    .select(
      sql<string | null>`CASE WHEN i.kind = 'show' THEN NULL ELSE
        (SELECT json_group_array(json_array(f.plex_path, f.local_path, f.mapped) ORDER BY f.media_index, f.part_index)
           FROM media_files AS f WHERE f.item_id = i.id) END`.as('files'),
    )
    .where('i.kind', 'in', ['movie', 'show', 'episode'])
    .orderBy('i.id');
  if (options.serverId !== undefined) query = query.where('i.server_id', '=', options.serverId);
  if (options.libraryId !== undefined) query = query.where('i.library_id', '=', options.libraryId);
  // The kind filter above narrows `kind` to what RawExportRow says.
  for (const raw of queryIterate(catalog, query)) yield toExportRow(raw as RawExportRow);
}

function toExportRow(raw: RawExportRow): ExportRow {
  // Built key by key: the export's field order is part of its format.
  const head: ExportRowHead & { type: ExportRow['type'] } = {
    id: raw.id,
    server: raw.server,
    machineIdentifier: raw.machine_identifier,
    library: raw.library,
    type: raw.kind,
    ratingKey: raw.rating_key,
    title: raw.title,
    year: raw.year,
    guids: parseGuids(raw.guids),
  };
  switch (raw.kind) {
    case 'movie':
      return { ...head, type: 'movie', files: parseFiles(raw.files), addedAt: raw.added_at, updatedAt: raw.updated_at };
    case 'show':
      return { ...head, type: 'show', addedAt: raw.added_at, updatedAt: raw.updated_at };
    case 'episode':
      return {
        ...head,
        type: 'episode',
        show: raw.show_title,
        season: raw.season_number,
        episode: raw.episode_number,
        files: parseFiles(raw.files),
        addedAt: raw.added_at,
        updatedAt: raw.updated_at,
      };
  }
}

function parseGuids(json: string | null): ExternalIds {
  const guids: ExternalIds = {};
  if (json === null) return guids;
  const parsed = JSON.parse(json) as Partial<Record<string, string>>;
  for (const provider of GUID_ORDER) {
    const value = parsed[provider];
    if (typeof value === 'string') guids[provider] = value;
  }
  return guids;
}

function parseFiles(json: string | null): ExportFile[] {
  if (json === null) return [];
  const parsed = JSON.parse(json) as [string, string, number][];
  return parsed.map(([plexPath, localPath, mapped]) => ({ plexPath, localPath, mapped: mapped === 1 }));
}
