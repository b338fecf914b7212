// Library sections of each server, as Plex last listed them, with their sync state.
import { sql } from 'kysely';
import type { LibrarySummary, LibrarySyncReport } from '../../shared/domain.js';
import { type Catalog, queryAll, queryFirst, runQuery, transaction } from './database.js';
import { editTransaction } from './job-lock.js';
import { AmbiguousLibraryError, CatalogNotFoundError, CatalogValidationError } from './errors.js';
import type { LibraryRow, LibraryUpdate } from './schema.js';

/** Section types the engine syncs (music: artist → album → track, audiobooks too); the others (photo, …) are listed only. */
export const SYNCABLE_LIBRARY_TYPES: readonly string[] = ['movie', 'show', 'artist'];

/**
 * Section types enabled when first listed. Music libraries are synced once enabled (`library enable`): a
 * catalog that existed before music was synced does not start importing tens of thousands of tracks unasked.
 */
export const ENABLED_WHEN_NEW_TYPES: readonly string[] = ['movie', 'show'];

export function isSyncableLibraryType(type: string): boolean {
  return SYNCABLE_LIBRARY_TYPES.includes(type);
}

/** LibrarySummary plus what the catalog knows beyond the shared vocabulary. */
export interface LibraryListing extends LibrarySummary {
  /** Set when the server no longer lists the library; its items are kept. */
  missingSince: number | null;
}

export interface SectionUpsertResult {
  /** Section keys seen for the first time. */
  added: string[];
  /** Known section keys whose title, uuid, type or locations changed. */
  updated: string[];
  /** Section keys the server stopped listing in this call. */
  missing: string[];
  /** Section keys that were missing and are listed again. */
  restored: string[];
}

/** A library section as the server lists it: what the catalog keeps of it (the sync hands Plex's sections over). */
export interface SectionInput {
  key: string;
  /** 'movie' | 'show' | 'artist' | 'photo' or anything newer. */
  type: string;
  title: string;
  uuid?: string;
  /** Root folders on the server, in the server's order. */
  locations: readonly string[];
}

/**
 * Records the server's section list: new sections are inserted (enabled when movie/show; music is enabled on request), known ones are
 * updated, ones no longer listed get `missing_since` (and keep their items). Never deletes.
 */
export function upsertSections(catalog: Catalog, serverId: number, sections: readonly SectionInput[], now: number): SectionUpsertResult {
  const { db } = catalog;
  const result: SectionUpsertResult = { added: [], updated: [], missing: [], restored: [] };
  transaction(catalog, () => {
    const known = new Map(
      queryAll(catalog, db.selectFrom('libraries').selectAll().where('server_id', '=', serverId)).map((row) => [row.section_key, row]),
    );
    const listed = new Set<string>();
    for (const section of sections) {
      if (listed.has(section.key)) continue;
      listed.add(section.key);
      const locations = JSON.stringify(section.locations);
      const uuid = section.uuid ?? null;
      const row = known.get(section.key);
      if (row === undefined) {
        runQuery(
          catalog,
          db.insertInto('libraries').values({
            server_id: serverId,
            section_key: section.key,
            uuid,
            title: section.title,
            type: section.type,
            enabled: ENABLED_WHEN_NEW_TYPES.includes(section.type) ? 1 : 0,
            locations,
          }),
        );
        result.added.push(section.key);
        continue;
      }
      const update: LibraryUpdate = {};
      if (row.title !== section.title) update.title = section.title;
      // A section without uuid in this answer keeps the one we know.
      if (uuid !== null && row.uuid !== uuid) update.uuid = uuid;
      if (row.type !== section.type) update.type = section.type;
      if (row.locations !== locations) update.locations = locations;
      const changed = Object.keys(update).length > 0;
      if (row.missing_since !== null) {
        update.missing_since = null;
        result.restored.push(section.key);
      }
      if (changed) result.updated.push(section.key);
      if (Object.keys(update).length > 0) runQuery(catalog, db.updateTable('libraries').set(update).where('id', '=', row.id));
    }
    for (const row of known.values()) {
      if (listed.has(row.section_key) || row.missing_since !== null) continue;
      runQuery(catalog, db.updateTable('libraries').set({ missing_since: now }).where('id', '=', row.id));
      result.missing.push(row.section_key);
    }
  });
  return result;
}

export interface ListLibrariesOptions {
  serverId?: number;
  /** Default true. The sync planner skips the counts: they scan every item of the server. */
  withCounts?: boolean;
}

type ItemCounts = LibrarySummary['itemCounts'];

/** Every library with item counts and unmapped file counts, ordered by server name then title. */
export function listLibraries(catalog: Catalog, options: ListLibrariesOptions = {}): LibraryListing[] {
  const { db } = catalog;
  const { serverId } = options;
  let libraries = db
    .selectFrom('libraries as l')
    .innerJoin('servers as s', 's.id', 'l.server_id')
    .selectAll('l')
    .select('s.name as server_name');
  if (serverId !== undefined) libraries = libraries.where('l.server_id', '=', serverId);
  const rows = queryAll(
    catalog,
    libraries
      .orderBy('s.name')
      .orderBy(sql`l.title collate nocase`)
      .orderBy('l.id'),
  );
  if (options.withCounts === false) {
    const none = { movies: 0, shows: 0, seasons: 0, episodes: 0, artists: 0, albums: 0, tracks: 0 };
    return rows.map((row) => ({ ...toLibraryFields(row), serverName: row.server_name, itemCounts: { ...none }, unmappedFiles: 0 }));
  }

  // Two grouped queries instead of a count per library: items_library_kind and the partial
  // media_files_unmapped index answer them without touching the rows.
  let kinds = db.selectFrom('items').select(['library_id', 'kind', (eb) => eb.fn.countAll<number>().as('count')]);
  if (serverId !== undefined) kinds = kinds.where('server_id', '=', serverId);
  const kindCounts = queryAll(catalog, kinds.groupBy(['library_id', 'kind']));

  let unmapped = db
    .selectFrom('media_files as mf')
    .innerJoin('items as i', 'i.id', 'mf.item_id')
    .select(['i.library_id', (eb) => eb.fn.countAll<number>().as('count')])
    .where('mf.mapped', '=', 0);
  if (serverId !== undefined) unmapped = unmapped.where('i.server_id', '=', serverId);
  const unmappedCounts = queryAll(catalog, unmapped.groupBy('i.library_id'));

  const counts = new Map<number, ItemCounts>();
  const countsOf = (libraryId: number): ItemCounts => {
    let entry = counts.get(libraryId);
    if (entry === undefined) {
      entry = { movies: 0, shows: 0, seasons: 0, episodes: 0, artists: 0, albums: 0, tracks: 0 };
      counts.set(libraryId, entry);
    }
    return entry;
  };
  for (const row of kindCounts) countsOf(row.library_id)[`${row.kind}s`] = Number(row.count);
  const unmappedByLibrary = new Map(unmappedCounts.map((row) => [row.library_id, Number(row.count)]));

  return rows.map((row) => ({
    ...toLibraryFields(row),
    serverName: row.server_name,
    itemCounts: counts.get(row.id) ?? { movies: 0, shows: 0, seasons: 0, episodes: 0, artists: 0, albums: 0, tracks: 0 },
    unmappedFiles: unmappedByLibrary.get(row.id) ?? 0,
  }));
}

function toLibraryFields(row: LibraryRow): Omit<LibraryListing, 'serverName' | 'itemCounts' | 'unmappedFiles'> {
  return {
    id: row.id,
    serverId: row.server_id,
    sectionKey: row.section_key,
    uuid: row.uuid,
    title: row.title,
    type: row.type,
    enabled: row.enabled === 1,
    locations: parseLocations(row.locations),
    lastSyncAt: row.last_sync_at,
    lastFullSyncAt: row.last_full_sync_at,
    lastSyncStatus: row.last_sync_status,
    lastSyncError: row.last_sync_error,
    missingSince: row.missing_since,
  };
}

function parseLocations(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
  } catch {
    return [];
  }
}

export function getLibrary(catalog: Catalog, libraryId: number): LibraryRow | null {
  const row = queryFirst(catalog, catalog.db.selectFrom('libraries').selectAll().where('id', '=', libraryId));
  return row ?? null;
}

/**
 * The server's library with this section key, else the one with this title (case-insensitive).
 * Null when none matches; AmbiguousLibraryError (listing the keys) when several titles match.
 */
export function findLibrary(catalog: Catalog, serverId: number, titleOrKey: string): LibraryListing | null {
  const wanted = titleOrKey.trim();
  const all = listLibraries(catalog, { serverId });
  const byKey = all.find((library) => library.sectionKey === wanted);
  if (byKey !== undefined) return byKey;
  // In JS rather than COLLATE NOCASE, which folds ASCII only ("Séries" vs "SÉRIES").
  const folded = foldTitle(wanted);
  const byTitle = all.filter((library) => foldTitle(library.title) === folded);
  if (byTitle.length > 1) {
    throw new AmbiguousLibraryError(
      wanted,
      byTitle.map((library) => ({ sectionKey: library.sectionKey, title: library.title })),
    );
  }
  return byTitle[0] ?? null;
}

function foldTitle(title: string): string {
  return title.normalize('NFC').toLocaleLowerCase('und');
}

/** Movie, show and music (artist) libraries only: the others are listed but cannot be synced. */
export function setLibraryEnabled(catalog: Catalog, libraryId: number, enabled: boolean): void {
  const library = getLibrary(catalog, libraryId);
  if (library === null) throw new CatalogNotFoundError(`There is no library with id ${libraryId}.`);
  if (enabled && !isSyncableLibraryType(library.type)) {
    throw new CatalogValidationError(
      `"${library.title}" is a ${library.type} library; only movie, show and music libraries can be synced.`,
    );
  }
  editTransaction(catalog, 'libraries cannot be enabled or disabled until it ends', () =>
    runQuery(
      catalog,
      catalog.db
        .updateTable('libraries')
        .set({ enabled: enabled ? 1 : 0 })
        .where('id', '=', libraryId),
    ),
  );
}

export interface LibrarySyncRecord {
  status: 'ok' | 'failed' | 'cancelled';
  error: string | null;
  report: LibrarySyncReport | null;
  /** Only stored when given: a failed sync keeps the previous watermark. */
  watermark?: number | null;
  contentChangedAt?: string | null;
  /** A full listing; it counts as the last full sync only when it succeeded. */
  full: boolean;
  at: number;
}

export function recordLibrarySync(catalog: Catalog, libraryId: number, record: LibrarySyncRecord): void {
  const update: LibraryUpdate = {
    last_sync_at: record.at,
    last_sync_status: record.status,
    last_sync_error: record.error,
    last_sync_report: record.report === null ? null : JSON.stringify(record.report),
  };
  if (record.watermark !== undefined) update.watermark = record.watermark;
  if (record.contentChangedAt !== undefined) update.content_changed_at = record.contentChangedAt;
  if (record.full && record.status === 'ok') update.last_full_sync_at = record.at;
  const result = runQuery(catalog, catalog.db.updateTable('libraries').set(update).where('id', '=', libraryId));
  if (result.changes === 0) throw new CatalogNotFoundError(`There is no library with id ${libraryId}.`);
}

export interface LibrarySyncState {
  watermark: number | null;
  contentChangedAt: string | null;
  lastFullSyncAt: number | null;
}

export function getLibrarySyncState(catalog: Catalog, libraryId: number): LibrarySyncState {
  const row = queryFirst(
    catalog,
    catalog.db.selectFrom('libraries').select(['watermark', 'content_changed_at', 'last_full_sync_at']).where('id', '=', libraryId),
  );
  if (row === undefined) throw new CatalogNotFoundError(`There is no library with id ${libraryId}.`);
  return { watermark: row.watermark, contentChangedAt: row.content_changed_at, lastFullSyncAt: row.last_full_sync_at };
}
