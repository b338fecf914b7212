// Reads one Plex listing to its end, page by page, handing each page over as it arrives. Two kinds of page
// failure are met by asking for less:
// - Big pages too slow or too heavy for the server (timeouts, 500s on a 1000-item episode page): the page is
//   asked again at half the size, down to MIN_SHRUNK_PAGE_SIZE, and the client keeps the smaller size for the
//   rest of this server's run. Above that floor a failing page is not retried at its own size.
// - A page that still answers 5xx at the floor (one corrupt row fails the whole page on real servers) is
//   asked again in smaller ranges, so that only the broken rows are missed, and they are named.
import { MIN_SHRUNK_PAGE_SIZE, type PlexClient } from '../plex/client.js';
import { PlexHttpError, PlexTimeoutError } from '../plex/errors.js';
import type { ItemDecoder } from '../plex/decode.js';

export type ListingQuery = Record<string, string | number>;

export interface ListingRequest<I extends { ratingKey: string }> {
  path: string;
  query: ListingQuery;
  pageSize: number;
  signal?: AbortSignal;
  /** Decodes each listed item (the sync: straight into a catalog record); null leaves it out. */
  items: ItemDecoder<I>;
  /**
   * Called once per page, in listing order, and once per range re-asked after a failure (as recovered); `total`
   * is the listing's size as last reported, `entries` how many items the page held (`items` are those decoded).
   */
  onItems: (items: readonly I[], total: number | null, entries: number) => Promise<void>;
}

export interface ListingOutcome {
  received: number;
  /** The listing's size as the server last reported it (0 when it never did). */
  total: number;
  /** The reported size moved while paging: items may have been skipped. */
  shifted: boolean;
  /** Positions the server failed to serve even one row at a time. */
  unlisted: number[];
}

export async function readListing<I extends { ratingKey: string }>(
  client: PlexClient,
  request: ListingRequest<I>,
): Promise<ListingOutcome> {
  const reader = new ListingReader(client, request);
  return reader.read();
}

class ListingReader<I extends { ratingKey: string }> {
  private readonly outcome: ListingOutcome = { received: 0, total: 0, shifted: false, unlisted: [] };

  constructor(
    private readonly client: PlexClient,
    private readonly request: ListingRequest<I>,
  ) {}

  async read(): Promise<ListingOutcome> {
    const { path, query, signal, items } = this.request;
    let next = 0;
    for (;;) {
      const pageSize = this.client.pageSizeFor(this.request.pageSize);
      const shrinkable = pageSize > MIN_SHRUNK_PAGE_SIZE;
      try {
        for await (const page of this.client.pages(path, query, {
          pageSize,
          startAt: next,
          shrinkable,
          items,
          ...(signal ? { signal } : {}),
        })) {
          signal?.throwIfAborted();
          this.outcome.shifted ||= page.totalSizeChanged;
          await this.accept(page.items, page.entries, page.totalSize);
          next = page.offset + page.entries;
        }
        return this.outcome;
      } catch (error) {
        if (shrinkable && isSlowPage(error)) {
          this.shrink(pageSize, error);
          continue;
        }
        if (!isServerFailure(error)) throw error;
        if (!(await this.isolate(next, pageSize))) throw error;
        next += pageSize;
        if (next >= this.outcome.total) return this.outcome;
      }
    }
  }

  /** Halves the client's page size and says so, as a retry of the listing ("attempt 2 of 5"). */
  private shrink(failedSize: number, error: PlexTimeoutError | PlexHttpError): void {
    const smaller = this.client.shrinkPageSize(failedSize);
    const steps = halvingSteps(this.request.pageSize);
    const why = error instanceof PlexTimeoutError ? 'timed out' : `answered ${error.status}`;
    this.client.announceRetry({
      path: this.request.path,
      attempt: 1 + steps - halvingSteps(smaller),
      maxAttempts: steps + 1,
      reason: `a page of ${failedSize} items ${why}; asking for ${smaller} at a time`,
      retryInMs: 0,
    });
  }

  /**
   * Asks [start, start + size) again in ranges of a tenth, without retries, then the failing ranges in tenths,
   * down to single rows: one corrupt row costs about thirty requests. False when not one range could be
   * served: then the server is failing as a whole, not on a row.
   */
  private async isolate(start: number, size: number): Promise<boolean> {
    const { path, query, signal, items } = this.request;
    const step = Math.max(1, Math.ceil(size / 10));
    const failed: { from: number; length: number }[] = [];
    let served = false;
    for (let from = start; from < start + size; from += step) {
      const length = Math.min(step, start + size - from);
      try {
        const container = await this.client.container(
          path,
          query,
          { start: from, size: length },
          { retries: 0, items, ...(signal ? { signal } : {}) },
        );
        await this.accept(container.items, container.entries, container.totalSize ?? null);
        served = true;
        if (container.entries < length) break;
      } catch (error) {
        if (!isServerFailure(error)) throw error;
        failed.push({ from, length });
      }
    }
    if (!served) return false;
    for (const range of failed) {
      if (range.length > 1 && (await this.isolate(range.from, range.length))) continue;
      const end = Math.min(range.from + range.length, this.outcome.total || Number.POSITIVE_INFINITY);
      for (let position = range.from; position < end; position += 1) this.outcome.unlisted.push(position);
    }
    return true;
  }

  /** `entries`: what the page held, `items` what the decoder kept of it. */
  private async accept(items: readonly I[], entries: number, total: number | null): Promise<void> {
    this.outcome.total = total ?? this.outcome.total;
    this.outcome.received += entries;
    await this.request.onItems(items, total, entries);
  }
}

/** How many times a page of `size` can be halved before it reaches the floor. */
function halvingSteps(size: number): number {
  let steps = 0;
  for (let current = size; current > MIN_SHRUNK_PAGE_SIZE; current = Math.max(MIN_SHRUNK_PAGE_SIZE, Math.floor(current / 2))) steps += 1;
  return steps;
}

/** What a smaller page may cure: the page timed out or the server failed on it. */
function isSlowPage(error: unknown): error is PlexTimeoutError | PlexHttpError {
  return error instanceof PlexTimeoutError || isServerFailure(error);
}

/** A 5xx that retries did not cure: on a listing, typically one corrupt row failing its whole page. */
function isServerFailure(error: unknown): error is PlexHttpError {
  return error instanceof PlexHttpError && error.status !== undefined && error.status >= 500;
}

/** "the row at position 412" / "3 rows (positions 12, 13, 900)". */
export function describePositions(positions: readonly number[]): string {
  if (positions.length === 1) return `the row at position ${positions[0]}`;
  const shown = positions.slice(0, 10).join(', ');
  return `${positions.length} rows (positions ${shown}${positions.length > 10 ? ', …' : ''})`;
}
