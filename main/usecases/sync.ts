// Syncing: which servers and library a sync covers, checked against the catalog before anything is asked of
// Plex, then the engine's run. The CLI runs it in-process; the app hands the checked target to its job runner.
import type { ServerSummary, SyncProgress, SyncReport } from '../../shared/domain.js';
import { findLibrary, isSyncableLibraryType, listLibraries, type LibraryListing } from '../catalog/libraries.js';
import { listServers } from '../catalog/servers.js';
import { runSync } from '../sync/engine.js';
import type { UseCaseDeps } from './deps.js';
import { UseCaseError } from './errors.js';
import { requireLibrary } from './libraries.js';
import { requireServer, type ServerRef } from './servers.js';

export interface SyncTarget {
  /** Absent: every active server. */
  server?: ServerRef;
  /** One library: by id (the app), or by title or section key on the chosen server(s) (the CLI). */
  library?: { id: number } | { titleOrKey: string };
  full?: boolean;
}

/** The target in the engine's terms, with the servers it covers (none: nothing to sync). */
export interface SyncPlan {
  servers: ServerSummary[];
  /** Server name; absent: every active server. */
  server?: string;
  /** Section key, title or key as given; absent: every enabled library. */
  library?: string;
  full: boolean;
}

export interface SyncRun {
  signal?: AbortSignal;
  onProgress?: (event: SyncProgress) => void;
  /** Overrides the catalog setting (the CLI's $MARQUEE_MAX_REMOVAL_SHARE). */
  maxRemovalShare?: number;
  /** Overrides the catalog setting (the CLI's $MARQUEE_FULL_SYNC_INTERVAL_HOURS). */
  fullSyncIntervalHours?: number;
  /** The job queue's safe point: edits waiting for the catalog run here, between pages (see SyncRequest). */
  safePoint?: () => Promise<boolean>;
}

/**
 * Checks the target names what the catalog knows: a typo is INVALID_INPUT / NOT_FOUND listing the valid names,
 * not "1 server unreachable" after a round of requests.
 */
export function planSync(deps: UseCaseDeps, target: SyncTarget): SyncPlan {
  const full = target.full === true;
  const library = target.library;
  if (library !== undefined && 'id' in library) {
    const found = requireLibrary(deps, { id: library.id }).library;
    if (target.server !== undefined) {
      const serverId = 'id' in target.server ? target.server.id : requireServer(deps, target.server).id;
      if (found.serverId !== serverId)
        throw new UseCaseError('INVALID_INPUT', `The library "${found.title}" does not belong to server ${describeRef(target.server)}.`);
    }
    assertSyncable(found);
    const server = requireServer(deps, { id: found.serverId });
    return { servers: [server], server: server.name, library: found.sectionKey, full };
  }
  const servers =
    target.server !== undefined ? [requireServer(deps, target.server)] : listServers(deps.catalog).filter((server) => server.active);
  const server = target.server !== undefined ? servers[0]?.name : undefined;
  if (library !== undefined) checkLibraryTitle(deps, servers, library.titleOrKey, server);
  return { servers, ...(server !== undefined ? { server } : {}), ...(library !== undefined ? { library: library.titleOrKey } : {}), full };
}

/** Runs the planned sync here and now: every library gets a report; one failing never stops the others. */
export async function runPlannedSync(deps: UseCaseDeps, plan: SyncPlan, run: SyncRun = {}): Promise<SyncReport> {
  return runSync(deps, {
    ...(plan.server !== undefined ? { server: plan.server } : {}),
    ...(plan.library !== undefined ? { library: plan.library } : {}),
    full: plan.full,
    ...run,
  });
}

function checkLibraryTitle(deps: UseCaseDeps, servers: readonly ServerSummary[], titleOrKey: string, serverName: string | undefined): void {
  const found: LibraryListing[] = [];
  for (const server of servers) {
    const library = findLibrary(deps.catalog, server.id, titleOrKey);
    if (library !== null) found.push(library);
  }
  if (found.length === 0) {
    const known = servers.flatMap((server) => listLibraries(deps.catalog, { serverId: server.id, withCounts: false }));
    const where = serverName !== undefined ? `on "${serverName}"` : 'on any active server';
    throw new UseCaseError('INVALID_INPUT', `There is no library "${titleOrKey}" ${where}. ${librariesHint(known)}`);
  }
  const first = found[0];
  if (first !== undefined && !found.some((library) => isSyncableLibraryType(library.type))) assertSyncable(first);
}

function assertSyncable(library: LibraryListing): void {
  if (!isSyncableLibraryType(library.type)) {
    throw new UseCaseError(
      'INVALID_INPUT',
      `The library "${library.title}" is a ${library.type} library; only movie, show and music libraries are synced.`,
    );
  }
}

function librariesHint(libraries: readonly LibraryListing[]): string {
  if (libraries.length === 0) return 'No library is known yet: `marquee sync` (without --library) lists them.';
  const names = libraries.map((library) => `${library.serverName}: ${library.sectionKey} "${library.title}"`);
  return `Known libraries: ${names.join(', ')}.`;
}

function describeRef(ref: ServerRef): string {
  return 'id' in ref ? String(ref.id) : `"${ref.nameOrId}"`;
}
