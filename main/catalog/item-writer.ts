// The sync engine's hot path: writes pages of items with prepared statements, one transaction per page.
// Kysely serves the rest of the catalog; here 100,000 episodes must be written faster than Plex lists them.
import type { ItemKind, KindCounts } from '../../shared/domain.js';
import type { ResolvedPath } from '../../shared/path-mapping.js';
import { BatchInsert } from './batch-insert.js';
import { sql } from 'kysely';
import { type Catalog, param, prepareQuery, type SqlValue, writeTransaction } from './database.js';
import {
  type CatalogItemDetails,
  type CatalogItemInput,
  type CatalogTagKind,
  type ExistingItem,
  hierarchyOfKind,
  type PageAction,
  type PagePlanner,
  REPEATED,
} from './item-input.js';

export interface ItemWriterScope {
  serverId: number;
  libraryId: number;
  /** Maps a Plex file path to this computer's path for this library. */
  resolvePath: (plexPath: string) => Pick<ResolvedPath, 'localPath' | 'mapped'>;
  now: () => number;
  /** Decides each item of a page from the rows found for it (the sync's page planner). */
  planPage: PagePlanner;
}

export interface WriteCounts {
  added: number;
  updated: number;
  unchanged: number;
}

/**
 * What a page changed, by kind, and the first items it added or updated, for the library's report. Filled while
 * the page is written; only meaningful once writePage returned (a page that threw was rolled back).
 */
export interface PageChanges {
  added: KindCounts;
  updated: KindCounts;
  /** How many more items of each change the caller still wants by name; taken down as they are named. */
  room: { added: number; updated: number };
  named: { change: 'added' | 'updated'; item: CatalogItemInput }[];
}

/** A stub parent is replaced by the real item as soon as a listing brings it. */

const STUB_FINGERPRINT = 'stub';
const STUB_TITLES = { show: 'Unknown show', season: 'Unknown season', artist: 'Unknown artist', album: 'Unknown album' } as const;

export class ItemWriter {
  private readonly statements: ReturnType<typeof prepareStatements>;
  /** ratingKey → catalog id of shows, seasons, artists and albums, so children find their parents without a query each. */
  private readonly parentIds = new Map<string, number>();
  /** Catalog ids written during this writer's life: a re-key never takes over a row already seen. */
  private readonly seenIds = new Set<number>();
  /** Kinds the library held when first asked: a new item of another kind cannot be a re-key. */
  private kindsPresent: ReadonlySet<string> | undefined;
  /** New rows of the current page, inserted together at its end (children after their items). */
  private readonly batches: ReturnType<typeof prepareBatches>;
  /** The id the next new item gets: read under the page's write lock, so no other writer can take it. */
  private nextId = 0;
  /** Rating keys written in the current page: a listing that repeats an item must not insert it twice. */
  private readonly pageKeys = new Set<string>();
  /** Rows the current page's items were matched to: each row serves one item of the page. */
  private readonly pageClaims = new Set<number>();
  /** Whether the server had no item at all when first asked, and what this writer has inserted since. */
  private serverWasEmpty: boolean | undefined;
  private readonly writtenKeys = new Set<string>();
  /** guid → catalog rows of one kind, built on the first re-key lookup (an index on guid slowed every insert). */
  private readonly byGuid = new Map<ItemKind, Map<string, number[]>>();
  /** kind → name → tag id, loaded on the first tag of this writer's life (tags are never deleted). */
  private tagIds: Map<CatalogTagKind, Map<string, number>> | undefined;
  /** The id the next new tag gets, read under each page's write lock like nextId. */
  private nextTagId = 0;
  /** New items from this id on are not in the title index yet (indexNewTitles). */
  private unindexedFrom = 0;

  constructor(
    private readonly catalog: Catalog,
    private readonly scope: ItemWriterScope,
  ) {
    this.statements = prepareStatements(catalog);
    this.batches = prepareBatches(catalog);
  }

  /** Writes one page atomically: either every item of the page is stored or none is. */
  writePage(items: readonly CatalogItemInput[], changes?: PageChanges): WriteCounts {
    const counts: WriteCounts = { added: 0, updated: 0, unchanged: 0 };
    const write = this.catalog.sqlite.transaction(() => {
      this.nextId = (this.statements.maxId.get()?.maxId ?? 0) + 1;
      this.unindexedFrom = this.nextId;
      this.nextTagId = (this.statements.maxTagId.get()?.maxId ?? 0) + 1;
      // Looked up and decided under the page's write lock: no other writer can change the rows meanwhile.
      const actions = this.scope.planPage(items, this.findExistingRows(items), this.scope.libraryId);
      for (const action of actions) {
        const outcome = this.apply(action);
        counts[outcome] += 1;
        if (changes !== undefined && outcome !== 'unchanged') noteChange(changes, outcome, action.item);
      }
      for (const batch of Object.values(this.batches)) batch.flush();
      this.indexNewTitles();
    });
    // Every reference a page writes is to an id this writer just read or assigned: SQLite re-checking each one
    // costs a tenth of a full sync, so enforcement pauses for the page (tests run foreign_key_check after syncs).
    // Nothing else can run on this connection meanwhile: the page is written synchronously.
    const { sqlite } = this.catalog;
    const enforced = sqlite.pragma('foreign_keys', { simple: true }) === 1;
    if (enforced) sqlite.pragma('foreign_keys = OFF');
    try {
      // IMMEDIATE: take the write lock up front, so another writer waits (busy_timeout) instead of failing mid-way.
      write.immediate();
    } catch (error) {
      this.forgetPage();
      throw error;
    } finally {
      if (enforced) sqlite.pragma('foreign_keys = ON');
    }
    return counts;
  }

  /** After a rollback: nothing of the page exists, so nothing of it may be remembered. */
  private forgetPage(): void {
    for (const batch of Object.values(this.batches)) batch.discard();
    this.parentIds.clear();
    this.byGuid.clear();
    // Tags made by the page were rolled back with it.
    this.tagIds = undefined;
  }

  /** The row each item corresponds to; REPEATED for an item the page already listed (the planner skips it). */
  private findExistingRows(items: readonly CatalogItemInput[]): (ExistingItem | typeof REPEATED | undefined)[] {
    this.pageKeys.clear();
    this.pageClaims.clear();
    return items.map((item) => {
      const keys = this.pageKeys.size;
      // One lookup: add, and a key already there leaves the size as it was.
      this.pageKeys.add(item.ratingKey);
      if (this.pageKeys.size === keys) return REPEATED;
      const row = this.findExisting(item);
      if (row === undefined) return undefined;
      // A row found is taken: a later item of the page (re-keyed to the same GUID, or listed under the key an
      // earlier item re-keys it from) must not take it too, as if the earlier item had been written already.
      this.pageClaims.add(row.id);
      if (this.serverWasEmpty !== true) this.seenIds.add(row.id);
      return row;
    });
  }

  private apply(action: PageAction): keyof WriteCounts {
    switch (action.type) {
      case 'repeat':
        return 'unchanged';
      case 'keep':
        if (action.restampFrom !== undefined) this.restamp(action.id, action.restampFrom, action.item.fingerprint);
        this.remember(action.item, action.id);
        return 'unchanged';
      case 'insert':
        return this.insert(action.item);
      case 'replace':
        this.flushParents();
        this.deleteItems([action.id]);
        return this.insert(action.item);
      case 'update':
        this.update(action.id, action.item);
        return 'updated';
    }
  }

  /** A new kind of fingerprint for an unchanged item; the detail pass's record of it follows (same item, same fields). */
  private restamp(id: number, from: string, to: string): void {
    this.statements.restampItem.run({ id, to });
    this.statements.restampDetails.run({ id, from, to });
  }

  private findExisting(item: CatalogItemInput): ExistingItem | undefined {
    // A server's first import: nothing to find but what this writer wrote itself.
    this.serverWasEmpty ??= this.statements.anyItemOfServer.get({ serverId: this.scope.serverId }) === undefined;
    if (this.serverWasEmpty && !this.writtenKeys.has(item.ratingKey)) return undefined;
    const found = this.statements.selectByKey.get({ serverId: this.scope.serverId, ratingKey: item.ratingKey });
    const byKey = found !== undefined && this.pageClaims.has(found.id) ? undefined : found;
    if (byKey !== undefined || item.guid === null || !isStableGuid(item.guid) || !this.libraryHas(item.kind)) return byKey;
    // Plex re-keyed the item (new ratingKey, same GUID): keep the catalog id.
    const id = this.guidIndex(item.kind)
      .get(item.guid)
      ?.find((candidate) => !this.seenIds.has(candidate));
    return id === undefined ? undefined : this.statements.selectById.get({ id });
  }

  /** Asked once, before this writer adds anything: a library's first import skips every re-key lookup. */
  private libraryHas(kind: ItemKind): boolean {
    this.kindsPresent ??= new Set(this.statements.kindsOfLibrary.all({ libraryId: this.scope.libraryId }).map((row) => row.kind));
    return this.kindsPresent.has(kind);
  }

  private guidIndex(kind: ItemKind): Map<string, number[]> {
    let index = this.byGuid.get(kind);
    if (index !== undefined) return index;
    index = new Map();
    for (const row of this.statements.selectGuids.iterate({ libraryId: this.scope.libraryId, kind })) {
      if (row.guid === null) continue;
      const ids = index.get(row.guid);
      if (ids === undefined) index.set(row.guid, [row.id]);
      else ids.push(row.id);
    }
    this.byGuid.set(kind, index);
    return index;
  }

  private insert(item: CatalogItemInput): 'added' {
    const id = this.queueItem(
      item.kind,
      item.ratingKey,
      item.guid,
      item.title,
      item.year,
      item.addedAt,
      item.updatedAt,
      item.fingerprint,
      item.details,
    );
    this.remember(item, id);
    this.pushKindRow(id, item, this.batches[item.kind].queue);
    this.queueFilesAndIds(id, item);
    return 'added';
  }

  /** Appends the item's row of its kind table, in the column order of that table's batch and upsert statement. */
  private pushKindRow(id: number, item: CatalogItemInput, into: SqlValue[]): void {
    switch (item.kind) {
      case 'movie':
        into.push(id, item.originallyAvailableAt, item.durationMs);
        return;
      case 'show':
        into.push(id, item.leafCount, item.childCount);
        return;
      case 'season':
        into.push(id, this.showIdFor(item), item.seasonNumber);
        return;
      case 'episode':
        into.push(
          id,
          this.showIdFor(item),
          this.seasonIdFor(item),
          item.seasonNumber,
          item.episodeNumber,
          item.originallyAvailableAt,
          item.durationMs,
        );
        return;
      case 'artist':
        into.push(id, item.leafCount, item.childCount);
        return;
      case 'album':
        into.push(id, this.showIdFor(item), item.year);
        return;
      case 'track':
        into.push(id, this.showIdFor(item), this.seasonIdFor(item), item.seasonNumber, item.episodeNumber, item.durationMs);
        return;
    }
  }

  /** A new items row with the next free id; its kind row, files and ids follow in the page's batches. */
  private queueItem(
    kind: ItemKind,
    ratingKey: string,
    guid: string | null,
    title: string,
    year: number | null,
    addedAt: number | null,
    updatedAt: number | null,
    fingerprint: string,
    details?: CatalogItemDetails,
  ): number {
    const id = this.nextId;
    this.nextId += 1;
    if (this.serverWasEmpty === true) this.writtenKeys.add(ratingKey);
    this.batches.items.queue.push(
      id,
      this.scope.serverId,
      this.scope.libraryId,
      kind,
      ratingKey,
      guid,
      title,
      year,
      addedAt,
      updatedAt,
      fingerprint,
      this.scope.now(),
      details?.summary ?? null,
      details?.tagline ?? null,
      details?.contentRating ?? null,
      details?.studio ?? null,
      details?.originalTitle ?? null,
      details?.titleSort ?? null,
      details?.edition ?? null,
      details?.criticRating ?? null,
      details?.criticRatingImage ?? null,
      details?.audienceRating ?? null,
      details?.audienceRatingImage ?? null,
    );
    return id;
  }

  private update(id: number, item: CatalogItemInput): void {
    const s = this.statements;
    const kindRow: SqlValue[] = [];
    this.pushKindRow(id, item, kindRow);
    // A stub parent made just now is still queued: it must exist before a row that references it is written.
    this.flushParents();
    s.updateItem.run({
      id,
      libraryId: this.scope.libraryId,
      ratingKey: item.ratingKey,
      guid: item.guid,
      title: item.title,
      year: item.year,
      addedAt: item.addedAt,
      updatedAt: item.updatedAt,
      fingerprint: item.fingerprint,
      syncedAt: this.scope.now(),
      ...detailParams(item.details),
    });
    this.remember(item, id);
    s.upsertKind[item.kind].run(namedRow(KIND_COLUMNS[item.kind], kindRow));
    s.deleteFiles.run({ id });
    s.deleteExternalIds.run({ id });
    s.deleteTags.run({ id });
    s.deleteVersions.run({ id });
    this.queueFilesAndIds(id, item);
  }

  /** Also before a deletion or an update: the title index's triggers for those expect the row indexed. */
  private flushParents(): void {
    this.batches.items.flush();
    this.indexNewTitles();
    this.batches.show.flush();
    this.batches.season.flush();
    this.batches.artist.flush();
    this.batches.album.flush();
  }

  /**
   * Adds the page's new items (ids from unindexedFrom on, all written: the items batch is flushed) to the title
   * index in one statement (migration 0010: there is no insert trigger).
   */
  private indexNewTitles(): void {
    if (this.unindexedFrom >= this.nextId) return;
    this.statements.indexTitles.run({ from: this.unindexedFrom, to: this.nextId });
    this.unindexedFrom = this.nextId;
  }

  private queueFilesAndIds(id: number, item: CatalogItemInput): void {
    for (const file of item.files) {
      const resolved = this.scope.resolvePath(file.plexPath);
      this.batches.files.queue.push(
        id,
        file.mediaIndex,
        file.partIndex,
        file.plexPath,
        resolved.localPath,
        resolved.mapped ? 1 : 0,
        file.size,
        file.durationMs,
        file.container,
      );
    }
    for (const [provider, value] of Object.entries(item.externalIds)) {
      if (value !== undefined) this.batches.externalIds.queue.push(id, provider, value);
    }
    if (item.tags !== undefined) {
      let position = 0;
      for (const tag of item.tags) this.batches.itemTags.queue.push(id, this.tagId(tag.kind, tag.name), position++);
    }
    if (item.versions !== undefined) {
      for (const v of item.versions) {
        this.batches.versions.queue.push(
          id,
          v.mediaIndex,
          v.resolution,
          v.width,
          v.height,
          v.videoCodec,
          v.videoProfile,
          v.frameRate,
          v.aspectRatio,
          v.bitrate,
          v.audioCodec,
          v.audioChannels,
          v.audioProfile,
          v.container,
          v.durationMs,
          v.hdr,
          v.audioLanguages === null ? null : JSON.stringify(v.audioLanguages),
          v.subtitleLanguages === null ? null : JSON.stringify(v.subtitleLanguages),
        );
      }
    }
  }

  private tagNames(kind: CatalogTagKind): Map<string, number> {
    const tagIds = (this.tagIds ??= new Map<CatalogTagKind, Map<string, number>>());
    let names = tagIds.get(kind);
    if (names === undefined) {
      names = new Map<string, number>();
      tagIds.set(kind, names);
    }
    return names;
  }

  /** The tag's id; a new tag is queued with the next free id (its links follow it in the page's batches). */
  private tagId(kind: CatalogTagKind, name: string): number {
    // Nested maps rather than one keyed by `kind + name`: no string is built per tag of every item.
    if (this.tagIds === undefined) {
      this.tagIds = new Map<CatalogTagKind, Map<string, number>>();
      for (const row of this.statements.selectTags.iterate()) this.tagNames(row.kind).set(row.name, row.id);
    }
    const names = this.tagNames(kind);
    const known = names.get(name);
    if (known !== undefined) return known;
    // Another writer (a live batch, another library's sync) may have made it since the map was loaded.
    const stored = this.statements.selectTag.get({ kind, name });
    if (stored !== undefined) {
      names.set(name, stored.id);
      return stored.id;
    }
    const id = this.nextTagId;
    this.nextTagId += 1;
    names.set(name, id);
    this.batches.tags.queue.push(id, kind, name);
    return id;
  }

  private remember(item: CatalogItemInput, id: number): void {
    // Only a server that had items can see a re-key: a first import need not remember every id.
    if (this.serverWasEmpty !== true) this.seenIds.add(id);
    if (item.kind === 'show' || item.kind === 'season' || item.kind === 'artist' || item.kind === 'album')
      this.parentIds.set(item.ratingKey, id);
  }

  /** The show's (an album's or track's: the artist's) catalog id; a stub when the listing brought the child first. */
  private showIdFor(item: CatalogItemInput): number | null {
    const hierarchy = hierarchyOfKind(item.kind);
    if (item.showRatingKey === null || hierarchy === undefined) return null;
    return this.parentId(item.showRatingKey, hierarchy.top, item.showTitle);
  }

  /** The season's (a track's: the album's) catalog id. */
  private seasonIdFor(item: CatalogItemInput): number | null {
    const hierarchy = hierarchyOfKind(item.kind);
    if (item.seasonRatingKey === null || hierarchy === undefined) return null;
    return this.parentId(item.seasonRatingKey, hierarchy.middle, item.seasonTitle, item);
  }

  private parentId(
    ratingKey: string,
    kind: 'show' | 'season' | 'artist' | 'album',
    title: string | null,
    child?: CatalogItemInput,
  ): number {
    const cached = this.parentIds.get(ratingKey);
    if (cached !== undefined) return cached;
    const row = this.statements.selectByKey.get({ serverId: this.scope.serverId, ratingKey });
    if (row !== undefined) {
      this.parentIds.set(ratingKey, row.id);
      return row.id;
    }
    const id = this.queueItem(kind, ratingKey, null, title ?? STUB_TITLES[kind], null, null, null, STUB_FINGERPRINT);
    this.parentIds.set(ratingKey, id);
    if (kind === 'show') this.batches.show.queue.push(id, null, null);
    else if (kind === 'artist') this.batches.artist.queue.push(id, null, null);
    else if (kind === 'album') this.batches.album.queue.push(id, child === undefined ? null : this.showIdFor(child), null);
    else this.batches.season.queue.push(id, child === undefined ? null : this.showIdFor(child), child?.seasonNumber ?? null);
    return id;
  }

  /** Deletes items with everything that hangs off them (a show's seasons and episodes included). */
  deleteItems(ids: readonly number[]): void {
    deleteCatalogItems(this.catalog, ids);
  }
}

function noteChange(changes: PageChanges, change: 'added' | 'updated', item: CatalogItemInput): void {
  changes[change][item.kind] += 1;
  if (changes.room[change] <= 0) return;
  changes.room[change] -= 1;
  changes.named.push({ change, item });
}

/**
 * Deletes items with everything that hangs off them, a show's seasons and episodes included. Explicit rather
 * than by ON DELETE CASCADE, so it is complete whether or not foreign keys are enforced at the moment.
 * Call inside a transaction (or use removeCatalogItems).
 */
export function deleteCatalogItems(catalog: Catalog, ids: readonly number[]): void {
  const { db } = catalog;
  const id = param<number>('id');
  // A show's seasons and episodes; an artist's albums and tracks.
  const childrenOfShow = prepareQuery<{ item_id: number }, { id: number }>(
    catalog,
    db
      .selectFrom('episodes')
      .select('item_id')
      .where('show_id', '=', id)
      .union(db.selectFrom('seasons').select('item_id').where('show_id', '=', id))
      .union(db.selectFrom('albums').select('item_id').where('artist_id', '=', id))
      .union(db.selectFrom('tracks').select('item_id').where('artist_id', '=', id)),
  );
  const statements = [
    db.deleteFrom('external_ids').where('item_id', '=', id),
    db.deleteFrom('media_files').where('item_id', '=', id),
    db.deleteFrom('item_tags').where('item_id', '=', id),
    db.deleteFrom('media_versions').where('item_id', '=', id),
    db.deleteFrom('movies').where('item_id', '=', id),
    db.deleteFrom('shows').where('item_id', '=', id),
    db.deleteFrom('episodes').where('item_id', '=', id),
    db.deleteFrom('seasons').where('item_id', '=', id),
    db.deleteFrom('artists').where('item_id', '=', id),
    db.deleteFrom('albums').where('item_id', '=', id),
    db.deleteFrom('tracks').where('item_id', '=', id),
    db
      .updateTable('episodes')
      .set({ season_id: sql<null>`NULL` })
      .where('season_id', '=', id),
    db
      .updateTable('tracks')
      .set({ album_id: sql<null>`NULL` })
      .where('album_id', '=', id),
    db.deleteFrom('items').where('id', '=', id),
  ].map((query) => prepareQuery<unknown, { id: number }>(catalog, query));
  for (const itemId of ids) {
    const victims = [...childrenOfShow.all({ id: itemId }).map((row) => row.item_id), itemId];
    for (const victim of victims) for (const statement of statements) statement.run({ id: victim });
  }
}

/** Removes items (and what hangs off them) in one write transaction. */
export function removeCatalogItems(catalog: Catalog, ids: readonly number[]): void {
  writeTransaction(catalog, () => deleteCatalogItems(catalog, ids));
}

/** GUIDs that identify one item for sure; `local://` and agent-less ids are not worth matching. */
function isStableGuid(guid: string): boolean {
  return guid.startsWith('plex://') || (guid.startsWith('com.plexapp.agents.') && !guid.startsWith('com.plexapp.agents.none://'));
}

/** Kind-table columns, in the order of pushKindRow(), the kind batches and the upserts' parameters. */
const KIND_COLUMNS = {
  movie: ['item_id', 'originally_available_at', 'duration_ms'],
  show: ['item_id', 'leaf_count', 'child_count'],
  season: ['item_id', 'show_id', 'season_number'],
  episode: ['item_id', 'show_id', 'season_id', 'season_number', 'episode_number', 'originally_available_at', 'duration_ms'],
  artist: ['item_id', 'leaf_count', 'child_count'],
  album: ['item_id', 'artist_id', 'year'],
  track: ['item_id', 'artist_id', 'album_id', 'disc_number', 'track_number', 'duration_ms'],
} as const satisfies Record<ItemKind, readonly string[]>;

function namedRow(columns: readonly string[], values: readonly SqlValue[]): Record<string, SqlValue> {
  const row: Record<string, SqlValue> = {};
  columns.forEach((column, index) => {
    row[column] = values[index] ?? null;
  });
  return row;
}

function prepareBatches(catalog: Catalog) {
  // Insertion order matters: items before the rows that reference them.
  return {
    items: new BatchInsert(catalog, 'items', [
      'id',
      'server_id',
      'library_id',
      'kind',
      'rating_key',
      'guid',
      'title',
      'year',
      'added_at',
      'updated_at',
      'fingerprint',
      'synced_at',
      ...DETAIL_COLUMNS,
    ]),
    // Kind tables by kind, shows before seasons before episodes.
    movie: new BatchInsert(catalog, 'movies', KIND_COLUMNS.movie),
    show: new BatchInsert(catalog, 'shows', KIND_COLUMNS.show),
    season: new BatchInsert(catalog, 'seasons', KIND_COLUMNS.season),
    episode: new BatchInsert(catalog, 'episodes', KIND_COLUMNS.episode),
    // Music likewise: artists before albums before tracks.
    artist: new BatchInsert(catalog, 'artists', KIND_COLUMNS.artist),
    album: new BatchInsert(catalog, 'albums', KIND_COLUMNS.album),
    track: new BatchInsert(catalog, 'tracks', KIND_COLUMNS.track),
    files: new BatchInsert(catalog, 'media_files', [
      'item_id',
      'media_index',
      'part_index',
      'plex_path',
      'local_path',
      'mapped',
      'size',
      'duration_ms',
      'container',
    ]),
    externalIds: new BatchInsert(catalog, 'external_ids', ['item_id', 'provider', 'value']),
    // Tags before the links that reference them.
    tags: new BatchInsert(catalog, 'tags', ['id', 'kind', 'name']),
    itemTags: new BatchInsert(catalog, 'item_tags', ['item_id', 'tag_id', 'position']),
    versions: new BatchInsert(catalog, 'media_versions', [
      'item_id',
      'media_index',
      'resolution',
      'width',
      'height',
      'video_codec',
      'video_profile',
      'frame_rate',
      'aspect_ratio',
      'bitrate',
      'audio_codec',
      'audio_channels',
      'audio_profile',
      'container',
      'duration_ms',
      'hdr',
      'audio_languages',
      'subtitle_languages',
    ]),
  };
}

/** The items columns of CatalogItemDetails, in the order queueItem() adds them. */
const DETAIL_COLUMNS = [
  'summary',
  'tagline',
  'content_rating',
  'studio',
  'original_title',
  'title_sort',
  'edition',
  'critic_rating',
  'critic_rating_image',
  'audience_rating',
  'audience_rating_image',
] as const;

type DetailParams = { [K in keyof CatalogItemDetails]: CatalogItemDetails[K] };

const NO_DETAILS: DetailParams = {
  summary: null,
  tagline: null,
  contentRating: null,
  studio: null,
  originalTitle: null,
  titleSort: null,
  edition: null,
  criticRating: null,
  criticRatingImage: null,
  audienceRating: null,
  audienceRatingImage: null,
};

function detailParams(details: CatalogItemDetails | undefined): DetailParams {
  return details ?? NO_DETAILS;
}

interface ItemUpdateParams extends DetailParams {
  [key: string]: SqlValue;
  id: number;
  libraryId: number;
  ratingKey: string;
  guid: string | null;
  title: string;
  year: number | null;
  addedAt: number | null;
  updatedAt: number | null;
  fingerprint: string;
  syncedAt: number;
}

/** Upserts a kind row; its parameters are named after the columns of KIND_COLUMNS (namedRow() builds them). */
type KindUpsert = ReturnType<typeof prepareQuery<unknown, Record<string, SqlValue>>>;

function prepareStatements(catalog: Catalog) {
  const { db } = catalog;
  const existing = db.selectFrom('items').select(['id', 'fingerprint', 'library_id as libraryId', 'kind']);
  return {
    selectByKey: prepareQuery<ExistingItem, { serverId: number; ratingKey: string }>(
      catalog,
      existing.where('server_id', '=', param<number>('serverId')).where('rating_key', '=', param<string>('ratingKey')),
    ),
    anyItemOfServer: prepareQuery<{ one: number }, { serverId: number }>(
      catalog,
      db
        .selectFrom('items')
        .select(sql<number>`1`.as('one'))
        .where('server_id', '=', param<number>('serverId'))
        .limit(sql<number>`1`),
    ),
    selectById: prepareQuery<ExistingItem, { id: number }>(catalog, existing.where('id', '=', param<number>('id'))),
    selectGuids: prepareQuery<{ id: number; guid: string | null }, { libraryId: number; kind: ItemKind }>(
      catalog,
      db
        .selectFrom('items')
        .select(['id', 'guid'])
        .where('library_id', '=', param<number>('libraryId'))
        .where('kind', '=', param<ItemKind>('kind'))
        .where('guid', 'is not', null),
    ),
    maxId: prepareQuery<{ maxId: number | null }>(
      catalog,
      db.selectFrom('items').select((eb) => eb.fn.max<number | null>('id').as('maxId')),
    ),
    kindsOfLibrary: prepareQuery<{ kind: ItemKind }, { libraryId: number }>(
      catalog,
      db.selectFrom('items').select('kind').distinct().where('library_id', '=', param<number>('libraryId')),
    ),
    updateItem: prepareQuery<unknown, ItemUpdateParams>(
      catalog,
      db
        .updateTable('items')
        .set({
          library_id: param<number>('libraryId'),
          rating_key: param<string>('ratingKey'),
          guid: param<string | null>('guid'),
          title: param<string>('title'),
          year: param<number | null>('year'),
          added_at: param<number | null>('addedAt'),
          updated_at: param<number | null>('updatedAt'),
          fingerprint: param<string>('fingerprint'),
          synced_at: param<number>('syncedAt'),
          summary: param<string | null>('summary'),
          tagline: param<string | null>('tagline'),
          content_rating: param<string | null>('contentRating'),
          studio: param<string | null>('studio'),
          original_title: param<string | null>('originalTitle'),
          title_sort: param<string | null>('titleSort'),
          edition: param<string | null>('edition'),
          critic_rating: param<number | null>('criticRating'),
          critic_rating_image: param<string | null>('criticRatingImage'),
          audience_rating: param<number | null>('audienceRating'),
          audience_rating_image: param<string | null>('audienceRatingImage'),
        })
        .where('id', '=', param<number>('id')),
    ),
    // Raw SQL: Kysely's schema does not know the FTS5 table. Ids in [from, to) are the page's new items.
    indexTitles: catalog.sqlite.prepare<{ from: number; to: number }>(
      'INSERT INTO items_fts (rowid, title, original_title) SELECT id, title, original_title FROM items WHERE id >= @from AND id < @to',
    ),
    restampItem: prepareQuery<unknown, { id: number; to: string }>(
      catalog,
      db
        .updateTable('items')
        .set({ fingerprint: param<string>('to') })
        .where('id', '=', param<number>('id')),
    ),
    restampDetails: prepareQuery<unknown, { id: number; from: string; to: string }>(
      catalog,
      db
        .updateTable('item_details')
        .set({ fingerprint: param<string>('to') })
        .where('item_id', '=', param<number>('id'))
        .where('fingerprint', '=', param<string>('from')),
    ),
    maxTagId: prepareQuery<{ maxId: number | null }>(
      catalog,
      db.selectFrom('tags').select((eb) => eb.fn.max<number | null>('id').as('maxId')),
    ),
    selectTags: prepareQuery<{ id: number; kind: CatalogTagKind; name: string }>(
      catalog,
      db.selectFrom('tags').select(['id', 'kind', 'name']),
    ),
    selectTag: prepareQuery<{ id: number }, { kind: CatalogTagKind; name: string }>(
      catalog,
      db.selectFrom('tags').select('id').where('kind', '=', param<CatalogTagKind>('kind')).where('name', '=', param<string>('name')),
    ),
    deleteTags: prepareQuery<unknown, { id: number }>(catalog, db.deleteFrom('item_tags').where('item_id', '=', param<number>('id'))),
    deleteVersions: prepareQuery<unknown, { id: number }>(
      catalog,
      db.deleteFrom('media_versions').where('item_id', '=', param<number>('id')),
    ),
    upsertKind: prepareKindUpserts(catalog),
    deleteFiles: prepareQuery<unknown, { id: number }>(catalog, db.deleteFrom('media_files').where('item_id', '=', param<number>('id'))),
    deleteExternalIds: prepareQuery<unknown, { id: number }>(
      catalog,
      db.deleteFrom('external_ids').where('item_id', '=', param<number>('id')),
    ),
  };
}

function prepareKindUpserts(catalog: Catalog): Record<ItemKind, KindUpsert> {
  const { db } = catalog;
  const itemId = param<number>('item_id');
  return {
    movie: prepareQuery(
      catalog,
      db
        .insertInto('movies')
        .values({
          item_id: itemId,
          originally_available_at: param<string | null>('originally_available_at'),
          duration_ms: param<number | null>('duration_ms'),
        })
        .onConflict((oc) =>
          oc.column('item_id').doUpdateSet((eb) => ({
            originally_available_at: eb.ref('excluded.originally_available_at'),
            duration_ms: eb.ref('excluded.duration_ms'),
          })),
        ),
    ),
    show: prepareQuery(
      catalog,
      db
        .insertInto('shows')
        .values({ item_id: itemId, leaf_count: param<number | null>('leaf_count'), child_count: param<number | null>('child_count') })
        .onConflict((oc) =>
          oc.column('item_id').doUpdateSet((eb) => ({
            leaf_count: eb.ref('excluded.leaf_count'),
            child_count: eb.ref('excluded.child_count'),
          })),
        ),
    ),
    season: prepareQuery(
      catalog,
      db
        .insertInto('seasons')
        .values({ item_id: itemId, show_id: param<number>('show_id'), season_number: param<number | null>('season_number') })
        .onConflict((oc) =>
          oc.column('item_id').doUpdateSet((eb) => ({
            show_id: eb.ref('excluded.show_id'),
            season_number: eb.ref('excluded.season_number'),
          })),
        ),
    ),
    episode: prepareQuery(
      catalog,
      db
        .insertInto('episodes')
        .values({
          item_id: itemId,
          show_id: param<number | null>('show_id'),
          season_id: param<number | null>('season_id'),
          season_number: param<number | null>('season_number'),
          episode_number: param<number | null>('episode_number'),
          originally_available_at: param<string | null>('originally_available_at'),
          duration_ms: param<number | null>('duration_ms'),
        })
        .onConflict((oc) =>
          oc.column('item_id').doUpdateSet((eb) => ({
            show_id: eb.ref('excluded.show_id'),
            season_id: eb.ref('excluded.season_id'),
            season_number: eb.ref('excluded.season_number'),
            episode_number: eb.ref('excluded.episode_number'),
            originally_available_at: eb.ref('excluded.originally_available_at'),
            duration_ms: eb.ref('excluded.duration_ms'),
          })),
        ),
    ),
    artist: prepareQuery(
      catalog,
      db
        .insertInto('artists')
        .values({ item_id: itemId, leaf_count: param<number | null>('leaf_count'), child_count: param<number | null>('child_count') })
        .onConflict((oc) =>
          oc.column('item_id').doUpdateSet((eb) => ({
            leaf_count: eb.ref('excluded.leaf_count'),
            child_count: eb.ref('excluded.child_count'),
          })),
        ),
    ),
    album: prepareQuery(
      catalog,
      db
        .insertInto('albums')
        .values({ item_id: itemId, artist_id: param<number>('artist_id'), year: param<number | null>('year') })
        .onConflict((oc) =>
          oc.column('item_id').doUpdateSet((eb) => ({
            artist_id: eb.ref('excluded.artist_id'),
            year: eb.ref('excluded.year'),
          })),
        ),
    ),
    track: prepareQuery(
      catalog,
      db
        .insertInto('tracks')
        .values({
          item_id: itemId,
          artist_id: param<number | null>('artist_id'),
          album_id: param<number | null>('album_id'),
          disc_number: param<number | null>('disc_number'),
          track_number: param<number | null>('track_number'),
          duration_ms: param<number | null>('duration_ms'),
        })
        .onConflict((oc) =>
          oc.column('item_id').doUpdateSet((eb) => ({
            artist_id: eb.ref('excluded.artist_id'),
            album_id: eb.ref('excluded.album_id'),
            disc_number: eb.ref('excluded.disc_number'),
            track_number: eb.ref('excluded.track_number'),
            duration_ms: eb.ref('excluded.duration_ms'),
          })),
        ),
    ),
  };
}
