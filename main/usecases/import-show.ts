// Importing one show (found with discovery) with its seasons, episodes and files, whether or not its library
// syncs. The CLI runs it in-process; the app hands the checked request to its job runner.
import type { LibrarySyncReport, ServerSummary, SyncProgress } from '../../shared/domain.js';
import { importShow } from '../sync/discovery.js';
import type { UseCaseDeps } from './deps.js';
import { UseCaseError } from './errors.js';
import { requireServer, type ServerRef } from './servers.js';

export interface ImportPlan {
  server: ServerSummary;
  ratingKey: string;
}

export interface ImportRun {
  signal?: AbortSignal;
  onProgress?: (event: SyncProgress) => void;
}

/** The server must be catalogued and the key a Plex rating key (a whole number), before any request. */
export function planImport(deps: UseCaseDeps, request: { server: ServerRef; ratingKey: string }): ImportPlan {
  const ratingKey = request.ratingKey.trim();
  if (!/^\d+$/.test(ratingKey)) throw new UseCaseError('INVALID_INPUT', 'A rating key is a number such as 12345 (see `marquee discover`).');
  return { server: requireServer(deps, request.server), ratingKey };
}

/** Runs the import here and now; a failure is in the report (outcome 'failed'), not thrown. */
export async function runPlannedImport(deps: UseCaseDeps, plan: ImportPlan, run: ImportRun = {}): Promise<LibrarySyncReport> {
  return importShow(deps, {
    server: plan.server.name,
    ratingKey: plan.ratingKey,
    ...run,
    ...(deps.clock !== undefined ? { clock: deps.clock } : {}),
  });
}
