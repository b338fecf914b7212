// The catalog as one JSON object per movie, show and episode (seasons are folded into their episodes), and per
// artist, album and track of music libraries (an audiobook is an album: its author the artist, its ASIN an id).
// Streamed: one statement iterated row by row, files, ids, tags and versions aggregated by SQLite, nothing held
// in memory. The field names and their order are the export's format (README "export"): new fields are only
// ever appended.
import type { ExternalIds, GuidProvider } from '../../shared/domain.js';
import { sql } from 'kysely';
import { type Catalog, queryIterate } from './database.js';
import { allGroupIds, soloGroupId } from './duplicates.js';
import type { CatalogVersionInput } from './item-input.js';

export interface ExportFile {
  plexPath: string;
  localPath: string;
  mapped: boolean;
}

/** Descriptive metadata and tags, on every row (issue 10); null / [] where the catalog has none. */
export interface ExportDetails {
  summary: string | null;
  tagline: string | null;
  contentRating: string | null;
  studio: string | null;
  originalTitle: string | null;
  titleSort: string | null;
  criticRating: number | null;
  criticRatingImage: string | null;
  audienceRating: number | null;
  audienceRatingImage: string | null;
  genres: string[];
  labels: string[];
  collections: string[];
  countries: string[];
  directors: string[];
  writers: string[];
  actors: string[];
}

/** The technical line of one version (Plex's Media), in media order: what the sync stored, without its index. */
export type ExportVersion = Omit<CatalogVersionInput, 'mediaIndex'>;

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

export interface MovieExportRow extends ExportRowHead, ExportDetails {
  type: 'movie';
  files: ExportFile[];
  addedAt: number | null;
  updatedAt: number | null;
  edition: string | null;
  versions: ExportVersion[];
  groupId: string;
}

export interface ShowExportRow extends ExportRowHead, ExportDetails {
  type: 'show';
  addedAt: number | null;
  updatedAt: number | null;
  groupId: string;
}

export interface EpisodeExportRow extends ExportRowHead, ExportDetails {
  type: 'episode';
  /** The show's title (null only for an episode whose show is not in the catalog). */
  show: string | null;
  season: number | null;
  episode: number | null;
  files: ExportFile[];
  addedAt: number | null;
  updatedAt: number | null;
  versions: ExportVersion[];
  /**
   * The duplicate group (main/catalog/duplicates.ts): the same kind sharing an IMDb, TMDb or TVDB id, on any
   * server or library. `movie:imdb:tt0111161`; `item:<id>` for an item without such ids. Last on every row.
   */
  groupId: string;
}

/** An artist of a music library (an audiobook's author). */
export interface ArtistExportRow extends ExportRowHead, ExportDetails {
  type: 'artist';
  addedAt: number | null;
  updatedAt: number | null;
  groupId: string;
}

/** What albums and tracks add after the details: where they sit in the artist → album → track hierarchy. */
interface MusicFields {
  /** The artist's title (Plex's parentTitle of an album). */
  artist: string | null;
  /** Audiobooks: the author, i.e. the artist of a book that carries an ASIN; null for other albums. */
  author: string | null;
  /** Audiobooks: the book's ASIN (a track gives its album's); null when the GUIDs carry none. */
  asin: string | null;
}

export interface AlbumExportRow extends ExportRowHead, ExportDetails, MusicFields {
  type: 'album';
  addedAt: number | null;
  updatedAt: number | null;
  groupId: string;
}

export interface TrackExportRow extends ExportRowHead, ExportDetails, MusicFields {
  type: 'track';
  /** The album's title (an audiobook's book). */
  album: string | null;
  /** Plex's parentIndex and index. */
  disc: number | null;
  track: number | null;
  files: ExportFile[];
  addedAt: number | null;
  updatedAt: number | null;
  versions: ExportVersion[];
  groupId: string;
}

export type ExportRow = MovieExportRow | ShowExportRow | EpisodeExportRow | ArtistExportRow | AlbumExportRow | TrackExportRow;

export interface ExportOptions {
  serverId?: number;
  libraryId?: number;
}

interface RawExportRow {
  id: number;
  server: string;
  machine_identifier: string | null;
  library: string;
  kind: 'movie' | 'show' | 'episode' | 'artist' | 'album' | 'track';
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
  // Absent from a catalog before migration 0004 (plainExportQuery).
  summary?: string | null;
  tagline?: string | null;
  content_rating?: string | null;
  studio?: string | null;
  original_title?: string | null;
  title_sort?: string | null;
  edition?: string | null;
  critic_rating?: number | null;
  critic_rating_image?: string | null;
  audience_rating?: number | null;
  audience_rating_image?: string | null;
  /** JSON array of [kind, name] in link order, or null without tags. */
  tags?: string | null;
  /** JSON array of arrays in VERSION_FIELDS order, or null without versions. */
  versions?: string | null;
  // Absent from a catalog before migration 0005 (music).
  music_artist?: string | null;
  music_album?: string | null;
  disc_number?: number | null;
  track_number?: number | null;
  book_asin?: string | null;
}

/** The columns of media_versions, in the order of the versions aggregate and of ExportVersion's fields. */
const VERSION_FIELDS = [
  ['resolution', 'resolution'],
  ['width', 'width'],
  ['height', 'height'],
  ['videoCodec', 'video_codec'],
  ['videoProfile', 'video_profile'],
  ['frameRate', 'frame_rate'],
  ['aspectRatio', 'aspect_ratio'],
  ['bitrate', 'bitrate'],
  ['audioCodec', 'audio_codec'],
  ['audioChannels', 'audio_channels'],
  ['audioProfile', 'audio_profile'],
  ['container', 'container'],
  ['durationMs', 'duration_ms'],
  ['hdr', 'hdr'],
  ['audioLanguages', 'audio_languages'],
  ['subtitleLanguages', 'subtitle_languages'],
] as const satisfies readonly (readonly [keyof ExportVersion, string])[];

/** Tag kinds as stored, and the export field each goes to. */
const TAG_FIELDS = {
  genre: 'genres',
  label: 'labels',
  collection: 'collections',
  country: 'countries',
  director: 'directors',
  writer: 'writers',
  actor: 'actors',
} as const satisfies Record<string, keyof ExportDetails>;

const GUID_ORDER: readonly GuidProvider[] = ['imdb', 'tmdb', 'tvdb', 'plex', 'asin', 'mbid'];

/** Kinds exported as rows (seasons are folded into their episodes). */
const EXPORTED_KINDS = ['movie', 'show', 'episode', 'artist', 'album', 'track'] as const;

/**
 * Every movie, show and episode, in catalog id order. The statement keeps the connection busy until the
 * iteration ends: consume it fully (or break out of the loop) before writing to the catalog again.
 */
export function* exportRows(catalog: Catalog, options: ExportOptions = {}): Generator<ExportRow, void, undefined> {
  // Groups span the whole catalog whatever the options: a row's group id never depends on what else is exported.
  // Built before the iteration starts, as the connection cannot run another statement during it.
  const groups = allGroupIds(catalog);
  const query = !hasTable(catalog, 'media_versions')
    ? plainExportQuery(catalog, options)
    : hasTable(catalog, 'tracks')
      ? musicExportQuery(catalog, options)
      : richExportQuery(catalog, options);
  // The kind filter narrows `kind` to what RawExportRow says.
  for (const raw of queryIterate(catalog, query)) yield toExportRow(raw as RawExportRow, groups.get(raw.id) ?? soloGroupId(raw.id));
}

/**
 * Whether a migration made this table (0004: media_versions, 0005: tracks). Reading commands never migrate, so
 * an older catalog is exported as it is: its rows carry the new fields as null and [].
 */
function hasTable(catalog: Catalog, name: string): boolean {
  return catalog.sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

/** The columns every catalog version has. */
function plainExportQuery(catalog: Catalog, options: ExportOptions) {
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
      sql<string | null>`CASE WHEN i.kind IN ('show', 'artist', 'album') THEN NULL ELSE
        (SELECT json_group_array(json_array(f.plex_path, f.local_path, f.mapped) ORDER BY f.media_index, f.part_index)
           FROM media_files AS f WHERE f.item_id = i.id) END`.as('files'),
    )
    .where('i.kind', 'in', EXPORTED_KINDS)
    .orderBy('i.id');
  if (options.serverId !== undefined) query = query.where('i.server_id', '=', options.serverId);
  if (options.libraryId !== undefined) query = query.where('i.library_id', '=', options.libraryId);
  return query;
}

/** With migration 0004: details from items, tags and versions aggregated per item like files and ids. */
function richExportQuery(catalog: Catalog, options: ExportOptions) {
  return plainExportQuery(catalog, options)
    .select([
      'i.summary',
      'i.tagline',
      'i.content_rating',
      'i.studio',
      'i.original_title',
      'i.title_sort',
      'i.edition',
      'i.critic_rating',
      'i.critic_rating_image',
      'i.audience_rating',
      'i.audience_rating_image',
    ])
    .select(
      sql<string | null>`(SELECT json_group_array(json_array(t.kind, t.name)) FROM
        (SELECT tg.kind, tg.name FROM item_tags AS it JOIN tags AS tg ON tg.id = it.tag_id
          WHERE it.item_id = i.id ORDER BY it.position) AS t)`.as('tags'),
    )
    .select(
      sql<string | null>`CASE WHEN i.kind IN ('show', 'artist', 'album') THEN NULL ELSE
        (SELECT json_group_array(json_array(${sql.join(VERSION_FIELDS.map(([, column]) => sql.ref(`v.${column}`)))}) ORDER BY v.media_index)
           FROM media_versions AS v WHERE v.item_id = i.id) END`.as('versions'),
    );
}

/**
 * With migration 0005: an album's or track's place in its artist → album → track hierarchy, and a book's ASIN.
 * Correlated subqueries on primary keys, evaluated for music rows only (CASE): movies and episodes cost nothing more.
 */
function musicExportQuery(catalog: Catalog, options: ExportOptions) {
  return richExportQuery(catalog, options)
    .select(
      sql<string | null>`CASE i.kind
        WHEN 'album' THEN (SELECT ar.title FROM albums AS a JOIN items AS ar ON ar.id = a.artist_id WHERE a.item_id = i.id)
        WHEN 'track' THEN (SELECT ar.title FROM tracks AS t JOIN items AS ar ON ar.id = t.artist_id WHERE t.item_id = i.id)
        END`.as('music_artist'),
    )
    .select(
      sql<string | null>`CASE WHEN i.kind = 'track' THEN
        (SELECT al.title FROM tracks AS t JOIN items AS al ON al.id = t.album_id WHERE t.item_id = i.id) END`.as('music_album'),
    )
    .select(
      sql<number | null>`CASE WHEN i.kind = 'track' THEN (SELECT t.disc_number FROM tracks AS t WHERE t.item_id = i.id) END`.as(
        'disc_number',
      ),
    )
    .select(
      sql<number | null>`CASE WHEN i.kind = 'track' THEN (SELECT t.track_number FROM tracks AS t WHERE t.item_id = i.id) END`.as(
        'track_number',
      ),
    )
    .select(
      sql<string | null>`CASE i.kind
        WHEN 'album' THEN (SELECT x.value FROM external_ids AS x WHERE x.item_id = i.id AND x.provider = 'asin')
        WHEN 'track' THEN (SELECT x.value FROM tracks AS t JOIN external_ids AS x ON x.item_id = t.album_id AND x.provider = 'asin'
                            WHERE t.item_id = i.id)
        END`.as('book_asin'),
    );
}

function toExportRow(raw: RawExportRow, groupId: string): ExportRow {
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
  const details = detailsOf(raw);
  switch (raw.kind) {
    case 'movie':
      return {
        ...head,
        type: 'movie',
        files: parseFiles(raw.files),
        addedAt: raw.added_at,
        updatedAt: raw.updated_at,
        ...details,
        edition: raw.edition ?? null,
        versions: parseVersions(raw.versions),
        groupId,
      };
    case 'show':
      return { ...head, type: 'show', addedAt: raw.added_at, updatedAt: raw.updated_at, ...details, groupId };
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
        ...details,
        versions: parseVersions(raw.versions),
        groupId,
      };
    case 'artist':
      return { ...head, type: 'artist', addedAt: raw.added_at, updatedAt: raw.updated_at, ...details, groupId };
    case 'album':
      return { ...head, type: 'album', addedAt: raw.added_at, updatedAt: raw.updated_at, ...details, ...musicFieldsOf(raw), groupId };
    case 'track':
      return {
        ...head,
        type: 'track',
        album: raw.music_album ?? null,
        disc: raw.disc_number ?? null,
        track: raw.track_number ?? null,
        files: parseFiles(raw.files),
        addedAt: raw.added_at,
        updatedAt: raw.updated_at,
        ...details,
        versions: parseVersions(raw.versions),
        ...musicFieldsOf(raw),
        groupId,
      };
  }
}

function musicFieldsOf(raw: RawExportRow): MusicFields {
  const asin = raw.book_asin ?? null;
  const artist = raw.music_artist ?? null;
  return { artist, author: asin === null ? null : artist, asin };
}

function detailsOf(raw: RawExportRow): ExportDetails {
  const details: ExportDetails = {
    summary: raw.summary ?? null,
    tagline: raw.tagline ?? null,
    contentRating: raw.content_rating ?? null,
    studio: raw.studio ?? null,
    originalTitle: raw.original_title ?? null,
    titleSort: raw.title_sort ?? null,
    criticRating: raw.critic_rating ?? null,
    criticRatingImage: raw.critic_rating_image ?? null,
    audienceRating: raw.audience_rating ?? null,
    audienceRatingImage: raw.audience_rating_image ?? null,
    genres: [],
    labels: [],
    collections: [],
    countries: [],
    directors: [],
    writers: [],
    actors: [],
  };
  if (raw.tags === null || raw.tags === undefined) return details;
  for (const [kind, name] of JSON.parse(raw.tags) as [string, string][]) {
    const field = TAG_FIELDS[kind as keyof typeof TAG_FIELDS] as (typeof TAG_FIELDS)[keyof typeof TAG_FIELDS] | undefined;
    if (field !== undefined) details[field].push(name);
  }
  return details;
}

function parseVersions(json: string | null | undefined): ExportVersion[] {
  if (json === null || json === undefined) return [];
  const rows = JSON.parse(json) as (string | number | null)[][];
  return rows.map((values) => {
    const version = {} as Record<keyof ExportVersion, unknown>;
    VERSION_FIELDS.forEach(([field], index) => {
      const value = values[index] ?? null;
      // Languages are stored as JSON text: they come back as arrays.
      version[field] =
        (field === 'audioLanguages' || field === 'subtitleLanguages') && typeof value === 'string' ? JSON.parse(value) : value;
    });
    return version as ExportVersion;
  });
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
