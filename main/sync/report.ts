// A library's sync report as it starts: nothing counted yet, outcome ok until something says otherwise.
import {
  CHANGED_ITEMS_LIMIT,
  type ChangedItem,
  type ChangeList,
  type ItemKind,
  type KindCounts,
  type LibrarySyncReport,
} from '../../shared/domain.js';
import type { CatalogItemInput } from '../catalog/item-input.js';
import type { LibrarySyncResult } from './library-sync.js';

export function zeroKindCounts(): KindCounts {
  return { movie: 0, show: 0, season: 0, episode: 0, artist: 0, album: 0, track: 0 };
}

/** Every kind, in the order reports list them. */
export const ITEM_KINDS = ['movie', 'show', 'season', 'episode', 'artist', 'album', 'track'] as const satisfies readonly ItemKind[];

/** The sum over every kind. */
export function totalOf(counts: KindCounts): number {
  let total = 0;
  for (const kind of ITEM_KINDS) total += counts[kind];
  return total;
}

function emptyChangeList(): ChangeList {
  return { items: [], more: 0 };
}

export function newLibraryReport(
  fields: Pick<LibrarySyncReport, 'serverName' | 'libraryTitle' | 'sectionKey' | 'mode'> & Partial<LibrarySyncReport>,
): LibrarySyncReport {
  return {
    outcome: 'ok',
    added: 0,
    updated: 0,
    removed: 0,
    unchanged: 0,
    counts: { added: zeroKindCounts(), updated: zeroKindCounts(), removed: zeroKindCounts() },
    changes: { added: emptyChangeList(), updated: emptyChangeList(), removed: emptyChangeList() },
    requests: 0,
    seconds: 0,
    notes: [],
    warnings: [],
    ...fields,
  };
}

export type ChangeName = 'added' | 'updated' | 'removed';

/**
 * A library's changes as its report carries them: counts by kind, and the first CHANGED_ITEMS_LIMIT items of
 * each change by name. Names are only built while there is room, so a 100,000-episode import costs nothing more.
 */
export class ChangeTally {
  readonly counts: LibrarySyncReport['counts'] = { added: zeroKindCounts(), updated: zeroKindCounts(), removed: zeroKindCounts() };
  readonly changes: LibrarySyncReport['changes'] = { added: emptyChangeList(), updated: emptyChangeList(), removed: emptyChangeList() };

  /** How many more items of this change may still be named. */
  room(change: ChangeName): number {
    return Math.max(0, CHANGED_ITEMS_LIMIT - this.changes[change].items.length);
  }

  count(change: ChangeName, counts: KindCounts): void {
    const into = this.counts[change];
    for (const kind of ITEM_KINDS) into[kind] += counts[kind];
  }

  name(change: ChangeName, item: ChangedItem): void {
    if (this.room(change) > 0) this.changes[change].items.push(item);
  }

  /** Sets each list's "and N more" from the counts; call before the report is read. */
  settle(): void {
    for (const change of ['added', 'updated', 'removed'] as const) {
      const total = totalOf(this.counts[change]);
      this.changes[change].more = Math.max(0, total - this.changes[change].items.length);
    }
  }
}

/**
 * How a person would name a record: "Pilot" of "Breaking Bad", season 1, episode 1; a track of its artist (an
 * audiobook's author), disc and number; an album of its artist.
 */
export function describeRecord(
  record: Pick<CatalogItemInput, 'kind' | 'title' | 'showTitle' | 'seasonNumber' | 'episodeNumber'>,
): ChangedItem {
  const item: ChangedItem = { kind: record.kind, title: record.title };
  if (record.showTitle !== null && record.kind !== 'movie' && record.kind !== 'show' && record.kind !== 'artist')
    item.show = record.showTitle;
  if (record.seasonNumber !== null) item.season = record.seasonNumber;
  if (record.episodeNumber !== null) item.episode = record.episodeNumber;
  return item;
}

/** Copies what a pass committed (totals, counts by kind, named changes, notes) into its report. */
export function copyResult(report: LibrarySyncReport, result: LibrarySyncResult): void {
  Object.assign(report, {
    added: result.added,
    updated: result.updated,
    removed: result.removed,
    unchanged: result.unchanged,
    counts: result.counts,
    changes: result.changes,
  });
  report.notes.push(...result.notes);
  report.warnings.push(...result.warnings);
}
