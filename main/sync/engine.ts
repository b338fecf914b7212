// Syncs every enabled library of every active server (or the ones asked for), one after the other.
// One failing server or library never stops the others; each library ends with a report.
import type { LibrarySyncReport, ServerSummary, SyncProgress, SyncReport } from '../../shared/domain.js';
import { isInMemoryCatalog } from '../catalog/catalog-file.js';
import { beginBulkWrites, type BulkWrites, type Catalog } from '../catalog/database.js';
import { repairTitleIndex } from '../catalog/title-index.js';
import {
  findLibrary,
  getLibrary,
  getLibrarySyncState,
  isSyncableLibraryType,
  listLibraries,
  recordLibrarySync,
  upsertSections,
  type LibraryListing,
} from '../catalog/libraries.js';
import { mappingResolverFor, reresolveMediaPaths } from '../catalog/mappings.js';
import { listServers, markServerSynced, requireServer, updateServer } from '../catalog/servers.js';
import { getNumericSettings } from '../catalog/settings.js';
import type { PlexClient } from '../plex/client.js';
import type { PlexSection } from '../plex/model.js';
import { MAX_PAGE_SIZE } from '../plex/paging.js';
import { NEEDS_SIGN_IN, noteLibraryFailure, planWithAccountLifecycle } from './connection-failover.js';
import { describeError, errorCodeOf, isAbort, REMOVAL_REFUSED, ROWS_UNLISTED, SyncError } from './errors.js';
import { LibrarySync, type LibrarySyncInput } from './library-sync.js';
import { chooseMode } from './plan.js';
import { connectToServer, serverMismatch, type ConnectionDeps } from './plex-connection.js';
import { ProgressMeter, Throttle } from './progress-meter.js';
import { copyResult, newLibraryReport } from './report.js';
import { WaitingReporter } from './waiting.js';
import { PageWriterThread, type PageWriterEntry } from './page-writer-thread.js';

export interface SyncEngineDeps extends ConnectionDeps {
  /** Milliseconds since the epoch. */
  clock?: () => number;
  /**
   * The writer thread's entry (page-writer-worker.ts, built or through a tsx bootstrap). With it, full passes
   * write their pages on that thread while this one reads and decodes the next; without it (or for a catalog in
   * memory, which a second connection cannot see) every page is written on this thread.
   */
  pageWriter?: PageWriterEntry;
}

/** The sync's writer thread, started by the first full pass that needs it and closed when the sync ends. */
class WriterThreadHolder {
  private thread: PageWriterThread | undefined;

  constructor(
    private readonly entry: PageWriterEntry | undefined,
    private readonly catalogFile: string,
  ) {}

  forMode(mode: 'full' | 'incremental'): PageWriterThread | undefined {
    if (mode !== 'full' || this.entry === undefined || isInMemoryCatalog(this.catalogFile)) return undefined;
    this.thread ??= new PageWriterThread(this.entry, this.catalogFile);
    return this.thread;
  }

  async close(): Promise<void> {
    await this.thread?.close();
  }
}

export interface SyncRequest {
  /** Only this server (name or id); otherwise every active server. */
  server?: string;
  /** Only this library (title or section key) of the chosen server(s). */
  library?: string;
  /** List everything, comparing media parts: catches replaced or moved files. */
  full?: boolean;
  signal?: AbortSignal;
  onProgress?: (event: SyncProgress) => void;
  /** Items per Plex request, at most 1000. */
  pageSize?: number;
  /** Overrides the catalog setting, e.g. from MARQUEE_MAX_REMOVAL_SHARE. */
  maxRemovalShare?: number;
  /** Overrides the catalog setting: a library's sync is a full pass when its last one is this old (0: never). */
  fullSyncIntervalHours?: number;
  /** Item progress events at most this often (the first and last always go out). */
  progressIntervalMs?: number;
  /**
   * Called at each safe point (before each library and each page write, outside any transaction): the job
   * queue lets a waiting catalog edit run here. Resolves true when one did: the engine then reads the path
   * mappings again, so the pages still to come are written with the edited ones.
   */
  safePoint?: () => Promise<boolean>;
}

interface PlannedLibrary {
  server: ServerSummary;
  client: PlexClient;
  requests: { count: number };
  library: LibraryListing;
  section: PlexSection;
  /** Which connection serves the sync (servers found through a Plex account), for the report's notes. */
  connectionNote?: string | null;
}

export async function runSync(deps: SyncEngineDeps, request: SyncRequest = {}): Promise<SyncReport> {
  const clock = deps.clock ?? Date.now;
  const startedAt = clock();
  const report: SyncReport = { startedAt, finishedAt: startedAt, libraries: [], serverErrors: [], ok: true };
  const planned: PlannedLibrary[] = [];
  const clients: PlexClient[] = [];
  const waiting = new WaitingReporter(request.onProgress);
  try {
    for (const server of chooseServers(deps.catalog, request.server)) {
      // Sign-in state, 401s and connection failover of servers found through a Plex account: connection-failover.ts.
      const lifecycle = await planWithAccountLifecycle(deps, server, request, (reachable) =>
        planServer(deps, reachable, request, clock, waiting),
      ).catch((error: unknown) => {
        if (isAbort(error, request.signal)) throw error;
        report.serverErrors.push({ serverName: server.name, error: describeError(error), errorCode: errorCodeOf(error) });
        return null;
      });
      if (lifecycle === null) continue;
      if (lifecycle.kind === 'skipped') {
        report.libraries.push(...lifecycle.reports);
        if (lifecycle.serverError !== null)
          report.serverErrors.push({ serverName: server.name, error: lifecycle.serverError, errorCode: NEEDS_SIGN_IN });
        continue;
      }
      const plan = lifecycle.plan;
      clients.push(plan.client);
      for (const entry of plan.libraries) entry.connectionNote = lifecycle.connectionNote;
      planned.push(...plan.libraries);
    }
    if (request.library !== undefined && planned.length === 0 && report.serverErrors.length === 0) {
      report.serverErrors.push({
        serverName: request.server ?? 'any server',
        error: `There is no library "${request.library}" to sync.`,
        errorCode: 'LIBRARY_NOT_FOUND',
      });
    }
    const bulkWrites = beginBulkWrites(deps.catalog);
    const writerThread = new WriterThreadHolder(deps.pageWriter, deps.catalog.file);
    try {
      await syncPlanned(deps, request, planned, report, clock, waiting, { writerThread, bulkWrites });
    } finally {
      await writerThread.close();
      await bulkWrites.end();
    }
    noteTitleIndexRepair(report, repairTitleIndex(deps.catalog));
  } catch (error) {
    if (!isAbort(error, request.signal)) throw error;
  } finally {
    for (const client of clients) client.close();
  }
  report.finishedAt = clock();
  report.ok = report.serverErrors.length === 0 && report.libraries.every((library) => library.outcome === 'ok');
  return report;
}

/** Said on the last library synced: the repair concerns the whole catalog, not that library. */
function noteTitleIndexRepair(report: SyncReport, missed: number): void {
  if (missed === 0) return;
  report.libraries.at(-1)?.notes.push(`the title search index was missing ${missed} item(s) written by another program; it was rebuilt`);
}

function chooseServers(catalog: Catalog, name: string | undefined): ServerSummary[] {
  if (name !== undefined) return [requireServer(catalog, name)];
  return listServers(catalog).filter((server) => server.active);
}

/** Connects, checks the server is the one catalogued, refreshes its sections and picks the libraries to sync. */
async function planServer(
  deps: SyncEngineDeps,
  server: ServerSummary,
  request: SyncRequest,
  clock: () => number,
  waiting: WaitingReporter,
) {
  const requests = { count: 0 };
  const client = connectToServer(deps, server, {
    ...(request.signal ? { signal: request.signal } : {}),
    onRetry: waiting.forServer(server.name),
    onRequest: () => {
      requests.count += 1;
    },
  });
  try {
    const identity = await client.identity();
    const mismatch = serverMismatch(server, identity);
    if (mismatch !== null) throw new SyncError('SERVER_MISMATCH', mismatch);
    if (server.machineIdentifier === null)
      updateServer(deps.catalog, deps.secrets, server.id, { machineIdentifier: identity.machineIdentifier });
    const sections = await client.sections();
    upsertSections(deps.catalog, server.id, sections, Math.floor(clock() / 1000));
    const libraries = chooseLibraries(deps.catalog, server.id, request.library, request.server !== undefined);
    const byKey = new Map(sections.map((section) => [section.key, section]));
    const planned: PlannedLibrary[] = [];
    for (const library of libraries) {
      const section = byKey.get(library.sectionKey);
      if (section !== undefined) planned.push({ server, client, requests, library, section });
    }
    return { client, libraries: planned };
  } catch (error) {
    client.close();
    throw error;
  }
}

function chooseLibraries(catalog: Catalog, serverId: number, library: string | undefined, serverNamed: boolean): LibraryListing[] {
  if (library !== undefined) {
    const found = findLibrary(catalog, serverId, library);
    // Without --server, a library name picks the servers that have it; the others are simply not involved.
    if (found === null && !serverNamed) return [];
    if (found === null) throw new SyncError('LIBRARY_NOT_FOUND', `There is no library "${library}" on this server.`);
    if (!isSyncableLibraryType(found.type))
      throw new SyncError(
        'LIBRARY_NOT_SYNCABLE',
        `The library "${found.title}" is a ${found.type} library; only movie, show and music libraries are synced.`,
      );
    return [found];
  }
  const all = listLibraries(catalog, { serverId, withCounts: false });
  return all.filter((entry) => entry.enabled && entry.missingSince === null && isSyncableLibraryType(entry.type));
}

async function syncPlanned(
  deps: SyncEngineDeps,
  request: SyncRequest,
  planned: PlannedLibrary[],
  report: SyncReport,
  clock: () => number,
  waiting: WaitingReporter,
  writers: Pick<LibraryRunSettings, 'writerThread' | 'bulkWrites'>,
) {
  const settings = getNumericSettings(deps.catalog);
  const maxRemovalShare = request.maxRemovalShare ?? settings.maxRemovalShare;
  const syncedServers = new Set<number>();
  for (const [index, entry] of planned.entries()) {
    await request.safePoint?.().catch((error: unknown) => {
      if (!isAbort(error, request.signal)) throw error;
    });
    if (request.signal?.aborted) {
      report.libraries.push(skippedReport(entry, 'cancelled'));
      continue;
    }
    request.onProgress?.({
      kind: 'library-start',
      index,
      total: planned.length,
      serverName: entry.server.name,
      libraryTitle: entry.library.title,
    });
    waiting.enter(index, planned.length, entry.library.title);
    const libraryReport = await syncOneLibrary(
      deps,
      request,
      entry,
      {
        index,
        total: planned.length,
        maxRemovalShare,
        fullSyncIntervalHours: request.fullSyncIntervalHours ?? settings.fullSyncIntervalHours,
        ...writers,
      },
      clock,
    );
    report.libraries.push(libraryReport);
    noteLibraryFailure(deps, entry.server, libraryReport);
    if (libraryReport.outcome === 'ok') syncedServers.add(entry.server.id);
    request.onProgress?.({ kind: 'library-done', index, total: planned.length, report: libraryReport });
  }
  for (const serverId of syncedServers) markServerSynced(deps.catalog, serverId, Math.floor(clock() / 1000));
}

interface LibraryRunSettings {
  index: number;
  total: number;
  maxRemovalShare: number;
  fullSyncIntervalHours: number;
  writerThread: WriterThreadHolder;
  bulkWrites: BulkWrites;
}

async function syncOneLibrary(
  deps: SyncEngineDeps,
  request: SyncRequest,
  entry: PlannedLibrary,
  run: LibraryRunSettings,
  clock: () => number,
): Promise<LibrarySyncReport> {
  const started = clock();
  const requestsBefore = entry.requests.count;
  const state = getLibrarySyncState(deps.catalog, entry.library.id);
  const decision = chooseMode({
    forceFull: request.full === true,
    watermark: state.watermark,
    lastFullSyncAt: state.lastFullSyncAt,
    now: Math.floor(started / 1000),
    fullSyncIntervalHours: run.fullSyncIntervalHours,
  });
  const report = newLibraryReport({
    serverName: entry.server.name,
    libraryTitle: entry.library.title,
    sectionKey: entry.library.sectionKey,
    mode: decision.mode,
    notes: [decision.reason, ...(entry.connectionNote ? [entry.connectionNote] : [])],
  });
  const finish = () => {
    report.requests = entry.requests.count - requestsBefore;
    report.seconds = (clock() - started) / 1000;
  };
  const at = Math.floor(started / 1000);
  let sync: LibrarySync | undefined;
  let copied = false;
  // Read again after every edit that ran at a safe point: a mapping edited mid-sync applies to the pages still
  // to come (the edit itself re-resolved the pages already written), never leaving them with stale paths.
  let resolvePath = mappingResolverFor(deps.catalog, entry.server.id, entry.library.id);
  try {
    const input: LibrarySyncInput = {
      client: entry.client,
      catalog: deps.catalog,
      serverId: entry.server.id,
      library: entry.library,
      currentContentChangedAt: entry.section.contentChangedAt,
      state,
      mode: decision.mode,
      resolvePath: (plexPath) => resolvePath(plexPath),
      safePoint: async () => {
        if (request.safePoint === undefined || !(await request.safePoint())) return;
        if (getLibrary(deps.catalog, entry.library.id) === null)
          throw new SyncError('LIBRARY_NOT_FOUND', `The library "${entry.library.title}" was removed during the sync.`);
        resolvePath = mappingResolverFor(deps.catalog, entry.server.id, entry.library.id);
      },
      // The largest pages Plex serves: fewest requests (the client's own default is for interactive listings).
      pageSize: Math.min(request.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE),
      maxRemovalShare: run.maxRemovalShare,
      ...(request.signal ? { signal: request.signal } : {}),
      now: () => Math.floor(clock() / 1000),
      onItemsWritten: itemProgress(request, entry, run, clock),
    };
    const writerThread = run.writerThread.forMode(decision.mode);
    // A full pass writes every page: its WAL is checkpointed beside it (an incremental one writes a few pages).
    if (decision.mode === 'full') run.bulkWrites.offloadCheckpoints();
    sync = new LibrarySync(writerThread === undefined ? input : { ...input, writerThread });
    const result = await sync.run();
    copyResult(report, result);
    copied = true;
    finish();
    const failure = [...result.listingFailures, ...(result.removalRefused !== undefined ? [result.removalRefused] : [])];
    if (failure.length > 0) {
      // What could be imported was; the watermark stays, so the next sync asks again.
      report.outcome = 'failed';
      report.error = failure.join('; ');
      report.errorCode = result.listingFailures.length > 0 ? ROWS_UNLISTED : REMOVAL_REFUSED;
      recordLibrarySync(deps.catalog, entry.library.id, { status: 'failed', error: report.error, report, full: false, at });
      return report;
    }
    // A full pass skips unchanged items, files included: re-resolve the library's stored paths so that paths
    // written with outdated mappings (an edit during an older Marquee's sync) are repaired too. A pass that kept
    // nothing unchanged (a first import) wrote every file with the mappings of its moment, and an edit made
    // meanwhile re-resolved what was stored before it: nothing to repair (some 0.3 s of a 146,000-item bench import).
    if (decision.mode === 'full' && result.unchanged > 0) reresolveMediaPaths(deps.catalog, entry.server.id, entry.library.id);
    recordLibrarySync(deps.catalog, entry.library.id, {
      status: 'ok',
      error: null,
      report,
      watermark: result.watermark,
      contentChangedAt: entry.section.contentChangedAt ?? null,
      full: decision.mode === 'full',
      at,
    });
    return report;
  } catch (error) {
    // Pages written before the cancel or failure are committed: the report counts them.
    if (sync !== undefined && !copied) copyResult(report, sync.committed());
    finish();
    const cancelled = isAbort(error, request.signal);
    report.outcome = cancelled ? 'cancelled' : 'failed';
    report.error = cancelled ? 'cancelled' : describeError(error);
    if (!cancelled) report.errorCode = errorCodeOf(error);
    recordLibrarySync(deps.catalog, entry.library.id, {
      status: report.outcome === 'cancelled' ? 'cancelled' : 'failed',
      error: report.error,
      report,
      full: false,
      at,
    });
    return report;
  }
}

function itemProgress(request: SyncRequest, entry: PlannedLibrary, run: LibraryRunSettings, clock: () => number) {
  const meter = new ProgressMeter();
  const throttle = new Throttle(request.progressIntervalMs ?? 100);
  let currentPhase = '';
  return (phase: string, done: number, total: number) => {
    if (request.onProgress === undefined) return;
    if (phase !== currentPhase) {
      currentPhase = phase;
      meter.reset();
      throttle.reset();
    }
    const now = clock();
    const reading = meter.read(now, done, total);
    if (!throttle.shouldEmit(now, done >= total)) return;
    request.onProgress({
      kind: 'items',
      index: run.index,
      total: run.total,
      serverName: entry.server.name,
      libraryTitle: entry.library.title,
      phase,
      done,
      itemsTotal: total,
      ratePerSecond: reading.ratePerSecond,
      etaSeconds: reading.etaSeconds,
    });
  };
}

function skippedReport(entry: PlannedLibrary, outcome: 'cancelled' | 'skipped'): LibrarySyncReport {
  return newLibraryReport({
    serverName: entry.server.name,
    libraryTitle: entry.library.title,
    sectionKey: entry.library.sectionKey,
    mode: 'incremental',
    outcome,
    ...(outcome === 'cancelled' ? { error: 'cancelled before it started' } : {}),
  });
}
