import { afterEach, describe, expect, it } from 'vitest';
import { artworkUrl, createApi, IpcError, toUiError, windowBridge } from '../../renderer/api.js';
import type { MarqueeBridge } from '../../shared/ipc.js';
import { FakeBridge, Refusal } from './fake-bridge.js';
import { finishedEvent, server } from './fixtures.js';

describe('createApi', () => {
  it('unwraps a value', async () => {
    const bridge = new FakeBridge({ 'servers:list': () => [server()] });
    await expect(createApi(bridge).request('servers:list', {})).resolves.toEqual([server()]);
    expect(bridge.calls).toEqual([{ name: 'servers:list', input: {} }]);
  });

  it('throws a refusal as an IpcError with its code and message', async () => {
    const bridge = new FakeBridge({
      'servers:remove': () => {
        throw new Refusal('NOT_FOUND', 'There is no server 7.', 'CATALOG_NOT_FOUND');
      },
    });
    const error = await createApi(bridge)
      .request('servers:remove', { id: 7 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'NOT_FOUND', errorCode: 'CATALOG_NOT_FOUND', message: 'There is no server 7.', name: 'IpcError' });
  });

  it('reports a bridge that fails itself in the same shape', async () => {
    const broken: MarqueeBridge = {
      invoke: () => Promise.reject(new Error('socket closed')),
      on: () => () => {},
    };
    await expect(createApi(broken).request('servers:list', {})).rejects.toMatchObject({
      code: 'FAILED',
      message: 'The app could not complete "servers:list": socket closed',
    });
  });

  it('passes events through and unsubscribes', () => {
    const bridge = new FakeBridge();
    const seen: string[] = [];
    const off = createApi(bridge).on('sync:finished', (event) => seen.push(event.runId));
    bridge.emit('sync:finished', finishedEvent('a', { startedAt: 0, finishedAt: 0, libraries: [], serverErrors: [], ok: true }));
    off();
    bridge.emit('sync:finished', finishedEvent('b', { startedAt: 0, finishedAt: 0, libraries: [], serverErrors: [], ok: true }));
    expect(seen).toEqual(['a']);
    expect(bridge.listenerCount('sync:finished')).toBe(0);
  });
});

describe('toUiError', () => {
  it('keeps an IpcError code and gives anything else FAILED', () => {
    expect(toUiError(new IpcError('BUSY', 'A sync is running.'))).toEqual({ code: 'BUSY', message: 'A sync is running.' });
    expect(toUiError(new IpcError('UNREACHABLE', 'Could not reach Plex server "Den".', 'PLEX_NETWORK'))).toEqual({
      code: 'UNREACHABLE',
      message: 'Could not reach Plex server "Den".',
      errorCode: 'PLEX_NETWORK',
    });
    expect(toUiError(new Error('oops'))).toEqual({ code: 'FAILED', message: 'oops' });
    expect(toUiError('text')).toEqual({ code: 'FAILED', message: 'text' });
  });
});

describe('windowBridge', () => {
  const scope = globalThis as { marquee?: MarqueeBridge };
  afterEach(() => {
    delete scope.marquee;
  });

  it('explains where the renderer must run when there is no bridge', () => {
    expect(() => windowBridge()).toThrow(/window\.marquee is missing/);
  });

  it('returns the installed bridge', () => {
    const bridge = new FakeBridge();
    scope.marquee = bridge;
    expect(windowBridge()).toBe(bridge);
  });
});

describe('artworkUrl', () => {
  it('takes the image URL from the bridge, and is null on a bridge without images', () => {
    const request = { itemId: 42, role: 'poster' as const, width: 240, height: 360 };
    const withImages: MarqueeBridge = {
      invoke: () => Promise.reject(new Error('unused')),
      on: () => () => {},
      artworkUrl: (asked) => `marquee-image://item/${asked.itemId}/${asked.role}/${asked.width}x${asked.height}`,
    };
    expect(artworkUrl(request, withImages)).toBe('marquee-image://item/42/poster/240x360');
    expect(artworkUrl(request, new FakeBridge({}))).toBeNull();
    expect(artworkUrl(request, undefined)).toBeNull();
  });
});
