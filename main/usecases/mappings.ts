// Path mappings (Plex's path prefix → the same folder on this computer): behind `marquee mapping …` and the
// app's mapping requests. The catalog re-resolves the server's files in the same transaction as each change.
import type { PathMapping } from '../../shared/domain.js';
import { normalizePrefix } from '../../shared/path-mapping.js';
import { CatalogConflictError } from '../catalog/errors.js';
import * as mappings from '../catalog/mappings.js';
import type { MappingCandidate, MappingChange, MappingPreview, NewMapping } from '../catalog/mappings.js';
import { assertIdle, nowSeconds, type UseCaseDeps } from './deps.js';
import { UseCaseError } from './errors.js';
import { requireLibrary } from './libraries.js';
import { requireServer } from './servers.js';

const DEFAULT_PREVIEW_SAMPLES = 20;

/** A second mapping for the same prefix and scope; `existing` is the one to change instead. */
export class MappingExistsError extends UseCaseError {
  constructor(
    readonly existing: PathMapping,
    options?: { cause?: unknown },
  ) {
    super('CONFLICT', `Mapping ${existing.id} already maps ${existing.plexPrefix} → ${existing.localPrefix} here; edit it instead.`, options);
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

export async function listMappings(deps: UseCaseDeps, serverId?: number): Promise<PathMapping[]> {
  if (serverId !== undefined) await requireServer(deps, { id: serverId });
  return mappings.listMappings(deps.catalog, serverId !== undefined ? { serverId } : {});
}

export async function requireMapping(deps: UseCaseDeps, mappingId: number): Promise<PathMapping> {
  const found = (await mappings.listMappings(deps.catalog)).find((mapping) => mapping.id === mappingId);
  if (found === undefined) throw new UseCaseError('NOT_FOUND', `There is no path mapping with id ${mappingId}.`);
  return found;
}

export async function addMapping(deps: UseCaseDeps, wanted: NewMapping): Promise<MappingChange> {
  assertIdle(deps, 'change path mappings');
  try {
    return await mappings.addMapping(deps.catalog, wanted, nowSeconds(deps));
  } catch (error) {
    throw (await pointAtExisting(deps, wanted, error)) ?? error;
  }
}

export async function updateMapping(deps: UseCaseDeps, mappingId: number, patch: MappingPatch): Promise<MappingChange> {
  assertIdle(deps, 'change path mappings');
  return mappings.updateMapping(deps.catalog, mappingId, patch);
}

/** Its files fall back to other mappings or become unmapped. */
export async function removeMapping(deps: UseCaseDeps, mappingId: number): Promise<MappingChange> {
  assertIdle(deps, 'change path mappings');
  return mappings.removeMapping(deps.catalog, mappingId);
}

/** What the server's files would look like with the candidate; nothing is written (works while a job runs). */
export async function previewMapping(deps: UseCaseDeps, request: PreviewRequest): Promise<MappingPreview> {
  await requireServer(deps, { id: request.serverId });
  if (request.libraryId !== null) {
    const { library } = await requireLibrary(deps, { id: request.libraryId });
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

/** A conflict with a mapping of the same prefix and scope names that mapping, so it can be changed instead. */
async function pointAtExisting(deps: UseCaseDeps, wanted: NewMapping, error: unknown): Promise<MappingExistsError | null> {
  if (!(error instanceof CatalogConflictError)) return null;
  const key = normalizePrefix(wanted.plexPrefix);
  const existing = (await mappings.listMappings(deps.catalog, { serverId: wanted.serverId })).find(
    (mapping) => mapping.libraryId === wanted.libraryId && normalizePrefix(mapping.plexPrefix) === key,
  );
  return existing === undefined ? null : new MappingExistsError(existing, { cause: error });
}
