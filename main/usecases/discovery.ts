// Finding a show on a server by title (and year), whether or not its library syncs.
import type { DiscoveryCandidate, ServerSummary } from '../../shared/domain.js';
import { discoverShows } from '../sync/discovery.js';
import type { UseCaseDeps } from './deps.js';
import { UseCaseError } from './errors.js';
import { requireServer, type ServerRef } from './servers.js';

export interface DiscoveryRequest {
  server: ServerRef;
  title: string;
  year?: number;
}

export async function findShows(
  deps: UseCaseDeps,
  request: DiscoveryRequest,
): Promise<{ server: ServerSummary; candidates: DiscoveryCandidate[] }> {
  const title = request.title.trim();
  if (title === '') throw new UseCaseError('INVALID_INPUT', 'Type part of a show title to search for.');
  const server = requireServer(deps, request.server);
  const candidates = await discoverShows(deps, {
    server: server.name,
    title,
    ...(request.year !== undefined ? { year: request.year } : {}),
  });
  return { server, candidates };
}
