// Live changes through the engine's normal write path: items fetched by key after Plex announced them are
// written with the same ItemWriter (one transaction per library) and path mappings as a sync's pages, and
// removals go through the same delete. Callers run in their turn in the catalog's job queue (main/live/job-queue.ts).
import type { ChangedItem, ItemKind } from '../../shared/domain.js';
import type { Catalog } from '../catalog/database.js';
import { LibraryItemIndex } from '../catalog/item-index.js';
import type { CatalogItemInput } from '../catalog/item-input.js';
import { ItemWriter, removeCatalogItems, type PageChanges } from '../catalog/item-writer.js';
import { isSyncableLibraryType, listLibraries, type LibraryListing } from '../catalog/libraries.js';
import { mappingResolverFor } from '../catalog/mappings.js';
import { METADATA_BATCH_SIZE, type PlexClient } from '../plex/client.js';
import type { PlexItem } from '../plex/model.js';
import { toCatalogItem, withSeasonNumber } from './catalog-item.js';
import { planPage } from './page-planner.js';
import { describeRecord, zeroKindCounts } from './report.js';

export interface LiveItemChange {
  change: 'added' | 'updated' | 'removed';
  item: ChangedItem;
  ratingKey: string;
  libraryTitle: string;
}

export interface LiveApplyResult {
  changes: LiveItemChange[];
  /** Items of libraries Marquee does not sync (disabled, unknown section, other types) or kinds it does not keep. */
  ignored: number;
}

export interface LiveApplyScope {
  catalog: Catalog;
  client: PlexClient;
  serverId: number;
  /** Epoch seconds. */
  now: () => number;
}

/** Parents before their children: a page writes an artist before its albums, an album before its tracks. */
const KIND_ORDER: Record<ItemKind, number> = { show: 0, artist: 0, season: 1, album: 1, movie: 2, episode: 3, track: 3 };

/** Kinds a live batch fetches when the catalog lacks them: the parents of episodes and tracks. */
const PARENT_KINDS: ReadonlySet<ItemKind> = new Set<ItemKind>(['show', 'season', 'artist', 'album']);

/** The libraries live changes may write to: enabled, still listed, of a kind that syncs. */
export function liveLibraries(catalog: Catalog, serverId: number): Map<string, LibraryListing> {
  const all = listLibraries(catalog, { serverId, withCounts: false });
  const usable = all.filter((library) => library.enabled && library.missingSince === null && isSyncableLibraryType(library.type));
  return new Map(usable.map((library) => [library.sectionKey, library]));
}

/**
 * Writes items Plex returned for `/library/metadata/{a,b,c}`. An episode or season whose show the catalog does
 * not have yet brings its show and season, asked for in one more request; a track or album likewise brings its
 * artist and album.
 */
export async function applyFetchedItems(scope: LiveApplyScope, items: readonly PlexItem[]): Promise<LiveApplyResult> {
  const libraries = liveLibraries(scope.catalog, scope.serverId);
  const result: LiveApplyResult = { changes: [], ignored: 0 };
  const byLibrary = new Map<number, { library: LibraryListing; records: CatalogItemInput[] }>();
  for (const item of items) {
    const library = item.librarySectionID === undefined ? undefined : libraries.get(item.librarySectionID);
    const record = toCatalogItem(asListed(item));
    if (library === undefined || record === null) {
      result.ignored += 1;
      continue;
    }
    const group = byLibrary.get(library.id) ?? { library, records: [] };
    group.records.push(record);
    byLibrary.set(library.id, group);
  }
  const parents = await fetchMissingParents(
    scope,
    [...byLibrary.values()].flatMap((group) => group.records),
  );
  for (const { library, records } of byLibrary.values()) {
    const complete = withParents(records, parents);
    result.changes.push(...writeRecords(scope, library, complete));
  }
  return result;
}

/** Shows and seasons (artists and albums) the catalog lacks for these records, fetched together (none asked when all are known). */
async function fetchMissingParents(scope: LiveApplyScope, records: readonly CatalogItemInput[]): Promise<CatalogItemInput[]> {
  const index = new LibraryItemIndex(scope.catalog, 0);
  const inBatch = new Set(records.map((record) => record.ratingKey));
  const missing = new Set<string>();
  for (const record of records) {
    for (const key of [record.showRatingKey, record.kind === 'episode' || record.kind === 'track' ? record.seasonRatingKey : null]) {
      if (key !== null && !inBatch.has(key) && index.idByRatingKey(scope.serverId, key) === undefined) missing.add(key);
    }
  }
  if (missing.size === 0) return [];
  const fetched = await scope.client.metadataBatch([...missing].slice(0, METADATA_BATCH_SIZE));
  return fetched
    .map((item) => toCatalogItem(asListed(item)))
    .filter((record): record is CatalogItemInput => record !== null && PARENT_KINDS.has(record.kind));
}

/** The library's records with the parents that belong to them, parents first; hidden seasons lend their number. */
function withParents(records: readonly CatalogItemInput[], parents: readonly CatalogItemInput[]): CatalogItemInput[] {
  const showKeys = new Set(records.map((record) => record.showRatingKey).filter((key): key is string => key !== null));
  const ownParents = parents.filter((parent) =>
    showKeys.has(parent.kind === 'show' || parent.kind === 'artist' ? parent.ratingKey : (parent.showRatingKey ?? '')),
  );
  const seasonNumbers = new Map(
    ownParents.filter((parent) => parent.kind === 'season').map((season) => [season.ratingKey, season.seasonNumber]),
  );
  const completed = records.map((record) => {
    if (record.kind !== 'episode' || record.seasonNumber !== null || record.seasonRatingKey === null) return record;
    const number = seasonNumbers.get(record.seasonRatingKey);
    return number === undefined || number === null ? record : withSeasonNumber(record, number);
  });
  return [...ownParents, ...completed].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

function writeRecords(scope: LiveApplyScope, library: LibraryListing, records: readonly CatalogItemInput[]): LiveItemChange[] {
  const writer = new ItemWriter(scope.catalog, {
    serverId: scope.serverId,
    libraryId: library.id,
    resolvePath: mappingResolverFor(scope.catalog, scope.serverId, library.id),
    now: scope.now,
    planPage,
  });
  const changes: PageChanges = {
    added: zeroKindCounts(),
    updated: zeroKindCounts(),
    room: { added: records.length, updated: records.length },
    named: [],
  };
  writer.writePage(records, changes);
  return changes.named.map(({ change, item }) => ({
    change,
    item: describeRecord(item),
    ratingKey: item.ratingKey,
    libraryTitle: library.title,
  }));
}

/**
 * Removes the items among `ratingKeys` that Plex confirms are gone: a metadata request by key that leaves them
 * out (or answers 404). An item Plex still returns stays, whatever the event said.
 */
export async function removeConfirmedGone(scope: LiveApplyScope, ratingKeys: readonly string[]): Promise<LiveApplyResult> {
  const index = new LibraryItemIndex(scope.catalog, 0);
  const catalogued = ratingKeys
    .map((ratingKey) => ({ ratingKey, id: index.idByRatingKey(scope.serverId, ratingKey) }))
    .filter((entry): entry is { ratingKey: string; id: number } => entry.id !== undefined);
  if (catalogued.length === 0) return { changes: [], ignored: ratingKeys.length };
  const stillThere = new Set<string>();
  for (let at = 0; at < catalogued.length; at += METADATA_BATCH_SIZE) {
    const keys = catalogued.slice(at, at + METADATA_BATCH_SIZE).map((entry) => entry.ratingKey);
    for (const item of await scope.client.metadataBatch(keys)) stillThere.add(item.ratingKey);
  }
  const gone = catalogued.filter((entry) => !stillThere.has(entry.ratingKey));
  if (gone.length === 0) return { changes: [], ignored: ratingKeys.length };
  const named = index.describe(gone.map((entry) => entry.id));
  removeCatalogItems(
    scope.catalog,
    gone.map((entry) => entry.id),
  );
  const changes = gone.map((entry, position) => ({
    change: 'removed' as const,
    item: named[position] ?? { kind: 'movie' as const, title: entry.ratingKey },
    ratingKey: entry.ratingKey,
    libraryTitle: '',
  }));
  return { changes, ignored: ratingKeys.length - gone.length };
}

/**
 * An item fetched by key as a listing would have brought it. `/library/metadata/{key}` answers with each part's
 * streams, a listing never does: written with its streams, the item would look changed to the next listing
 * sync, which would then clear what the streams told (HDR, languages) and report a spurious update.
 */
function asListed(item: PlexItem): PlexItem {
  if (!item.media.some((media) => media.parts.some((part) => part.streams !== undefined))) return item;
  return { ...item, media: item.media.map((media) => ({ ...media, parts: media.parts.map(({ streams: _streams, ...part }) => part) })) };
}
