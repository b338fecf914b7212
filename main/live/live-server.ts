// Keeps one server's part of the catalog current: its notification socket (listener.ts), the batcher, the
// catch-up, polling and scheduled syncs, all through the job queue. Plain TypeScript; the faces print notices.
import type { ChangedItem, ServerSummary, SyncReport } from '../../shared/domain.js';
import type { JobDescription } from '../catalog/job-lock.js';
import { getLibrarySyncState } from '../catalog/libraries.js';
import { serverToken } from '../catalog/servers.js';
import type { PlexClient } from '../plex/client.js';
import { runSync, type SyncEngineDeps } from '../sync/engine.js';
import { describeError } from '../sync/errors.js';
import { applyFetchedItems, liveLibraries, removeConfirmedGone, type LiveItemChange } from '../sync/live-apply.js';
import { connectToServer } from '../sync/plex-connection.js';
import { batchSize, EventBatcher, type LiveBatch } from './batcher.js';
import type { JobQueue } from './job-queue.js';
import { notificationSocketUrl, ServerListener, type LiveMode, type SocketFactory } from './listener.js';
import { decodeFrame } from './messages.js';
import type { LiveTimers } from './timers.js';
import type { WebhookEvent } from './webhooks.js';

export type SyncReason = 'connected' | 'poll' | 'schedule' | 'scan' | 'burst' | 'probe';

export type LiveNotice =
  | { type: 'mode'; server: string; mode: LiveMode; detail: string }
  | { type: 'change'; server: string; library: string; change: 'added' | 'updated' | 'removed'; item: ChangedItem; ratingKey?: string }
  | { type: 'more-changes'; server: string; library: string; change: 'added' | 'updated' | 'removed'; count: number }
  | { type: 'batch'; server: string; events: number; requests: number; ms: number }
  | {
      type: 'sync';
      server: string;
      reason: SyncReason;
      library?: string;
      ok: boolean;
      added: number;
      updated: number;
      removed: number;
      requests: number;
    }
  | { type: 'waiting'; message: string }
  | { type: 'error'; server: string; message: string };

export interface LiveServerOptions {
  timers: LiveTimers;
  socketFactory: SocketFactory;
  queue: JobQueue;
  notify: (notice: LiveNotice) => void;
  signal: AbortSignal;
  random?: () => number;
  batchWindowMs?: number;
  pollMs?: number;
  silenceMs?: number;
  /** Keep-alive: no frame for this long → one cheap request (`/library/sections`) to tell a dead socket. */
  probeAfterMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Incremental sync this often (the engine makes it a full pass when the last one is a week old). Default 6 h. */
  scheduleMs?: number;
  /** Who runs the live jobs, as the catalog's job queue names it to other processes. Default 'marquee watch'. */
  program?: string;
  /** More processed items than this in one batch: an incremental sync of their libraries instead of a fetch by key. */
  fetchLimit?: number;
}

export interface LiveServerStats {
  frames: number;
  unknown: number;
  malformed: number;
  batches: number;
  /** Requests made for batches (fetches by key, deletion checks); syncs count theirs in their reports. */
  batchRequests: number;
  syncs: number;
  /** Keep-alive requests after quiet spells. */
  probes: number;
  /** Webhook events for this server, and those of them that brought an item to fetch (library.new). */
  webhooks: number;
  webhookItems: number;
}

export const DEFAULT_SCHEDULE_MS = 6 * 3_600_000;
/** One `/library/metadata/{keys}` request holds at most 100 keys (client.ts METADATA_BATCH_SIZE). */
export const DEFAULT_FETCH_LIMIT = 100;

export class LiveServer {
  readonly stats: LiveServerStats = {
    frames: 0,
    unknown: 0,
    malformed: 0,
    batches: 0,
    batchRequests: 0,
    syncs: 0,
    probes: 0,
    webhooks: 0,
    webhookItems: 0,
  };
  private client: PlexClient | null = null;
  private listener: ServerListener | null = null;
  private readonly batcher: EventBatcher;
  private cancelSchedule: (() => void) | null = null;
  private requests = 0;
  private failure: string | null = null;
  /**
   * What the keep-alive's next look compares with: section key → contentChangedAt at its last look, 'catalog'
   * (what the catch-up sync after a connect stored) or 'unknown' (frames were heard since: compare with the
   * catalog, and settle a difference with a sync rather than a reconnect).
   */
  private probeBaseline: Map<string, string | null> | 'catalog' | 'unknown' = 'catalog';
  private framesSinceProbe = 0;
  /** Syncs queued and not started yet, by library ('' = the whole server): another of the same is redundant. */
  private readonly pendingSyncs = new Set<string>();
  private readonly work = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: SyncEngineDeps,
    readonly server: ServerSummary,
    private readonly options: LiveServerOptions,
  ) {
    this.batcher = new EventBatcher({
      timers: options.timers,
      ...(options.batchWindowMs !== undefined ? { windowMs: options.batchWindowMs } : {}),
      // Tracked from its first step, so idle() never returns while a batch is being looked at.
      apply: (batch) => this.track(this.applyBatch(batch)),
    });
  }

  get mode(): LiveMode {
    if (this.failure !== null) return 'stopped';
    return this.listener?.currentMode ?? 'connecting';
  }

  /** Why this server is not listened to (its token could not be read), or null. */
  get failed(): string | null {
    return this.failure;
  }

  /**
   * Opens the socket and starts the schedule. Never throws: a server whose token cannot be read (another key
   * file, a damaged row) says so in a 'stopped' mode and an error notice, and the other servers go on.
   */
  start(): void {
    let token: string;
    try {
      token = serverToken(this.deps.catalog, this.deps.secrets, this.server.id);
      this.client = connectToServer(this.deps, this.server, {
        signal: this.options.signal,
        onRequest: () => {
          this.requests++;
        },
      });
    } catch (error) {
      this.failure = `not listening: ${describeError(error)}`;
      this.options.notify({ type: 'mode', server: this.server.name, mode: 'stopped', detail: this.failure });
      this.options.notify({ type: 'error', server: this.server.name, message: this.failure });
      return;
    }
    this.listener = new ServerListener({
      url: notificationSocketUrl(this.server.url, token),
      socketFactory: this.options.socketFactory,
      timers: this.options.timers,
      ...(this.options.random !== undefined ? { random: this.options.random } : {}),
      ...(this.options.pollMs !== undefined ? { pollMs: this.options.pollMs } : {}),
      ...(this.options.silenceMs !== undefined ? { silenceMs: this.options.silenceMs } : {}),
      ...(this.options.probeAfterMs !== undefined ? { probeAfterMs: this.options.probeAfterMs } : {}),
      probe: () => this.probe(),
      ...(this.options.backoffBaseMs !== undefined ? { backoffBaseMs: this.options.backoffBaseMs } : {}),
      ...(this.options.backoffMaxMs !== undefined ? { backoffMaxMs: this.options.backoffMaxMs } : {}),
      onFrame: (text) => this.frame(text),
      onConnected: () => {
        this.probeBaseline = 'catalog';
        this.queueSync('connected');
      },
      onPoll: () => this.queueSync('poll'),
      onMode: (mode, detail) => this.options.notify({ type: 'mode', server: this.server.name, mode, detail }),
    });
    this.listener.start();
    this.scheduleNext();
  }

  /** Stops listening; waits for the job running now (cancelled through the signal) and drops what waits. */
  async stop(): Promise<void> {
    this.listener?.stop();
    this.batcher.stop();
    this.cancelSchedule?.();
    await Promise.allSettled([...this.work]);
    this.client?.close();
  }

  /**
   * A Plex webhook for this server (main/live/webhooks.ts): library.new brings its item through the same batch as
   * the socket's events (one fetch for many); other events change nothing. Returns whether it was used.
   */
  webhook(event: WebhookEvent): boolean {
    this.stats.webhooks++;
    if (event.event !== 'library.new' || event.ratingKey === null || this.failure !== null) return false;
    this.stats.webhookItems++;
    this.batcher.add({ kind: 'processed', itemId: event.ratingKey, sectionId: event.sectionId });
    return true;
  }

  /** Applies collected events now (tests, and the end of a burst). */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** Settles when no batch or sync of this server is queued or running. */
  async idle(): Promise<void> {
    while (this.work.size > 0 || this.batcher.pending > 0) {
      if (this.work.size === 0) await this.batcher.flush();
      await Promise.allSettled([...this.work]);
    }
  }

  /**
   * The keep-alive's question, after a quiet spell: did the server change while the socket said nothing? One
   * request (`/library/sections`): a library's contentChangedAt (a counter Plex moves on every add and removal)
   * that moved since the last look, with no frame heard since, means the socket is dead: 'stale'.
   * What the last look compares with: right after a (re)connect, what the catch-up sync stored; after a look,
   * what that look saw. After frames were heard the counters moved for good reasons and say nothing: the next
   * look compares with the catalog, and if it differs, an incremental sync settles it (the socket may be fine).
   */
  private async probe(): Promise<'fresh' | 'stale'> {
    const sections = await this.requireClient().sections();
    this.stats.probes++;
    const now = new Map(sections.map((section) => [section.key, section.contentChangedAt ?? null]));
    const baseline = this.probeBaseline;
    const heard = this.framesSinceProbe > 0;
    this.framesSinceProbe = 0;
    if (heard) {
      this.probeBaseline = 'unknown';
      return 'fresh';
    }
    this.probeBaseline = now;
    const before = baseline === 'catalog' || baseline === 'unknown' ? this.storedCounters() : baseline;
    const moved = [...before].some(([key, counter]) => now.has(key) && now.get(key) !== counter);
    if (!moved) return 'fresh';
    if (baseline !== 'unknown') return 'stale';
    this.queueSync('probe');
    return 'fresh';
  }

  /** contentChangedAt of the libraries live changes write to, as the last sync stored them. */
  private storedCounters(): Map<string, string | null> {
    const counters = new Map<string, string | null>();
    for (const library of liveLibraries(this.deps.catalog, this.server.id).values())
      counters.set(library.sectionKey, getLibrarySyncState(this.deps.catalog, library.id).contentChangedAt);
    return counters;
  }

  private frame(text: string | null): void {
    this.stats.frames++;
    this.framesSinceProbe++;
    const decoded = decodeFrame(text);
    if (decoded.kind === 'unknown') this.stats.unknown++;
    else if (decoded.kind === 'malformed') this.stats.malformed++;
    else for (const event of decoded.events) this.batcher.add(event);
  }

  private scheduleNext(): void {
    this.cancelSchedule = this.options.timers.after(this.options.scheduleMs ?? DEFAULT_SCHEDULE_MS, () => {
      this.queueSync('schedule');
      this.scheduleNext();
    });
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.work.add(promise);
    void promise.finally(() => this.work.delete(promise)).catch(() => undefined);
    return promise;
  }

  private job(target: string): JobDescription {
    return { kind: 'sync', program: this.options.program ?? 'marquee watch', target: `${target} of server "${this.server.name}"` };
  }

  private async applyBatch(batch: LiveBatch): Promise<void> {
    const started = this.options.timers.now();
    const requestsBefore = this.requests;
    const libraries = liveLibraries(this.deps.catalog, this.server.id);
    for (const section of batch.scanned) if (libraries.has(section)) this.queueSync('scan', section);
    // Items of sections Marquee does not sync are not even fetched; unknown sections (null) are asked.
    const wanted = [...batch.processed].filter(([, section]) => section === null || libraries.has(section));
    const limit = this.options.fetchLimit ?? DEFAULT_FETCH_LIMIT;
    if (wanted.length > limit) {
      const sections = new Set(wanted.map(([, section]) => section));
      if (sections.has(null)) this.queueSync('burst');
      else for (const section of sections) if (section !== null && !batch.scanned.has(section)) this.queueSync('burst', section);
    }
    const fetch = wanted.length > 0 && wanted.length <= limit ? wanted.map(([key]) => key) : [];
    const deleted = [...batch.deleted.keys()];
    if (fetch.length === 0 && deleted.length === 0) return;
    await this.track(
      this.options.queue.run(this.job('live changes'), async () => {
        const scope = {
          catalog: this.deps.catalog,
          client: this.requireClient(),
          serverId: this.server.id,
          now: () => Math.floor(this.options.timers.now() / 1000),
        };
        try {
          if (fetch.length > 0) this.announce((await applyFetchedItems(scope, await scope.client.metadataBatch(fetch))).changes);
          if (deleted.length > 0) this.announce((await removeConfirmedGone(scope, deleted)).changes, batch.deleted, libraries);
        } catch (error) {
          this.options.notify({
            type: 'error',
            server: this.server.name,
            message: `live changes not applied (the next sync catches up): ${describeError(error)}`,
          });
        }
      }),
    ).catch((error: unknown) => this.options.notify({ type: 'error', server: this.server.name, message: describeError(error) }));
    this.stats.batches++;
    this.stats.batchRequests += this.requests - requestsBefore;
    this.options.notify({
      type: 'batch',
      server: this.server.name,
      events: batchSize(batch),
      requests: this.requests - requestsBefore,
      ms: this.options.timers.now() - started,
    });
  }

  private announce(
    changes: readonly LiveItemChange[],
    sections?: Map<string, string | null>,
    libraries?: Map<string, { title: string }>,
  ): void {
    for (const change of changes) {
      const section = sections?.get(change.ratingKey) ?? null;
      const library = change.libraryTitle !== '' ? change.libraryTitle : section !== null ? (libraries?.get(section)?.title ?? '') : '';
      this.options.notify({
        type: 'change',
        server: this.server.name,
        library,
        change: change.change,
        item: change.item,
        ratingKey: change.ratingKey,
      });
    }
  }

  /** An incremental sync of the server or one library (section key), queued; a same one already waiting suffices. */
  private queueSync(reason: SyncReason, sectionKey?: string): void {
    const key = sectionKey ?? '';
    if (this.pendingSyncs.has(key) || this.options.signal.aborted) return;
    this.pendingSyncs.add(key);
    const target = sectionKey === undefined ? 'an incremental sync' : `an incremental sync of library ${sectionKey}`;
    void this.track(
      this.options.queue.run(this.job(target), async ({ signal, safePoint }) => {
        this.pendingSyncs.delete(key);
        // Edits of any process run between its pages (safePoint); a cancel of this job stops it alone (signal).
        const report = await runSync(this.deps, {
          server: this.server.name,
          ...(sectionKey !== undefined ? { library: sectionKey } : {}),
          signal,
          safePoint,
        });
        this.stats.syncs++;
        // A sync cut short by stop() is not news: the next start catches up.
        if (!this.options.signal.aborted) this.reportSync(reason, report, sectionKey);
      }),
    ).catch((error: unknown) => {
      this.pendingSyncs.delete(key);
      if (!this.options.signal.aborted) this.options.notify({ type: 'error', server: this.server.name, message: describeError(error) });
    });
  }

  private reportSync(reason: SyncReason, report: SyncReport, sectionKey: string | undefined): void {
    for (const serverError of report.serverErrors)
      this.options.notify({ type: 'error', server: this.server.name, message: serverError.error });
    let added = 0;
    let updated = 0;
    let removed = 0;
    let requests = 0;
    for (const library of report.libraries) {
      added += library.added;
      updated += library.updated;
      removed += library.removed;
      requests += library.requests;
      for (const change of ['added', 'updated', 'removed'] as const) {
        for (const item of library.changes[change].items)
          this.options.notify({ type: 'change', server: this.server.name, library: library.libraryTitle, change, item });
        const more = library.changes[change].more;
        if (more > 0)
          this.options.notify({ type: 'more-changes', server: this.server.name, library: library.libraryTitle, change, count: more });
      }
      if (library.outcome === 'failed' && library.error !== undefined)
        this.options.notify({ type: 'error', server: this.server.name, message: `${library.libraryTitle}: ${library.error}` });
    }
    const library = sectionKey === undefined ? undefined : report.libraries[0]?.libraryTitle;
    this.options.notify({
      type: 'sync',
      server: this.server.name,
      reason,
      ...(library !== undefined ? { library } : {}),
      ok: report.ok,
      added,
      updated,
      removed,
      requests,
    });
  }

  private requireClient(): PlexClient {
    if (this.client === null) throw new Error('The live server was not started.');
    return this.client;
  }
}
