// Collects a server's live events for a short window, then hands them over as one batch: a burst of 10,000
// timeline entries (a big scan) becomes a handful of batches, not 10,000 requests. Pure of HTTP and SQL.
import type { LiveEvent } from './messages.js';
import type { LiveTimers } from './timers.js';

export interface LiveBatch {
  /** Item id → section id (null when the event did not say). */
  processed: Map<string, string | null>;
  /** Items Plex says were deleted, with their section when known: to be confirmed, never removed on the word. */
  deleted: Map<string, string | null>;
  /** Sections whose scan ended. */
  scanned: Set<string>;
}

export interface BatcherOptions {
  /** How long the first event of a batch waits for more. Default 2000 ms. */
  windowMs?: number;
  timers: LiveTimers;
  /** Applies a batch; the next batch waits until it ends (events keep collecting meanwhile). */
  apply: (batch: LiveBatch) => Promise<void>;
}

export const DEFAULT_BATCH_WINDOW_MS = 2_000;

function emptyBatch(): LiveBatch {
  return { processed: new Map(), deleted: new Map(), scanned: new Set() };
}

export function batchSize(batch: LiveBatch): number {
  return batch.processed.size + batch.deleted.size + batch.scanned.size;
}

export class EventBatcher {
  private current = emptyBatch();
  private cancelTimer: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private readonly windowMs: number;

  constructor(private readonly options: BatcherOptions) {
    this.windowMs = options.windowMs ?? DEFAULT_BATCH_WINDOW_MS;
  }

  add(event: LiveEvent): void {
    const batch = this.current;
    if (event.kind === 'processed') {
      // Deleted then back (a re-match): what Plex now has wins; the fetch tells.
      batch.deleted.delete(event.itemId);
      batch.processed.set(event.itemId, event.sectionId);
    } else if (event.kind === 'deleted') {
      batch.processed.delete(event.itemId);
      batch.deleted.set(event.itemId, event.sectionId);
    } else {
      batch.scanned.add(event.sectionId);
    }
    this.arm();
  }

  /** Events waiting for their window. */
  get pending(): number {
    return batchSize(this.current);
  }

  /** Applies what is collected now (without waiting for the window), after any batch being applied. */
  async flush(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = null;
    while (this.running !== null) await this.running.catch(() => undefined);
    const batch = this.current;
    if (batchSize(batch) === 0) return;
    this.current = emptyBatch();
    this.running = this.options.apply(batch).finally(() => {
      this.running = null;
    });
    await this.running;
    // Events that came in while this batch was applied start their own window.
    if (this.pending > 0) this.arm();
  }

  /** Drops the timer; collected events are not applied. */
  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private arm(): void {
    if (this.cancelTimer !== null || this.running !== null) return;
    this.cancelTimer = this.options.timers.after(this.windowMs, () => {
      this.cancelTimer = null;
      void this.flush().catch(() => {
        // apply() reports its own failures; a failed batch is caught up by the next sync.
      });
    });
  }
}
