// Listing libraries and choosing which ones sync: behind `marquee library …` and the app's library requests.
import type { ServerSummary } from '../../shared/domain.js';
import { CatalogNotFoundError } from '../catalog/errors.js';
import * as libraries from '../catalog/libraries.js';
import type { LibraryListing } from '../catalog/libraries.js';
import { inTurn, type UseCaseDeps } from './deps.js';
import { UseCaseError } from './errors.js';
import { requireServer, type ServerRef } from './servers.js';

/** A library as each face names it: the app by id, the CLI by its server and its title or section key. */
export type LibraryRef = { id: number } | { server: string; titleOrKey: string };

export interface FoundLibrary {
  server: ServerSummary;
  library: LibraryListing;
}

export function listLibraries(deps: UseCaseDeps, server?: ServerRef): LibraryListing[] {
  const found = server === undefined ? undefined : requireServer(deps, server);
  return libraries.listLibraries(deps.catalog, found === undefined ? {} : { serverId: found.id });
}

/** The library, or NOT_FOUND: by id, or by title or key on a named server (the message lists its libraries). */
export function requireLibrary(deps: UseCaseDeps, ref: LibraryRef): FoundLibrary {
  if ('id' in ref) return libraryById(deps, ref.id);
  const server = requireServer(deps, { nameOrId: ref.server });
  const library = libraries.findLibrary(deps.catalog, server.id, ref.titleOrKey);
  if (library !== null) return { server, library };
  const known = libraries.listLibraries(deps.catalog, { serverId: server.id }).map((entry) => `${entry.sectionKey} "${entry.title}"`);
  const hint =
    known.length === 0 ? 'No library is known for it yet: `marquee sync --server NAME` lists them.' : `Its libraries: ${known.join(', ')}.`;
  throw new CatalogNotFoundError(`There is no library "${ref.titleOrKey}" on "${server.name}". ${hint}`);
}

/** Enabled libraries sync; a disabled one keeps its items. Only movie, show and music libraries can be enabled. */
export async function setLibraryEnabled(deps: UseCaseDeps, ref: LibraryRef, enabled: boolean): Promise<FoundLibrary> {
  const { library } = requireLibrary(deps, ref);
  await inTurn(deps, 'change which libraries are synced', () => libraries.setLibraryEnabled(deps.catalog, library.id, enabled));
  return libraryById(deps, library.id);
}

function libraryById(deps: UseCaseDeps, libraryId: number): FoundLibrary {
  const row = libraries.getLibrary(deps.catalog, libraryId);
  if (row === null) throw new UseCaseError('NOT_FOUND', `There is no library with id ${libraryId}; it may have been removed.`);
  const listing = libraries.listLibraries(deps.catalog, { serverId: row.server_id }).find((library) => library.id === libraryId);
  const server = requireServer(deps, { id: row.server_id });
  if (listing === undefined) throw new UseCaseError('NOT_FOUND', `There is no library with id ${libraryId}.`);
  return { server, library: listing };
}
