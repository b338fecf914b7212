// Builds the Plex client for a catalogued server: its decrypted token, this installation's identifier.
import type { ServerSummary } from '../../shared/domain.js';
import type { Catalog } from '../catalog/database.js';
import { serverToken } from '../catalog/servers.js';
import { getClientIdentifier } from '../catalog/settings.js';
import { PlexClient, type PlexClientOptions } from '../plex/client.js';
import type { PlexIdentity, PlexSection } from '../plex/model.js';
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

/**
 * Why the server now answering at a catalogued address is not the catalogued one (null when it is, or when
 * the catalog never learnt its identifier): its items must not be mixed into the other server's.
 */
export function serverMismatch(server: Pick<ServerSummary, 'name' | 'url' | 'machineIdentifier'>, identity: PlexIdentity): string | null {
  if (server.machineIdentifier === null || identity.machineIdentifier === server.machineIdentifier) return null;
  return (
    `The server at ${server.url} is another Plex server ("${identity.machineIdentifier}") than the one catalogued as ` +
    `"${server.name}" ("${server.machineIdentifier}"). Add it as a new server instead.`
  );
}

/**
 * Checks a server before it is saved: /identity (answers without a token, so it only proves a Plex server is
 * there), then an authenticated call (proves the token works). A client of its own, closed afterwards.
 */
export async function probeServer(options: PlexClientOptions): Promise<{ identity: PlexIdentity; sections: PlexSection[] }> {
  const client = new PlexClient({ product: APP_NAME, version: APP_VERSION, ...options });
  try {
    const identity = await client.identity();
    return { identity, sections: await client.sections() };
  } finally {
    client.close();
  }
}
