// The renderer's only door to main: `window.marquee` (MarqueeBridge), one invoke per contract channel and
// `on(event)` for pushes. Bundled as CommonJS (sandboxed preloads cannot be ES modules); no Node access.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { artworkProtocolUrl } from '../shared/artwork.js';
import { eventChannel, type IpcResult, isEventName, isRequestName, type MarqueeBridge, requestChannel } from '../shared/ipc.js';

const bridge: MarqueeBridge = {
  invoke(name, input) {
    if (!isRequestName(name)) return Promise.resolve(failure(`Unknown request "${String(name)}".`));
    return ipcRenderer
      .invoke(requestChannel(name), input)
      .catch((error: unknown) => failure(error instanceof Error ? error.message : String(error)));
  },
  on(event, listener) {
    if (!isEventName(event)) throw new Error(`Unknown event "${String(event)}".`);
    // The Electron event object (with its sender) never reaches the page.
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload as Parameters<typeof listener>[0]);
    ipcRenderer.on(eventChannel(event), forward);
    return () => {
      ipcRenderer.removeListener(eventChannel(event), forward);
    };
  },
  // Main's protocol handler checks every such URL again (main/electron/artwork-protocol.ts).
  artworkUrl: (request) => artworkProtocolUrl(request),
};

function failure(message: string): IpcResult<never> {
  return { ok: false, error: { code: 'FAILED', message } };
}

contextBridge.exposeInMainWorld('marquee', bridge);
