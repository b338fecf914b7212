// The live catalog (issue 9): which servers `marquee watch` (and later the app) keeps current, checked against
// the catalog before any socket opens, and the LiveCatalog that does it.
import type { ServerSummary } from '../../shared/domain.js';
import { listServers } from '../catalog/servers.js';
import { getSetting, setSetting } from '../catalog/settings.js';
import { hashWebhookSecret, newWebhookSecret } from '../live/webhooks.js';
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

const WEBHOOK_SECRET_KEY = 'webhook.secretHash';

export interface WebhookSecret {
  /** sha256 of the secret: all the catalog keeps. */
  hash: string;
  /** The secret itself, only when it was made just now: shown once, it cannot be read back. */
  created: string | null;
}

/** The webhook URL's secret: the stored one (its hash), or a new one when there is none or `renew` asks. */
export function webhookSecret(deps: UseCaseDeps, options: { renew?: boolean } = {}): WebhookSecret {
  const stored = getSetting(deps.catalog, WEBHOOK_SECRET_KEY);
  if (stored !== null && /^[0-9a-f]{64}$/.test(stored) && options.renew !== true) return { hash: stored, created: null };
  const secret = newWebhookSecret();
  const hash = hashWebhookSecret(secret);
  setSetting(deps.catalog, WEBHOOK_SECRET_KEY, hash);
  return { hash, created: secret };
}
