// Paging through a Plex listing. The server decides how much it returns, so the loop is driven by what it
// reports (`offset`, `size`, `totalSize`), never by what was asked; the next two pages are requested while the
// consumer is still busy with the current one.

import type { PlexContainer, PlexItem } from './model.js';

export const DEFAULT_PAGE_SIZE = 500;
/** PMS warns above 1000 per page. */
export const MAX_PAGE_SIZE = 1000;

export interface PlexPage<I = PlexItem> {
  items: I[];
  /** Item entries the page held, kept by the item decoder or not: where the next page starts. */
  entries: number;
  /** Where this page starts in the listing, as reported by the server (or as requested when it did not say). */
  offset: number;
  /** The listing's size as reported with this page; null when the server did not report it. */
  totalSize: number | null;
  /**
   * True once the reported totalSize has differed between any two pages of this iteration (it stays true):
   * the listing shifted under the pager, so items may have been skipped or repeated and the listing must not
   * be taken as a complete picture (e.g. to infer deletions).
   */
  totalSizeChanged: boolean;
  container: PlexContainer<I>;
}

export interface PageRequest {
  start: number;
  size: number;
}

export interface PageReply {
  offset?: number;
  /** The container's `size` attribute: how many entries the server put in this page. */
  size?: number;
  totalSize?: number;
  /** Entries actually decoded (used when the server omits `size`). */
  itemCount: number;
  /** The page holds exactly the same entries as the previous, non-empty page. */
  repeatsPrevious?: boolean;
}

export type PageStep =
  | { kind: 'next'; offset: number; nextStart: number }
  | { kind: 'done'; offset: number }
  | { kind: 'stalled'; offset: number; reason: string };

/**
 * What to do after a page came back: request `nextStart`, stop, or give up because the server is not
 * advancing (it ignores `X-Plex-Container-Start` and would otherwise be asked for the same page forever).
 */
export function nextPageStep(request: PageRequest, reply: PageReply): PageStep {
  const offset = reply.offset ?? request.start;
  const count = reply.size ?? reply.itemCount;
  if (count === 0) return { kind: 'done', offset };
  if (offset < request.start || reply.repeatsPrevious === true) {
    return {
      kind: 'stalled',
      offset,
      reason: `asked for entries from ${request.start} but the server returned ${reply.repeatsPrevious === true ? 'the previous page again' : `entries from ${offset}`} (it ignores X-Plex-Container-Start)`,
    };
  }
  const nextStart = offset + count;
  if (reply.totalSize !== undefined) {
    // A short page is not the end while the total says more is left.
    return nextStart >= reply.totalSize ? { kind: 'done', offset } : { kind: 'next', offset, nextStart };
  }
  // No totalSize. Without an offset either, the server did not page at all: this was the whole listing.
  if (reply.offset === undefined) return { kind: 'done', offset };
  return count < request.size ? { kind: 'done', offset } : { kind: 'next', offset, nextStart };
}

/** The page size to send: an integer within 1…MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE when unset. */
export function clampPageSize(pageSize: number | undefined): number {
  if (pageSize === undefined || !Number.isFinite(pageSize)) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(pageSize)));
}

export type FetchPage<I = PlexItem> = (start: number, size: number, signal: AbortSignal) => Promise<PlexContainer<I>>;

export interface PageThroughOptions {
  pageSize?: number;
  /** Where the listing starts (default 0): a listing resumed after a range the server could not serve. */
  startAt?: number;
  signal?: AbortSignal;
  /** Builds the error thrown when the server does not advance (the client's PlexBadResponseError). */
  stalled: (reason: string) => Error;
  /** Items the listing may bring beyond the total its first page announced; default listingLimit's. */
  maxGrowth?: number;
  /** Builds the error thrown when the listing passes that limit (the client's PlexListingTooLongError). */
  tooLong?: (limitItems: number, announced: number | null) => Error;
}

/** Without an announced total, no listing may bring more than this (no real library comes near). */
export const UNANNOUNCED_LISTING_LIMIT = 5_000_000;

/**
 * How many items a listing may bring in all: what its first page announced, plus `maxGrowth` (default: the
 * announced total again plus 10,000, far beyond what a library gains during one sync).
 */
export function listingLimit(announced: number | null, maxGrowth?: number): number {
  if (announced === null) return UNANNOUNCED_LISTING_LIMIT;
  return announced + (maxGrowth ?? announced + 10_000);
}

interface InFlight<I> {
  start: number;
  controller: AbortController;
  promise: Promise<PlexContainer<I>>;
}

/**
 * Pages through a listing, two requests ahead: pages n+1 and n+2 are requested before page n is yielded (n+2 on
 * the guess that it starts a page further on, see askAhead). When the consumer stops early (break/return/throw) or
 * the signal aborts, the requests ahead are cancelled and their rejections swallowed, so they never surface as
 * unhandled rejections.
 */
export async function* pageThrough<I extends { ratingKey: string }>(
  fetchPage: FetchPage<I>,
  options: PageThroughOptions,
): AsyncGenerator<PlexPage<I>, void, undefined> {
  const size = clampPageSize(options.pageSize);
  const start = (from: number): InFlight<I> => {
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([controller.signal, options.signal]) : controller.signal;
    const promise = fetchPage(from, size, signal);
    // Mark handled now: it may reject while the consumer is busy and nobody awaits it yet.
    promise.catch(() => undefined);
    return { start: from, controller, promise };
  };

  // Pages asked for and not yet consumed, in listing order: the next one, and a guess at the one after it.
  const ahead: InFlight<I>[] = [start(Math.max(0, Math.floor(options.startAt ?? 0)))];
  let firstTotalSize: number | null | undefined;
  let totalSizeChanged = false;
  let previousKeys: string | undefined;
  let received = 0;
  try {
    for (let current = ahead.shift(); current !== undefined; current = ahead.shift()) {
      const container = await current.promise;
      const keys = container.items.map((item) => item.ratingKey).join(',');
      const step = nextPageStep(
        { start: current.start, size },
        {
          ...(container.offset !== undefined ? { offset: container.offset } : {}),
          ...(container.size !== undefined ? { size: container.size } : {}),
          ...(container.totalSize !== undefined ? { totalSize: container.totalSize } : {}),
          itemCount: container.entries,
          repeatsPrevious: keys.length > 0 && keys === previousKeys,
        },
      );
      if (step.kind === 'stalled') throw options.stalled(step.reason);
      previousKeys = keys;

      const totalSize = container.totalSize ?? null;
      if (firstTotalSize === undefined) firstTotalSize = totalSize;
      else if (totalSize !== firstTotalSize) totalSizeChanged = true;
      received += container.entries;
      const limit = listingLimit(firstTotalSize, options.maxGrowth);
      if (received > limit) {
        throw options.tooLong?.(limit, firstTotalSize) ?? new RangeError(`the listing went past ${limit} items`);
      }

      if (step.kind === 'next') askAhead(ahead, step.nextStart, container.entries === size ? totalSize : null, size, start);
      else abortAll(ahead);
      yield { items: container.items, entries: container.entries, offset: step.offset, totalSize, totalSizeChanged, container };
    }
  } finally {
    abortAll(ahead);
  }
}

/**
 * Keeps the next page (at `nextStart`) in flight, and the one after it when the server filled this page and more
 * is left (`total`): that one starts `size` further on. The server then works on page n+2 while page n is written,
 * so a slow page (a pause of the server's) delays the listing less. A guess the reply proves wrong (the listing
 * moved, the server sent fewer) is cancelled and the right page asked for.
 */
function askAhead<I>(
  ahead: InFlight<I>[],
  nextStart: number,
  total: number | null,
  size: number,
  start: (from: number) => InFlight<I>,
): void {
  if (ahead[0]?.start !== nextStart) {
    abortAll(ahead);
    ahead.push(start(nextStart));
  }
  const after = nextStart + size;
  if (ahead.length < 2 && total !== null && after < total) ahead.push(start(after));
}

function abortAll<I>(ahead: InFlight<I>[]): void {
  for (const page of ahead.splice(0)) page.controller.abort();
}
