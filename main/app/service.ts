// The desktop app's request handlers: every `Requests` channel of shared/ipc.ts, on the real engine. No
// Electron here: Electron's ipcMain, the preview server and the tests all reach these through dispatch().
//
// Each handler is a thin adapter over one use case (main/usecases), grouped by domain in ./handlers. The
// app's own jobs (a sync or a show import) run one at a time under the JobController (./jobs.ts); every job
// and edit takes its turn in the catalog's job queue, which QueueWatch (./queue-watch.ts) sends to the window.
import { dirname, join } from 'node:path';
import type { AppSettings, SecretStorageStatus } from '../../shared/ipc.js';
import { APP_VERSION } from '../app-info.js';
import { ArtworkService } from '../artwork/service.js';
import { isInMemoryCatalog } from '../catalog/catalog-file.js';
import type { Catalog } from '../catalog/database.js';
import type { PlexClientOptions } from '../plex/client.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { UseCaseDeps } from '../usecases/deps.js';
import { accountHandlers, type AccountOptions } from './account-handlers.js';
import { toIpcFailure } from './errors.js';
import { AppEvents } from './events.js';
import { browseHandlers } from './handlers/browse.js';
import { libraryHandlers } from './handlers/libraries.js';
import { liveHandlers } from './handlers/live.js';
import { mappingHandlers } from './handlers/mappings.js';
import { musicHandlers } from './handlers/music.js';
import { serverHandlers } from './handlers/servers.js';
import { syncHandlers } from './handlers/sync.js';
import type { HandlerContext, RequestHandlers } from './handlers/types.js';
import { jobHandlers } from './handlers/jobs.js';
import { JobController } from './jobs.js';
import { QueueWatch } from './queue-watch.js';
import { APP_PROGRAM } from './sync-runner.js';
import { AppLive, type AppLiveOptions } from './live.js';
import type { SyncRunner } from './sync-runner.js';

export type { RequestHandler, RequestHandlers } from './handlers/types.js';

export interface AppServiceDeps {
  catalog: Catalog;
  /** Encrypts tokens before they reach the catalog (safeStorage in Electron, the key file elsewhere). */
  secrets: SecretStore;
  secretStatus: SecretStorageStatus;
  syncRunner: SyncRunner;
  /** Tests shorten Plex timeouts and retries; production uses the client's defaults. */
  clientOptions?: Partial<PlexClientOptions>;
  version?: string;
  /** Milliseconds since the epoch. */
  clock?: () => number;
  /** Problems nobody asked about (a failing event listener). Never given tokens. */
  log?: (message: string) => void;
  /** The live catalog's timers and windows (tests); it runs once `live.start()` is called. */
  liveOptions?: AppLiveOptions;
  /** The Electron shell applies tray and login-item settings when they change. */
  onSettingsChanged?: (settings: AppSettings) => void;
  /** Sign in with Plex: plex.tv's address (tests), the allow-listed browser opener, probe settings. */
  account?: AccountOptions;
  /**
   * Where the artwork cache keeps its image files. Default: `artwork` beside the catalog file (in the app's data
   * folder for the desktop app); an in-memory catalog has no artwork cache unless one is given.
   */
  artworkCacheDir?: string;
}

export interface AppService {
  readonly handlers: RequestHandlers;
  readonly events: AppEvents;
  /** The live catalog: Electron and the preview start it; a bare service (most tests) does not. */
  readonly live: AppLive;
  /**
   * Posters and backgrounds for `marquee-image://` (Electron) and the preview's keyed image route; null for an
   * in-memory catalog without a cache folder.
   */
  readonly artwork: ArtworkService | null;
  /** Cancels a running job and waits for it; the catalog stays open (its owner closes it). */
  close(): Promise<void>;
}

export function createAppService(deps: AppServiceDeps): AppService {
  const clock = deps.clock ?? Date.now;
  const log = deps.log ?? ((message: string) => console.error(message));
  const events = new AppEvents((error) => log(`An event listener failed: ${toIpcFailure(error).message}`));
  const jobs = new JobController({ catalog: deps.catalog, syncRunner: deps.syncRunner, events, clock });
  const usecases: UseCaseDeps = {
    catalog: deps.catalog,
    secrets: deps.secrets,
    clock,
    // Edits wait their turn in the job queue (at most 30 s for a running sync's next page), named as the app's.
    queue: { program: APP_PROGRAM },
    ...(deps.clientOptions !== undefined ? { clientOptions: deps.clientOptions } : {}),
  };
  const context: HandlerContext = { usecases, jobs };
  const queueWatch = new QueueWatch(usecases, events, log);
  queueWatch.start();
  const live = new AppLive({ usecases, events, clock, ...(deps.liveOptions !== undefined ? { options: deps.liveOptions } : {}) });
  const account = accountHandlers({ usecases, options: deps.account ?? {}, events, assertIdle: jobs.assertIdle });
  // Signed in with Plex, servers:add takes only the account's own servers (checked before the token is sent).
  const servers = serverHandlers(context, { identityCheck: () => account.membershipCheck() });
  // The live catalog listens to the active servers: one added, edited or removed changes which.
  const restartLive = <T>(answer: T): T => {
    void live.restart().catch((error: unknown) => log(`The live catalog could not restart: ${toIpcFailure(error).message}`));
    return answer;
  };
  const handlers: RequestHandlers = {
    ...account.handlers,
    'app:info': () => ({ version: deps.version ?? APP_VERSION, secretStorage: deps.secretStatus }),
    ...servers,
    'servers:add': async (input) => restartLive(await servers['servers:add'](input)),
    'servers:update': async (input) => restartLive(await servers['servers:update'](input)),
    'servers:remove': async (input) => restartLive(await servers['servers:remove'](input)),
    'account:addServers': async (input) => restartLive(await account.handlers['account:addServers'](input)),
    'servers:useConnection': async (input) => restartLive(await account.handlers['servers:useConnection'](input)),
    ...libraryHandlers(context),
    ...mappingHandlers(context),
    ...syncHandlers(context),
    ...browseHandlers(context),
    ...musicHandlers(context),
    ...liveHandlers(context, live, deps.onSettingsChanged ?? (() => {})),
    ...jobHandlers(context, queueWatch),
  };
  const artwork = createArtwork(deps, clock, log);
  // A sync may have removed items (their cache rows went with them) or changed them: their files go now, not at
  // the next start. Only once the cache holds something.
  const stopArtworkSweeps = events.on('sync:finished', () => {
    if (artwork === null || !artwork.hasFiles()) return;
    void artwork.sweep().catch((error: unknown) => log(`The artwork cache could not be tidied: ${toIpcFailure(error).message}`));
  });
  const close = async (): Promise<void> => {
    stopArtworkSweeps();
    artwork?.close();
    account.close();
    queueWatch.stop();
    await live.stop();
    await jobs.close();
  };
  return { handlers, events, live, artwork, close };
}

function createArtwork(deps: AppServiceDeps, clock: () => number, log: (message: string) => void): ArtworkService | null {
  const inMemory = isInMemoryCatalog(deps.catalog.file);
  const cacheDir = deps.artworkCacheDir ?? (inMemory ? null : join(dirname(deps.catalog.file), 'artwork'));
  if (cacheDir === null) return null;
  return new ArtworkService({
    catalog: deps.catalog,
    secrets: deps.secrets,
    cacheDir,
    clock,
    log,
    ...(deps.clientOptions !== undefined ? { clientOptions: deps.clientOptions } : {}),
  });
}
