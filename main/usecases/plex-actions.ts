// Actions Marquee asks of Plex itself (issue 9): scan a library's files, refresh an item's metadata. Both only
// start the work on the server; what it finds arrives through the notification socket (`marquee watch`, the
// app's live catalog) or the next sync. Checked against the catalog before any request.
import type { ServerSummary } from '../../shared/domain.js';
import { findLibrary, listLibraries, type LibraryListing } from '../catalog/libraries.js';
import { connectToServer } from '../sync/plex-connection.js';
import type { UseCaseDeps } from './deps.js';
import { UseCaseError } from './errors.js';
import { requireServer, type ServerRef } from './servers.js';

export interface ScanRequest {
  server: ServerRef;
  /** Title or section key. */
  library: string;
  /** One folder of the library, as Plex sees it (a path under one of its locations). */
  path?: string;
  /** Re-read every file, not only the ones that look changed. */
  force?: boolean;
}

export interface ScanStarted {
  server: ServerSummary;
  library: LibraryListing;
  path: string | null;
}

export async function scanLibrary(deps: UseCaseDeps, request: ScanRequest): Promise<ScanStarted> {
  const server = requireServer(deps, request.server);
  const library = findLibrary(deps.catalog, server.id, request.library.trim());
  if (library === null) {
    const known = listLibraries(deps.catalog, { serverId: server.id, withCounts: false });
    const names = known.map((entry) => `${entry.sectionKey} "${entry.title}"`).join(', ');
    throw new UseCaseError(
      'INVALID_INPUT',
      `There is no library "${request.library}" on "${server.name}". ${names === '' ? 'Sync the server first to learn its libraries.' : `Known libraries: ${names}.`}`,
    );
  }
  const path = request.path?.trim();
  if (path !== undefined && (path === '' || hasControlCharacter(path)))
    throw new UseCaseError('INVALID_INPUT', 'The folder to scan must be a path on the Plex server, such as /media/movies/New.');
  const client = connectToServer(deps, server);
  try {
    await client.scanSection(library.sectionKey, {
      ...(path !== undefined ? { path } : {}),
      ...(request.force === true ? { force: true } : {}),
    });
  } finally {
    client.close();
  }
  return { server, library, path: path ?? null };
}

export async function refreshItemMetadata(
  deps: UseCaseDeps,
  request: { server: ServerRef; ratingKey: string },
): Promise<{ server: ServerSummary; ratingKey: string }> {
  const ratingKey = request.ratingKey.trim();
  if (!/^\d+$/.test(ratingKey))
    throw new UseCaseError('INVALID_INPUT', 'A rating key is a number such as 12345 (see `marquee discover` or the export).');
  const server = requireServer(deps, request.server);
  const client = connectToServer(deps, server);
  try {
    await client.refreshItem(ratingKey);
  } finally {
    client.close();
  }
  return { server, ratingKey };
}

/** A folder path with a control character (a pasted newline, an escape) is not a path on the Plex server. */
function hasControlCharacter(text: string): boolean {
  return [...text].some((char) => char.charCodeAt(0) < 0x20);
}
