// Rate, ETA and throttling for item progress. Pure: the clock is passed in.

export interface MeterReading {
  ratePerSecond: number;
  etaSeconds: number | null;
}

/** Items per second over a sliding window of recent samples, and the time left at that rate. */
export class ProgressMeter {
  private samples: { at: number; done: number }[] = [];

  constructor(private readonly windowMs = 5000) {}

  reset(): void {
    this.samples = [];
  }

  read(nowMs: number, done: number, total: number): MeterReading {
    const last = this.samples.at(-1);
    if (last !== undefined && done < last.done) this.samples = [];
    this.samples.push({ at: nowMs, done });
    while (this.samples.length > 2 && nowMs - (this.samples[0]?.at ?? nowMs) > this.windowMs) this.samples.shift();
    const first = this.samples[0];
    if (first === undefined || nowMs <= first.at) return { ratePerSecond: 0, etaSeconds: null };
    const ratePerSecond = ((done - first.done) * 1000) / (nowMs - first.at);
    const etaSeconds = ratePerSecond > 0 ? Math.max(0, (total - done) / ratePerSecond) : null;
    return { ratePerSecond, etaSeconds };
  }
}

/** Lets an event through at most once per interval, but always the first and the final one. */
export class Throttle {
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly intervalMs: number) {}

  shouldEmit(nowMs: number, final: boolean): boolean {
    if (!final && nowMs - this.lastAt < this.intervalMs) return false;
    this.lastAt = nowMs;
    return true;
  }

  reset(): void {
    this.lastAt = Number.NEGATIVE_INFINITY;
  }
}
