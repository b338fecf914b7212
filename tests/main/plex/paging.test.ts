import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlexContainer, PlexItem } from '../../../main/plex/model.js';
import { clampPageSize, nextPageStep, pageThrough, type FetchPage } from '../../../main/plex/paging.js';

describe('nextPageStep', () => {
  it('continues from the reported offset plus the reported size', () => {
    expect(nextPageStep({ start: 0, size: 500 }, { offset: 0, size: 500, totalSize: 1234, itemCount: 500 })).toEqual({
      kind: 'next',
      offset: 0,
      nextStart: 500,
    });
  });

  it('ends when the reported total is reached', () => {
    expect(nextPageStep({ start: 1000, size: 500 }, { offset: 1000, size: 234, totalSize: 1234, itemCount: 234 })).toEqual({
      kind: 'done',
      offset: 1000,
    });
    expect(nextPageStep({ start: 500, size: 500 }, { offset: 500, size: 500, totalSize: 1000, itemCount: 500 }).kind).toBe('done');
  });

  it('does not take a short page for the end while totalSize says more', () => {
    expect(nextPageStep({ start: 0, size: 500 }, { offset: 0, size: 300, totalSize: 1234, itemCount: 300 })).toEqual({
      kind: 'next',
      offset: 0,
      nextStart: 300,
    });
  });

  it('ends on an empty page, whatever totalSize says', () => {
    expect(nextPageStep({ start: 600, size: 500 }, { offset: 600, size: 0, totalSize: 1234, itemCount: 0 }).kind).toBe('done');
    expect(nextPageStep({ start: 0, size: 500 }, { itemCount: 0 }).kind).toBe('done');
  });

  it('counts entries by the container size even when fewer decoded (entries without ratingKey)', () => {
    expect(nextPageStep({ start: 0, size: 10 }, { offset: 0, size: 10, totalSize: 20, itemCount: 9 })).toEqual({
      kind: 'next',
      offset: 0,
      nextStart: 10,
    });
  });

  it('without totalSize: a short page ends, a full page continues', () => {
    expect(nextPageStep({ start: 0, size: 10 }, { offset: 0, size: 10, itemCount: 10 }).kind).toBe('next');
    expect(nextPageStep({ start: 10, size: 10 }, { offset: 10, size: 4, itemCount: 4 }).kind).toBe('done');
  });

  it('treats a reply with neither offset nor totalSize as an unpaged, complete listing', () => {
    expect(nextPageStep({ start: 0, size: 10 }, { size: 37, itemCount: 37 }).kind).toBe('done');
  });

  it('reports a stall when the server goes back to an earlier offset or repeats the previous page', () => {
    expect(nextPageStep({ start: 500, size: 500 }, { offset: 0, size: 500, totalSize: 1234, itemCount: 500 }).kind).toBe('stalled');
    expect(nextPageStep({ start: 500, size: 500 }, { size: 500, totalSize: 1234, itemCount: 500, repeatsPrevious: true }).kind).toBe(
      'stalled',
    );
  });

  it('trusts the requested start when the server omits offset', () => {
    expect(nextPageStep({ start: 500, size: 500 }, { size: 500, totalSize: 1234, itemCount: 500 })).toEqual({
      kind: 'next',
      offset: 500,
      nextStart: 1000,
    });
  });
});

describe('clampPageSize', () => {
  it('defaults to 500 and keeps sizes within 1…1000', () => {
    expect(clampPageSize(undefined)).toBe(500);
    expect(clampPageSize(5000)).toBe(1000);
    expect(clampPageSize(0)).toBe(1);
    expect(clampPageSize(12.7)).toBe(12);
    expect(clampPageSize(Number.NaN)).toBe(500);
  });
});

function item(n: number): PlexItem {
  return { ratingKey: String(n), type: 'movie', title: `Movie ${n}`, guids: [], media: [], locations: [] };
}

function page(start: number, count: number, totalSize: number | undefined): PlexContainer {
  const items = Array.from({ length: count }, (_, i) => item(start + i));
  return {
    size: count,
    offset: start,
    ...(totalSize !== undefined ? { totalSize } : {}),
    attributes: {},
    items,
    entries: items.length,
    sections: [],
  };
}

/** A listing of `total` items served by a fake fetchPage that records every call and can be held. */
function listing(total: number, options: { hold?: (start: number) => boolean } = {}) {
  const calls: { start: number; size: number; signal: AbortSignal }[] = [];
  const waiters: { start: number; resolve: () => void }[] = [];
  const fetchPage: FetchPage = (start, size, signal) => {
    calls.push({ start, size, signal });
    for (const waiter of waiters.filter((w) => w.start === start)) waiter.resolve();
    if (options.hold?.(start)) {
      return new Promise((_, reject) => {
        signal.addEventListener('abort', () => reject(new Error(`aborted page at ${start}`)), { once: true });
      });
    }
    return Promise.resolve(page(start, Math.max(0, Math.min(size, total - start)), total));
  };
  const requested = (start: number): Promise<void> =>
    calls.some((c) => c.start === start) ? Promise.resolve() : new Promise((resolve) => waiters.push({ start, resolve }));
  return { fetchPage, calls, requested };
}

const stalled = (reason: string): Error => new Error(`stalled: ${reason}`);

describe('pageThrough', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('yields every item once, with offsets and totals', async () => {
    const { fetchPage, calls } = listing(1234);
    const pages = [];
    for await (const p of pageThrough(fetchPage, { pageSize: 500, stalled })) pages.push(p);
    expect(pages.map((p) => [p.offset, p.items.length, p.totalSize, p.totalSizeChanged])).toEqual([
      [0, 500, 1234, false],
      [500, 500, 1234, false],
      [1000, 234, 1234, false],
    ]);
    expect(calls.map((c) => [c.start, c.size])).toEqual([
      [0, 500],
      [500, 500],
      [1000, 500],
    ]);
  });

  it('resumes a listing from a given position', async () => {
    const { fetchPage, calls } = listing(1234);
    const offsets = [];
    for await (const p of pageThrough(fetchPage, { pageSize: 500, startAt: 700, stalled })) offsets.push(p.offset);
    expect(offsets).toEqual([700, 1200]);
    expect(calls.map((c) => c.start)).toEqual([700, 1200]);
  });

  it('requests pages n+1 and n+2 before yielding page n', async () => {
    const { fetchPage, calls } = listing(40);
    const seenAtYield: number[] = [];
    for await (const p of pageThrough(fetchPage, { pageSize: 10, stalled })) {
      seenAtYield.push(calls.length);
      expect(p.items).toHaveLength(10);
    }
    // At page 0 the requests for pages 1 and 2 are out; from page 2 on there is nothing more to ask for.
    expect(seenAtYield).toEqual([3, 4, 4, 4]);
    expect(calls.map((call) => call.start)).toEqual([0, 10, 20, 30]);
    expect(calls.some((call) => call.signal.aborted)).toBe(false);
  });

  it('cancels a page asked ahead when the page before it ends elsewhere, and asks for the right one', async () => {
    // The page at 10 comes back short (items went while paging): the next page starts at 15, not at the 20 guessed.
    const calls: { start: number; signal: AbortSignal }[] = [];
    const fetchPage: FetchPage = (start, size, signal) => {
      calls.push({ start, signal });
      const count = start === 10 ? 5 : Math.max(0, Math.min(size, 45 - start));
      return Promise.resolve(page(start, count, 45));
    };
    const offsets: number[] = [];
    for await (const p of pageThrough(fetchPage, { pageSize: 10, stalled })) offsets.push(p.offset);
    expect(offsets).toEqual([0, 10, 15, 25, 35]);
    expect(calls.map((call) => call.start)).toEqual([0, 10, 20, 15, 25, 35]);
    expect(calls.filter((call) => call.signal.aborted).map((call) => call.start)).toEqual([20]);
  });

  it('asks no further ahead than the next page when the server sends fewer than asked', async () => {
    // A server that caps its pages (at 7 here): a guess at `size` further on would always be wrong.
    const { fetchPage, calls } = listing(21);
    const capped: FetchPage = (start, size, signal) => fetchPage(start, Math.min(size, 7), signal);
    const offsets: number[] = [];
    for await (const p of pageThrough(capped, { pageSize: 10, stalled })) offsets.push(p.offset);
    expect(offsets).toEqual([0, 7, 14]);
    expect(calls.map((call) => call.start)).toEqual([0, 7, 14]);
  });

  it('cancels the request ahead when the consumer stops, without an unhandled rejection', async () => {
    const { fetchPage, calls } = listing(100, { hold: (start) => start > 0 });
    for await (const p of pageThrough(fetchPage, { pageSize: 10, stalled })) {
      expect(p.offset).toBe(0);
      break;
    }
    expect(calls).toHaveLength(3);
    expect(calls.slice(1).map((call) => call.signal.aborted)).toEqual([true, true]);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  });

  it('cancels the request ahead when the consumer throws', async () => {
    const { fetchPage, calls } = listing(100, { hold: (start) => start > 0 });
    await expect(
      (async () => {
        for await (const _ of pageThrough(fetchPage, { pageSize: 10, stalled })) throw new Error('consumer failed');
      })(),
    ).rejects.toThrow('consumer failed');
    expect(calls.slice(1).map((call) => call.signal.aborted)).toEqual([true, true]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  });

  it('stops when the signal aborts while the consumer holds a page', async () => {
    const controller = new AbortController();
    const { fetchPage, calls } = listing(100, { hold: (start) => start > 0 });
    const iterator = pageThrough(fetchPage, { pageSize: 10, signal: controller.signal, stalled });
    const first = await iterator.next();
    expect(first.done).toBe(false);
    controller.abort();
    expect(calls[1]?.signal.aborted).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
    await expect(iterator.next()).rejects.toThrow('aborted page at 10');
  });

  it('throws instead of looping when the server ignores the start', async () => {
    const calls: number[] = [];
    const fetchPage: FetchPage = (start) => {
      calls.push(start);
      return Promise.resolve(page(0, 10, 100));
    };
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const p of pageThrough(fetchPage, { pageSize: 10, stalled })) seen.push(p.offset);
      })(),
    ).rejects.toThrow(/stalled: asked for entries from 10/);
    expect(seen).toEqual([0]);
    expect(calls).toEqual([0, 10, 20]);
  });

  it('detects a repeated page when the server omits offset', async () => {
    const fetchPage: FetchPage = () => {
      const { offset: _offset, ...rest } = page(0, 10, 100);
      return Promise.resolve(rest);
    };
    await expect(
      (async () => {
        for await (const _ of pageThrough(fetchPage, { pageSize: 10, stalled })) {
          // consume
        }
      })(),
    ).rejects.toThrow(/previous page again/);
  });

  it('follows short pages while totalSize says more, and flags a total that changes', async () => {
    const totals = [50, 50, 51, 51, 51, 51];
    let call = 0;
    const fetchPage: FetchPage = (start) => {
      const total = totals[call++] ?? 51;
      return Promise.resolve(page(start, Math.max(0, Math.min(7, total - start)), total)); // server caps pages at 7
    };
    const pages = [];
    for await (const p of pageThrough(fetchPage, { pageSize: 20, stalled })) pages.push(p);
    expect(pages.map((p) => p.offset)).toEqual([0, 7, 14, 21, 28, 35, 42, 49]);
    expect(pages.map((p) => p.totalSizeChanged)).toEqual([false, false, true, true, true, true, true, true]);
    expect(pages.flatMap((p) => p.items).length).toBe(51);
  });

  it('sends at most 1000 per page', async () => {
    const { fetchPage, calls } = listing(5);
    for await (const _ of pageThrough(fetchPage, { pageSize: 50_000, stalled })) {
      // consume
    }
    expect(calls.map((c) => c.size)).toEqual([1000]);
  });
});
