// Keeps only the newest of a burst of events and hands it on once per scheduled flush (a frame in the
// browser), so progress arriving faster than the screen refreshes costs one store update per frame.

export type FlushScheduler = (flush: () => void) => void;

export function frameScheduler(flush: () => void): void {
  const frame = (globalThis as { requestAnimationFrame?: (callback: () => void) => number }).requestAnimationFrame;
  const visible = (globalThis as { document?: { visibilityState?: string } }).document?.visibilityState === 'visible';
  // A hidden page gets no frames; a microtask still batches a synchronous burst.
  if (frame !== undefined && visible) frame(flush);
  else queueMicrotask(flush);
}

export interface Coalescer<T> {
  push(value: T): void;
  /** Forgets a value not yet handed on (e.g. the run it belongs to has finished). */
  drop(matches?: (value: T) => boolean): void;
}

export function coalesce<T>(schedule: FlushScheduler, deliver: (value: T) => void): Coalescer<T> {
  let pending: { value: T } | null = null;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const next = pending;
    pending = null;
    if (next !== null) deliver(next.value);
  };
  return {
    push(value) {
      pending = { value };
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    drop(matches) {
      if (pending !== null && (matches === undefined || matches(pending.value))) pending = null;
    },
  };
}
