// The detail pass (issue 10) as both faces offer it: switch it on or off, say what it costs and how far it is,
// and run one pass (the CLI's `marquee details`, the watch and the app's background runner).
import type { ServerSummary } from '../../shared/domain.js';
import { detailProgress } from '../catalog/details.js';
import { listServers } from '../catalog/servers.js';
import { detailPassEnabled, getNumericSetting, setDetailPassEnabled, setNumericSetting } from '../catalog/settings.js';
import { DetailRunner, type DetailRunnerOptions } from '../live/detail-runner.js';
import { DETAIL_BATCH_SIZE, runDetailPass, type DetailPassReport, type DetailPassRequest } from '../sync/detail-pass.js';
import { assertIdle, type UseCaseDeps } from './deps.js';
import { UseCaseError } from './errors.js';
import { requireServer, type ServerRef } from './servers.js';

export type { DetailNotice } from '../live/detail-runner.js';
export type { DetailPassProgress, DetailPassReport, DetailServerReport } from '../sync/detail-pass.js';

export interface DetailServerStatus {
  serverId: number;
  serverName: string;
  done: number;
  total: number;
}

export interface DetailPassStatus {
  enabled: boolean;
  requestIntervalMs: number;
  servers: DetailServerStatus[];
  /** What a pass over what is left costs, in words (the settings show it). */
  cost: string;
}

/** The named server (even if inactive: naming it is asking for it), else every active one. */
export function planDetailPass(deps: UseCaseDeps, request: { server?: ServerRef }): ServerSummary[] {
  if (request.server !== undefined) return [requireServer(deps, request.server)];
  return listServers(deps.catalog).filter((server) => server.active);
}

export function detailPassStatus(deps: UseCaseDeps, servers: readonly ServerSummary[] = planDetailPass(deps, {})): DetailPassStatus {
  const requestIntervalMs = getNumericSetting(deps.catalog, 'detailRequestIntervalMs');
  const statuses = servers.map((server) => ({ serverId: server.id, serverName: server.name, ...detailProgress(deps.catalog, server.id) }));
  const left = statuses.reduce((sum, status) => sum + status.total - status.done, 0);
  return { enabled: detailPassEnabled(deps.catalog), requestIntervalMs, servers: statuses, cost: detailPassCost(left, requestIntervalMs) };
}

/** Switches the pass on or off and/or changes its pace; answers the new status. */
export function configureDetailPass(deps: UseCaseDeps, change: { enabled?: boolean; requestIntervalMs?: number }): DetailPassStatus {
  assertIdle(deps, 'change the detail pass setting');
  if (change.requestIntervalMs !== undefined) {
    try {
      setNumericSetting(deps.catalog, 'detailRequestIntervalMs', change.requestIntervalMs);
    } catch (error) {
      throw new UseCaseError('INVALID_INPUT', error instanceof Error ? error.message : String(error));
    }
  }
  if (change.enabled !== undefined) setDetailPassEnabled(deps.catalog, change.enabled);
  return detailPassStatus(deps);
}

/** One pass (the job entry point is runDetailPass itself; this only fills in the catalog's pace). */
export function runDetails(deps: UseCaseDeps, request: DetailPassRequest): Promise<DetailPassReport> {
  return runDetailPass(deps, { ...(deps.clock !== undefined ? { clock: deps.clock } : {}), ...request });
}

/** The background pass for `watch` and the app: null while the setting is off (the default). Call start(). */
export function createDetailRunner(deps: UseCaseDeps, options: DetailRunnerOptions): DetailRunner | null {
  return detailPassEnabled(deps.catalog) ? new DetailRunner(deps, options) : null;
}

/**
 * "About 1 request per 20 items: ~5,000 requests for the 100,000 items left, ~84 min at 1 request per 1 s." Plain
 * arithmetic, so the settings can show the cost before the pass is switched on.
 */
export function detailPassCost(itemsLeft: number, requestIntervalMs: number): string {
  const requests = Math.ceil(Math.max(0, itemsLeft) / DETAIL_BATCH_SIZE);
  const minutes = Math.ceil((requests * requestIntervalMs) / 60_000);
  const pace = requestIntervalMs % 1000 === 0 ? `${requestIntervalMs / 1000} s` : `${requestIntervalMs} ms`;
  const example = `(~${(100_000 / DETAIL_BATCH_SIZE).toLocaleString('en-US')} requests for 100,000 episodes)`;
  if (requests === 0) return `About 1 request per ${DETAIL_BATCH_SIZE} items ${example}; nothing left to do.`;
  return (
    `About 1 request per ${DETAIL_BATCH_SIZE} items ${example}: ~${requests.toLocaleString('en-US')} requests for the ` +
    `${itemsLeft.toLocaleString('en-US')} items left, ~${minutes.toLocaleString('en-US')} min at 1 request per ${pace}.`
  );
}
