// The live catalog (issue 9): which servers `marquee watch` (and later the app) keeps current, checked against
// the catalog before any socket opens, and the LiveCatalog that does it.
import type { ServerSummary } from '../../shared/domain.js';
import { listServers } from '../catalog/servers.js';
import { LiveCatalog, type LiveCatalogOptions } from '../live/service.js';
import type { UseCaseDeps } from './deps.js';
import { UseCaseError } from './errors.js';
import { requireServer, type ServerRef } from './servers.js';

export type { LiveNotice } from '../live/live-server.js';
export type { LiveMode } from '../live/listener.js';

/** The named server (even if inactive: naming it is asking for it), else every active one; none is refused. */
export function planLive(deps: UseCaseDeps, request: { server?: ServerRef }): ServerSummary[] {
  if (request.server !== undefined) return [requireServer(deps, request.server)];
  const servers = listServers(deps.catalog).filter((server) => server.active);
  if (servers.length === 0) throw new UseCaseError('INVALID_INPUT', 'No active server to watch: add one with `marquee server add`.');
  return servers;
}

/** Builds the live catalog for the planned servers; call start() on it, and stop() to end. */
export function createLiveCatalog(deps: UseCaseDeps, servers: readonly ServerSummary[], options: LiveCatalogOptions): LiveCatalog {
  return new LiveCatalog(deps, servers, options);
}
