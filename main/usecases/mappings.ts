// Path mappings (Plex's path prefix → the same folder on this computer): behind `marquee mapping …` and the
// app's mapping requests. The catalog re-resolves the server's files in the same transaction as each change.
import type { MappingCandidate, MappingPreviewResult, PathMapping, ServerSummary } from '../../shared/domain.js';
import { isWindowsPath, normalizePrefix } from '../../shared/path-mapping.js';
import { CatalogConflictError } from '../catalog/errors.js';
import { listLibraries, type LibraryListing } from '../catalog/libraries.js';
import * as mappings from '../catalog/mappings.js';
import type { MappingChange, NewMapping } from '../catalog/mappings.js';
import { inTurn, nowSeconds, type UseCaseDeps } from './deps.js';
import { UseCaseError } from './errors.js';
import { requireLibrary } from './libraries.js';
import { requireServer, type ServerRef } from './servers.js';

const DEFAULT_PREVIEW_SAMPLES = 20;
/** How a mapping edit appears in the job queue. */
const MAPPING_EDIT = 'change path mappings';

/** A second mapping for the same prefix and scope; `existing` is the one to change instead. */
export class MappingExistsError extends UseCaseError {
  constructor(
    readonly existing: PathMapping,
    options?: { cause?: unknown },
  ) {
    super(
      'CONFLICT',
      `Mapping ${existing.id} already maps ${existing.plexPrefix} → ${existing.localPrefix} here; edit it instead.`,
      options,
    );
  }
}

export interface MappingPatch {
  plexPrefix?: string;
  localPrefix?: string;
  /** null: every library of the server. */
  libraryId?: number | null;
}

export interface PreviewRequest {
  serverId: number;
  libraryId: number | null;
  candidate: MappingCandidate | null;
  sampleSize?: number;
  replacingId?: number;
}

export function listMappings(deps: UseCaseDeps, serverId?: number): PathMapping[] {
  if (serverId !== undefined) requireServer(deps, { id: serverId });
  return mappings.listMappings(deps.catalog, serverId !== undefined ? { serverId } : {});
}

export function requireMapping(deps: UseCaseDeps, mappingId: number): PathMapping {
  const found = mappings.listMappings(deps.catalog).find((mapping) => mapping.id === mappingId);
  if (found === undefined) throw new UseCaseError('NOT_FOUND', `There is no path mapping with id ${mappingId}.`);
  return found;
}

/** Waits its turn in the job queue: during a sync, it runs between two pages (see inTurn). */
export async function addMapping(deps: UseCaseDeps, wanted: NewMapping): Promise<MappingChange> {
  try {
    return await inTurn(deps, MAPPING_EDIT, () => mappings.addMapping(deps.catalog, wanted, nowSeconds(deps)));
  } catch (error) {
    throw pointAtExisting(deps, wanted, error) ?? error;
  }
}

export function updateMapping(deps: UseCaseDeps, mappingId: number, patch: MappingPatch): Promise<MappingChange> {
  return inTurn(deps, MAPPING_EDIT, () => mappings.updateMapping(deps.catalog, mappingId, patch));
}

/** Its files fall back to other mappings or become unmapped. */
export function removeMapping(deps: UseCaseDeps, mappingId: number): Promise<MappingChange> {
  return inTurn(deps, MAPPING_EDIT, () => mappings.removeMapping(deps.catalog, mappingId));
}

/** What the server's files would look like with the candidate; nothing is written (works while a job runs). */
export function previewMapping(deps: UseCaseDeps, request: PreviewRequest): MappingPreviewResult {
  requireServer(deps, { id: request.serverId });
  if (request.libraryId !== null) {
    const { library } = requireLibrary(deps, { id: request.libraryId });
    if (library.serverId !== request.serverId) {
      throw new UseCaseError('INVALID_INPUT', `The library "${library.title}" belongs to another server.`);
    }
  }
  return mappings.previewMapping(
    deps.catalog,
    request.serverId,
    request.libraryId,
    request.candidate,
    request.sampleSize ?? DEFAULT_PREVIEW_SAMPLES,
    request.replacingId,
  );
}

export interface PathResolution {
  server: ServerSummary;
  /** The library whose folder holds the path (the deepest one), if any: its own mappings apply too. */
  library: LibraryListing | undefined;
  /** null: no mapping of the server (or of that library) applies. */
  localPath: string | null;
}

/**
 * The local path of a path as the Plex server sees it. Library-specific mappings apply when the path lies in one
 * of the server's library folders (the deepest one wins); otherwise only the server-wide mappings do.
 */
export function resolvePlexPath(deps: UseCaseDeps, server: ServerRef, plexPath: string): PathResolution {
  const found = requireServer(deps, server);
  const path = plexPath.trim();
  const library = libraryContaining(listLibraries(deps.catalog, { serverId: found.id }), path);
  const resolved = mappings.resolveWithCatalog(deps.catalog, found.id, library?.id ?? null, path);
  return { server: found, library, localPath: resolved.mapped ? resolved.localPath : null };
}

function libraryContaining(libraries: readonly LibraryListing[], plexPath: string): LibraryListing | undefined {
  const key = normalizePrefix(plexPath);
  const windows = isWindowsPath(plexPath);
  let best: { library: LibraryListing; length: number } | undefined;
  for (const library of libraries) {
    for (const location of library.locations) {
      if (isWindowsPath(location) !== windows) continue;
      const root = normalizePrefix(location);
      const inside = key === root || key.startsWith(`${root}/`) || (windows && key.startsWith(`${root}\\`));
      if (inside && (best === undefined || root.length > best.length)) best = { library, length: root.length };
    }
  }
  return best?.library;
}

/** A conflict with a mapping of the same prefix and scope names that mapping, so it can be changed instead. */
function pointAtExisting(deps: UseCaseDeps, wanted: NewMapping, error: unknown): MappingExistsError | null {
  if (!(error instanceof CatalogConflictError)) return null;
  const key = normalizePrefix(wanted.plexPrefix);
  const existing = mappings
    .listMappings(deps.catalog, { serverId: wanted.serverId })
    .find((mapping) => mapping.libraryId === wanted.libraryId && normalizePrefix(mapping.plexPrefix) === key);
  return existing === undefined ? null : new MappingExistsError(existing, { cause: error });
}
