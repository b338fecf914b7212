// The renderer's one door to the main process: a typed wrapper over `window.marquee` that turns the
// `IpcResult` envelope into a value or a thrown `IpcError`. No other module touches `window.marquee`,
// and stores receive an `Api` as an argument so they run in Node tests against a fake bridge.
import type { ArtworkRequest } from '../shared/artwork.js';
import type { ErrorCode } from '../shared/errors.js';
import type { EventName, Events, IpcErrorCode, MarqueeBridge, RequestInput, RequestName, RequestOutput } from '../shared/ipc.js';

/** A request refused or failed by the main process, with the contract's category and its precise code. */
export class IpcError extends Error {
  override readonly name = 'IpcError';

  constructor(
    readonly code: IpcErrorCode,
    message: string,
    /** 'PLEX_NETWORK', 'CATALOG_BUSY'…: what a remedy is picked by (absent when the bridge itself failed). */
    readonly errorCode?: ErrorCode,
  ) {
    super(message);
  }
}

export interface Api {
  request<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

export function createApi(bridge: MarqueeBridge): Api {
  return {
    async request(name, input) {
      let result;
      try {
        result = await bridge.invoke(name, input);
      } catch (error) {
        // The bridge itself failed (not a handler's refusal): report it in the same shape.
        throw new IpcError('FAILED', `The app could not complete "${name}": ${messageOf(error)}`);
      }
      if (result.ok) return result.value;
      throw new IpcError(result.error.code, result.error.message, result.error.errorCode);
    },
    on(event, listener) {
      return bridge.on(event, listener);
    },
  };
}

/** The bridge preload (or the preview server) installed; a clear error when the page runs elsewhere. */
export function windowBridge(): MarqueeBridge {
  const bridge = (globalThis as { marquee?: MarqueeBridge }).marquee;
  if (bridge === undefined) {
    throw new Error('window.marquee is missing: open the renderer through the Marquee app or its preview server.');
  }
  return bridge;
}

/**
 * The one place an image URL comes from: the bridge's (`marquee-image://…` in the app, the preview's keyed route
 * in a browser). Null on a bridge without images: the caller shows its placeholder. The URL names the image only;
 * main fetches it from Plex, so no token ever reaches the page.
 */
export function artworkUrl(
  request: ArtworkRequest,
  bridge: MarqueeBridge | undefined = (globalThis as { marquee?: MarqueeBridge }).marquee,
): string | null {
  return bridge?.artworkUrl?.(request) ?? null;
}

/** What went wrong, in the shape the UI shows. */
export interface UiError {
  code: IpcErrorCode;
  message: string;
  errorCode?: ErrorCode;
}

export function toUiError(error: unknown): UiError {
  if (error instanceof IpcError) {
    const failure = { code: error.code, message: error.message };
    return error.errorCode === undefined ? failure : { ...failure, errorCode: error.errorCode };
  }
  return { code: 'FAILED', message: messageOf(error) };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
