// A typed emitter for the contract's `Events`: the service emits, Electron's window and the preview
// server's event stream listen. A throwing listener never stops the others or the emitter.
import type { EventName, Events } from '../../shared/ipc.js';

export type EventListener<E extends EventName> = (payload: Events[E]) => void;

/** Any event, for transports that forward everything (webContents.send, Server-Sent Events). */
export type AnyEventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

export class AppEvents {
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();
  private readonly anyListeners = new Set<AnyEventListener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  on<E extends EventName>(event: E, listener: EventListener<E>): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  onAny(listener: AnyEventListener): () => void {
    this.anyListeners.add(listener);
    return () => {
      this.anyListeners.delete(listener);
    };
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      this.guard(() => (listener as EventListener<E>)(payload));
    }
    for (const listener of [...this.anyListeners]) this.guard(() => listener(event, payload));
  }

  clear(): void {
    this.listeners.clear();
    this.anyListeners.clear();
  }

  private guard(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.onListenerError(error);
    }
  }
}
