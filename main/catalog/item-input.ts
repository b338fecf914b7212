// What the catalog stores for one item, as the sync hands it over: the catalog's own input type, so the
// catalog depends on no Plex wire model and no sync module. The sync converts Plex items into these.
import type { ExternalIds, ItemKind } from '../../shared/domain.js';

/**
 * The two three-level hierarchies of Plex libraries: show → season → episode and artist → album → track (an
 * audiobook is an album whose artist is its author). The sync and the catalog treat both alike through these
 * names; CatalogItemInput's show/season fields hold the top and middle levels of either.
 */
export interface KindHierarchy {
  top: 'show' | 'artist';
  middle: 'season' | 'album';
  leaf: 'episode' | 'track';
}

export const SHOW_HIERARCHY = { top: 'show', middle: 'season', leaf: 'episode' } as const satisfies KindHierarchy;
export const MUSIC_HIERARCHY = { top: 'artist', middle: 'album', leaf: 'track' } as const satisfies KindHierarchy;

/** The hierarchy a kind belongs to (none for movies). */
export function hierarchyOfKind(kind: ItemKind): KindHierarchy | undefined {
  if (kind === 'show' || kind === 'season' || kind === 'episode') return SHOW_HIERARCHY;
  if (kind === 'artist' || kind === 'album' || kind === 'track') return MUSIC_HIERARCHY;
  return undefined;
}

export interface CatalogFileInput {
  mediaIndex: number;
  partIndex: number;
  plexPath: string;
  size: number | null;
  durationMs: number | null;
  container: string | null;
}

export type CatalogTagKind = 'genre' | 'label' | 'collection' | 'country' | 'director' | 'writer' | 'actor';

export interface CatalogTagInput {
  kind: CatalogTagKind;
  name: string;
}

/** Descriptive metadata of an item (NULL where the listing carried nothing). */
export interface CatalogItemDetails {
  summary: string | null;
  tagline: string | null;
  contentRating: string | null;
  studio: string | null;
  originalTitle: string | null;
  titleSort: string | null;
  edition: string | null;
  criticRating: number | null;
  criticRatingImage: string | null;
  audienceRating: number | null;
  audienceRatingImage: string | null;
}

/** The technical line of one version (Plex's Media) of a movie or episode. */
export interface CatalogVersionInput {
  mediaIndex: number;
  resolution: string | null;
  width: number | null;
  height: number | null;
  videoCodec: string | null;
  videoProfile: string | null;
  frameRate: string | null;
  aspectRatio: number | null;
  bitrate: number | null;
  audioCodec: string | null;
  audioChannels: number | null;
  audioProfile: string | null;
  container: string | null;
  durationMs: number | null;
  hdr: string | null;
  /** ISO 639-2 codes in stream order; null when the response carried no streams (listings never do). */
  audioLanguages: readonly string[] | null;
  subtitleLanguages: readonly string[] | null;
}

export interface CatalogItemInput {
  kind: ItemKind;
  ratingKey: string;
  guid: string | null;
  title: string;
  year: number | null;
  addedAt: number | null;
  updatedAt: number | null;
  externalIds: ExternalIds;
  originallyAvailableAt: string | null;
  durationMs: number | null;
  /** Shows and artists. */
  leafCount: number | null;
  childCount: number | null;
  /**
   * The top and middle levels of a hierarchy (KindHierarchy). Seasons and episodes: their show; episodes: their
   * season (absent for hidden seasons). Albums and tracks: their artist (an audiobook's author); tracks: their album.
   */
  showRatingKey: string | null;
  showTitle: string | null;
  seasonRatingKey: string | null;
  seasonTitle: string | null;
  /** Seasons and episodes: the season number. Tracks: the disc number (Plex's parentIndex). */
  seasonNumber: number | null;
  /** Episodes: the episode number. Tracks: the track number (Plex's index). */
  episodeNumber: number | null;
  files: CatalogFileInput[];
  /** Descriptive metadata; absent: none known (stored as NULLs). */
  details?: CatalogItemDetails;
  /** Distinct (kind, name) pairs, in the listing's order within each kind. */
  tags?: readonly CatalogTagInput[];
  /** Movies, episodes and tracks: one entry per version. */
  versions?: readonly CatalogVersionInput[];
  /** Hash of every stored field: equal fingerprints mean nothing to write. */
  fingerprint: string;
}

/** The catalog row an incoming item corresponds to (same rating key, or same GUID after a Plex re-key). */
export interface ExistingItem {
  id: number;
  fingerprint: string;
  libraryId: number;
  kind: ItemKind;
}

/**
 * What to do with one incoming item of a page. `repeat`: the page listed it already; `keep`: stored as is;
 * `insert`: new; `replace`: the row under its rating key is of another kind (deleted, then inserted anew);
 * `update`: rewrite row `id` (a re-key keeps the catalog id).
 */
export type PageAction<I extends CatalogItemInput = CatalogItemInput> =
  | { type: 'repeat'; item: I }
  /** `restampFrom`: the row's fingerprint is of an older kind and stands for the same fields: store the new one. */
  | { type: 'keep'; item: I; id: number; restampFrom?: string }
  | { type: 'insert'; item: I }
  | { type: 'replace'; item: I; id: number }
  | { type: 'update'; item: I; id: number };

/** An item of the page that an earlier item of the same page already stands for (a listing that repeats one). */
export const REPEATED = null;

/**
 * Decides a page: `existing[i]` is the row found for `items[i]`; undefined when there is none, REPEATED when the
 * item repeats an earlier one of the page (the catalog finds repeats as it looks rows up: one set of keys a page,
 * not two). Pure; the sync provides it (main/sync/page-planner.ts), the catalog applies its answer.
 */
export type PagePlanner = <I extends CatalogItemInput>(
  items: readonly I[],
  existing: readonly (ExistingItem | typeof REPEATED | undefined)[],
  libraryId: number,
) => PageAction<I>[];
