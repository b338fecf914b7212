// Builds the Plex client for a catalogued server: its decrypted token, this installation's identifier.
import type { ServerSummary } from '../../shared/domain.js';
import type { Catalog } from '../catalog/database.js';
import { serverToken } from '../catalog/servers.js';
import { getClientIdentifier } from '../catalog/settings.js';
import { PlexClient, type PlexClientOptions } from '../plex/client.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { APP_NAME, APP_VERSION } from '../app-info.js';

export type ClientFactory = (options: PlexClientOptions) => PlexClient;

export interface ConnectionDeps {
  catalog: Catalog;
  secrets: SecretStore;
  /** Tests shorten timeouts and backoff through this; production uses the defaults. */
  clientOptions?: Partial<PlexClientOptions>;
}

export async function connectToServer(
  deps: ConnectionDeps,
  server: ServerSummary,
  extra: Partial<PlexClientOptions> = {},
): Promise<PlexClient> {
  const [token, clientIdentifier] = await Promise.all([
    serverToken(deps.catalog, deps.secrets, server.id),
    getClientIdentifier(deps.catalog),
  ]);
  return new PlexClient({
    baseUrl: server.url,
    token,
    serverName: server.name,
    clientIdentifier,
    product: APP_NAME,
    version: APP_VERSION,
    ...deps.clientOptions,
    ...extra,
  });
}
