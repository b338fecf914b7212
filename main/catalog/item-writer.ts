// The sync engine's hot path: writes pages of items with prepared statements, one transaction per page.
// Kysely serves the rest of the catalog; here 100,000 episodes must be written faster than Plex lists them.
import type BetterSqlite3 from 'better-sqlite3';
import type { ItemKind } from '../../shared/domain.js';
import type { CatalogItemInput } from '../sync/catalog-item.js';

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
  /** Kinds the library held when the writer started: a new item of another kind cannot be a re-key. */
  private readonly kindsPresent: ReadonlySet<string>;
  /** guid → catalog rows of one kind, built on the first re-key lookup (an index on guid slowed every insert). */
  private readonly byGuid = new Map<ItemKind, Map<string, number[]>>();

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly scope: ItemWriterScope,
  ) {
    this.statements = prepareStatements(sqlite);
    const kinds = sqlite.prepare('SELECT DISTINCT kind FROM items WHERE library_id = ?').pluck().all(scope.libraryId) as string[];
    this.kindsPresent = new Set(kinds);
  }

  /** Writes one page atomically: either every item of the page is stored or none is. */
  writePage(items: readonly CatalogItemInput[]): WriteCounts {
    const counts: WriteCounts = { added: 0, updated: 0, unchanged: 0 };
    // IMMEDIATE: take the write lock up front, so another writer waits (busy_timeout) instead of failing mid-way.
    this.sqlite.transaction(() => {
      for (const item of items) counts[this.writeItem(item)] += 1;
    }).immediate();
    return counts;
  }

  private writeItem(item: CatalogItemInput): keyof WriteCounts {
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
    const byKey = this.statements.selectByKey.get(this.scope.serverId, item.ratingKey) as ExistingRow | undefined;
    if (byKey !== undefined || item.guid === null || !this.kindsPresent.has(item.kind) || !isStableGuid(item.guid)) return byKey;
    // Plex re-keyed the item (new ratingKey, same GUID): keep the catalog id.
    const id = this.guidIndex(item.kind).get(item.guid)?.find((candidate) => !this.seenIds.has(candidate));
    return id === undefined ? undefined : (this.statements.selectById.get(id) as ExistingRow | undefined);
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
    const s = this.statements;
    const result = s.insertItem.run(
      this.scope.serverId, this.scope.libraryId, item.kind, item.ratingKey, item.guid, item.title, item.year,
      item.addedAt, item.updatedAt, item.fingerprint, this.scope.now(),
    );
    this.writeDetails(Number(result.lastInsertRowid), item, false);
    return 'added';
  }

  private update(id: number, item: CatalogItemInput): void {
    this.statements.updateItem.run(
      this.scope.libraryId, item.ratingKey, item.guid, item.title, item.year, item.addedAt, item.updatedAt,
      item.fingerprint, this.scope.now(), id,
    );
    this.writeDetails(id, item, true);
  }

  private writeDetails(id: number, item: CatalogItemInput, replacing: boolean): void {
    const s = this.statements;
    this.remember(item, id);
    switch (item.kind) {
      case 'movie':
        s.upsertMovie.run(id, item.originallyAvailableAt, item.durationMs);
        break;
      case 'show':
        s.upsertShow.run(id, item.leafCount, item.childCount);
        break;
      case 'season':
        s.upsertSeason.run(id, this.showIdFor(item), item.seasonNumber);
        break;
      case 'episode':
        s.upsertEpisode.run(id, this.showIdFor(item), this.seasonIdFor(item), item.seasonNumber, item.episodeNumber, item.originallyAvailableAt, item.durationMs);
        break;
    }
    if (replacing) {
      s.deleteFiles.run(id);
      s.deleteExternalIds.run(id);
    }
    for (const file of item.files) {
      const resolved = this.scope.resolvePath(file.plexPath);
      s.insertFile.run(id, file.mediaIndex, file.partIndex, file.plexPath, resolved.localPath, resolved.mapped ? 1 : 0, file.size, file.durationMs, file.container);
    }
    for (const [provider, value] of Object.entries(item.externalIds)) {
      if (value !== undefined) s.insertExternalId.run(id, provider, value);
    }
  }

  private remember(item: CatalogItemInput, id: number): void {
    this.seenIds.add(id);
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
    const stub = this.statements.insertItem.run(
      this.scope.serverId, this.scope.libraryId, kind, ratingKey, null, title ?? (kind === 'show' ? 'Unknown show' : 'Unknown season'),
      null, null, null, STUB_FINGERPRINT, this.scope.now(),
    );
    const id = Number(stub.lastInsertRowid);
    this.parentIds.set(ratingKey, id);
    if (kind === 'show') this.statements.upsertShow.run(id, null, null);
    else this.statements.upsertSeason.run(id, child === undefined ? null : this.showIdFor(child), child?.seasonNumber ?? null);
    return id;
  }

  /** Deletes items with everything that hangs off them (a show's seasons and episodes included). */
  deleteItems(ids: readonly number[]): void {
    const s = this.statements;
    for (const id of ids) {
      s.deleteChildrenOfShow.run(id, id);
      s.deleteItem.run(id);
    }
  }
}

/** GUIDs that identify one item for sure; `local://` and agent-less ids are not worth matching. */
function isStableGuid(guid: string): boolean {
  return guid.startsWith('plex://') || (guid.startsWith('com.plexapp.agents.') && !guid.startsWith('com.plexapp.agents.none://'));
}

function prepareStatements(db: BetterSqlite3.Database) {
  return {
    selectByKey: db.prepare('SELECT id, fingerprint, library_id, kind FROM items WHERE server_id = ? AND rating_key = ?'),
    selectById: db.prepare('SELECT id, fingerprint, library_id, kind FROM items WHERE id = ?'),
    selectGuids: db.prepare('SELECT id, guid FROM items WHERE library_id = ? AND kind = ? AND guid IS NOT NULL'),
    insertItem: db.prepare(
      `INSERT INTO items (server_id, library_id, kind, rating_key, guid, title, year, added_at, updated_at, fingerprint, synced_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateItem: db.prepare(
      `UPDATE items SET library_id = ?, rating_key = ?, guid = ?, title = ?, year = ?, added_at = ?, updated_at = ?,
       fingerprint = ?, synced_at = ? WHERE id = ?`,
    ),
    upsertMovie: db.prepare(
      `INSERT INTO movies (item_id, originally_available_at, duration_ms) VALUES (?, ?, ?)
       ON CONFLICT (item_id) DO UPDATE SET originally_available_at = excluded.originally_available_at, duration_ms = excluded.duration_ms`,
    ),
    upsertShow: db.prepare(
      `INSERT INTO shows (item_id, leaf_count, child_count) VALUES (?, ?, ?)
       ON CONFLICT (item_id) DO UPDATE SET leaf_count = excluded.leaf_count, child_count = excluded.child_count`,
    ),
    upsertSeason: db.prepare(
      `INSERT INTO seasons (item_id, show_id, season_number) VALUES (?, ?, ?)
       ON CONFLICT (item_id) DO UPDATE SET show_id = excluded.show_id, season_number = excluded.season_number`,
    ),
    upsertEpisode: db.prepare(
      `INSERT INTO episodes (item_id, show_id, season_id, season_number, episode_number, originally_available_at, duration_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (item_id) DO UPDATE SET show_id = excluded.show_id, season_id = excluded.season_id, season_number = excluded.season_number,
       episode_number = excluded.episode_number, originally_available_at = excluded.originally_available_at, duration_ms = excluded.duration_ms`,
    ),
    deleteFiles: db.prepare('DELETE FROM media_files WHERE item_id = ?'),
    deleteExternalIds: db.prepare('DELETE FROM external_ids WHERE item_id = ?'),
    insertFile: db.prepare(
      `INSERT INTO media_files (item_id, media_index, part_index, plex_path, local_path, mapped, size, duration_ms, container)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // Plain INSERT: an item's ids are deleted before they are written again (REPLACE is slow with foreign keys on).
    insertExternalId: db.prepare('INSERT INTO external_ids (item_id, provider, value) VALUES (?, ?, ?)'),
    deleteChildrenOfShow: db.prepare(
      `DELETE FROM items WHERE id IN (SELECT item_id FROM episodes WHERE show_id = ? UNION SELECT item_id FROM seasons WHERE show_id = ?)`,
    ),
    deleteItem: db.prepare('DELETE FROM items WHERE id = ?'),
  };
}
