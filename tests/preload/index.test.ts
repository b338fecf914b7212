// The preload against a stand-in for Electron's renderer modules (Electron itself cannot run here): it must
// expose exactly the contract, on the `app:<name>` channels, and keep the Electron event from the page.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MarqueeBridge } from '../../shared/ipc.js';

const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
  return {
    exposed: new Map<string, unknown>(),
    invoked: [] as { channel: string; input: unknown }[],
    listeners,
    echo: (channel: string, input: unknown): Promise<unknown> => Promise.resolve({ ok: true, value: { channel, input } }),
    reply: (channel: string, input: unknown): Promise<unknown> => Promise.resolve({ ok: true, value: { channel, input } }),
  };
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: {
    invoke: (channel: string, input: unknown) => {
      electron.invoked.push({ channel, input });
      return electron.reply(channel, input);
    },
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
      const set = electron.listeners.get(channel) ?? new Set();
      set.add(listener);
      electron.listeners.set(channel, set);
    },
    removeListener: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
      electron.listeners.get(channel)?.delete(listener);
    },
  },
}));

async function loadBridge(): Promise<MarqueeBridge> {
  await import('../../preload/index.js');
  const bridge = electron.exposed.get('marquee');
  if (bridge === undefined) throw new Error('window.marquee was not exposed');
  return bridge as MarqueeBridge;
}

describe('preload', () => {
  beforeEach(() => {
    electron.invoked.length = 0;
    electron.reply = electron.echo;
  });

  it('exposes window.marquee with invoke on the app:<name> channel', async () => {
    const bridge = await loadBridge();
    expect([...electron.exposed.keys()]).toEqual(['marquee']);
    const result = await bridge.invoke('servers:remove', { id: 3 });
    expect(electron.invoked).toEqual([{ channel: 'app:servers:remove', input: { id: 3 } }]);
    expect(result).toEqual({ ok: true, value: { channel: 'app:servers:remove', input: { id: 3 } } });
  });

  it('refuses names outside the contract without sending anything', async () => {
    const bridge = await loadBridge();
    const invoke = bridge.invoke as (name: string, input: unknown) => ReturnType<MarqueeBridge['invoke']>;
    expect(await invoke('toString', {})).toMatchObject({ ok: false, error: { code: 'FAILED' } });
    expect(electron.invoked).toEqual([]);
    const on = bridge.on as (event: string, listener: () => void) => () => void;
    expect(() => on('constructor', () => {})).toThrow(/Unknown event/);
  });

  it('turns a rejected invoke (refused sender) into a failure envelope', async () => {
    const bridge = await loadBridge();
    electron.reply = () => Promise.reject(new Error("Error invoking remote method 'app:app:info': Error: Refused"));
    expect(await bridge.invoke('app:info', {})).toMatchObject({
      ok: false,
      error: { code: 'FAILED', message: expect.stringMatching(/Refused/) as string },
    });
  });

  it('delivers event payloads without the Electron event, and unsubscribes', async () => {
    const bridge = await loadBridge();
    const received: unknown[][] = [];
    const off = bridge.on('sync:finished', (...args: unknown[]) => received.push(args));
    const channel = electron.listeners.get('app-event:sync:finished');
    expect(channel?.size).toBe(1);
    for (const listener of channel ?? []) listener({ sender: 'the Electron event' }, { runId: 'r' });
    expect(received).toEqual([[{ runId: 'r' }]]);
    off();
    expect(electron.listeners.get('app-event:sync:finished')?.size).toBe(0);
  });
});
