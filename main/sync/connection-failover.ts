// The account side of a sync (Sign in with Plex): a server in the "sign in again" state is skipped with that
// reason, a 401 from an account's server puts it in that state, and a remembered connection that stops answering
// (network failure, timeout) is replaced by probing the server's other known connections. The engine calls
// planWithAccountLifecycle around its own planning and noteLibraryFailure after each library; nothing else.
import type { LibrarySyncReport, ServerSummary } from '../../shared/domain.js';
import type { ErrorCode } from '../../shared/errors.js';
import { listServerConnections, markNeedsSignIn, requireAccountServer, type AccountServer } from '../catalog/accounts.js';
import { findLibrary, isSyncableLibraryType, listLibraries, type LibraryListing } from '../catalog/libraries.js';
import { PlexNetworkError, PlexTimeoutError, PlexUnauthorizedError } from '../plex/errors.js';
import { connectionKind, reprobeServer } from '../plextv/index.js';
import { newLibraryReport } from './report.js';
import type { ConnectionDeps } from './plex-connection.js';

/** The errorCode of a library skipped because its server must be signed in again. */
export const NEEDS_SIGN_IN = 'NEEDS_SIGN_IN' satisfies ErrorCode;

export const NEEDS_SIGN_IN_MESSAGE =
  "Plex refused this server's token: sign in with Plex again (in the app, or `marquee login`) to refresh it. Its items are kept.";

export type LifecyclePlan<P> =
  | { kind: 'planned'; plan: P; server: ServerSummary; connectionNote: string | null }
  /** `reports`: one per library it would have synced; when it has none yet, `serverError` says why instead. */
  | { kind: 'skipped'; reports: LibrarySyncReport[]; serverError: string | null };

/** How long a failover probe waits per connection (the client's own timeout when the caller shortened it). */
function probeTimeoutMs(deps: ConnectionDeps): number {
  return Math.min(deps.clientOptions?.timeoutMs ?? 4000, 4000);
}

/**
 * Runs `plan` for the server unless it waits for a new sign-in. When the remembered connection fails with a
 * network error or a timeout and the server has other known connections, probes them all again, switches to
 * the best one that answers as the server (recorded in the catalog) and plans once more on it.
 */
export async function planWithAccountLifecycle<P>(
  deps: ConnectionDeps,
  server: ServerSummary,
  request: { signal?: AbortSignal | undefined; library?: string | undefined },
  plan: (server: ServerSummary) => Promise<P>,
): Promise<LifecyclePlan<P>> {
  const { signal } = request;
  const account = requireAccountServer(deps.catalog, server.id);
  if (account.needsSignIn) return skipped(needsSignInReports(deps, server, request.library));
  try {
    const planned = await plan(server);
    return { kind: 'planned', plan: planned, server, connectionNote: connectionNote(deps, account, server.url) };
  } catch (error) {
    if (error instanceof PlexUnauthorizedError && account.accountId !== null) {
      markNeedsSignIn(deps.catalog, server.id);
      return skipped(needsSignInReports(deps, server, request.library));
    }
    if (!(error instanceof PlexNetworkError || error instanceof PlexTimeoutError) || account.machineIdentifier === null) throw error;
    const reprobe = await reprobeServer(deps.catalog, server.id, { timeoutMs: probeTimeoutMs(deps), ...(signal ? { signal } : {}) }).catch(
      (failure: unknown) => {
        // Cancelled while probing: that is a cancel, not the original failure.
        if (signal?.aborted === true) throw failure;
        return null;
      },
    );
    if (reprobe === null || reprobe.chosen === null || !reprobe.switched) throw error;
    const moved: ServerSummary = { ...server, url: reprobe.chosen.connection.uri };
    const note = connectionNote(deps, requireAccountServer(deps.catalog, server.id), moved.url, server.url);
    return { kind: 'planned', plan: await plan(moved), server: moved, connectionNote: note };
  }
}

/** After a library failed: a 401 from an account's server puts it in the "sign in again" state. */
export function noteLibraryFailure(deps: ConnectionDeps, server: ServerSummary, report: LibrarySyncReport): void {
  if (report.errorCode !== 'PLEX_UNAUTHORIZED') return;
  const account = requireAccountServer(deps.catalog, server.id);
  if (account.accountId !== null) markNeedsSignIn(deps.catalog, server.id);
}

function skipped<P>(reports: LibrarySyncReport[]): LifecyclePlan<P> {
  return { kind: 'skipped', reports, serverError: reports.length === 0 ? NEEDS_SIGN_IN_MESSAGE : null };
}

/**
 * Which connection served the sync, for the report's notes (stored with the report in the sync history), for
 * servers found through an account only: those added by address have one URL and nothing to choose from.
 */
function connectionNote(deps: ConnectionDeps, account: AccountServer, uri: string, previousUri?: string): string | null {
  if (account.accountId === null) return null;
  const known = listServerConnections(deps.catalog, account.id).find((connection) => connection.uri === uri);
  const details = [
    known === undefined ? null : connectionKind(known),
    account.connectionLatencyMs === null ? null : `${account.connectionLatencyMs} ms`,
  ].filter((part) => part !== null);
  const described = `Connection: ${uri}${details.length === 0 ? '' : ` (${details.join(', ')})`}`;
  return previousUri === undefined ? `${described}.` : `${described}, chosen by a new probe because ${previousUri} stopped answering.`;
}

function findLibraryOrNull(deps: ConnectionDeps, serverId: number, titleOrKey: string): LibraryListing | null {
  try {
    return findLibrary(deps.catalog, serverId, titleOrKey);
  } catch {
    return null; // ambiguous: the engine refuses it the same way
  }
}

/** One skipped report per library the sync would have run, each saying why and with NEEDS_SIGN_IN. */
function needsSignInReports(deps: ConnectionDeps, server: ServerSummary, only: string | undefined): LibrarySyncReport[] {
  // A named library is looked up as the engine does (key, then title); an ambiguous or unknown one: none.
  const named = only === undefined ? null : findLibraryOrNull(deps, server.id, only);
  const libraries =
    only === undefined ? listLibraries(deps.catalog, { serverId: server.id, withCounts: false }) : named === null ? [] : [named];
  return libraries
    .filter((library) => (only !== undefined || library.enabled) && library.missingSince === null && isSyncableLibraryType(library.type))
    .map((library) =>
      newLibraryReport({
        serverName: server.name,
        libraryTitle: library.title,
        sectionKey: library.sectionKey,
        mode: 'incremental',
        outcome: 'skipped',
        error: NEEDS_SIGN_IN_MESSAGE,
        errorCode: NEEDS_SIGN_IN,
      }),
    );
}
