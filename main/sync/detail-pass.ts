// The opt-in detail pass (issue 10): HDR / Dolby Vision and audio and subtitle languages live in each Part's
// streams, which listings never carry. This pass asks Plex's full metadata for them, a batch of items per
// request (`/library/metadata/{a,b,c}`), at most one request per interval, and writes them in short transactions.
//
// - Resumable: what is done is kept in the catalog (item_details, at the item's fingerprint); a pass that was
//   cancelled or failed starts again where it stopped, and an item a sync changed since is done again.
// - Lowest priority: it never takes the job lock (a user sync must never be refused because of it); it waits
//   while another job holds it, and its writes refuse to run during one (main/catalog/details.ts).
// - Harmless on errors: it only fills three columns of existing versions. A 401, a timeout or a malformed answer
//   stops that server's pass; nothing is ever deleted, and what was written stays.
//
// One entry point, runDetailPass(), so a job queue can run it as one job.
import type { ServerSummary } from '../../shared/domain.js';
import type { ErrorCode } from '../../shared/errors.js';
import {
  detailProgress,
  pendingDetailItems,
  writeDetailFacts,
  type PendingDetailItem,
  type VersionDetailInput,
} from '../catalog/details.js';
import { runningJob } from '../catalog/job-lock.js';
import { getNumericSetting } from '../catalog/settings.js';
import type { PlexClient } from '../plex/client.js';
import type { PlexItem } from '../plex/model.js';
import { toCatalogItem } from './catalog-item.js';
import type { SyncEngineDeps } from './engine.js';
import { describeError, errorCodeOf, isAbort } from './errors.js';
import { connectToServer } from './plex-connection.js';

/** Items per request: about 1 request per 20 items (5,000 requests for 100,000 episodes). */
export const DETAIL_BATCH_SIZE = 20;

/** How often a pass that waits for another job looks again. */
const DEFAULT_YIELD_POLL_MS = 1_000;

export interface DetailPassProgress {
  serverName: string;
  /** Items of this server detailed at their current state, and all it has to do. */
  done: number;
  total: number;
  /** Requests this run made to this server. */
  requests: number;
  /** Waiting for another job to end (it yields to every other job). */
  waiting: boolean;
}

export interface DetailPassRequest {
  /** The servers to pass over (the caller picks them: every active one, or the one named). */
  servers: readonly ServerSummary[];
  /** At most this many items in all (every server together); default: all that are pending. */
  limit?: number;
  signal?: AbortSignal;
  onProgress?: (progress: DetailPassProgress) => void;
  /** Milliseconds between two requests; default the `detailRequestIntervalMs` setting. */
  requestIntervalMs?: number;
  /** Another job of this process runs (the watch's own live jobs, which share its connection): wait for it. */
  isBusy?: () => boolean;
  /** How often a waiting pass looks again. Default 1 s. */
  yieldPollMs?: number;
  /** Milliseconds since the epoch. */
  clock?: () => number;
}

export interface DetailServerReport {
  serverId: number;
  serverName: string;
  /** Items whose streams were written this run. */
  detailed: number;
  /** Items left for a later pass: changed by a sync meanwhile, their versions out of step, or gone from Plex. */
  skipped: number;
  requests: number;
  done: number;
  total: number;
  error?: string;
  errorCode?: ErrorCode;
}

export interface DetailPassReport {
  servers: DetailServerReport[];
  /** No server failed (a cancelled pass is not a failure: it resumes). */
  ok: boolean;
  cancelled: boolean;
}

/** The pass's own waits were cut by the signal (Plex's requests say so with PlexAbortedError). */
class DetailPassCancelled extends Error {}

/** One pass over the servers' pending items; resolves with what it did, never throws for a server's failure. */
export async function runDetailPass(deps: SyncEngineDeps, request: DetailPassRequest): Promise<DetailPassReport> {
  const report: DetailPassReport = { servers: [], ok: true, cancelled: false };
  let budget = request.limit === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(request.limit));
  for (const server of request.servers) {
    if (request.signal?.aborted === true) {
      report.cancelled = true;
      break;
    }
    const pass = new ServerDetailPass(deps, server, request);
    const serverReport = await pass.run(budget);
    budget -= pass.attempted;
    report.servers.push(serverReport);
    if (pass.cancelled) report.cancelled = true;
    if (serverReport.error !== undefined && !pass.cancelled) report.ok = false;
    if (report.cancelled) break;
  }
  return report;
}

class ServerDetailPass {
  attempted = 0;
  cancelled = false;
  private requests = 0;
  private nextRequestAt = 0;
  private readonly clock: () => number;
  private readonly intervalMs: number;

  constructor(
    private readonly deps: SyncEngineDeps,
    private readonly server: ServerSummary,
    private readonly request: DetailPassRequest,
  ) {
    this.clock = request.clock ?? Date.now;
    this.intervalMs = request.requestIntervalMs ?? getNumericSetting(deps.catalog, 'detailRequestIntervalMs');
  }

  async run(budget: number): Promise<DetailServerReport> {
    const report: DetailServerReport = {
      serverId: this.server.id,
      serverName: this.server.name,
      detailed: 0,
      skipped: 0,
      requests: 0,
      ...detailProgress(this.deps.catalog, this.server.id),
    };
    let client: PlexClient | null = null;
    try {
      client = connectToServer(this.deps, this.server, {
        ...(this.request.signal !== undefined ? { signal: this.request.signal } : {}),
        onRequest: () => {
          this.requests++;
        },
      });
      this.progress(report, false);
      let afterId = 0;
      while (this.attempted < budget) {
        await this.waitForTurn(report);
        const batch = pendingDetailItems(this.deps.catalog, this.server.id, afterId, Math.min(DETAIL_BATCH_SIZE, budget - this.attempted));
        const last = batch.at(-1);
        if (last === undefined) break;
        afterId = last.id;
        this.attempted += batch.length;
        await this.pace();
        const items = await client.metadataStreams(
          batch.map((item) => item.ratingKey),
          this.request.signal !== undefined ? { signal: this.request.signal } : {},
        );
        const { written } = await this.write(report, batch, items);
        report.detailed += written;
        report.skipped += batch.length - written;
        // Counted once at the start and the end: a count per batch would scan 100,000 rows 5,000 times.
        report.done = Math.min(report.total, report.done + written);
        report.requests = this.requests;
        this.progress(report, false);
      }
    } catch (error) {
      if (error instanceof DetailPassCancelled || isAbort(error, this.request.signal)) this.cancelled = true;
      report.error = this.cancelled ? 'cancelled' : describeError(error);
      report.errorCode = this.cancelled ? 'PLEX_ABORTED' : errorCodeOf(error);
    } finally {
      client?.close();
    }
    report.requests = this.requests;
    Object.assign(report, detailProgress(this.deps.catalog, this.server.id));
    return report;
  }

  /** Writes a batch's facts, waiting for any other job to end first (and again if one started meanwhile). */
  private async write(
    report: DetailServerReport,
    batch: readonly PendingDetailItem[],
    items: readonly PlexItem[],
  ): Promise<{ written: number; stale: number }> {
    const byKey = new Map(items.map((item) => [item.ratingKey, item]));
    const facts = new Map<number, { pending: PendingDetailItem; versions: readonly VersionDetailInput[] }>();
    for (const pending of batch) {
      const item = byKey.get(pending.ratingKey);
      const record = item === undefined ? null : toCatalogItem(item);
      if (record === null || record.versions === undefined) continue;
      facts.set(pending.id, { pending, versions: record.versions });
    }
    for (;;) {
      await this.waitForTurn(report);
      const outcome = writeDetailFacts(this.deps.catalog, facts, Math.floor(this.clock() / 1000));
      if (outcome.kind === 'written') return { written: outcome.written, stale: outcome.stale };
    }
  }

  /** The lowest-priority job: while any other holds the catalog (or this process's own live jobs run), it waits. */
  private async waitForTurn(report: DetailServerReport): Promise<void> {
    let told = false;
    while (runningJob(this.deps.catalog) !== null || this.request.isBusy?.() === true) {
      if (!told) this.progress(report, true);
      told = true;
      await this.sleep(this.request.yieldPollMs ?? DEFAULT_YIELD_POLL_MS);
    }
    if (told) this.progress(report, false);
  }

  /** At most one request per interval. */
  private async pace(): Promise<void> {
    const wait = this.nextRequestAt - this.clock();
    if (wait > 0) await this.sleep(wait);
    this.nextRequestAt = this.clock() + this.intervalMs;
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.request.signal;
    if (signal?.aborted === true) return Promise.reject(new DetailPassCancelled('cancelled'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', stop);
        resolve();
      }, ms);
      const stop = (): void => {
        clearTimeout(timer);
        reject(new DetailPassCancelled('cancelled'));
      };
      signal?.addEventListener('abort', stop, { once: true });
    });
  }

  private progress(report: DetailServerReport, waiting: boolean): void {
    try {
      this.request.onProgress?.({
        serverName: this.server.name,
        done: report.done,
        total: report.total,
        requests: this.requests,
        waiting,
      });
    } catch {
      // Progress must never break the pass.
    }
  }
}
