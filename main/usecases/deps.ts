// What every use case runs with. The composition roots (main/cli/context.ts, main/app/service.ts, the preview
// and the tests) build it once; use cases take it as their first argument and import nothing of the faces.
import type { Catalog } from '../catalog/database.js';
import { CatalogBusyError } from '../catalog/errors.js';
import { type QueuedJob, runInTurn } from '../catalog/job-queue.js';
import type { PlexClientOptions } from '../plex/client.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { UseCaseError } from './errors.js';

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
   * Called before a use case writes to the catalog: may throw a BUSY UseCaseError. Edits no longer need it
   * (they wait their turn in the job queue); kept for faces with rules of their own.
   */
  assertIdle?: (action: string) => void;
  /** How edits take their turn in the catalog's job queue. */
  queue?: EditQueueOptions;
}

export interface EditQueueOptions {
  /** Who edits, as `marquee jobs` and the app's jobs panel show it. Default 'marquee'. */
  program?: string;
  /** false: refuse at once (BUSY) while another job holds the writer (`--no-wait`). Default true. */
  wait?: boolean;
  /** How long an edit waits for a running job's next safe point. Default 30 s. */
  maxWaitMs?: number;
  /** Told once when an edit has to wait: the job in the way. */
  onWaiting?: (blocker: QueuedJob) => void;
  /** How often a waiting edit asks (tests). */
  pollMs?: number;
}

/** An edit waits at most this long for a running job to reach a safe point. */
export const EDIT_MAX_WAIT_MS = 30_000;

/**
 * Runs a catalog edit in its turn: short edits go before waiting jobs and run at the next safe point of a
 * running sync (between pages). Refused (BUSY, naming the job) only when that does not come within the bound
 * or the face asked not to wait; CANCELLED when cancelled while waiting.
 */
export async function inTurn<T>(deps: UseCaseDeps, action: string, edit: () => T): Promise<T> {
  const queue = deps.queue ?? {};
  const controller = new AbortController();
  try {
    return await runInTurn(
      deps.catalog,
      { kind: 'edit', target: action, program: queue.program ?? 'marquee' },
      () => Promise.resolve(edit()),
      {
        signal: controller.signal,
        onCancel: () => controller.abort(),
        wait: queue.wait !== false,
        maxWaitMs: queue.maxWaitMs ?? EDIT_MAX_WAIT_MS,
        ...(queue.onWaiting !== undefined ? { onWaiting: queue.onWaiting } : {}),
        ...(queue.pollMs !== undefined ? { pollMs: queue.pollMs } : {}),
        ...(deps.clock !== undefined ? { clock: deps.clock } : {}),
      },
    );
  } catch (error) {
    if (error instanceof CatalogBusyError) throw new UseCaseError('BUSY', error.message, { cause: error });
    if (controller.signal.aborted)
      throw new UseCaseError('CANCELLED', `The edit (${action}) was cancelled while it waited.`, { cause: error });
    throw error;
  }
}

/** Seconds since the epoch, as the catalog stores times. */
export function nowSeconds(deps: UseCaseDeps): number {
  return Math.floor((deps.clock ?? Date.now)() / 1000);
}

export function assertIdle(deps: UseCaseDeps, action: string): void {
  deps.assertIdle?.(action);
}
