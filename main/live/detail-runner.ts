// The detail pass in the background (issue 10), for `marquee watch` and the app when the setting is on: a pass
// at start, then another every `repeatMs` (items added or changed since are picked up then). Always the
// lowest-priority work: it waits while any job runs (the live catalog's own included, through `isBusy`).
import type { ServerSummary } from '../../shared/domain.js';
import { runDetailPass, type DetailPassProgress, type DetailPassReport } from '../sync/detail-pass.js';
import type { SyncEngineDeps } from '../sync/engine.js';
import { describeError } from '../sync/errors.js';
import { realTimers, type LiveTimers } from './timers.js';

export type DetailNotice =
  | { type: 'details-progress'; progress: DetailPassProgress }
  | { type: 'details-done'; report: DetailPassReport }
  | { type: 'details-error'; message: string };

export interface DetailRunnerOptions {
  servers: readonly ServerSummary[];
  notify: (notice: DetailNotice) => void;
  /** Work of this process that goes first (the live catalog's queued jobs). */
  isBusy?: () => boolean;
  timers?: LiveTimers;
  /** Between the end of one pass and the start of the next. Default 1 hour. */
  repeatMs?: number;
  /** Milliseconds between two requests; default the catalog's setting. */
  requestIntervalMs?: number;
  yieldPollMs?: number;
}

export const DEFAULT_DETAIL_REPEAT_MS = 3_600_000;

export class DetailRunner {
  private readonly controller = new AbortController();
  private running: Promise<void> | null = null;
  private cancelNext: (() => void) | null = null;

  constructor(
    private readonly deps: SyncEngineDeps,
    private readonly options: DetailRunnerOptions,
  ) {}

  /** Starts a pass now; the next ones follow by themselves until stop(). */
  start(): void {
    if (this.controller.signal.aborted || this.running !== null) return;
    this.running = this.pass().finally(() => {
      this.running = null;
      this.scheduleNext();
    });
  }

  /** Cancels the pass under way (after its request in flight) and the next one. */
  async stop(): Promise<void> {
    this.controller.abort();
    this.cancelNext?.();
    this.cancelNext = null;
    await this.running;
  }

  /** A pass is under way (or waiting for another job to end). */
  get passing(): boolean {
    return this.running !== null;
  }

  /** Settles when no pass runs (tests). */
  async idle(): Promise<void> {
    await this.running;
  }

  private scheduleNext(): void {
    if (this.controller.signal.aborted) return;
    this.cancelNext = (this.options.timers ?? realTimers).after(this.options.repeatMs ?? DEFAULT_DETAIL_REPEAT_MS, () => {
      this.cancelNext = null;
      this.start();
    });
  }

  private async pass(): Promise<void> {
    try {
      const report = await runDetailPass(this.deps, {
        servers: this.options.servers,
        signal: this.controller.signal,
        ...(this.options.isBusy !== undefined ? { isBusy: this.options.isBusy } : {}),
        ...(this.options.requestIntervalMs !== undefined ? { requestIntervalMs: this.options.requestIntervalMs } : {}),
        ...(this.options.yieldPollMs !== undefined ? { yieldPollMs: this.options.yieldPollMs } : {}),
        onProgress: (progress) => this.options.notify({ type: 'details-progress', progress }),
      });
      if (!report.cancelled) this.options.notify({ type: 'details-done', report });
    } catch (error) {
      this.options.notify({ type: 'details-error', message: describeError(error) });
    }
  }
}
