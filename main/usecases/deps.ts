// What every use case runs with. The composition roots (main/cli/context.ts, main/app/service.ts, the preview
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
  /** The sync's writer thread script, when the face has one built (see SyncEngineDeps.pageWriter). */
  pageWriter?: URL | string;
  /**
   * Called before a use case writes to the catalog (and again after its awaits, which may let a job start):
   * throws a BUSY UseCaseError while a job of this process holds the catalog. The app passes its job
   * controller's check; jobs of other processes are refused by the catalog's own job lock either way.
   */
  assertIdle?: (action: string) => void;
}

/** Seconds since the epoch, as the catalog stores times. */
export function nowSeconds(deps: UseCaseDeps): number {
  return Math.floor((deps.clock ?? Date.now)() / 1000);
}

export function assertIdle(deps: UseCaseDeps, action: string): void {
  deps.assertIdle?.(action);
}
