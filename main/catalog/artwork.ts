// The artwork cache's index (table artwork_cache): which file (by SHA-256) answers which image of which item,
// the item's state it was fetched for, and when it was last shown. The files themselves are main/artwork's.
import { type ExpressionBuilder, sql } from 'kysely';
import { type Catalog, queryAll, queryFirst, runQuery, writeTransaction } from './database.js';
import type { ArtworkCacheTable, CatalogSchema } from './schema.js';

export type ArtworkCacheRole = ArtworkCacheTable['role'];

/** One cached image: the item, the role and the size bucket asked of Plex. */
export interface ArtworkCacheKey {
  itemId: number;
  role: ArtworkCacheRole;
  width: number;
  height: number;
}

export interface ArtworkCacheEntry extends ArtworkCacheKey {
  itemStamp: string;
  hash: string;
  bytes: number;
  contentType: string;
  lastUsedAt: number;
}

/** What the artwork service needs of an item to fetch its images. */
export interface ArtworkItem {
  id: number;
  kind: string;
  ratingKey: string;
  /** The item's state: rating key and Plex's updatedAt (else addedAt). A cached image of another state is stale. */
  stamp: string;
  serverId: number;
  /** Episodes: their show's item id (null when the catalog has no show for it). */
  showId: number | null;
}

/** The item's stamp, computed by SQLite the same way everywhere (lookups and the stale sweep). */
const itemStamp = sql<string>`i.rating_key || ':' || coalesce(i.updated_at, i.added_at, '')`;

export function artworkItem(catalog: Catalog, itemId: number): ArtworkItem | null {
  const row = queryFirst(
    catalog,
    catalog.db
      .selectFrom('items as i')
      .leftJoin('episodes as e', 'e.item_id', 'i.id')
      .select(['i.id', 'i.kind', 'i.rating_key', 'i.server_id', 'e.show_id', itemStamp.as('stamp')])
      .where('i.id', '=', itemId),
  );
  if (row === undefined) return null;
  return { id: row.id, kind: row.kind, ratingKey: row.rating_key, stamp: row.stamp, serverId: row.server_id, showId: row.show_id ?? null };
}

export function findArtwork(catalog: Catalog, key: ArtworkCacheKey): ArtworkCacheEntry | null {
  const row = queryFirst(catalog, catalog.db.selectFrom('artwork_cache').selectAll().where(keyMatches(key)));
  if (row === undefined) return null;
  return {
    itemId: row.item_id,
    role: row.role,
    width: row.width,
    height: row.height,
    itemStamp: row.item_stamp,
    hash: row.hash,
    bytes: row.bytes,
    contentType: row.content_type,
    lastUsedAt: row.last_used_at,
  };
}

/**
 * Records a fetched image (replacing the entry of the same key). Returns the hash the entry had before when
 * no entry uses it any more (its file can go), else null. False when the item is gone meanwhile (nothing stored).
 */
export function putArtwork(catalog: Catalog, entry: ArtworkCacheEntry): { stored: boolean; orphaned: string | null } {
  return writeTransaction(catalog, () => {
    const exists = queryFirst(catalog, catalog.db.selectFrom('items').select('id').where('id', '=', entry.itemId));
    if (exists === undefined) return { stored: false, orphaned: null };
    const previous = findArtwork(catalog, entry);
    const values = {
      item_id: entry.itemId,
      role: entry.role,
      width: entry.width,
      height: entry.height,
      item_stamp: entry.itemStamp,
      hash: entry.hash,
      bytes: entry.bytes,
      content_type: entry.contentType,
      last_used_at: entry.lastUsedAt,
    };
    runQuery(
      catalog,
      catalog.db
        .insertInto('artwork_cache')
        .values(values)
        .onConflict((conflict) => conflict.columns(['item_id', 'role', 'width', 'height']).doUpdateSet(values)),
    );
    const orphaned = previous !== null && previous.hash !== entry.hash && !hashInUse(catalog, previous.hash) ? previous.hash : null;
    return { stored: true, orphaned };
  });
}

/** Notes that an entry was shown, at most once per `granularitySeconds` (LRU order needs no finer clock). */
export function touchArtwork(catalog: Catalog, key: ArtworkCacheKey, now: number, granularitySeconds = 60): void {
  runQuery(
    catalog,
    catalog.db
      .updateTable('artwork_cache')
      .set({ last_used_at: now })
      .where(keyMatches(key))
      .where('last_used_at', '<', now - granularitySeconds),
  );
}

/** Removes one entry; returns its hash when no other entry uses it (its file can go), else null. */
export function deleteArtwork(catalog: Catalog, key: ArtworkCacheKey): string | null {
  return writeTransaction(catalog, () => {
    const entry = findArtwork(catalog, key);
    if (entry === null) return null;
    runQuery(catalog, catalog.db.deleteFrom('artwork_cache').where(keyMatches(key)));
    return hashInUse(catalog, entry.hash) ? null : entry.hash;
  });
}

function hashInUse(catalog: Catalog, hash: string): boolean {
  return queryFirst(catalog, catalog.db.selectFrom('artwork_cache').select('hash').where('hash', '=', hash).limit(1)) !== undefined;
}

/** Bytes on disk the index accounts for: each file once, however many entries share it. */
export function artworkCacheBytes(catalog: Catalog): number {
  const row = queryFirst(
    catalog,
    catalog.db
      .selectFrom((db) =>
        db
          .selectFrom('artwork_cache')
          .select(['hash', (eb) => eb.fn.max('bytes').as('bytes')])
          .groupBy('hash')
          .as('files'),
      )
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('files.bytes'), eb.lit(0)).as('total')),
  );
  return Number(row?.total ?? 0);
}

/**
 * Removes least recently used entries until the files they account for fit in `capBytes`. Returns the hashes
 * no entry uses any more: their files can go.
 */
export function evictArtworkOverCap(catalog: Catalog, capBytes: number): string[] {
  return writeTransaction(catalog, () => {
    let total = artworkCacheBytes(catalog);
    const freed: string[] = [];
    while (total > capBytes) {
      const oldest = queryAll(
        catalog,
        catalog.db
          .selectFrom('artwork_cache')
          .select(['item_id', 'role', 'width', 'height', 'hash', 'bytes'])
          .orderBy('last_used_at')
          .orderBy('item_id')
          .limit(64),
      );
      if (oldest.length === 0) break;
      for (const row of oldest) {
        if (total <= capBytes) break;
        runQuery(
          catalog,
          catalog.db
            .deleteFrom('artwork_cache')
            .where(keyMatches({ itemId: row.item_id, role: row.role, width: row.width, height: row.height })),
        );
        if (!hashInUse(catalog, row.hash)) {
          freed.push(row.hash);
          total -= row.bytes;
        }
      }
    }
    return freed;
  });
}

/**
 * Removes the entries of items whose state moved since their image was fetched (Plex's updatedAt or the rating
 * key changed). Returns the hashes no entry uses any more. Entries of removed items went with them (cascade).
 */
export function deleteStaleArtwork(catalog: Catalog): string[] {
  return writeTransaction(catalog, () => {
    const stale = queryAll(
      catalog,
      catalog.db
        .selectFrom('artwork_cache as a')
        .innerJoin('items as i', 'i.id', 'a.item_id')
        .select(['a.item_id', 'a.role', 'a.width', 'a.height', 'a.hash'])
        .where(sql<boolean>`a.item_stamp <> ${itemStamp}`),
    );
    const freed = new Set<string>();
    for (const row of stale) {
      runQuery(
        catalog,
        catalog.db
          .deleteFrom('artwork_cache')
          .where(keyMatches({ itemId: row.item_id, role: row.role, width: row.width, height: row.height })),
      );
      freed.add(row.hash);
    }
    return [...freed].filter((hash) => !hashInUse(catalog, hash));
  });
}

/** Every hash the index refers to (a sweep deletes files outside it). */
export function artworkHashes(catalog: Catalog): Set<string> {
  return new Set(queryAll(catalog, catalog.db.selectFrom('artwork_cache').select('hash').distinct()).map((row) => row.hash));
}

/** The row of one key, as a where() filter of any query on artwork_cache. */
function keyMatches(key: ArtworkCacheKey) {
  return (eb: ExpressionBuilder<CatalogSchema, 'artwork_cache'>) =>
    eb.and([eb('item_id', '=', key.itemId), eb('role', '=', key.role), eb('width', '=', key.width), eb('height', '=', key.height)]);
}
