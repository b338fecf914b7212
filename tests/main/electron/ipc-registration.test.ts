// ipc-registration.ts against a stand-in for ipcMain (Electron cannot run here): one handler per contract
// channel, each refusing senders other than the app's top frame before anything is dispatched.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REQUEST_NAMES } from '../../../shared/ipc.js';
import type { AppLocation } from '../../../main/ipc/sender-policy.js';
import { type AppFixture, startAppFixture } from '../app/fixtures.js';

type Handler = (event: unknown, input: unknown) => Promise<unknown>;
const handlers = vi.hoisted(() => new Map<string, (event: unknown, input: unknown) => Promise<unknown>>());

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerIpcHandlers } = await import('../../../main/electron/ipc-registration.js');

const APP: AppLocation = { kind: 'file', indexUrl: 'file:///app/out/renderer/index.html' };
const topFrame = (url: string) => ({ senderFrame: { url, parent: null } });

describe('IPC registration', () => {
  let app: AppFixture;
  let unregister: () => void;
  const log: string[] = [];

  beforeAll(async () => {
    app = await startAppFixture();
    unregister = registerIpcHandlers(app.service, APP, (message) => log.push(message));
  });

  afterAll(async () => {
    unregister();
    await app.close();
  });

  it('registers exactly one handler per contract channel', () => {
    expect([...handlers.keys()].sort()).toEqual(
      Object.keys(REQUEST_NAMES)
        .map((name) => `app:${name}`)
        .sort(),
    );
  });

  it('dispatches requests from the app page', async () => {
    const handler = handlers.get('app:servers:list');
    expect(await handler?.(topFrame('file:///app/out/renderer/index.html#/servers'), {})).toEqual({ ok: true, value: [] });
    expect(await handlers.get('app:servers:remove')?.(topFrame('file:///app/out/renderer/index.html'), { id: 0 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('refuses other pages, sub-frames and vanished frames, and logs why', async () => {
    const handler = handlers.get('app:servers:list');
    await expect(handler?.(topFrame('https://evil.example/'), {})).rejects.toThrow(/only the app page/);
    await expect(handler?.({ senderFrame: { url: 'file:///app/out/renderer/index.html', parent: {} } }, {})).rejects.toThrow(/sub-frame/);
    await expect(handler?.({ senderFrame: null }, {})).rejects.toThrow(/gone/);
    expect(log).toHaveLength(3);
    expect(log[0]).toMatch(/^Refused IPC request servers:list: /);
  });

  it('removes its handlers', () => {
    unregister();
    expect(handlers.size).toBe(0);
    unregister = registerIpcHandlers(app.service, APP, () => {});
  });
});
