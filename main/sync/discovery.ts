// Manual discovery: find a show by title (and year) on one server and import just that show.
import type { DiscoveryCandidate, LibrarySyncReport, SyncProgress } from '../../shared/domain.js';
import { externalIdsFor } from '../../shared/guid.js';
import { LibraryItemIndex } from '../catalog/item-index.js';
import { listLibraries, upsertSections } from '../catalog/libraries.js';
import { mappingResolverFor } from '../catalog/mappings.js';
import { requireServer } from '../catalog/servers.js';
import { PLEX_TYPE_NUMBER, type PlexItem } from '../plex/model.js';
import { MAX_PAGE_SIZE } from '../plex/paging.js';
import { describeError, errorCodeOf, isAbort, ROWS_UNLISTED, SyncError } from './errors.js';
import { LibrarySync } from './library-sync.js';
import { connectToServer, type ConnectionDeps } from './plex-connection.js';
import { copyResult, newLibraryReport } from './report.js';

export interface DiscoveryQuery {
  server: string;
  title: string;
  year?: number;
}

const MAX_CANDIDATES_PER_LIBRARY = 50;

/** Shows whose title contains the text (and of that year), across the server's show libraries. */
export async function discoverShows(deps: ConnectionDeps, query: DiscoveryQuery): Promise<DiscoveryCandidate[]> {
  const title = query.title.trim();
  if (title === '') throw new SyncError('SEARCH_TEXT_EMPTY', 'Type part of a show title to search for.');
  const server = requireServer(deps.catalog, query.server);
  const client = connectToServer(deps, server);
  try {
    const sections = (await client.sections()).filter((section) => section.type === 'show');
    const candidates: DiscoveryCandidate[] = [];
    for (const section of sections) {
      const filter: Record<string, string | number> = { type: PLEX_TYPE_NUMBER.show, includeGuids: 1, title };
      if (query.year !== undefined) filter.year = query.year;
      const container = await client.container(`/library/sections/${encodeURIComponent(section.key)}/all`, filter, {
        start: 0,
        size: MAX_CANDIDATES_PER_LIBRARY,
      });
      for (const item of container.items) {
        if (item.type !== 'show') continue;
        candidates.push(toCandidate(deps, server.id, server.name, item, section.title, section.key));
      }
    }
    return rankCandidates(candidates, title, query.year);
  } finally {
    client.close();
  }
}

function toCandidate(
  deps: ConnectionDeps,
  serverId: number,
  serverName: string,
  item: PlexItem,
  libraryTitle: string,
  sectionKey: string,
): DiscoveryCandidate {
  return {
    serverName,
    ratingKey: item.ratingKey,
    title: item.title,
    year: item.year ?? null,
    libraryTitle,
    sectionKey,
    externalIds: externalIdsFor('show', item.guid, item.guids),
    episodeCount: item.leafCount ?? null,
    seasonCount: item.childCount ?? null,
    inCatalog: LibraryItemIndex.has(deps.catalog, serverId, item.ratingKey),
  };
}

/** Exact titles first, then titles that start with the text, then the rest; ties by year, then title. */
export function rankCandidates(candidates: DiscoveryCandidate[], title: string, year?: number): DiscoveryCandidate[] {
  const wanted = title.toLocaleLowerCase();
  const rank = (candidate: DiscoveryCandidate) => {
    const name = candidate.title.toLocaleLowerCase();
    const titleRank = name === wanted ? 0 : name.startsWith(wanted) ? 1 : 2;
    const yearRank = year === undefined || candidate.year === year ? 0 : 1;
    return titleRank * 2 + yearRank;
  };
  return [...candidates].sort(
    (a, b) =>
      rank(a) - rank(b) || (a.year ?? 0) - (b.year ?? 0) || a.title.localeCompare(b.title) || a.libraryTitle.localeCompare(b.libraryTitle),
  );
}

export interface ImportShowRequest {
  server: string;
  ratingKey: string;
  signal?: AbortSignal;
  onProgress?: (event: SyncProgress) => void;
  clock?: () => number;
}

/** Imports one show with its seasons, episodes and files into the catalog; reports like a library sync. */
export async function importShow(deps: ConnectionDeps, request: ImportShowRequest): Promise<LibrarySyncReport> {
  const clock = request.clock ?? Date.now;
  const started = clock();
  const server = requireServer(deps.catalog, request.server);
  const requests = { count: 0 };
  const client = connectToServer(deps, server, {
    ...(request.signal ? { signal: request.signal } : {}),
    onRequest: () => {
      requests.count += 1;
    },
  });
  const report = newLibraryReport({
    serverName: server.name,
    libraryTitle: '',
    sectionKey: '',
    mode: 'full',
    notes: [`imported show ${request.ratingKey}`],
  });
  let sync: LibrarySync | undefined;
  try {
    const [show] = await client.metadata([request.ratingKey]);
    if (show === undefined || show.type !== 'show')
      throw new SyncError('NOT_A_SHOW', `Item ${request.ratingKey} on "${server.name}" is not a show.`);
    upsertSections(deps.catalog, server.id, await client.sections(), Math.floor(clock() / 1000));
    const library = listLibraries(deps.catalog, { serverId: server.id }).find((entry) => entry.sectionKey === show.librarySectionID);
    if (library === undefined)
      throw new SyncError('LIBRARY_NOT_FOUND', `The library of "${show.title}" is not on "${server.name}" any more.`);
    report.libraryTitle = library.title;
    report.sectionKey = library.sectionKey;
    request.onProgress?.({ kind: 'library-start', index: 0, total: 1, serverName: server.name, libraryTitle: show.title });
    sync = new LibrarySync({
      client,
      catalog: deps.catalog,
      serverId: server.id,
      library,
      currentContentChangedAt: undefined,
      state: { watermark: null, contentChangedAt: null },
      mode: 'full',
      resolvePath: mappingResolverFor(deps.catalog, server.id, library.id),
      pageSize: MAX_PAGE_SIZE,
      maxRemovalShare: 1,
      ...(request.signal ? { signal: request.signal } : {}),
      now: () => Math.floor(clock() / 1000),
      onItemsWritten: (phase, done, total) =>
        request.onProgress?.({
          kind: 'items',
          index: 0,
          total: 1,
          serverName: server.name,
          libraryTitle: show.title,
          phase,
          done,
          itemsTotal: total,
          ratePerSecond: 0,
          etaSeconds: null,
        }),
    });
    const result = await sync.importShow(request.ratingKey);
    copyResult(report, result);
    if (result.listingFailures.length > 0) {
      report.outcome = 'failed';
      report.error = result.listingFailures.join('; ');
      report.errorCode = ROWS_UNLISTED;
    }
  } catch (error) {
    // What was written before the cancel or failure is committed: count it.
    if (sync !== undefined) copyResult(report, sync.committed());
    report.outcome = isAbort(error, request.signal) ? 'cancelled' : 'failed';
    report.error = report.outcome === 'cancelled' ? 'cancelled' : describeError(error);
    if (report.outcome === 'failed') report.errorCode = errorCodeOf(error);
  } finally {
    client.close();
    report.requests = requests.count;
    report.seconds = (clock() - started) / 1000;
  }
  request.onProgress?.({ kind: 'library-done', index: 0, total: 1, report });
  return report;
}
