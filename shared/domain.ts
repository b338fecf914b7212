// The catalog's vocabulary, shared by the engine, the CLI and the renderer. Plain data only.
import type { ErrorCode } from './errors.js';

/** Music libraries nest artist → album → track the way show libraries nest show → season → episode. */
export type ItemKind = 'movie' | 'show' | 'season' | 'episode' | 'artist' | 'album' | 'track';

/**
 * External id providers exported by Marquee. `plex` is the new-agent id such as `movie/5d776…`; `asin` an
 * Audible/Amazon id of an audiobook (Audnexus agent); `mbid` a MusicBrainz id of an artist, album or track.
 */
export type GuidProvider = 'imdb' | 'tmdb' | 'tvdb' | 'plex' | 'asin' | 'mbid';

export type ExternalIds = Partial<Record<GuidProvider, string>>;

export interface ServerSummary {
  id: number;
  name: string;
  url: string;
  machineIdentifier: string | null;
  active: boolean;
  lastSyncAt: number | null;
}

export interface LibrarySummary {
  id: number;
  serverId: number;
  serverName: string;
  sectionKey: string;
  uuid: string | null;
  title: string;
  /** Plex section type: 'movie' | 'show' | other types that are listed but never synced. */
  type: string;
  enabled: boolean;
  locations: string[];
  lastSyncAt: number | null;
  lastFullSyncAt: number | null;
  lastSyncStatus: 'ok' | 'failed' | 'cancelled' | null;
  lastSyncError: string | null;
  /**
   * The code of the last sync's failure, read from its stored report (what the renderer picks a remedy by).
   * The app always fills it when the last sync failed with a known code; the catalog's own listing leaves it out.
   */
  lastSyncErrorCode?: ErrorCode;
  itemCounts: { movies: number; shows: number; seasons: number; episodes: number; artists: number; albums: number; tracks: number };
  unmappedFiles: number;
}

export interface PathMapping {
  id: number;
  serverId: number;
  /** null: applies to every library of the server. */
  libraryId: number | null;
  plexPrefix: string;
  localPrefix: string;
}

export interface MediaFile {
  plexPath: string;
  localPath: string;
  mapped: boolean;
  size: number | null;
  duration: number | null;
  container: string | null;
}

export type LibrarySyncOutcome = 'ok' | 'failed' | 'cancelled' | 'skipped';

/** Counts of one change (added, updated or removed) by kind; a kind that did not change is 0. */
export type KindCounts = Record<ItemKind, number>;

/** One item a sync added, updated or removed, as a person would name it. */
export interface ChangedItem {
  kind: ItemKind;
  title: string;
  /** Episodes and seasons: the show's title. Albums and tracks: the artist's (an audiobook's author). */
  show?: string;
  /** Seasons and episodes: the season number. Tracks: the disc number. */
  season?: number;
  /** Episodes: the episode number. Tracks: the track number. */
  episode?: number;
}

/** The first items of one change (up to CHANGED_ITEMS_LIMIT per library), and how many more there were. */
export interface ChangeList {
  items: ChangedItem[];
  more: number;
}

/** How many changed items a library report names before it says "and N more". */
export const CHANGED_ITEMS_LIMIT = 20;

export interface LibrarySyncReport {
  serverName: string;
  libraryTitle: string;
  sectionKey: string;
  outcome: LibrarySyncOutcome;
  /** 'full' lists everything; 'incremental' asks only for what changed. */
  mode: 'full' | 'incremental';
  /** Totals over every kind (what was committed, also when cancelled or failed). */
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  /** The same changes by kind: "8 shows, 12 seasons, 150 episodes added". */
  counts: { added: KindCounts; updated: KindCounts; removed: KindCounts };
  /** What changed, by name, up to CHANGED_ITEMS_LIMIT per list. */
  changes: { added: ChangeList; updated: ChangeList; removed: ChangeList };
  /** Present when outcome is 'failed' (or 'skipped' with a reason). */
  error?: string;
  /** A stable code for the failure (the renderer picks its remedy by it), e.g. 'PLEX_UNAUTHORIZED'. */
  errorCode?: ErrorCode;
  requests: number;
  seconds: number;
  /** How the pass went about it (why a full listing, what a guard refused…), for the curious. */
  notes: string[];
  /**
   * What the user should know about the data this pass brought (file paths Plex withheld, titles cut, impossible
   * dates stored as unknown): the CLI prints them and the app shows them, once per library.
   */
  warnings: string[];
}

export interface SyncReport {
  startedAt: number;
  finishedAt: number;
  libraries: LibrarySyncReport[];
  /** Servers that could not be reached at all (no library could be tried). */
  serverErrors: { serverName: string; error: string; errorCode: ErrorCode }[];
  ok: boolean;
}

/** Two-level progress: which library of how many, and items within it. */
export type SyncProgress =
  | { kind: 'library-start'; index: number; total: number; serverName: string; libraryTitle: string }
  | {
      kind: 'items';
      index: number;
      total: number;
      serverName: string;
      libraryTitle: string;
      phase: string;
      done: number;
      itemsTotal: number;
      ratePerSecond: number;
      etaSeconds: number | null;
    }
  | { kind: 'library-done'; index: number; total: number; report: LibrarySyncReport }
  /** Plex is slow or failing and the engine waits before asking again ("waiting for Plex… attempt 2 of 4"). */
  | {
      kind: 'waiting';
      index: number;
      total: number;
      serverName: string;
      libraryTitle: string;
      attempt: number;
      maxAttempts: number;
      reason: string;
      retryInSeconds: number | null;
    };

/** A show found by the discovery search, with what tells look-alikes apart. */
export interface DiscoveryCandidate {
  serverName: string;
  ratingKey: string;
  title: string;
  year: number | null;
  libraryTitle: string;
  sectionKey: string;
  externalIds: ExternalIds;
  episodeCount: number | null;
  seasonCount: number | null;
  /** Already in the catalog (imported before or by a library sync). */
  inCatalog: boolean;
}

/** What a user types to add a server; the addServer use case trims and checks it before anything is saved. */
export interface NewServer {
  name: string;
  url: string;
  token: string;
}

/** A mapping being typed, before it is saved: previewed against the server's files. */
export interface MappingCandidate {
  plexPrefix: string;
  localPrefix: string;
}

/** One file of a mapping preview: where it lands with the candidate mapping. */
export interface MappingPreviewSample {
  plexPath: string;
  localPath: string;
  mapped: boolean;
  byCandidate: boolean;
}

/** What a candidate mapping would change: the catalog computes it, the mappings view shows it as it is. */
export interface MappingPreviewResult {
  candidateError: string | null;
  files: number;
  unmappedBefore: number;
  unmapped: number;
  mappedByCandidate: number;
  samples: MappingPreviewSample[];
}

// Browsing the catalog (the desktop UI's Browse view): built by main/usecases/browse.ts from the catalog's rows.
export interface BrowseRow {
  id: number;
  kind: ItemKind;
  title: string;
  year: number | null;
  libraryTitle: string;
  serverName: string;
  /** Shows: their episodes in the catalog; null for other kinds. */
  episodeCount: number | null;
  /** Episodes: their show, season and number; null for other kinds. */
  showTitle: string | null;
  seasonNumber: number | null;
  episodeNumber: number | null;
}

/**
 * What a Browse list is narrowed to besides its kind and title search (the catalog's query, the IPC request and
 * the renderer's store all use it); every field left out lets everything through.
 */
export interface BrowseFilters {
  serverId?: number;
  libraryId?: number;
  genre?: string;
  contentRating?: string;
  yearFrom?: number;
  yearTo?: number;
  /** A version of this resolution (Plex's videoResolution: 4k, 1080, 720, sd…). */
  resolution?: string;
  /** A version with HDR or Dolby Vision (known only when the listing carried streams). */
  hdr?: boolean;
  /** A file whose local path is unknown (no path mapping covers it). */
  unmapped?: boolean;
}

/** Browse's sorts: title (Plex's sort title where it has one), year, date added, date updated. */
export type BrowseSort = 'title' | 'year' | 'added' | 'updated';

/** What Browse's filters can offer: only values the catalog holds. */
export interface BrowseFacets {
  servers: { id: number; name: string }[];
  libraries: { id: number; title: string; serverId: number; serverName: string }[];
  /** Kinds with items, seasons left out (a season is reached through its show), with how many. */
  kinds: { kind: ItemKind; count: number }[];
  genres: string[];
  contentRatings: string[];
  /** Plex's videoResolution values, highest first (4k, 1080, 720, sd…). */
  resolutions: string[];
  years: { min: number; max: number } | null;
}

/** One version (Plex's Media) of a movie or episode, with its files (stacked parts in order). */
export interface ItemVersion {
  resolution: string | null;
  width: number | null;
  height: number | null;
  videoCodec: string | null;
  videoProfile: string | null;
  frameRate: string | null;
  bitrate: number | null;
  audioCodec: string | null;
  audioChannels: number | null;
  audioProfile: string | null;
  container: string | null;
  durationMs: number | null;
  /** 'dolby-vision', 'hdr10', 'hlg'; null when unknown or SDR. */
  hdr: string | null;
  audioLanguages: string[] | null;
  subtitleLanguages: string[] | null;
  files: MediaFile[];
}

/** Another copy of the same title (same kind, a shared IMDb/TMDb/TVDB id) in another library or server. */
export interface DuplicateCopy {
  id: number;
  title: string;
  year: number | null;
  libraryTitle: string;
  serverName: string;
}

export interface BrowsePage {
  total: number;
  rows: BrowseRow[];
}

export interface BrowseEpisode {
  id: number;
  title: string;
  episodeNumber: number | null;
}

export interface BrowseSeason {
  id: number | null;
  title: string;
  seasonNumber: number | null;
  episodes: BrowseEpisode[];
}

/** A track of an album (a part of an audiobook), as the music browser lists it. */
export interface BrowseTrack {
  id: number;
  title: string;
  discNumber: number | null;
  trackNumber: number | null;
  durationMs: number | null;
  /** The track's first file; null when Plex sent no path. */
  file: MediaFile | null;
}

/** An album with its tracks; an audiobook is an album with an ASIN (its artist is the author, the album the book). */
export interface BrowseAlbum {
  /** null: tracks whose album is no longer in the catalog. */
  id: number | null;
  title: string;
  year: number | null;
  asin: string | null;
  /** Whether this album is an audiobook (its GUID carries an ASIN). */
  audiobook: boolean;
  tracks: BrowseTrack[];
}

/** `browse:artist`: an artist (an audiobook's author) with its albums (books) and their tracks. */
export interface BrowseArtist {
  id: number;
  title: string;
  libraryTitle: string;
  albums: BrowseAlbum[];
}

/** Issue 10: an item's descriptive metadata (null / [] where Plex sent none). */
export interface ItemMetadata {
  summary: string | null;
  tagline: string | null;
  contentRating: string | null;
  studio: string | null;
  originalTitle: string | null;
  edition: string | null;
  criticRating: number | null;
  /** Where the rating comes from, as Plex names it (`rottentomatoes://image.rating.ripe`). */
  criticRatingImage: string | null;
  audienceRating: number | null;
  audienceRatingImage: string | null;
  genres: string[];
  countries: string[];
  collections: string[];
  labels: string[];
  directors: string[];
  writers: string[];
  /** In billing order, as the listing carries them (a few, not the full cast). */
  actors: string[];
}

export interface ItemDetails extends ItemMetadata {
  id: number;
  kind: ItemKind;
  title: string;
  year: number | null;
  ratingKey: string;
  guid: string | null;
  externalIds: ExternalIds;
  files: MediaFile[];
  showTitle: string | null;
  seasonNumber: number | null;
  episodeNumber: number | null;
  addedAt: number | null;
  updatedAt: number | null;
  libraryTitle: string;
  serverName: string;
  /** Movies and episodes, in media order; each version's files are also in `files`. */
  versions: ItemVersion[];
  /** The duplicate group (the export's `groupId`). */
  groupId: string;
  /** The other items of the group. */
  alsoIn: DuplicateCopy[];
}
