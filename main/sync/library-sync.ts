// Syncs one Plex library section into the catalog: section-wide paged listings, one transaction per page,
// removals only after complete listings, and incremental passes that ask Plex only for what changed.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ItemKind, KindCounts, LibrarySyncReport } from '../../shared/domain.js';
import type { ResolvedPath } from '../../shared/path-mapping.js';
import { LibraryItemIndex, type KeyedItem } from '../catalog/item-index.js';
import type { Catalog } from '../catalog/database.js';
import { ItemWriter, removeCatalogItems, type PageChanges } from '../catalog/item-writer.js';
import { type KindHierarchy, MUSIC_HIERARCHY, SHOW_HIERARCHY } from '../catalog/item-input.js';
import type { CatalogItemInput } from '../catalog/item-input.js';
import type { PlexClient } from '../plex/client.js';
import { PLEX_TYPE_NUMBER, type PlexItem } from '../plex/model.js';
import {
  MAX_PATH_LENGTH,
  MAX_TITLE_LENGTH,
  newestTimestamp,
  toCatalogItem,
  withSeasonNumber,
  type ItemDefects,
  type ItemRecord,
} from './catalog-item.js';
import { SyncError } from './errors.js';
import { describePositions, readListing, type ListingQuery } from './listing-reader.js';
import { listingRecord } from './listing-record.js';
import { planPage } from './page-planner.js';
import type { PageWriterThread, WrittenPage } from './page-writer-thread.js';
import { capWatermark, changeCutoff, checkRemoval, filterWasIgnored, membershipMayHaveChanged, shouldRelistWholeSection } from './plan.js';
import { ChangeTally, describeRecord, totalOf, zeroKindCounts } from './report.js';

/**
 * How a hierarchical section is synced: shows → seasons → episodes, or artists → albums → tracks (music and
 * audiobooks). The same listings, incremental rules and removals serve both; only the kinds differ, and which
 * parent level an incremental pass asks for besides the leaves (with the leaves' count, 3 requests per library).
 */
export interface SyncHierarchy extends KindHierarchy {
  /**
   * TV: changed shows (seasons come with their episodes). Music: changed albums, because an album is what carries
   * an audiobook's ASIN and year; artists come with their albums and tracks (grandparentTitle, parentTitle).
   */
  changedParent: 'show' | 'album';
}

const SHOW_SYNC: SyncHierarchy = { ...SHOW_HIERARCHY, changedParent: 'show' };
const MUSIC_SYNC: SyncHierarchy = { ...MUSIC_HIERARCHY, changedParent: 'album' };

/** The hierarchy of a section type; movies (and anything unknown) have none. */
export function syncHierarchyOf(sectionType: string): SyncHierarchy | undefined {
  if (sectionType === 'show') return SHOW_SYNC;
  if (sectionType === 'artist') return MUSIC_SYNC;
  return undefined;
}

/** Shown once per library when Plex sent items without their files (python-plexapi and PlexKodiConnect see the same). */
export const PATHS_WITHHELD_NOTE = "Plex did not share file paths with this account (use the server owner's token)";

/**
 * Always sent with listings and counts, as python-plexapi and Home Assistant do: otherwise a collection set to
 * "hide items in this collection" stands in for its movies, which then seem gone.
 */
const WITHOUT_COLLECTIONS = { includeCollections: 0 } as const;

export interface LibrarySyncInput {
  client: PlexClient;
  catalog: Catalog;
  serverId: number;
  library: { id: number; sectionKey: string; title: string; type: string };
  /** The section as Plex listed it at the start of this sync. */
  currentContentChangedAt: string | undefined;
  state: { watermark: number | null; contentChangedAt: string | null };
  mode: 'full' | 'incremental';
  resolvePath: (plexPath: string) => ResolvedPath;
  pageSize: number;
  maxRemovalShare: number;
  signal?: AbortSignal;
  now: () => number;
  /** Before each page is written, outside any transaction: a catalog edit may run here (see SyncRequest). */
  safePoint?: () => Promise<void>;
  /** After each page is written: how many items of the listing (phase) are done, of how many. */
  onItemsWritten: (phase: string, done: number, total: number) => void;
  /**
   * The sync's writer thread, when it has one: a full pass then writes its pages there, overlapped with reading
   * and decoding the next page. Incremental passes write the few pages they have on this thread.
   */
  writerThread?: PageWriterThread;
}

/** Where a library sync's pages are written: this thread's ItemWriter, or the writer thread. */
interface PageSink {
  /** Writes return before the page is written: the caller keeps one page in flight. */
  readonly concurrent: boolean;
  write(items: CatalogItemInput[], room: PageChanges['room'], now: number): Promise<WrittenPage>;
}

export interface LibrarySyncResult {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  /**
   * Highest Plex timestamp imported (an incremental pass never lowers it, a full pass recomputes it), never ahead
   * of the server's own clock: a future-dated item must not hide later edits.
   */
  watermark: number | null;
  /** The same changes by kind, and the first of them by name. */
  counts: LibrarySyncReport['counts'];
  changes: LibrarySyncReport['changes'];
  notes: string[];
  /** Defects of the data (see LibrarySyncReport.warnings). */
  warnings: string[];
  /** Set when the removal guard refused this pass's removals: the library counts as failed. */
  removalRefused?: string;
  /** Rows the server could not list (the rest was imported): the library counts as failed. */
  listingFailures: string[];
}

interface Listing {
  complete: boolean;
  seen: Set<string>;
  /** Shows (artists) this listing brought, with what the narrowing needs. */
  shows: Map<string, { leafCount: number | null; title: string }>;
  total: number;
  /** Records of each kind it brought (a show's /children lists episodes when its seasons are hidden). */
  kinds: KindCounts;
  /** Only records of this kind are written; others are counted in `kinds` and skipped. */
  onlyKind?: ItemKind;
}

/** What items lacked or had cut, over the whole pass: reported once per library, not once per item. */
interface DefectTally {
  pathsWithheld: number;
  titlesTruncated: number;
  pathsRefused: number;
  implausibleDates: number;
}

export class LibrarySync {
  private readonly writer: ItemWriter;
  private readonly index: LibraryItemIndex;
  private readonly result: LibrarySyncResult;
  private readonly removals = new Map<ItemKind, Set<number>>();
  private readonly tally = new ChangeTally();
  private readonly defects: DefectTally = { pathsWithheld: 0, titlesTruncated: 0, pathsRefused: 0, implausibleDates: 0 };
  /** Season numbers by season rating key, from season listings: episodes under hidden seasons lack theirs. */
  private readonly seasonNumbers = new Map<string, number | null>();
  /** Hidden seasons known neither to this pass nor to the catalog, asked for by key before their episodes are written. */
  private readonly seasonsToFetch = new Set<string>();
  private readonly seasonsFetched = new Set<string>();
  private readonly sink: PageSink;
  /** The page handed to the writer thread and not yet written, with what follows its commit. */
  private inFlight: Promise<void> | undefined;

  constructor(private readonly input: LibrarySyncInput) {
    this.writer = new ItemWriter(input.catalog, {
      serverId: input.serverId,
      libraryId: input.library.id,
      resolvePath: input.resolvePath,
      now: input.now,
      planPage,
    });
    this.sink = this.chooseSink();
    this.index = new LibraryItemIndex(input.catalog, input.library.id);
    this.result = {
      added: 0,
      updated: 0,
      unchanged: 0,
      removed: 0,
      // A full pass sees every item: it recomputes the watermark, so one bad stamp of the past cannot stay.
      watermark: input.mode === 'full' ? null : input.state.watermark,
      counts: this.tally.counts,
      changes: this.tally.changes,
      notes: [],
      warnings: [],
      listingFailures: [],
    };
  }

  async run(): Promise<LibrarySyncResult> {
    await this.listAll();
    this.applyRemovals();
    if (this.input.mode === 'incremental') {
      // Everything the pass did not add, update or remove is, by the change signals, unchanged.
      this.result.unchanged = Math.max(0, this.index.countAll() - this.result.added - this.result.updated);
    }
    this.result.watermark = capWatermark(this.result.watermark ?? this.input.state.watermark, this.serverNow());
    return this.committed();
  }

  /**
   * What this pass has committed so far, with its notes: after a cancel or a failure the report still counts
   * every page that was written.
   */
  committed(): LibrarySyncResult {
    this.tally.settle();
    this.result.warnings.push(...this.defectWarnings());
    this.defects.pathsWithheld = this.defects.titlesTruncated = this.defects.pathsRefused = this.defects.implausibleDates = 0;
    return this.result;
  }

  /** The server's clock (its answers' Date header), else this computer's: the watermark never runs ahead of it. */
  private serverNow(): number {
    return this.input.client.lastServerDate ?? this.input.now();
  }

  private defectWarnings(): string[] {
    const notes: string[] = [];
    const d = this.defects;
    if (d.pathsWithheld > 0) notes.push(PATHS_WITHHELD_NOTE);
    if (d.titlesTruncated > 0)
      notes.push(`${d.titlesTruncated} title(s) longer than ${MAX_TITLE_LENGTH} characters were cut to ${MAX_TITLE_LENGTH}`);
    if (d.pathsRefused > 0) notes.push(`${d.pathsRefused} file path(s) longer than ${MAX_PATH_LENGTH} characters were not stored`);
    if (d.implausibleDates > 0) notes.push(`${d.implausibleDates} item(s) carried impossible dates, stored as unknown`);
    return notes;
  }

  /** Imports one show with its seasons and episodes (manual discovery), removing what its complete listing lacks. */
  async importShow(showRatingKey: string): Promise<LibrarySyncResult> {
    const [show] = await this.input.client.metadata([showRatingKey]);
    const record = show === undefined ? null : toCatalogItem(show);
    if (record === null || record.kind !== 'show') throw new SyncError('NOT_A_SHOW', `Item ${showRatingKey} is not a show`);
    await this.write([record]);
    await this.settleWrites();
    await this.relistShow(SHOW_SYNC, showRatingKey, record.title);
    this.applyRemovals();
    return this.committed();
  }

  private async listAll(): Promise<void> {
    // Show sections and anything that is not a movie or music section sync as shows, as they always did.
    const hierarchy = this.input.library.type === 'movie' ? undefined : (syncHierarchyOf(this.input.library.type) ?? SHOW_SYNC);
    if (this.input.mode === 'full') {
      if (hierarchy === undefined) await this.fullMovies();
      else await this.fullShows(hierarchy);
    } else if (hierarchy === undefined) {
      await this.incrementalMovies();
    } else {
      await this.incrementalShows(hierarchy);
    }
  }

  private sectionPath(): string {
    return `/library/sections/${encodeURIComponent(this.input.library.sectionKey)}/all`;
  }

  private listQuery(kind: ItemKind, extra: ListingQuery = {}): ListingQuery {
    return { type: PLEX_TYPE_NUMBER[kind], includeGuids: 1, sort: 'id', ...WITHOUT_COLLECTIONS, ...extra };
  }

  private changedQuery(kind: ItemKind, watermark: number): ListingQuery {
    // Show and music sections scope date filters by level (`episode.updatedAt>>=`, `track.updatedAt>>=`, as
    // python-plexapi's library.py prefixes filter fields with the libtype); movie sections take the plain field.
    const field = this.input.library.type === 'movie' ? 'updatedAt' : `${kind}.updatedAt`;
    return this.listQuery(kind, { [`${field}>>`]: changeCutoff(watermark) });
  }

  private async fullMovies(): Promise<void> {
    const movies = await this.listing('movies', this.sectionPath(), this.listQuery('movie'));
    this.removeUnseen('movie', movies, this.index.items('movie'));
  }

  private async fullShows(h: SyncHierarchy): Promise<void> {
    const shows = await this.listing(`${h.top}s`, this.sectionPath(), this.listQuery(h.top));
    const seasons = await this.listing(`${h.middle}s`, this.sectionPath(), this.listQuery(h.middle));
    const episodes = await this.listing(`${h.leaf}s`, this.sectionPath(), this.listQuery(h.leaf));
    this.removeUnseen(h.top, shows, this.index.items(h.top));
    this.removeUnseen(h.middle, seasons, this.index.items(h.middle));
    this.removeUnseen(h.leaf, episodes, this.index.items(h.leaf));
  }

  private async incrementalMovies(): Promise<void> {
    const watermark = this.input.state.watermark ?? 0;
    const changed = await this.listing('changed movies', this.sectionPath(), this.changedQuery('movie', watermark));
    // sort=id on a count too: without it a server may sort the whole section by title just to count it.
    const plexTotal = await this.input.client.count(this.sectionPath(), {
      type: PLEX_TYPE_NUMBER.movie,
      sort: 'id',
      ...WITHOUT_COLLECTIONS,
    });
    const catalogTotal = this.index.count('movie');
    if (changed.complete && filterWasIgnored(changed.total, plexTotal, catalogTotal)) {
      this.result.notes.push('the server ignored the "changed since" filter: used its answer as a complete listing');
      this.removeUnseen('movie', changed, this.index.items('movie'));
      return;
    }
    const why = membershipMayHaveChanged(this.signals(plexTotal, catalogTotal));
    if (why === null) return;
    this.result.notes.push(`listed all movies to find additions and removals: ${why}`);
    await this.fullMovies();
  }

  private async incrementalShows(h: SyncHierarchy): Promise<void> {
    const watermark = this.input.state.watermark ?? 0;
    await this.listing(`changed ${h.changedParent}s`, this.sectionPath(), this.changedQuery(h.changedParent, watermark));
    const changed = await this.listing(`changed ${h.leaf}s`, this.sectionPath(), this.changedQuery(h.leaf, watermark));
    const plexEpisodes = await this.input.client.count(this.sectionPath(), {
      type: PLEX_TYPE_NUMBER[h.leaf],
      sort: 'id',
      ...WITHOUT_COLLECTIONS,
    });
    const catalogEpisodes = this.index.count(h.leaf);
    const ignored = changed.complete && filterWasIgnored(changed.total, plexEpisodes, catalogEpisodes);
    if (ignored) this.result.notes.push('the server ignored the "changed since" filter: used its answer as a complete listing');
    const why = ignored ? 'filter ignored' : membershipMayHaveChanged(this.signals(plexEpisodes, catalogEpisodes));
    if (why === null) return;
    if (!ignored) this.result.notes.push(`checked ${h.top}s for added or removed ${h.leaf}s: ${why}`);
    await this.narrowShows(h, plexEpisodes);
  }

  /**
   * Finds added and removed episodes (tracks) by listing shows (artists) only, then re-listing those whose counts
   * differ. Artists usually come without leafCount (python-plexapi's Artist has none): then the whole section is
   * listed, which is what a count that cannot be compared calls for.
   */
  private async narrowShows(h: SyncHierarchy, plexEpisodes: number): Promise<void> {
    const shows = await this.listing(`${h.top}s`, this.sectionPath(), this.listQuery(h.top));
    this.removeUnseen(h.top, shows, this.index.items(h.top));
    const catalogCounts = this.index.episodeCountsByShow(h);
    const differing: { ratingKey: string; title: string }[] = [];
    for (const [ratingKey, show] of shows.shows) {
      const catalogued = catalogCounts.get(ratingKey)?.episodes ?? 0;
      if (show.leafCount === null || show.leafCount !== catalogued) differing.push({ ratingKey, title: show.title });
    }
    if (differing.length === 0) return;
    if (!shows.complete || shouldRelistWholeSection(differing.length, shows.total, this.input.pageSize, plexEpisodes)) {
      this.result.notes.push(`${differing.length} ${h.top}s changed ${h.leaf} counts: listed the whole section`);
      const seasons = await this.listing(`${h.middle}s`, this.sectionPath(), this.listQuery(h.middle));
      const episodes = await this.listing(`${h.leaf}s`, this.sectionPath(), this.listQuery(h.leaf));
      this.removeUnseen(h.middle, seasons, this.index.items(h.middle));
      this.removeUnseen(h.leaf, episodes, this.index.items(h.leaf));
      return;
    }
    this.result.notes.push(`re-listed ${differing.length} ${h.top}(s) whose ${h.leaf} count changed`);
    for (const show of differing) await this.relistShow(h, show.ratingKey, show.title);
  }

  /** A show's seasons and episodes (an artist's albums and tracks: Plex serves /children and /allLeaves for both). */
  private async relistShow(h: SyncHierarchy, showRatingKey: string, title: string): Promise<void> {
    const base = `/library/metadata/${encodeURIComponent(showRatingKey)}`;
    const seasons = await this.listing(
      `${h.middle}s of ${title}`,
      `${base}/children`,
      { excludeAllLeaves: 1, includeGuids: 1 },
      showRatingKey,
      h.middle,
    );
    const episodes = await this.listing(`${h.leaf}s of ${title}`, `${base}/allLeaves`, { includeGuids: 1 }, showRatingKey);
    const showId = this.index.idByRatingKey(this.input.serverId, showRatingKey);
    if (showId === undefined) return;
    // With hidden seasons the show's /children lists its episodes: that says nothing about its seasons.
    if (seasons.kinds[h.middle] > 0 || seasons.kinds[h.leaf] === 0)
      this.removeUnseen(h.middle, seasons, this.index.childrenOfShow(showId, h.middle));
    this.removeUnseen(h.leaf, episodes, this.index.childrenOfShow(showId, h.leaf));
  }

  /**
   * Episodes under a hidden season that neither this pass nor the catalog knows (a new single-season show found
   * by an incremental pass): their seasons are asked for by key, one request, and written with the page.
   */
  private async withFetchedSeasons(records: ItemRecord[], showRatingKey: string | undefined): Promise<ItemRecord[]> {
    const keys = [...this.seasonsToFetch];
    this.seasonsToFetch.clear();
    for (const key of keys) this.seasonsFetched.add(key);
    const listing: Listing = { complete: false, seen: new Set(), shows: new Map(), total: 0, kinds: zeroKindCounts(), onlyKind: 'season' };
    const seasons = this.collect(listing, recordsOf(await this.input.client.metadata(keys)), showRatingKey);
    const episodes = records.map((record) => {
      if (record.kind !== 'episode' || record.seasonNumber !== null || record.seasonRatingKey === null) return record;
      const seasonNumber = this.seasonNumbers.get(record.seasonRatingKey);
      return seasonNumber === undefined || seasonNumber === null ? record : withSeasonNumber(record, seasonNumber);
    });
    return [...seasons, ...episodes];
  }

  /**
   * Reads one listing, writing each page as it arrives; `showRatingKey` fills parents a show's own listings
   * omit. Rows the server cannot serve fail the library; a listing that missed rows or moved while paging
   * never removes anything.
   */
  private async listing(phase: string, path: string, query: ListingQuery, showRatingKey?: string, onlyKind?: ItemKind): Promise<Listing> {
    const listing: Listing = { complete: false, seen: new Set(), shows: new Map(), total: 0, kinds: zeroKindCounts() };
    if (onlyKind !== undefined) listing.onlyKind = onlyKind;
    let received = 0;
    let outcome;
    try {
      outcome = await readListing(this.input.client, {
        path,
        query,
        pageSize: this.input.pageSize,
        ...this.signalOption(),
        items: listingRecord,
        onItems: async (listed, total, entries) => {
          listing.total = total ?? listing.total;
          received += entries;
          const done = received;
          let records = this.collect(listing, listed, showRatingKey);
          if (this.seasonsToFetch.size > 0) records = await this.withFetchedSeasons(records, showRatingKey);
          // Let the prefetched request for the next page leave before this thread blocks on SQLite.
          if (!this.sink.concurrent) await yieldToEventLoop();
          if (this.input.safePoint !== undefined) {
            // An edit may run here: with a writer thread, the page in flight ends first (mappings re-read after).
            if (this.sink.concurrent) await this.settleWrites();
            await this.input.safePoint();
          }
          await this.write(records, () => this.input.onItemsWritten(phase, done, Math.max(listing.total, done)));
        },
      });
    } catch (error) {
      // The page in flight ends (written or rolled back) before the failure goes on: the report counts it.
      await this.settleWrites().catch(() => undefined);
      throw error;
    }
    // Everything after a listing (removals, counts, the next listing's lookups) reads what it wrote.
    await this.settleWrites();
    listing.complete = !outcome.shifted && outcome.unlisted.length === 0 && outcome.received >= outcome.total;
    if (outcome.unlisted.length > 0) {
      this.result.listingFailures.push(
        `${phase}: the server failed to list ${describePositions(outcome.unlisted)}; everything else was imported, nothing removed`,
      );
    } else if (!listing.complete) {
      this.result.notes.push(`${phase}: the listing changed while paging; nothing removed from it`);
    }
    return listing;
  }

  /** The records of a page to write, noting what the listing saw. Entries the catalog does not keep (a collection) never get here. */
  private collect(listing: Listing, listed: readonly ItemRecord[], showRatingKey: string | undefined): ItemRecord[] {
    const records: ItemRecord[] = [];
    for (let record of listed) {
      listing.kinds[record.kind] += 1;
      if (listing.onlyKind !== undefined && record.kind !== listing.onlyKind) {
        // Not what this listing asked for (a hidden season's episodes): the episode listing brings them.
        continue;
      }
      listing.seen.add(record.ratingKey);
      if (record.kind === 'show' || record.kind === 'artist')
        listing.shows.set(record.ratingKey, { leafCount: record.leafCount, title: record.title });
      else if (record.kind === 'season') this.seasonNumbers.set(record.ratingKey, record.seasonNumber);
      else if (record.kind === 'episode' && record.seasonNumber === null && record.seasonRatingKey !== null)
        record = this.withKnownSeason(record);
      if (showRatingKey !== undefined && record.showRatingKey === null) record.showRatingKey = showRatingKey;
      if (record.defects !== undefined) this.countDefects(record.defects);
      records.push(record);
    }
    return records;
  }

  /** An episode under a hidden season has no parentIndex: its season's own listing (or the catalog) has it. */
  private withKnownSeason(record: ItemRecord): ItemRecord {
    const seasonKey = record.seasonRatingKey;
    if (seasonKey === null) return record;
    let seasonNumber = this.seasonNumbers.get(seasonKey);
    if (seasonNumber === undefined) {
      seasonNumber = this.index.seasonNumber(this.input.serverId, seasonKey);
      this.seasonNumbers.set(seasonKey, seasonNumber);
    }
    if (seasonNumber === null && !this.seasonsFetched.has(seasonKey)) this.seasonsToFetch.add(seasonKey);
    return seasonNumber === null ? record : withSeasonNumber(record, seasonNumber);
  }

  private countDefects(defects: ItemDefects): void {
    if (defects.pathsWithheld === true) this.defects.pathsWithheld += 1;
    if (defects.titleTruncated === true) this.defects.titlesTruncated += 1;
    if (defects.implausibleDates === true) this.defects.implausibleDates += 1;
    this.defects.pathsRefused += defects.pathsRefused ?? 0;
  }

  private signalOption(): { signal?: AbortSignal } {
    return this.input.signal ? { signal: this.input.signal } : {};
  }

  /** The writer thread for a full pass when the sync has one; this thread's ItemWriter otherwise. */
  private chooseSink(): PageSink {
    const thread = this.input.writerThread;
    if (thread !== undefined && this.input.mode === 'full') {
      thread.startLibrary(this.input.serverId, this.input.library.id);
      return { concurrent: true, write: (items, room, now) => thread.write(items, room, now) };
    }
    return {
      concurrent: false,
      write: (items, room) => {
        try {
          const changes: PageChanges = { added: zeroKindCounts(), updated: zeroKindCounts(), room, named: [] };
          const counts = this.writer.writePage(items, changes);
          return Promise.resolve({ counts, changes });
        } catch (error) {
          return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
      },
    };
  }

  /**
   * Hands a page to the writer, after the page before it is written (at most one page in flight: a failed page
   * stops the listing before anything after it is written). With the writer thread it returns at once, and
   * the page's counts (and `written`, the progress) follow its commit; on this thread it returns once written.
   */
  private async write(records: ItemRecord[], written?: () => void): Promise<void> {
    await this.settleWrites();
    if (records.length === 0) {
      written?.();
      return;
    }
    const room = { added: this.tally.room('added'), updated: this.tally.room('updated') };
    const page = this.sink.write(records, room, this.input.now()).then((result) => {
      this.countWritten(records, result);
      written?.();
    });
    // Handled now (the failure surfaces from settleWrites): the thread may be busy decoding when it comes.
    page.catch(() => undefined);
    this.inFlight = page;
    if (!this.sink.concurrent) await this.settleWrites();
  }

  /** Waits for the page in flight; throws its failure (PageWriteError: rolled back, earlier pages kept). */
  private async settleWrites(): Promise<void> {
    const page = this.inFlight;
    this.inFlight = undefined;
    if (page !== undefined) await page;
  }

  /** Counted only once the page is committed: a page that failed was rolled back. */
  private countWritten(records: readonly ItemRecord[], { counts, changes }: WrittenPage): void {
    this.tally.count('added', changes.added);
    this.tally.count('updated', changes.updated);
    for (const { change, item } of changes.named) this.tally.name(change, describeRecord(item));
    this.result.added += counts.added;
    this.result.updated += counts.updated;
    this.result.unchanged += counts.unchanged;
    for (const record of records) {
      const stamp = newestTimestamp(record);
      if (stamp !== null && (this.result.watermark === null || stamp > this.result.watermark)) this.result.watermark = stamp;
    }
  }

  private removeUnseen(kind: ItemKind, listing: Listing, catalogued: readonly KeyedItem[]): void {
    if (!listing.complete) return;
    const pending = this.removals.get(kind) ?? new Set<number>();
    for (const item of catalogued) if (!listing.seen.has(item.ratingKey)) pending.add(item.id);
    this.removals.set(kind, pending);
  }

  private applyRemovals(): void {
    const ids: number[] = [];
    for (const [kind, pending] of this.removals) {
      if (pending.size === 0) continue;
      const check = checkRemoval(pending.size, this.index.count(kind), this.input.maxRemovalShare);
      if (!check.allowed) {
        this.result.removalRefused = `${kind}s: ${check.reason ?? 'removal refused'}`;
        return;
      }
      ids.push(...pending);
    }
    if (ids.length === 0) return;
    const before = this.index.countsByKind();
    const named = this.index.describe(ids.slice(0, this.tally.room('removed')));
    removeCatalogItems(this.input.catalog, ids);
    const after = this.index.countsByKind();
    // A removed show takes its seasons and episodes along: count what actually went, by kind.
    const removed = zeroKindCounts();
    for (const kind of Object.keys(removed) as ItemKind[]) removed[kind] = before[kind] - after[kind];
    this.tally.count('removed', removed);
    for (const item of named) this.tally.name('removed', item);
    this.result.removed += totalOf(removed);
  }

  private signals(plexTotal: number, catalogTotal: number) {
    return {
      storedContentChangedAt: this.input.state.contentChangedAt,
      currentContentChangedAt: this.input.currentContentChangedAt,
      plexTotal,
      catalogTotal,
    };
  }
}

/** Records of items fetched by key (PlexItems), those the catalog keeps. */
function recordsOf(items: readonly PlexItem[]): ItemRecord[] {
  const records: ItemRecord[] = [];
  for (const item of items) {
    const record = toCatalogItem(item);
    if (record !== null) records.push(record);
  }
  return records;
}
