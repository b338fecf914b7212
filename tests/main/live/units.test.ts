// The live parts that know nothing of HTTP or SQL, driven with a manual clock and a scripted socket.
import { describe, expect, it } from 'vitest';

import { EventBatcher, type LiveBatch } from '../../../main/live/batcher.js';
import { notificationSocketUrl, redactSocketUrl, ServerListener, type LiveMode, type SocketHandlers } from '../../../main/live/listener.js';
import { decodeFrame } from '../../../main/live/messages.js';
import { backoffDelay, type LiveTimers } from '../../../main/live/timers.js';

/** A clock that moves only when told to; due callbacks run in order. */
class ManualTimers implements LiveTimers {
  private time = 0;
  private readonly due: { at: number; fn: () => void; cancelled: boolean }[] = [];
  now(): number {
    return this.time;
  }
  after(ms: number, fn: () => void): () => void {
    const entry = { at: this.time + ms, fn, cancelled: false };
    this.due.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = this.due.filter((entry) => !entry.cancelled && entry.at <= end).sort((a, b) => a.at - b.at)[0];
      if (next === undefined) break;
      next.cancelled = true;
      this.time = next.at;
      next.fn();
    }
    this.time = end;
  }
}

describe('decodeFrame', () => {
  it('reads processed and deleted timeline entries (ids as strings or numbers) and ended scans', () => {
    const timeline = JSON.stringify({
      NotificationContainer: {
        type: 'timeline',
        size: 4,
        TimelineEntry: [
          { identifier: 'com.plexapp.plugins.library', itemID: '12', sectionID: '1', type: 1, state: 5 },
          { identifier: 'com.plexapp.plugins.library', itemID: 13, sectionID: 2, type: 4, state: 9 },
          { identifier: 'com.plexapp.plugins.library', itemID: '14', sectionID: '1', type: 1, state: 0 },
          { identifier: 'tv.plex.other', itemID: '15', state: 5 },
        ],
      },
    });
    expect(decodeFrame(timeline)).toEqual({
      kind: 'events',
      events: [
        { kind: 'processed', itemId: '12', sectionId: '1' },
        { kind: 'deleted', itemId: '13', sectionId: '2' },
      ],
    });
    const ended = JSON.stringify({
      NotificationContainer: {
        type: 'activity',
        ActivityNotification: [{ event: 'ended', Activity: { type: 'library.update.section', Context: { librarySectionID: '3' } } }],
      },
    });
    expect(decodeFrame(ended)).toEqual({ kind: 'events', events: [{ kind: 'scan-ended', sectionId: '3' }] });
  });

  it('counts unknown types and malformed frames apart, and ignores known types without library news', () => {
    expect(decodeFrame('{"NotificationContainer":{"type":"playing"}}')).toEqual({ kind: 'events', events: [] });
    expect(decodeFrame('{"NotificationContainer":{"type":"brand.new"}}')).toEqual({ kind: 'unknown', type: 'brand.new' });
    expect(decodeFrame('{"NotificationContainer":')).toMatchObject({ kind: 'malformed' });
    expect(decodeFrame('[]')).toMatchObject({ kind: 'malformed' });
    expect(decodeFrame(null)).toMatchObject({ kind: 'malformed' });
    expect(decodeFrame('{"NotificationContainer":{"type":"timeline","TimelineEntry":"x"}}')).toMatchObject({ kind: 'malformed' });
  });
});

describe('EventBatcher', () => {
  it('collects for the window, then applies once; a deletion after processing wins, and the reverse', async () => {
    const timers = new ManualTimers();
    const batches: LiveBatch[] = [];
    const batcher = new EventBatcher({
      timers,
      windowMs: 2000,
      apply: (batch) => {
        batches.push(batch);
        return Promise.resolve();
      },
    });
    for (let i = 0; i < 10_000; i++) batcher.add({ kind: 'processed', itemId: String(i), sectionId: '1' });
    batcher.add({ kind: 'deleted', itemId: '5', sectionId: '1' });
    timers.advance(1999);
    expect(batches).toHaveLength(0);
    timers.advance(1);
    await batcher.flush();
    expect(batches).toHaveLength(1);
    expect(batches[0]?.processed.size).toBe(9_999);
    expect([...(batches[0]?.deleted.keys() ?? [])]).toEqual(['5']);
  });
});

describe('ServerListener', () => {
  function scripted() {
    const timers = new ManualTimers();
    const sockets: { handlers: SocketHandlers; closed: boolean }[] = [];
    const modes: LiveMode[] = [];
    let connected = 0;
    let polls = 0;
    const listener = new ServerListener({
      url: 'ws://x/:/websockets/notifications?X-Plex-Token=secret',
      timers,
      random: () => 0.5,
      pollMs: 300_000,
      silenceMs: 900_000,
      socketFactory: (_url, handlers) => {
        const socket = { handlers, closed: false };
        sockets.push(socket);
        return { close: () => void (socket.closed = true) };
      },
      onFrame: () => undefined,
      onConnected: () => void connected++,
      onPoll: () => void polls++,
      onMode: (mode) => void modes.push(mode),
    });
    return { timers, sockets, modes, listener, counts: () => ({ connected, polls }) };
  }

  it('reconnects with growing backoff, polls after two failures, and goes live (with a catch-up) when a socket opens', () => {
    const { timers, sockets, modes, listener, counts } = scripted();
    listener.start();
    sockets[0]?.handlers.open();
    expect(counts().connected).toBe(1);
    sockets[0]?.handlers.close(1006);
    expect(modes.at(-1)).toBe('reconnecting');
    timers.advance(750); // attempt 1: between 500 and 1000 ms (jitter 0.5)
    expect(sockets).toHaveLength(2);
    sockets[1]?.handlers.close(1006);
    expect(modes.at(-1)).toBe('polling');
    timers.advance(300_000);
    expect(counts().polls).toBeGreaterThanOrEqual(1);
    const socket = sockets.at(-1);
    socket?.handlers.open();
    expect(modes.at(-1)).toBe('live');
    expect(counts().connected).toBe(2);
  });

  it('a socket that stays silent turns to polling until it speaks', () => {
    const { timers, sockets, modes, listener, counts } = scripted();
    listener.start();
    sockets[0]?.handlers.open();
    timers.advance(900_000);
    expect(modes.at(-1)).toBe('polling');
    timers.advance(300_000);
    expect(counts().polls).toBe(1);
    sockets[0]?.handlers.message('{}');
    expect(modes.at(-1)).toBe('live');
    timers.advance(600_000);
    expect(counts().polls).toBe(1);
    listener.stop();
    expect(sockets[0]?.closed).toBe(true);
  });

  it('builds ws/wss URLs and never shows the token', () => {
    expect(notificationSocketUrl('https://plex.example:32400/', 'abc')).toBe(
      'wss://plex.example:32400/:/websockets/notifications?X-Plex-Token=abc',
    );
    expect(redactSocketUrl(notificationSocketUrl('http://10.0.0.2:32400', 'abc'))).toBe('ws://10.0.0.2:32400/:/websockets/notifications');
    expect(backoffDelay(10, 1000, 60_000, () => 1)).toBe(60_000);
  });
});
