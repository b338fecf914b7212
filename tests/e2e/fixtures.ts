// Reports as the sync helper's engine writes them (counts by kind, named changes), stored through the real
// catalog code: the renderer's rendering of them can be seen before that engine is merged.
import { CHANGED_ITEMS_LIMIT, type ChangedItem, type LibrarySyncReport } from '../../shared/domain.js';
import { listLibraries, recordLibrarySync } from '../../main/catalog/libraries.js';
import type { Catalog } from '../../main/catalog/database.js';
import { newLibraryReport, zeroKindCounts } from '../../main/sync/report.js';

/** A TV library's first sync: 8 shows, 12 seasons and 150 episodes added, the first 20 named. */
export function showsAddedReport(serverName: string, libraryTitle: string, sectionKey: string): LibrarySyncReport {
  const episodes: ChangedItem[] = Array.from({ length: CHANGED_ITEMS_LIMIT }, (_, index) => ({
    kind: 'episode',
    title: `A rather long episode title, number ${index + 1}`,
    show: 'The Show With A Long Name',
    season: 1,
    episode: index + 1,
  }));
  return newLibraryReport({
    serverName,
    libraryTitle,
    sectionKey,
    mode: 'full',
    added: 170,
    counts: {
      added: { movie: 0, show: 8, season: 12, episode: 150, artist: 0, album: 0, track: 0 },
      updated: zeroKindCounts(),
      removed: { movie: 0, show: 0, season: 0, episode: 2, artist: 0, album: 0, track: 0 },
    },
    changes: {
      added: { items: episodes, more: 170 - CHANGED_ITEMS_LIMIT },
      updated: { items: [], more: 0 },
      removed: {
        items: [
          { kind: 'episode', title: 'Pilot', show: 'Gone', season: 1, episode: 1 },
          { kind: 'episode', title: 'Second', show: 'Gone', season: 1, episode: 2 },
        ],
        more: 0,
      },
    },
    removed: 2,
    seconds: 3,
    requests: 9,
  });
}

/** Stores that report as the last sync of the server's library with this title. */
export function storeShowsAddedReport(catalog: Catalog, serverId: number, libraryTitle: string): void {
  const library = listLibraries(catalog, { serverId }).find((entry) => entry.title === libraryTitle);
  if (library === undefined) throw new Error(`No library "${libraryTitle}"`);
  const report = showsAddedReport(library.serverName, library.title, library.sectionKey);
  recordLibrarySync(catalog, library.id, { status: 'ok', error: null, report, full: true, at: Math.floor(Date.now() / 1000) });
}
