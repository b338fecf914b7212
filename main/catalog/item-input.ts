// What the catalog stores for one item, as the sync hands it over: the catalog's own input type, so the
// catalog depends on no Plex wire model and no sync module. The sync converts Plex items into these.
import type { ExternalIds, ItemKind } from '../../shared/domain.js';

export interface CatalogFileInput {
  mediaIndex: number;
  partIndex: number;
  plexPath: string;
  size: number | null;
  durationMs: number | null;
  container: string | null;
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
  /** Shows. */
  leafCount: number | null;
  childCount: number | null;
  /** Seasons and episodes: their show. Episodes: their season (absent for hidden seasons). */
  showRatingKey: string | null;
  showTitle: string | null;
  seasonRatingKey: string | null;
  seasonTitle: string | null;
  seasonNumber: number | null;
  episodeNumber: number | null;
  files: CatalogFileInput[];
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
  | { type: 'keep'; item: I; id: number }
  | { type: 'insert'; item: I }
  | { type: 'replace'; item: I; id: number }
  | { type: 'update'; item: I; id: number };

/**
 * Decides a page: `existing[i]` is the row found for `items[i]` (undefined: none, or a repeat of an earlier item
 * of the page). Pure; the sync provides it (main/sync/page-planner.ts), the catalog applies its answer.
 */
export type PagePlanner = <I extends CatalogItemInput>(
  items: readonly I[],
  existing: readonly (ExistingItem | undefined)[],
  libraryId: number,
) => PageAction<I>[];
