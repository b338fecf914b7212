// Path mappings (Plex's view of a path → this computer's) and keeping media_files.local_path in step with
// them: every change re-resolves the server's files at once, so a new mapping applies without a resync.
import type { MappingCandidate, MappingPreviewResult, MappingPreviewSample, PathMapping } from '../../shared/domain.js';
import { type MappingRule, type ResolvedPath, compileMappings, normalizePrefix, validateMapping } from '../../shared/path-mapping.js';
import { sql } from 'kysely';
import { type Catalog, param, prepareQuery, queryAll, queryFirst, queryIterate, runQuery, transaction } from './database.js';
import { CatalogConflictError, CatalogNotFoundError, CatalogValidationError } from './errors.js';
import { editTransaction } from './job-lock.js';
import type { PathMappingRow } from './schema.js';

export interface NewMapping {
  serverId: number;
  /** null: every library of the server. */
  libraryId: number | null;
  plexPrefix: string;
  localPrefix: string;
}

export interface MappingPatch {
  libraryId?: number | null;
  plexPrefix?: string;
  localPrefix?: string;
}

export interface ReresolveCounts {
  /** Media files of the server. */
  files: number;
  /** Files whose local_path or mapped flag changed. */
  changed: number;
  /** Files no mapping applies to, after the change. */
  unmapped: number;
}

export interface MappingChange {
  mapping: PathMapping;
  files: ReresolveCounts;
}

export function toPathMapping(row: PathMappingRow): PathMapping {
  return {
    id: row.id,
    serverId: row.server_id,
    libraryId: row.library_id,
    plexPrefix: row.plex_prefix,
    localPrefix: row.local_prefix,
  };
}

/**
 * Why mapping edits wait for a running sync: it resolves the paths it writes with the mappings it read when
 * the library started, so files written after the edit would keep the old ones.
 */
const MAPPINGS_LOCKED = 'path mappings cannot change until it ends, or the files it writes would miss the change';

export function listMappings(catalog: Catalog, options: { serverId?: number } = {}): PathMapping[] {
  let query = catalog.db.selectFrom('path_mappings').selectAll();
  if (options.serverId !== undefined) query = query.where('server_id', '=', options.serverId);
  const rows = queryAll(catalog, query.orderBy('server_id').orderBy('library_id').orderBy('plex_prefix').orderBy('id'));
  return rows.map(toPathMapping);
}

export function addMapping(catalog: Catalog, mapping: NewMapping, now: number = Math.floor(Date.now() / 1000)): MappingChange {
  const { db } = catalog;
  return editTransaction(catalog, MAPPINGS_LOCKED, () => {
    const values = checkedMapping(catalog, mapping, null);
    const row = queryFirst(
      catalog,
      db
        .insertInto('path_mappings')
        .values({
          server_id: values.serverId,
          library_id: values.libraryId,
          plex_prefix: values.plexPrefix,
          local_prefix: values.localPrefix,
          created_at: now,
        })
        .returningAll(),
    );
    if (row === undefined) throw new Error('The mapping could not be stored.');
    return { mapping: toPathMapping(row), files: reresolveMediaPaths(catalog, values.serverId) };
  });
}

export function updateMapping(catalog: Catalog, mappingId: number, patch: MappingPatch): MappingChange {
  const { db } = catalog;
  return editTransaction(catalog, MAPPINGS_LOCKED, () => {
    const current = mappingRow(catalog, mappingId);
    const values = checkedMapping(
      catalog,
      {
        serverId: current.server_id,
        libraryId: patch.libraryId === undefined ? current.library_id : patch.libraryId,
        plexPrefix: patch.plexPrefix ?? current.plex_prefix,
        localPrefix: patch.localPrefix ?? current.local_prefix,
      },
      mappingId,
    );
    const row = queryFirst(
      catalog,
      db
        .updateTable('path_mappings')
        .set({ library_id: values.libraryId, plex_prefix: values.plexPrefix, local_prefix: values.localPrefix })
        .where('id', '=', mappingId)
        .returningAll(),
    );
    if (row === undefined) throw new CatalogNotFoundError(`There is no path mapping with id ${mappingId}.`);
    return { mapping: toPathMapping(row), files: reresolveMediaPaths(catalog, values.serverId) };
  });
}

/** Removes the mapping; its files fall back to other mappings or become unmapped. */
export function removeMapping(catalog: Catalog, mappingId: number): MappingChange {
  return editTransaction(catalog, MAPPINGS_LOCKED, () => {
    const current = mappingRow(catalog, mappingId);
    runQuery(catalog, catalog.db.deleteFrom('path_mappings').where('id', '=', mappingId));
    return { mapping: toPathMapping(current), files: reresolveMediaPaths(catalog, current.server_id) };
  });
}

function mappingRow(catalog: Catalog, mappingId: number): PathMappingRow {
  const row = queryFirst(catalog, catalog.db.selectFrom('path_mappings').selectAll().where('id', '=', mappingId));
  if (row === undefined) throw new CatalogNotFoundError(`There is no path mapping with id ${mappingId}.`);
  return row;
}

/** Validates a mapping about to be stored (trimmed prefixes, library of the server, no duplicate). */
function checkedMapping(catalog: Catalog, mapping: NewMapping, exceptId: number | null): NewMapping {
  const { db } = catalog;
  const plexPrefix = mapping.plexPrefix.trim();
  const localPrefix = mapping.localPrefix.trim();
  const problem = validateMapping(plexPrefix, localPrefix);
  if (problem !== null) throw new CatalogValidationError(problem);

  const server = queryFirst(catalog, db.selectFrom('servers').select('id').where('id', '=', mapping.serverId));
  if (server === undefined) throw new CatalogNotFoundError(`There is no server with id ${mapping.serverId}.`);
  if (mapping.libraryId !== null) {
    const library = queryFirst(catalog, db.selectFrom('libraries').select(['server_id', 'title']).where('id', '=', mapping.libraryId));
    if (library === undefined) throw new CatalogNotFoundError(`There is no library with id ${mapping.libraryId}.`);
    if (library.server_id !== mapping.serverId) {
      throw new CatalogValidationError(`The library "${library.title}" belongs to another server than the mapping.`);
    }
  }

  // Same scope and same prefix (as the resolver compares them): the second one could never apply.
  const key = normalizePrefix(plexPrefix);
  const siblings = queryAll(
    catalog,
    db
      .selectFrom('path_mappings')
      .select(['id', 'plex_prefix'])
      .where('server_id', '=', mapping.serverId)
      .where('library_id', 'is', mapping.libraryId),
  );
  const duplicate = siblings.find((row) => row.id !== exceptId && normalizePrefix(row.plex_prefix) === key);
  if (duplicate !== undefined) {
    throw new CatalogConflictError(
      `A mapping for "${duplicate.plex_prefix}" already exists for this ${mapping.libraryId === null ? 'server' : 'library'}; edit it instead.`,
    );
  }
  return { serverId: mapping.serverId, libraryId: mapping.libraryId, plexPrefix, localPrefix };
}

function mappingRules(catalog: Catalog, serverId: number): MappingRule[] {
  const rows = queryAll(catalog, catalog.db.selectFrom('path_mappings').selectAll().where('server_id', '=', serverId));
  return rows.map(toPathMapping);
}

/**
 * A synchronous resolver for one library's files under the server's current mappings (the sync engine's
 * ItemWriter takes one). Mappings changed later are not seen: ask for a new resolver.
 */
export function mappingResolverFor(catalog: Catalog, serverId: number, libraryId: number | null): (plexPath: string) => ResolvedPath {
  const resolve = compileMappings(mappingRules(catalog, serverId));
  const scope = { serverId, libraryId };
  return (plexPath) => resolve(plexPath, scope);
}

export function resolveWithCatalog(catalog: Catalog, serverId: number, libraryId: number | null, plexPath: string): ResolvedPath {
  const rows = queryAll(catalog, catalog.db.selectFrom('path_mappings').selectAll().where('server_id', '=', serverId));
  return compileMappings(rows.map(toPathMapping))(plexPath, { serverId, libraryId });
}

/** Rows read per page: a page is iterated, then its changes written (no writes while a statement iterates). */
const RERESOLVE_PAGE = 5000;

interface FileRow {
  id: number;
  plex_path: string;
  local_path: string;
  mapped: 0 | 1;
  library_id: number;
}

/**
 * Recomputes local_path/mapped of every media file of the server (or of one of its libraries) from its
 * current mappings, in one transaction, rewriting only the rows that changed. Synchronous (prepared
 * statements): 200,000 files take well under a few seconds. A full sync pass calls it for its library: files
 * the writer skips as unchanged keep their stored local paths, which an older Marquee could have written
 * with mappings that changed mid-sync; this is what repairs them.
 */
export function reresolveMediaPaths(catalog: Catalog, serverId: number, libraryId?: number): ReresolveCounts {
  const { db } = catalog;
  const resolve = compileMappings(mappingRules(catalog, serverId));
  const onlyLibraryParam = param<number>('onlyLibrary');
  // CROSS JOIN keeps media_files as the outer loop, walked in rowid order from the page's start: each page
  // costs its own rows, not a re-sort of the whole server.
  const page = prepareQuery<FileRow, { serverId: number; onlyLibrary: number; after: number; limit: number }>(
    catalog,
    db
      .selectFrom('media_files as mf')
      .crossJoin('items as i')
      .select(['mf.id', 'mf.plex_path', 'mf.local_path', 'mf.mapped', 'i.library_id'])
      .whereRef('i.id', '=', 'mf.item_id')
      .where('i.server_id', '=', param<number>('serverId'))
      .where((eb) => eb.or([eb(onlyLibraryParam, '<', sql<number>`0`), eb('i.library_id', '=', onlyLibraryParam)]))
      .where('mf.id', '>', param<number>('after'))
      .orderBy('mf.id')
      .limit(param<number>('limit')),
  );
  const update = prepareQuery<unknown, { localPath: string; mapped: number; id: number }>(
    catalog,
    db
      .updateTable('media_files')
      .set({ local_path: param<string>('localPath'), mapped: param<0 | 1>('mapped') })
      .where('id', '=', param<number>('id')),
  );
  const counts: ReresolveCounts = { files: 0, changed: 0, unmapped: 0 };
  const onlyLibrary = libraryId ?? -1;
  const scope = { serverId, libraryId: 0 };
  transaction(catalog, () => {
    let after = 0;
    for (;;) {
      const changes: { id: number; localPath: string; mapped: 0 | 1 }[] = [];
      let rows = 0;
      for (const row of page.iterate({ serverId, onlyLibrary, after, limit: RERESOLVE_PAGE })) {
        rows += 1;
        after = row.id;
        scope.libraryId = row.library_id;
        const resolved = resolve(row.plex_path, scope);
        const mapped = resolved.mapped ? 1 : 0;
        if (mapped === 0) counts.unmapped += 1;
        if (resolved.localPath !== row.local_path || mapped !== row.mapped) {
          changes.push({ id: row.id, localPath: resolved.localPath, mapped });
        }
      }
      for (const change of changes) update.run(change);
      counts.files += rows;
      counts.changed += changes.length;
      if (rows < RERESOLVE_PAGE) break;
    }
  });
  return counts;
}

/** The candidate's id in the preview: never a real row id. */
const CANDIDATE_ID = -1;

/**
 * What the server's files would look like with `candidate` added to the existing mappings (null: the
 * existing ones alone), for the desktop UI's live preview. Nothing is written. `replacingId` is the mapping
 * being edited: it is left out, as the candidate would replace it. Samples alternate between files the
 * candidate maps, files still unmapped and the rest, each from different folders.
 */
export function previewMapping(
  catalog: Catalog,
  serverId: number,
  libraryId: number | null,
  candidate: MappingCandidate | null,
  sampleSize: number,
  replacingId?: number,
): MappingPreviewResult {
  const existing = mappingRules(catalog, serverId).filter((rule) => rule.id !== replacingId);
  const candidateError = candidate === null ? null : validateMapping(candidate.plexPrefix, candidate.localPrefix);
  const withCandidate =
    candidate === null || candidateError !== null
      ? existing
      : [
          ...existing,
          {
            id: CANDIDATE_ID,
            serverId,
            libraryId,
            plexPrefix: candidate.plexPrefix.trim(),
            localPrefix: candidate.localPrefix.trim(),
          },
        ];
  const before = compileMappings(existing);
  const after = compileMappings(withCandidate);

  let files = catalog.db
    .selectFrom('items as i')
    .innerJoin('media_files as mf', 'mf.item_id', 'i.id')
    .select(['mf.plex_path', 'i.library_id'])
    .where('i.server_id', '=', serverId);
  if (libraryId !== null) files = files.where('i.library_id', '=', libraryId);
  const rows = queryIterate(catalog, files);

  const preview: MappingPreviewResult = { candidateError, files: 0, unmappedBefore: 0, unmapped: 0, mappedByCandidate: 0, samples: [] };
  const limit = Math.max(0, Math.floor(sampleSize));
  // Best first: files the candidate maps, files left unmapped, the rest.
  const buckets = [new SampleBucket(limit), new SampleBucket(limit), new SampleBucket(limit)] as const;
  const scope = { serverId, libraryId: 0 };
  for (const row of rows) {
    preview.files += 1;
    scope.libraryId = row.library_id;
    if (!before(row.plex_path, scope).mapped) preview.unmappedBefore += 1;
    const resolved = after(row.plex_path, scope);
    const byCandidate = resolved.mappingId === CANDIDATE_ID;
    if (byCandidate) preview.mappedByCandidate += 1;
    if (!resolved.mapped) preview.unmapped += 1;
    const bucket = byCandidate ? buckets[0] : resolved.mapped ? buckets[2] : buckets[1];
    bucket.offer(row.plex_path, () => ({
      plexPath: row.plex_path,
      localPath: resolved.localPath,
      mapped: resolved.mapped,
      byCandidate,
    }));
  }
  preview.samples = takeInTurn(
    buckets.map((bucket) => [...bucket.spread, ...bucket.rest]),
    limit,
  );
  return preview;
}

/** One from each list in turn until `limit`: a preview shows mapped and unmapped files side by side. */
function takeInTurn<T>(lists: readonly T[][], limit: number): T[] {
  const taken: T[] = [];
  for (let round = 0; taken.length < limit && lists.some((list) => round < list.length); round += 1) {
    for (const list of lists) {
      const item = list[round];
      if (item !== undefined && taken.length < limit) taken.push(item);
    }
  }
  return taken;
}

/** Keeps up to `limit` samples from distinct folders, and as many more from folders already seen. */
class SampleBucket {
  readonly spread: MappingPreviewSample[] = [];
  readonly rest: MappingPreviewSample[] = [];
  private readonly folders = new Set<string>();

  constructor(private readonly limit: number) {}

  offer(plexPath: string, make: () => MappingPreviewSample): void {
    if (this.spread.length >= this.limit) return;
    const folder = plexPath.slice(0, Math.max(plexPath.lastIndexOf('/'), plexPath.lastIndexOf('\\')));
    if (!this.folders.has(folder)) {
      this.folders.add(folder);
      this.spread.push(make());
    } else if (this.rest.length < this.limit) {
      this.rest.push(make());
    }
  }
}
