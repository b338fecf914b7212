// Kysely's view of the tables created by migrations/. Keep in step with the SQL: one interface per table.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface SettingsTable {
  key: string;
  value: string;
}

export interface ServersTable {
  id: Generated<number>;
  name: string;
  url: string;
  machine_identifier: string | null;
  token_ciphertext: string | null;
  active: Generated<0 | 1>;
  created_at: number;
  last_sync_at: number | null;
  // Added by migration plex_accounts (Sign in with Plex).
  account_id: number | null;
  owned: 0 | 1 | null;
  needs_signin: Generated<0 | 1>;
  needs_signin_since: number | null;
  connection_uri: string | null;
  connection_latency_ms: number | null;
  connection_checked_at: number | null;
}

export interface AccountsTable {
  id: Generated<number>;
  plex_uuid: string;
  plex_id: number | null;
  username: string;
  email: string | null;
  avatar_url: string | null;
  token_ciphertext: string | null;
  signed_in_at: number | null;
  created_at: number;
}

export interface ServerConnectionsTable {
  id: Generated<number>;
  server_id: number;
  uri: string;
  protocol: 'http' | 'https';
  address: string;
  port: number;
  local: 0 | 1;
  relay: 0 | 1;
  ipv6: 0 | 1;
  last_ok_at: number | null;
  last_latency_ms: number | null;
  last_failure_code: string | null;
  last_checked_at: number | null;
}

export interface LibrariesTable {
  id: Generated<number>;
  server_id: number;
  section_key: string;
  uuid: string | null;
  title: string;
  type: string;
  enabled: Generated<0 | 1>;
  locations: Generated<string>;
  missing_since: number | null;
  content_changed_at: string | null;
  watermark: number | null;
  last_sync_at: number | null;
  last_full_sync_at: number | null;
  last_sync_status: 'ok' | 'failed' | 'cancelled' | null;
  last_sync_error: string | null;
  last_sync_report: string | null;
}

export interface PathMappingsTable {
  id: Generated<number>;
  server_id: number;
  library_id: number | null;
  plex_prefix: string;
  local_prefix: string;
  created_at: number;
}

export interface ItemsTable {
  id: Generated<number>;
  server_id: number;
  library_id: number;
  kind: 'movie' | 'show' | 'season' | 'episode' | 'artist' | 'album' | 'track';
  rating_key: string;
  guid: string | null;
  title: string;
  year: number | null;
  added_at: number | null;
  updated_at: number | null;
  fingerprint: string;
  synced_at: number;
  // Added by migration rich_metadata (issue 10).
  summary: string | null;
  tagline: string | null;
  content_rating: string | null;
  studio: string | null;
  original_title: string | null;
  title_sort: string | null;
  edition: string | null;
  critic_rating: number | null;
  critic_rating_image: string | null;
  audience_rating: number | null;
  audience_rating_image: string | null;
}

export type TagKind = 'genre' | 'label' | 'collection' | 'country' | 'director' | 'writer' | 'actor';

/** migrations/0004_rich_metadata.sql: one row per distinct (kind, name). */
export interface TagsTable {
  id: number;
  kind: TagKind;
  name: string;
}

export interface ItemTagsTable {
  item_id: number;
  tag_id: number;
  position: number;
}

/** One row per version (Plex's Media) of a movie or episode. */
export interface MediaVersionsTable {
  item_id: number;
  media_index: number;
  resolution: string | null;
  width: number | null;
  height: number | null;
  video_codec: string | null;
  video_profile: string | null;
  frame_rate: string | null;
  aspect_ratio: number | null;
  bitrate: number | null;
  audio_codec: string | null;
  audio_channels: number | null;
  audio_profile: string | null;
  container: string | null;
  duration_ms: number | null;
  hdr: string | null;
  audio_languages: string | null;
  subtitle_languages: string | null;
}

/** migrations/0007_detail_pass.sql: items the detail pass has done, at which fingerprint (main/catalog/details.ts). */
export interface ItemDetailsTable {
  item_id: number;
  fingerprint: string;
  updated_at: number | null;
  detailed_at: number;
}

export interface MoviesTable {
  item_id: number;
  originally_available_at: string | null;
  duration_ms: number | null;
}

export interface ShowsTable {
  item_id: number;
  leaf_count: number | null;
  child_count: number | null;
}

export interface SeasonsTable {
  item_id: number;
  show_id: number;
  season_number: number | null;
}

export interface EpisodesTable {
  item_id: number;
  show_id: number | null;
  season_id: number | null;
  season_number: number | null;
  episode_number: number | null;
  originally_available_at: string | null;
  duration_ms: number | null;
}

/** migrations/0005_music.sql: an artist (an audiobook's author), like a show. */
export interface ArtistsTable {
  item_id: number;
  leaf_count: number | null;
  child_count: number | null;
}

/** An album (an audiobook's book) of one artist, like a season. */
export interface AlbumsTable {
  item_id: number;
  artist_id: number;
  year: number | null;
}

/** A track of an album, like an episode: disc is Plex's parentIndex, track its index. */
export interface TracksTable {
  item_id: number;
  artist_id: number | null;
  album_id: number | null;
  disc_number: number | null;
  track_number: number | null;
  duration_ms: number | null;
}

export interface MediaFilesTable {
  id: Generated<number>;
  item_id: number;
  media_index: number;
  part_index: number;
  plex_path: string;
  local_path: string;
  mapped: 0 | 1;
  size: number | null;
  duration_ms: number | null;
  container: string | null;
}

export interface ExternalIdsTable {
  item_id: number;
  provider: 'imdb' | 'tmdb' | 'tvdb' | 'plex' | 'asin' | 'mbid';
  value: string;
}

/** migrations/0009_job_queue.sql: one row per job that waits or runs (main/catalog/job-queue.ts). */
export interface JobQueueTable {
  id: Generated<number>;
  ticket: string;
  kind: 'sync' | 'import' | 'live' | 'edit';
  label: string;
  program: string;
  pid: number;
  host: string;
  priority: 0 | 1;
  state: Generated<'waiting' | 'running' | 'yielded'>;
  enqueued_at: number;
  started_at: number | null;
  heartbeat_at: number;
  cancel_requested: Generated<0 | 1>;
}

/** migrations/NNNN_artwork.sql: one row per cached image (main/catalog/artwork.ts). */
export interface ArtworkCacheTable {
  item_id: number;
  role: 'poster' | 'background';
  width: number;
  height: number;
  item_stamp: string;
  hash: string;
  bytes: number;
  content_type: string;
  last_used_at: number;
}

export interface CatalogSchema {
  settings: SettingsTable;
  servers: ServersTable;
  libraries: LibrariesTable;
  path_mappings: PathMappingsTable;
  items: ItemsTable;
  movies: MoviesTable;
  shows: ShowsTable;
  seasons: SeasonsTable;
  episodes: EpisodesTable;
  artists: ArtistsTable;
  albums: AlbumsTable;
  tracks: TracksTable;
  media_files: MediaFilesTable;
  external_ids: ExternalIdsTable;
  tags: TagsTable;
  item_tags: ItemTagsTable;
  media_versions: MediaVersionsTable;
  item_details: ItemDetailsTable;
  accounts: AccountsTable;
  server_connections: ServerConnectionsTable;
  artwork_cache: ArtworkCacheTable;
  job_queue: JobQueueTable;
}

export type ServerRow = Selectable<ServersTable>;
export type NewServerRow = Insertable<ServersTable>;
export type ServerUpdate = Updateable<ServersTable>;
export type LibraryRow = Selectable<LibrariesTable>;
export type LibraryUpdate = Updateable<LibrariesTable>;
export type PathMappingRow = Selectable<PathMappingsTable>;
export type ItemRow = Selectable<ItemsTable>;
