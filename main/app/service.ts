// The desktop app's request handlers: every `Requests` channel of shared/ipc.ts, on the real engine. No
// Electron here: Electron's ipcMain, the preview server and the tests all reach these through dispatch().
//
// One job at a time (a sync or a show import), run by the SyncRunner off the main thread. While a job runs,
// the handlers that write to the catalog answer BUSY: the job's connection writes in deferred transactions,
// and a commit from this thread in the middle of one would make SQLite fail it (SQLITE_BUSY_SNAPSHOT). Jobs of
// other processes (a CLI sync) are seen through the catalog's job lock, and answer BUSY the same way.
import { randomUUID } from 'node:crypto';
import type { LibrarySyncReport, ServerSummary, SyncProgress, SyncReport } from '../../shared/domain.js';
import type {
  BrowsePage,
  BrowseSeason,
  ConnectionTest,
  IpcFailure,
  ItemDetails,
  RequestInput,
  RequestName,
  RequestOutput,
  SecretStorageStatus,
  SyncRunState,
} from '../../shared/ipc.js';
import { APP_VERSION } from '../app-info.js';
import { itemDetails, searchItems, showChildren } from '../catalog/browse.js';
import type { Catalog } from '../catalog/database.js';
import { CatalogNotFoundError } from '../catalog/errors.js';
import { describeJob, runningJob, type JobHolder } from '../catalog/job-lock.js';
import { getLibrary, isSyncableLibraryType, listLibraries, setLibraryEnabled, upsertSections, type LibraryListing } from '../catalog/libraries.js';
import { addMapping, listMappings, previewMapping, removeMapping, updateMapping } from '../catalog/mappings.js';
import { addServer, getServer, listServers, normalizeServerUrl, removeServer, serverToken, updateServer } from '../catalog/servers.js';
import { getClientIdentifier } from '../catalog/settings.js';
import { listLastLibrarySyncs } from '../catalog/sync-history.js';
import type { PlexClientOptions } from '../plex/client.js';
import type { PlexIdentity, PlexSection } from '../plex/model.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { discoverShows } from '../sync/discovery.js';
import { Throttle } from '../sync/progress-meter.js';
import { probeServer, serverMismatch } from '../sync/plex-connection.js';
import { AppError, toIpcFailure } from './errors.js';
import { AppEvents } from './events.js';
import { toLibrarySummaries } from './library-summaries.js';
import { toPastLibrarySync } from './past-syncs.js';
import type { RunningJob, SyncRunner } from './sync-runner.js';

function describeRunningJob(job: JobHolder): string {
  const text = describeJob(job);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export type RequestHandler<N extends RequestName> = (input: RequestInput<N>) => Promise<RequestOutput<N>>;
export type RequestHandlers = { [N in RequestName]: RequestHandler<N> };

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
}

export interface AppService {
  readonly handlers: RequestHandlers;
  readonly events: AppEvents;
  /** Cancels a running job and waits for it; the catalog stays open (its owner closes it). */
  close(): Promise<void>;
}

/** How often `import:progress` item events go out at most (the engine throttles sync items the same way). */
const IMPORT_PROGRESS_INTERVAL_MS = 100;
const DEFAULT_PREVIEW_SAMPLES = 20;
/** Adding or testing a server is interactive: fail within seconds rather than retrying for a minute. */
const INTERACTIVE_CLIENT_OPTIONS: Partial<PlexClientOptions> = { timeoutMs: 10_000, retries: 1 };

interface CurrentJob {
  kind: 'sync' | 'import';
  runId: string;
  startedAt: number;
  job: RunningJob<unknown>;
  cancelRequested: boolean;
}

export function createAppService(deps: AppServiceDeps): AppService {
  const { catalog, secrets, syncRunner } = deps;
  const clock = deps.clock ?? Date.now;
  const log = deps.log ?? ((message: string) => console.error(message));
  const events = new AppEvents((error) => log(`An event listener failed: ${toIpcFailure(error).message}`));
  const engineDeps = { catalog, secrets, ...(deps.clientOptions !== undefined ? { clientOptions: deps.clientOptions } : {}) };

  let current: CurrentJob | null = null;
  const syncState: SyncRunState = {
    runId: null,
    running: false,
    startedAt: null,
    cancelling: false,
    lastProgress: null,
    lastReport: null,
    lastCancelled: false,
    lastError: null,
    lastErrorCode: null,
  };

  // ---- helpers -------------------------------------------------------------------------------------------

  // Read once: getClientIdentifier() writes (insert-if-absent), and a write from this thread would wait for
  // a running sync's transaction.
  let identifier: Promise<string> | undefined;
  function clientIdentifier(): Promise<string> {
    identifier ??= getClientIdentifier(catalog).catch((error: unknown) => {
      identifier = undefined;
      throw error;
    });
    return identifier;
  }

  function assertIdle(action: string): void {
    if (current === null) {
      // A job of another process (the CLI, a second app) on the same catalog: its lock row names it.
      const elsewhere = runningJob(catalog);
      if (elsewhere !== null) throw new AppError('BUSY', `${describeRunningJob(elsewhere)} is running: ${action} once it has finished.`);
      return;
    }
    const what = current.kind === 'sync' ? 'A sync is running' : 'A show is being imported';
    throw new AppError('BUSY', `${what}: ${action} once it has finished${current.kind === 'sync' ? ', or cancel it' : ''}.`);
  }

  async function requireServerById(serverId: number): Promise<ServerSummary> {
    const server = await getServer(catalog, serverId);
    if (server === null) throw new AppError('NOT_FOUND', `There is no server with id ${serverId}; it may have been removed.`);
    return server;
  }

  async function requireLibraryListing(libraryId: number): Promise<LibraryListing> {
    const row = await getLibrary(catalog, libraryId);
    if (row === null) throw new AppError('NOT_FOUND', `There is no library with id ${libraryId}; it may have been removed.`);
    const listing = (await listLibraries(catalog, { serverId: row.server_id })).find((library) => library.id === libraryId);
    if (listing === undefined) throw new AppError('NOT_FOUND', `There is no library with id ${libraryId}.`);
    return listing;
  }

  /** Connects with the given URL and token: identity (no token) then an authenticated listing. */
  async function probe(url: string, token: string, serverName: string): Promise<{ identity: PlexIdentity; sections: PlexSection[] }> {
    return probeServer({
      baseUrl: url,
      token,
      serverName,
      clientIdentifier: await clientIdentifier(),
      ...INTERACTIVE_CLIENT_OPTIONS,
      ...deps.clientOptions,
    });
  }

  async function serverWithMachine(machineIdentifier: string, exceptId: number | null): Promise<ServerSummary | undefined> {
    return (await listServers(catalog)).find((server) => server.machineIdentifier === machineIdentifier && server.id !== exceptId);
  }

  function failedSyncReport(startedAt: number): SyncReport {
    return { startedAt, finishedAt: clock(), libraries: [], serverErrors: [], ok: false };
  }

  // ---- sync jobs --------------------------------------------------------------------------------------------

  async function startSync(input: RequestInput<'sync:start'>): Promise<{ runId: string }> {
    assertIdle('start a sync');
    let serverName: string | undefined;
    let sectionKey: string | undefined;
    if (input.libraryId !== undefined) {
      const library = await requireLibraryListing(input.libraryId);
      if (input.serverId !== undefined && library.serverId !== input.serverId) {
        throw new AppError('INVALID_INPUT', `The library "${library.title}" does not belong to server ${input.serverId}.`);
      }
      if (!isSyncableLibraryType(library.type)) {
        throw new AppError('INVALID_INPUT', `"${library.title}" is a ${library.type} library; only movie and show libraries are synced.`);
      }
      serverName = library.serverName;
      sectionKey = library.sectionKey;
    } else if (input.serverId !== undefined) {
      serverName = (await requireServerById(input.serverId)).name;
    } else if (!(await listServers(catalog)).some((server) => server.active)) {
      throw new AppError('NOT_FOUND', 'There is no active server to sync: add a Plex server first.');
    }
    // The awaits above may have let another job start.
    assertIdle('start a sync');

    const runId = randomUUID();
    const startedAt = clock();
    const job = syncRunner.startSync(
      {
        ...(serverName !== undefined ? { server: serverName } : {}),
        ...(sectionKey !== undefined ? { library: sectionKey } : {}),
        ...(input.full !== undefined ? { full: input.full } : {}),
      },
      (event) => onSyncProgress(runId, event),
    );
    current = { kind: 'sync', runId, startedAt, job, cancelRequested: false };
    Object.assign(syncState, { runId, running: true, startedAt, cancelling: false, lastProgress: null });
    job.result.then(
      (report) => finishSync(runId, report, null),
      (error: unknown) => finishSync(runId, failedSyncReport(startedAt), toIpcFailure(error)),
    );
    return { runId };
  }

  function onSyncProgress(runId: string, event: SyncProgress): void {
    if (current?.runId !== runId) return;
    syncState.lastProgress = event;
    events.emit('sync:progress', { ...event, runId });
  }

  function finishSync(runId: string, report: SyncReport, failure: Required<IpcFailure> | null): void {
    if (current?.runId !== runId) return;
    const cancelled = current.cancelRequested;
    current = null;
    const error = failure?.message ?? null;
    const errorCode = failure?.errorCode ?? null;
    Object.assign(syncState, { running: false, cancelling: false, lastReport: report, lastCancelled: cancelled });
    Object.assign(syncState, { lastError: error, lastErrorCode: errorCode });
    events.emit('sync:finished', { runId, report, cancelled, error, errorCode });
  }

  async function importShow(input: RequestInput<'discovery:import'>): Promise<LibrarySyncReport> {
    assertIdle('import the show');
    const server = await requireServerById(input.serverId);
    assertIdle('import the show');
    const throttle = new Throttle(IMPORT_PROGRESS_INTERVAL_MS);
    const job = syncRunner.startImport({ server: server.name, ratingKey: input.ratingKey }, (event) => {
      if (event.kind === 'items' && !throttle.shouldEmit(clock(), event.done >= event.itemsTotal)) return;
      events.emit('import:progress', { ...event, ratingKey: input.ratingKey });
    });
    current = { kind: 'import', runId: randomUUID(), startedAt: clock(), job, cancelRequested: false };
    try {
      return await job.result;
    } finally {
      current = null;
    }
  }

  // ---- handlers ---------------------------------------------------------------------------------------------

  const handlers: RequestHandlers = {
    'app:info': async () => ({ version: deps.version ?? APP_VERSION, secretStorage: deps.secretStatus }),

    'servers:list': async () => listServers(catalog),

    'servers:add': async (input) => {
      assertIdle('add the server');
      const name = input.name.trim();
      if (name === '') throw new AppError('INVALID_INPUT', 'A server needs a name.');
      const url = normalizeServerUrl(input.url);
      const token = input.token.trim();
      if (token === '') throw new AppError('INVALID_INPUT', 'The Plex token is empty.');
      const taken = (await listServers(catalog)).find((server) => server.name.toLocaleLowerCase() === name.toLocaleLowerCase());
      if (taken !== undefined) throw new AppError('CONFLICT', `A server called "${taken.name}" already exists; choose another name.`);

      const { identity, sections } = await probe(url, token, name);
      const twin = await serverWithMachine(identity.machineIdentifier, null);
      if (twin !== undefined) {
        throw new AppError('CONFLICT', `This Plex server is already in the catalog as "${twin.name}"; edit that one instead.`);
      }
      assertIdle('add the server');
      const server = await addServer(catalog, secrets, { name, url, token, machineIdentifier: identity.machineIdentifier }, Math.floor(clock() / 1000));
      // The libraries appear at once, so they can be chosen before the first sync.
      await upsertSections(catalog, server.id, sections, Math.floor(clock() / 1000));
      return server;
    },

    'servers:update': async (input) => {
      assertIdle('change the server');
      const server = await requireServerById(input.id);
      const url = input.url !== undefined ? normalizeServerUrl(input.url) : server.url;
      // An edit form sends the URL back unchanged with a rename: only a new URL or token is worth a test.
      if (url !== server.url || input.token !== undefined) {
        const token = input.token !== undefined ? input.token.trim() : await serverToken(catalog, secrets, server.id);
        if (token === '') throw new AppError('INVALID_INPUT', 'The Plex token is empty.');
        const { identity } = await probe(url, token, input.name?.trim() || server.name);
        const mismatch = serverMismatch({ ...server, url }, identity);
        if (mismatch !== null) throw new AppError('CONFLICT', mismatch);
        const twin = await serverWithMachine(identity.machineIdentifier, server.id);
        if (twin !== undefined) throw new AppError('CONFLICT', `This Plex server is already in the catalog as "${twin.name}".`);
      }
      assertIdle('change the server');
      return updateServer(catalog, secrets, server.id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.token !== undefined ? { token: input.token } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
      });
    },

    'servers:remove': async (input) => {
      assertIdle('remove the server');
      return { removed: await removeServer(catalog, input.id) };
    },

    'servers:test': async (input): Promise<ConnectionTest> => {
      const server = await requireServerById(input.id);
      try {
        const token = await serverToken(catalog, secrets, server.id);
        const { identity } = await probe(server.url, token, server.name);
        const mismatch = serverMismatch(server, identity);
        const found = { machineIdentifier: identity.machineIdentifier, version: identity.version ?? null };
        if (mismatch !== null) return { ok: false, ...found, error: mismatch, errorCode: 'SERVER_MISMATCH' };
        return { ok: true, ...found, error: null, errorCode: null };
      } catch (error) {
        const failure = toIpcFailure(error);
        return { ok: false, machineIdentifier: null, version: null, error: failure.message, errorCode: failure.errorCode };
      }
    },

    'libraries:list': async (input) => {
      if (input.serverId !== undefined) await requireServerById(input.serverId);
      const listings = await listLibraries(catalog, input.serverId !== undefined ? { serverId: input.serverId } : {});
      return toLibrarySummaries(catalog, listings);
    },

    'libraries:setEnabled': async (input) => {
      assertIdle('change which libraries are synced');
      await setLibraryEnabled(catalog, input.libraryId, input.enabled);
      const [summary] = await toLibrarySummaries(catalog, [await requireLibraryListing(input.libraryId)]);
      if (summary === undefined) throw new AppError('NOT_FOUND', `There is no library with id ${input.libraryId}.`);
      return summary;
    },

    'mappings:list': async (input) => {
      if (input.serverId !== undefined) await requireServerById(input.serverId);
      return listMappings(catalog, input.serverId !== undefined ? { serverId: input.serverId } : {});
    },

    // The catalog's mapping functions re-resolve the server's media paths (reresolveMediaPaths) in the same
    // transaction, so every file's local path follows the change at once.
    'mappings:add': async (input) => {
      assertIdle('change path mappings');
      return (await addMapping(catalog, input, Math.floor(clock() / 1000))).mapping;
    },

    'mappings:update': async (input) => {
      assertIdle('change path mappings');
      const { id, ...patch } = input;
      return (await updateMapping(catalog, id, patch)).mapping;
    },

    'mappings:remove': async (input) => {
      assertIdle('change path mappings');
      try {
        await removeMapping(catalog, input.id);
        return { removed: true };
      } catch (error) {
        if (error instanceof CatalogNotFoundError) return { removed: false };
        throw error;
      }
    },

    'mappings:preview': async (input) => {
      await requireServerById(input.serverId);
      if (input.libraryId !== null) {
        const library = await requireLibraryListing(input.libraryId);
        if (library.serverId !== input.serverId) {
          throw new AppError('INVALID_INPUT', `The library "${library.title}" belongs to another server.`);
        }
      }
      return previewMapping(catalog, input.serverId, input.libraryId, input.candidate, input.sampleSize ?? DEFAULT_PREVIEW_SAMPLES, input.replacingId);
    },

    'sync:start': startSync,

    'sync:cancel': async (input) => {
      if (current === null || current.kind !== 'sync' || current.runId !== input.runId) return { cancelled: false };
      current.cancelRequested = true;
      syncState.cancelling = true;
      current.job.cancel();
      return { cancelled: true };
    },

    'sync:state': async () => structuredClone(syncState),

    // A read: works while a sync runs (WAL), showing what was committed so far.
    'sync:history': async () => (await listLastLibrarySyncs(catalog)).map(toPastLibrarySync),

    'discovery:search': async (input) => {
      const server = await requireServerById(input.serverId);
      return discoverShows(engineDeps, { server: server.name, title: input.title, ...(input.year !== undefined ? { year: input.year } : {}) });
    },

    'discovery:import': importShow,

    'browse:search': async (input): Promise<BrowsePage> => {
      const result = await searchItems(catalog, input);
      return {
        total: result.total,
        rows: result.rows.map((row) => ({
          id: row.id,
          kind: row.kind,
          title: row.title,
          year: row.year,
          libraryTitle: row.libraryTitle,
          serverName: row.serverName,
          episodeCount: row.episodeCount ?? null,
        })),
      };
    },

    'browse:show': async (input): Promise<BrowseSeason[]> => {
      const show = await catalog.db.selectFrom('items').select('kind').where('id', '=', input.showId).executeTakeFirst();
      if (show === undefined || show.kind !== 'show') throw new AppError('NOT_FOUND', `There is no show with id ${input.showId} in the catalog.`);
      const seasons = await showChildren(catalog, input.showId);
      return seasons.map((season) => ({
        id: season.id,
        title: season.title ?? (season.number === null ? 'Unknown season' : `Season ${season.number}`),
        seasonNumber: season.number,
        episodes: season.episodes.map((episode) => ({ id: episode.id, title: episode.title, episodeNumber: episode.number })),
      }));
    },

    'browse:item': async (input): Promise<ItemDetails> => {
      const details = await itemDetails(catalog, input.itemId);
      if (details === null) throw new AppError('NOT_FOUND', `There is no item with id ${input.itemId} in the catalog.`);
      return {
        id: details.id,
        kind: details.kind,
        title: details.title,
        year: details.year,
        ratingKey: details.ratingKey,
        guid: details.guid,
        externalIds: details.externalIds,
        files: details.files,
        showTitle: details.show?.title ?? null,
        seasonNumber: details.season?.number ?? null,
        episodeNumber: details.episode ?? null,
        addedAt: details.addedAt,
        updatedAt: details.updatedAt,
        libraryTitle: details.libraryTitle,
        serverName: details.serverName,
      };
    },
  };

  return {
    handlers,
    events,
    async close() {
      if (current?.kind === 'sync') current.cancelRequested = true;
      await syncRunner.close();
    },
  };
}
