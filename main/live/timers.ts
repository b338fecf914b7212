// Time for the live parts, injected: production uses the real timers, tests may drive their own.
export interface LiveTimers {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once after `ms`; returns the cancel. */
  after(ms: number, fn: () => void): () => void;
}

export const realTimers: LiveTimers = {
  now: () => Date.now(),
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** Exponential backoff with full jitter: attempt 1 waits up to base, each next up to twice as long, capped. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  // Half fixed, half random: servers restarting under many clients do not see them all come back at once.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
