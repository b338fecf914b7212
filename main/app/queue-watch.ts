// The catalog's job queue as app events: other processes change it (a CLI sync queues, `marquee watch`
// applies a batch), and SQLite tells nobody, so the app reads it every half second (one small SELECT on
// the main thread) and sends `jobs:changed` when what it shows differs. Changes made here are sent at once.
import type { QueueJob } from '../../shared/jobs.js';
import type { UseCaseDeps } from '../usecases/deps.js';
import { listJobs } from '../usecases/jobs.js';
import type { AppEvents } from './events.js';

const DEFAULT_INTERVAL_MS = 500;

export class QueueWatch {
  private last = '[]';
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly usecases: UseCaseDeps,
    private readonly events: AppEvents,
    private readonly log: (message: string) => void,
    private readonly intervalMs = DEFAULT_INTERVAL_MS,
  ) {}

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.check(), this.intervalMs);
    // The watch alone must not keep a closing app (or a test) alive.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Reads the queue now; sends `jobs:changed` when it differs from what was last sent. */
  check(): QueueJob[] {
    let jobs: QueueJob[];
    try {
      if (!this.usecases.catalog.sqlite.open) return [];
      jobs = listJobs(this.usecases);
    } catch (error) {
      // Busy past busy_timeout: the next tick reads again.
      this.log(`The job queue could not be read: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
    const text = JSON.stringify(jobs);
    if (text !== this.last) {
      this.last = text;
      this.events.emit('jobs:changed', { jobs });
    }
    return jobs;
  }
}
