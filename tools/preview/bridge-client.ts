// Browser side of the preview bridge: installs `window.marquee` (MarqueeBridge) over HTTP, so the built
// renderer runs in a plain browser against the real handlers. Bundled by the preview server into a classic
// same-origin script (/__bridge/client.js) that runs before the app's module script: no inline script, so the
// page's CSP holds as in Electron.
//
// Typed without the DOM library (the project's tsconfig is Node's): the few browser globals used are
// declared below.
import {
  EVENT_NAMES,
  type EventName,
  type Events,
  type IpcResult,
  isEventName,
  isRequestName,
  type MarqueeBridge,
  type RequestInput,
  type RequestName,
  type RequestOutput,
} from '../../shared/ipc.js';
import { artworkPath } from '../../shared/artwork.js';
import { ARTWORK_PATH_PREFIX, BRIDGE_EVENTS_PATH, BRIDGE_INVOKE_PATH, BRIDGE_KEY_HEADER, BRIDGE_KEY_PARAM } from './bridge-paths.js';

interface MessageEventLike {
  data: string;
}

interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEventLike) => void): void;
}

interface BrowserScope {
  location: { search: string };
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  EventSource: new (url: string) => EventSourceLike;
  fetch: typeof fetch;
}

const STORAGE_KEY = 'marquee-preview-key';

const scope = globalThis as unknown as BrowserScope;

/** From the page URL (?key=…); kept for the tab so a reload after the app rewrote its URL still works. */
function readAccessKey(): string {
  const fromUrl = new URLSearchParams(scope.location.search).get(BRIDGE_KEY_PARAM);
  if (fromUrl !== null && fromUrl !== '') {
    scope.sessionStorage.setItem(STORAGE_KEY, fromUrl);
    return fromUrl;
  }
  return scope.sessionStorage.getItem(STORAGE_KEY) ?? '';
}

function failure(message: string): IpcResult<never> {
  return { ok: false, error: { code: 'FAILED', message } };
}

function isIpcResult(value: unknown): value is IpcResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const ok = (value as { ok?: unknown }).ok;
  return ok === true ? 'value' in value : ok === false && typeof (value as { error?: unknown }).error === 'object';
}

const accessKey = readAccessKey();
const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
let source: EventSourceLike | null = null;

/** One event stream for all subscriptions, opened at the first one (EventSource reconnects by itself). */
function ensureEventStream(): void {
  if (source !== null) return;
  source = new scope.EventSource(`${BRIDGE_EVENTS_PATH}?${BRIDGE_KEY_PARAM}=${encodeURIComponent(accessKey)}`);
  for (const name of Object.keys(EVENT_NAMES) as EventName[]) {
    source.addEventListener(name, (event) => {
      let payload: unknown;
      try {
        payload = JSON.parse(event.data);
      } catch {
        return;
      }
      for (const listener of [...(listeners.get(name) ?? [])]) {
        try {
          listener(payload);
        } catch (error) {
          console.error(error);
        }
      }
    });
  }
}

const bridge: MarqueeBridge = {
  async invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<IpcResult<RequestOutput<N>>> {
    if (!isRequestName(name)) return failure(`Unknown request "${String(name)}".`);
    let response: Response;
    try {
      response = await scope.fetch(BRIDGE_INVOKE_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [BRIDGE_KEY_HEADER]: accessKey },
        body: JSON.stringify({ name, input }),
      });
    } catch (error) {
      return failure(`The preview server cannot be reached (${error instanceof Error ? error.message : String(error)}).`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return failure(`The preview server answered ${response.status} without a result.`);
    }
    // Trusted as far as the envelope goes: the server is our own dispatch().
    if (isIpcResult(body)) return body as IpcResult<RequestOutput<N>>;
    return failure(`The preview server answered ${response.status} without a result.`);
  },
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    if (!isEventName(event)) throw new Error(`Unknown event "${String(event)}".`);
    let set = listeners.get(event);
    if (set === undefined) {
      set = new Set();
      listeners.set(event, set);
    }
    const entry = listener as (payload: unknown) => void;
    set.add(entry);
    ensureEventStream();
    return () => {
      set.delete(entry);
    };
  },
  // The key in the path: an <img> can send no header, and the page's URL (with the key) never leaves as a Referer.
  artworkUrl: (request) => `${ARTWORK_PATH_PREFIX}${encodeURIComponent(accessKey)}/${artworkPath(request)}`,
};

// Like contextBridge.exposeInMainWorld: a frozen, non-writable property.
Object.defineProperty(globalThis, 'marquee', { value: Object.freeze(bridge), writable: false, configurable: false, enumerable: true });
