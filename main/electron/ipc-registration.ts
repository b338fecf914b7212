// Wires the contract to Electron: one ipcMain.handle per request channel (`app:<name>`), each refusing any
// sender but the app's own top-level page, then validating and dispatching; and the service's events sent
// to the window (`app-event:<name>`).
import { type IpcMainInvokeEvent, ipcMain, type WebContents } from 'electron';
import { eventChannel, REQUEST_NAMES, type RequestName, requestChannel } from '../../shared/ipc.js';
import type { AppService } from '../app/service.js';
import { dispatch } from '../ipc/dispatch.js';
import { type AppLocation, type SenderFrame, senderRefusal } from '../ipc/sender-policy.js';

export function registerIpcHandlers(service: AppService, app: AppLocation, log: (message: string) => void): () => void {
  const names = Object.keys(REQUEST_NAMES) as RequestName[];
  for (const name of names) {
    ipcMain.handle(requestChannel(name), async (event: IpcMainInvokeEvent, input: unknown) => {
      const refusal = senderRefusal(senderFrame(event), app);
      if (refusal !== null) {
        log(`Refused IPC request ${name}: ${refusal}.`);
        // A rejected invoke: an untrusted page gets no envelope to read.
        throw new Error(`Refused: ${refusal}.`);
      }
      return dispatch(service, name, input, {
        onUnexpectedError: (request, message) => log(`Request ${request} failed: ${message}`),
      });
    });
  }
  return () => {
    for (const name of names) ipcMain.removeHandler(requestChannel(name));
  };
}

function senderFrame(event: IpcMainInvokeEvent): SenderFrame | null {
  const frame = event.senderFrame;
  if (frame === null) return null;
  return { url: frame.url, isTopFrame: frame.parent === null };
}

/** Sends every service event to the window's page; returns the unsubscribe. */
export function forwardEvents(service: AppService, contents: WebContents): () => void {
  return service.events.onAny((event, payload) => {
    if (!contents.isDestroyed()) contents.send(eventChannel(event), payload);
  });
}
