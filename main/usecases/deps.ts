// What every use case runs with. The composition roots (main/cli/context.ts, main/electron/index.ts, the preview
// and the tests) build it once; use cases take it as their first argument and import nothing of the faces.
import type { Catalog } from '../catalog/database.js';
import type { PlexClientOptions } from '../plex/client.js';
import type { SecretStore } from '../secrets/secret-store.js';

export interface UseCaseDeps {
  catalog: Catalog;
  secrets: SecretStore;
  /** Tests shorten Plex timeouts and retries through this; production uses the client's defaults. */
  clientOptions?: Partial<PlexClientOptions>;
  /** Milliseconds since the epoch. */
  clock?: () => number;
}
