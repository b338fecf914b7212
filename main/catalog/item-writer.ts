// The sync engine's hot path: writes pages of items with prepared statements, one transaction per page.
// Kysely serves the rest of the catalog; here 100,000 episodes must be written faster than Plex lists them.
import type BetterSqlite3 from 'better-sqlite3';
import type { ItemKind, KindCounts } from '../../shared/domain.js';
import type { CatalogItemInput } from '../sync/catalog-item.js';
import { BatchInsert, type SqlValue } from './batch-insert.js';

export interface ResolvedPath {
  localPath: string;
  mapped: boolean;
}

export interface ItemWriterScope {
  serverId: number;
  libraryId: number;
  /** Maps a Plex file path to this computer's path for this library. */
  resolvePath: (plexPath: string) => ResolvedPath;
  now: () => number;
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

interface ExistingRow {
  id: number;
  fingerprint: string;
  library_id: number;
  kind: ItemKind;
}

export class ItemWriter {
  private readonly statements: ReturnType<typeof prepareStatements>;
  /** ratingKey → catalog id of shows and seasons, so episodes find their parents without a query each. */
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
  /** Whether the server had no item at all when first asked, and what this writer has inserted since. */
  private serverWasEmpty: boolean | undefined;
  private readonly writtenKeys = new Set<string>();
  /** guid → catalog rows of one kind, built on the first re-key lookup (an index on guid slowed every insert). */
  private readonly byGuid = new Map<ItemKind, Map<string, number[]>>();

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly scope: ItemWriterScope,
  ) {
    this.statements = prepareStatements(sqlite);
    this.batches = prepareBatches(sqlite);
  }

  /** Writes one page atomically: either every item of the page is stored or none is. */
  writePage(items: readonly CatalogItemInput[], changes?: PageChanges): WriteCounts {
    const counts: WriteCounts = { added: 0, updated: 0, unchanged: 0 };
    // IMMEDIATE: take the write lock up front, so another writer waits (busy_timeout) instead of failing mid-way.
    const write = this.sqlite.transaction(() => {
      this.nextId = (this.statements.maxId.pluck().get() as number | null ?? 0) + 1;
      this.pageKeys.clear();
      for (const item of items) {
        const outcome = this.writeItem(item);
        counts[outcome] += 1;
        if (changes !== undefined && outcome !== 'unchanged') noteChange(changes, outcome, item);
      }
      for (const batch of Object.values(this.batches)) batch.flush();
    });
    // Every reference a page writes is to an id this writer just read or assigned: SQLite re-checking each one
    // costs a tenth of a full sync, so enforcement pauses for the page (tests run foreign_key_check after syncs).
    // Nothing else can run on this connection meanwhile: the page is written synchronously.
    const s = this.statements;
    const enforced = s.foreignKeys.pluck().get() === 1;
    if (enforced) s.foreignKeysOff.run();
    try {
      write.immediate();
    } catch (error) {
      this.forgetPage();
      throw error;
    } finally {
      if (enforced) s.foreignKeysOn.run();
    }
    return counts;
  }

  /** After a rollback: nothing of the page exists, so nothing of it may be remembered. */
  private forgetPage(): void {
    for (const batch of Object.values(this.batches)) batch.discard();
    this.parentIds.clear();
    this.byGuid.clear();
  }

  private writeItem(item: CatalogItemInput): keyof WriteCounts {
    if (this.pageKeys.has(item.ratingKey)) return 'unchanged';
    this.pageKeys.add(item.ratingKey);
    const existing = this.findExisting(item);
    if (existing !== undefined && existing.fingerprint === item.fingerprint && existing.library_id === this.scope.libraryId) {
      this.remember(item, existing.id);
      return 'unchanged';
    }
    if (existing !== undefined && existing.kind !== item.kind) {
      this.deleteItems([existing.id]);
      return this.insert(item);
    }
    if (existing === undefined) return this.insert(item);
    this.update(existing.id, item);
    return 'updated';
  }

  private findExisting(item: CatalogItemInput): ExistingRow | undefined {
    // A server's first import: nothing to find but what this writer wrote itself.
    this.serverWasEmpty ??= this.statements.anyItemOfServer.get(this.scope.serverId) === undefined;
    if (this.serverWasEmpty && !this.writtenKeys.has(item.ratingKey)) return undefined;
    const byKey = this.statements.selectByKey.get(this.scope.serverId, item.ratingKey) as ExistingRow | undefined;
    if (byKey !== undefined || item.guid === null || !isStableGuid(item.guid) || !this.libraryHas(item.kind)) return byKey;
    // Plex re-keyed the item (new ratingKey, same GUID): keep the catalog id.
    const id = this.guidIndex(item.kind).get(item.guid)?.find((candidate) => !this.seenIds.has(candidate));
    return id === undefined ? undefined : (this.statements.selectById.get(id) as ExistingRow | undefined);
  }

  /** Asked once, before this writer adds anything: a library's first import skips every re-key lookup. */
  private libraryHas(kind: ItemKind): boolean {
    this.kindsPresent ??= new Set(this.statements.kindsOfLibrary.pluck().all(this.scope.libraryId) as string[]);
    return this.kindsPresent.has(kind);
  }

  private guidIndex(kind: ItemKind): Map<string, number[]> {
    let index = this.byGuid.get(kind);
    if (index !== undefined) return index;
    index = new Map();
    for (const row of this.statements.selectGuids.iterate(this.scope.libraryId, kind) as Iterable<{ id: number; guid: string }>) {
      const ids = index.get(row.guid);
      if (ids === undefined) index.set(row.guid, [row.id]);
      else ids.push(row.id);
    }
    this.byGuid.set(kind, index);
    return index;
  }

  private insert(item: CatalogItemInput): 'added' {
    const id = this.queueItem(item.kind, item.ratingKey, item.guid, item.title, item.year, item.addedAt, item.updatedAt, item.fingerprint);
    this.remember(item, id);
    this.batches[item.kind].add(...this.kindRow(id, item));
    this.queueFilesAndIds(id, item);
    return 'added';
  }

  /** The item's row of its kind table, in the column order of that table's batch and upsert statement. */
  private kindRow(id: number, item: CatalogItemInput): SqlValue[] {
    switch (item.kind) {
      case 'movie':
        return [id, item.originallyAvailableAt, item.durationMs];
      case 'show':
        return [id, item.leafCount, item.childCount];
      case 'season':
        return [id, this.showIdFor(item), item.seasonNumber];
      case 'episode':
        return [id, this.showIdFor(item), this.seasonIdFor(item), item.seasonNumber, item.episodeNumber, item.originallyAvailableAt, item.durationMs];
    }
  }

  /** A new items row with the next free id; its kind row, files and ids follow in the page's batches. */
  private queueItem(kind: ItemKind, ratingKey: string, guid: string | null, title: string, year: number | null, addedAt: number | null, updatedAt: number | null, fingerprint: string): number {
    const id = this.nextId;
    this.nextId += 1;
    if (this.serverWasEmpty === true) this.writtenKeys.add(ratingKey);
    this.batches.items.add(id, this.scope.serverId, this.scope.libraryId, kind, ratingKey, guid, title, year, addedAt, updatedAt, fingerprint, this.scope.now());
    return id;
  }

  private update(id: number, item: CatalogItemInput): void {
    const s = this.statements;
    const kindRow = this.kindRow(id, item);
    // A stub parent made just now is still queued: it must exist before a row that references it is written.
    this.flushParents();
    s.updateItem.run(
      this.scope.libraryId, item.ratingKey, item.guid, item.title, item.year, item.addedAt, item.updatedAt,
      item.fingerprint, this.scope.now(), id,
    );
    this.remember(item, id);
    s.upsertKind[item.kind].run(kindRow);
    s.deleteFiles.run(id);
    s.deleteExternalIds.run(id);
    this.queueFilesAndIds(id, item);
  }

  private flushParents(): void {
    this.batches.items.flush();
    this.batches.show.flush();
    this.batches.season.flush();
  }

  private queueFilesAndIds(id: number, item: CatalogItemInput): void {
    for (const file of item.files) {
      const resolved = this.scope.resolvePath(file.plexPath);
      this.batches.files.add(id, file.mediaIndex, file.partIndex, file.plexPath, resolved.localPath, resolved.mapped ? 1 : 0, file.size, file.durationMs, file.container);
    }
    for (const [provider, value] of Object.entries(item.externalIds)) {
      if (value !== undefined) this.batches.externalIds.add(id, provider, value);
    }
  }

  private remember(item: CatalogItemInput, id: number): void {
    // Only a server that had items can see a re-key: a first import need not remember every id.
    if (this.serverWasEmpty !== true) this.seenIds.add(id);
    if (item.kind === 'show' || item.kind === 'season') this.parentIds.set(item.ratingKey, id);
  }

  /** The show's catalog id; a stub show when the listing brought the child before its parent. */
  private showIdFor(item: CatalogItemInput): number | null {
    if (item.showRatingKey === null) return null;
    return this.parentId(item.showRatingKey, 'show', item.showTitle);
  }

  private seasonIdFor(item: CatalogItemInput): number | null {
    if (item.seasonRatingKey === null) return null;
    return this.parentId(item.seasonRatingKey, 'season', item.seasonTitle, item);
  }

  private parentId(ratingKey: string, kind: 'show' | 'season', title: string | null, child?: CatalogItemInput): number {
    const cached = this.parentIds.get(ratingKey);
    if (cached !== undefined) return cached;
    const row = this.statements.selectByKey.get(this.scope.serverId, ratingKey) as ExistingRow | undefined;
    if (row !== undefined) {
      this.parentIds.set(ratingKey, row.id);
      return row.id;
    }
    const id = this.queueItem(kind, ratingKey, null, title ?? (kind === 'show' ? 'Unknown show' : 'Unknown season'), null, null, null, STUB_FINGERPRINT);
    this.parentIds.set(ratingKey, id);
    if (kind === 'show') this.batches.show.add(id, null, null);
    else this.batches.season.add(id, child === undefined ? null : this.showIdFor(child), child?.seasonNumber ?? null);
    return id;
  }

  /** Deletes items with everything that hangs off them (a show's seasons and episodes included). */
  deleteItems(ids: readonly number[]): void {
    deleteCatalogItems(this.sqlite, ids);
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
 * Call inside a transaction.
 */
export function deleteCatalogItems(sqlite: BetterSqlite3.Database, ids: readonly number[]): void {
  const childrenOfShow = sqlite.prepare('SELECT item_id FROM episodes WHERE show_id = ? UNION SELECT item_id FROM seasons WHERE show_id = ?').pluck();
  const statements = [
    'DELETE FROM external_ids WHERE item_id = ?',
    'DELETE FROM media_files WHERE item_id = ?',
    'DELETE FROM movies WHERE item_id = ?',
    'DELETE FROM shows WHERE item_id = ?',
    'DELETE FROM episodes WHERE item_id = ?',
    'DELETE FROM seasons WHERE item_id = ?',
    'UPDATE episodes SET season_id = NULL WHERE season_id = ?',
    'DELETE FROM items WHERE id = ?',
  ].map((text) => sqlite.prepare(text));
  for (const id of ids) {
    const victims = [...(childrenOfShow.all(id, id) as number[]), id];
    for (const victim of victims) for (const statement of statements) statement.run(victim);
  }
}

/** GUIDs that identify one item for sure; `local://` and agent-less ids are not worth matching. */
function isStableGuid(guid: string): boolean {
  return guid.startsWith('plex://') || (guid.startsWith('com.plexapp.agents.') && !guid.startsWith('com.plexapp.agents.none://'));
}

function prepareBatches(db: BetterSqlite3.Database) {
  // Insertion order matters: items before the rows that reference them.
  return {
    items: new BatchInsert(db, 'items', ['id', 'server_id', 'library_id', 'kind', 'rating_key', 'guid', 'title', 'year', 'added_at', 'updated_at', 'fingerprint', 'synced_at']),
    // Kind tables by kind, shows before seasons before episodes.
    movie: new BatchInsert(db, 'movies', ['item_id', 'originally_available_at', 'duration_ms']),
    show: new BatchInsert(db, 'shows', ['item_id', 'leaf_count', 'child_count']),
    season: new BatchInsert(db, 'seasons', ['item_id', 'show_id', 'season_number']),
    episode: new BatchInsert(db, 'episodes', ['item_id', 'show_id', 'season_id', 'season_number', 'episode_number', 'originally_available_at', 'duration_ms']),
    files: new BatchInsert(db, 'media_files', ['item_id', 'media_index', 'part_index', 'plex_path', 'local_path', 'mapped', 'size', 'duration_ms', 'container']),
    externalIds: new BatchInsert(db, 'external_ids', ['item_id', 'provider', 'value']),
  };
}

function prepareStatements(db: BetterSqlite3.Database) {
  return {
    selectByKey: db.prepare('SELECT id, fingerprint, library_id, kind FROM items WHERE server_id = ? AND rating_key = ?'),
    anyItemOfServer: db.prepare('SELECT 1 FROM items WHERE server_id = ? LIMIT 1'),
    foreignKeys: db.prepare('PRAGMA foreign_keys'),
    foreignKeysOff: db.prepare('PRAGMA foreign_keys = OFF'),
    foreignKeysOn: db.prepare('PRAGMA foreign_keys = ON'),
    selectById: db.prepare('SELECT id, fingerprint, library_id, kind FROM items WHERE id = ?'),
    selectGuids: db.prepare('SELECT id, guid FROM items WHERE library_id = ? AND kind = ? AND guid IS NOT NULL'),
    maxId: db.prepare('SELECT max(id) FROM items'),
    kindsOfLibrary: db.prepare('SELECT DISTINCT kind FROM items WHERE library_id = ?'),
    updateItem: db.prepare(
      `UPDATE items SET library_id = ?, rating_key = ?, guid = ?, title = ?, year = ?, added_at = ?, updated_at = ?,
       fingerprint = ?, synced_at = ? WHERE id = ?`,
    ),
    // Same column order as kindRow() and the kind batches.
    upsertKind: {
      movie: db.prepare(
        `INSERT INTO movies (item_id, originally_available_at, duration_ms) VALUES (?, ?, ?)
         ON CONFLICT (item_id) DO UPDATE SET originally_available_at = excluded.originally_available_at, duration_ms = excluded.duration_ms`,
      ),
      show: db.prepare(
        `INSERT INTO shows (item_id, leaf_count, child_count) VALUES (?, ?, ?)
         ON CONFLICT (item_id) DO UPDATE SET leaf_count = excluded.leaf_count, child_count = excluded.child_count`,
      ),
      season: db.prepare(
        `INSERT INTO seasons (item_id, show_id, season_number) VALUES (?, ?, ?)
         ON CONFLICT (item_id) DO UPDATE SET show_id = excluded.show_id, season_number = excluded.season_number`,
      ),
      episode: db.prepare(
        `INSERT INTO episodes (item_id, show_id, season_id, season_number, episode_number, originally_available_at, duration_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (item_id) DO UPDATE SET show_id = excluded.show_id, season_id = excluded.season_id, season_number = excluded.season_number,
         episode_number = excluded.episode_number, originally_available_at = excluded.originally_available_at, duration_ms = excluded.duration_ms`,
      ),
    } satisfies Record<ItemKind, BetterSqlite3.Statement>,
    deleteFiles: db.prepare('DELETE FROM media_files WHERE item_id = ?'),
    deleteExternalIds: db.prepare('DELETE FROM external_ids WHERE item_id = ?'),
  };
}
