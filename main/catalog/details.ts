// The detail pass's part of the catalog (migrations/0007_detail_pass.sql): which items still need their full
// metadata, how far a server is, and writing what the streams told. Synchronous, as every repository.
import { sql } from 'kysely';
import { type Catalog, queryAll, queryFirst, runQuery, writeTransaction } from './database.js';
import { runningJob } from './job-lock.js';

/** An item the detail pass has to ask Plex about. */
export interface PendingDetailItem {
  id: number;
  ratingKey: string;
  /** The item's fingerprint when it was picked: the write is refused if a sync changed the item meanwhile. */
  fingerprint: string;
  updatedAt: number | null;
}

/** What one version's streams told (catalog input: the catalog does not import the sync's types). */
export interface VersionDetailInput {
  mediaIndex: number;
  hdr: string | null;
  audioLanguages: readonly string[] | null;
  subtitleLanguages: readonly string[] | null;
}

export interface DetailProgress {
  /** Movies and episodes with at least one version, in enabled libraries still listed. */
  total: number;
  /** Of those, detailed at their current fingerprint. */
  done: number;
}

export type DetailWriteOutcome =
  /** Written, or nothing to write; `written` items are now done. */
  | { kind: 'written'; written: number; stale: number }
  /** Another program's job holds the catalog: nothing was written, ask again once it ends. */
  | { kind: 'yielded' };

/** Movies and episodes of the server's enabled, listed libraries that have versions: what the pass covers. */
function coveredItems(catalog: Catalog, serverId: number) {
  return catalog.db
    .selectFrom('items as i')
    .innerJoin('libraries as l', 'l.id', 'i.library_id')
    .leftJoin('item_details as d', 'd.item_id', 'i.id')
    .where('i.server_id', '=', serverId)
    .where('l.enabled', '=', 1)
    .where('l.missing_since', 'is', null)
    .where('i.kind', 'in', ['movie', 'episode'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('media_versions as v')
          .select(sql<number>`1`.as('one'))
          .whereRef('v.item_id', '=', 'i.id'),
      ),
    );
}

/**
 * Up to `limit` items after id `afterId` (ascending) that were never detailed, or whose fingerprint moved since:
 * an item a sync changed lost what its streams told (the listing rewrote its versions), so it is done again.
 */
export function pendingDetailItems(catalog: Catalog, serverId: number, afterId: number, limit: number): PendingDetailItem[] {
  const rows = queryAll(
    catalog,
    coveredItems(catalog, serverId)
      .select(['i.id', 'i.rating_key', 'i.fingerprint', 'i.updated_at'])
      .where('i.id', '>', afterId)
      .where((eb) => eb.or([eb('d.item_id', 'is', null), eb('d.fingerprint', '!=', eb.ref('i.fingerprint'))]))
      .orderBy('i.id')
      .limit(Math.max(0, Math.floor(limit))),
  );
  return rows.map((row) => ({ id: row.id, ratingKey: row.rating_key, fingerprint: row.fingerprint, updatedAt: row.updated_at }));
}

export function detailProgress(catalog: Catalog, serverId: number): DetailProgress {
  const row = queryFirst(
    catalog,
    coveredItems(catalog, serverId).select([
      sql<number>`count(*)`.as('total'),
      sql<number>`coalesce(sum(d.fingerprint = i.fingerprint), 0)`.as('done'),
    ]),
  );
  return { total: row?.total ?? 0, done: row?.done ?? 0 };
}

/**
 * Writes what full metadata told about `items` (by item id), in one short write transaction, and marks them done.
 * The lowest-priority writer: while another program's job holds the catalog's job lock it writes nothing and
 * says so. An item whose fingerprint moved since it was picked (a sync changed it meanwhile) is left for the
 * next pass ("stale"); so is one whose versions no longer match what Plex sent. Never deletes anything.
 */
export function writeDetailFacts(
  catalog: Catalog,
  items: ReadonlyMap<number, { pending: PendingDetailItem; versions: readonly VersionDetailInput[] }>,
  detailedAt: number,
): DetailWriteOutcome {
  return writeTransaction(catalog, (): DetailWriteOutcome => {
    if (runningJob(catalog) !== null) return { kind: 'yielded' };
    let written = 0;
    let stale = 0;
    for (const [itemId, { pending, versions }] of items) {
      const current = queryFirst(catalog, catalog.db.selectFrom('items').select('fingerprint').where('id', '=', itemId));
      const indexes = queryAll(catalog, catalog.db.selectFrom('media_versions').select('media_index').where('item_id', '=', itemId));
      if (current?.fingerprint !== pending.fingerprint || !sameIndexes(indexes, versions)) {
        stale += 1;
        continue;
      }
      for (const version of versions) {
        runQuery(
          catalog,
          catalog.db
            .updateTable('media_versions')
            .set({
              hdr: version.hdr,
              audio_languages: version.audioLanguages === null ? null : JSON.stringify(version.audioLanguages),
              subtitle_languages: version.subtitleLanguages === null ? null : JSON.stringify(version.subtitleLanguages),
            })
            .where('item_id', '=', itemId)
            .where('media_index', '=', version.mediaIndex),
        );
      }
      runQuery(
        catalog,
        catalog.db
          .replaceInto('item_details')
          .values({ item_id: itemId, fingerprint: pending.fingerprint, updated_at: pending.updatedAt, detailed_at: detailedAt }),
      );
      written += 1;
    }
    return { kind: 'written', written, stale };
  });
}

/** Plex's versions are the catalog's: same count and indexes (a file added or removed since the sync is not). */
function sameIndexes(rows: readonly { media_index: number }[], versions: readonly VersionDetailInput[]): boolean {
  if (rows.length !== versions.length) return false;
  const stored = new Set(rows.map((row) => row.media_index));
  return versions.every((version) => stored.has(version.mediaIndex));
}
