// A stand-in for the bridge preload installs (`window.marquee`): answers requests from handlers given by
// the test, records the calls, and lets the test push events. It doubles the process boundary, not any
// module of the renderer: the stores under test run unchanged on top of the real `createApi`.
import type { ErrorCode } from '../../shared/errors.js';
import type {
  EventName,
  Events,
  IpcErrorCode,
  IpcResult,
  MarqueeBridge,
  RequestInput,
  RequestName,
  RequestOutput,
} from '../../shared/ipc.js';

export type Handlers = {
  [N in RequestName]?: (input: RequestInput<N>) => RequestOutput<N> | Promise<RequestOutput<N>>;
};

/** Thrown by a handler to answer with an error envelope. */
export class Refusal extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
    readonly errorCode?: ErrorCode,
  ) {
    super(message);
  }
}

export interface Call {
  name: RequestName;
  input: unknown;
}

export class FakeBridge implements MarqueeBridge {
  readonly calls: Call[] = [];
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();

  constructor(public handlers: Handlers = {}) {}

  async invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<IpcResult<RequestOutput<N>>> {
    this.calls.push({ name, input });
    const handler = this.handlers[name];
    if (handler === undefined) return { ok: false, error: { code: 'FAILED', message: `no handler for ${name}` } };
    try {
      return { ok: true, value: await handler(input) };
    } catch (error) {
      if (error instanceof Refusal) {
        const failure = { code: error.code, message: error.message };
        return { ok: false, error: error.errorCode === undefined ? failure : { ...failure, errorCode: error.errorCode } };
      }
      throw error;
    }
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (payload: Events[E]) => void)(payload);
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  callsOf<N extends RequestName>(name: N): RequestInput<N>[] {
    return this.calls.filter((call) => call.name === name).map((call) => call.input as RequestInput<N>);
  }
}

/** A promise the test settles when it chooses (to order answers). */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A flush scheduler the test runs by hand: shows what reaches the store, and when. */
export function manualScheduler(): { schedule: (flush: () => void) => void; run: () => void; pending: () => number } {
  const queue: (() => void)[] = [];
  return {
    schedule: (flush) => {
      queue.push(flush);
    },
    run: () => {
      for (const flush of queue.splice(0)) flush();
    },
    pending: () => queue.length,
  };
}
