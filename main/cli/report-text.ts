// What a sync changed, in words: counts by kind ("8 shows, 12 seasons, 150 episodes added") and the first few
// names of each change ("and 147 more"). Pure: reports in, lines out (made printable by the caller's writer).
import type { ChangeList, ChangedItem, ItemKind, KindCounts, LibrarySyncReport } from '../../shared/domain.js';
import { libraryName } from './progress.js';
import { printable } from './output.js';

/** How many names a line shows before "and N more": enough to recognise, few enough to read. */
export const NAMES_SHOWN = 3;

const KIND_ORDER: readonly ItemKind[] = ['movie', 'show', 'season', 'episode', 'artist', 'album', 'track'];
const CHANGES = ['added', 'updated', 'removed'] as const;

/** "8 shows, 12 seasons, 150 episodes"; '' when every kind is 0. */
export function kindCountsText(counts: KindCounts): string {
  return KIND_ORDER.filter((kind) => counts[kind] > 0)
    .map((kind) => `${counts[kind]} ${counts[kind] === 1 ? kind : `${kind}s`}`)
    .join(', ');
}

/** "8 shows, 150 episodes added; 2 episodes updated; 1 movie removed", or null when nothing changed. */
export function changeCountsText(report: LibrarySyncReport): string | null {
  const parts = CHANGES.map((change) => {
    const text = kindCountsText(report.counts[change]);
    return text === '' ? '' : `${text} ${change}`;
  }).filter((part) => part !== '');
  return parts.length === 0 ? null : parts.join('; ');
}

/** How a person names a changed item: `Heat`, `Breaking Bad season 1`, `Breaking Bad S01E02 "Cat's in the Bag…"`. */
export function changedItemName(item: ChangedItem): string {
  const show = item.show ?? '';
  switch (item.kind) {
    case 'season':
      return show === '' ? item.title : `${show} season ${item.season ?? '?'}`;
    case 'album':
      return show === '' ? item.title : `${show} — ${item.title}`;
    case 'track':
      return show === '' ? item.title : `${show}${item.episode === undefined ? '' : ` #${item.episode}`} "${item.title}"`;
    case 'episode': {
      const code = item.season === undefined && item.episode === undefined ? '' : ` ${episodeCode(item.season, item.episode)}`;
      return show === '' ? item.title : `${show}${code} "${item.title}"`;
    }
    default:
      return item.title;
  }
}

function episodeCode(season: number | undefined, episode: number | undefined): string {
  const two = (value: number | undefined): string => (value === undefined ? '??' : String(value).padStart(2, '0'));
  return `S${two(season)}E${two(episode)}`;
}

/** "Heat, Ronin, Alien and 37 more"; null for an empty list. */
export function namesText(list: ChangeList, shown = NAMES_SHOWN): string | null {
  const names = list.items.slice(0, shown).map(changedItemName);
  if (names.length === 0) return null;
  const more = list.items.length - names.length + list.more;
  return more > 0 ? `${names.join(', ')} and ${more} more` : names.join(', ');
}

/**
 * The lines a summary prints for one library: counts by kind, then up to NAMES_SHOWN names per change, then
 * what the user should know about the data (file paths Plex withheld…). Nothing for a library where nothing
 * changed and nothing is to be said.
 */
export function libraryChangeLines(report: LibrarySyncReport): string[] {
  const counts = changeCountsText(report);
  const warnings = report.warnings.map((warning) => `  warning: ${printable(warning)}`);
  if (counts === null && warnings.length === 0) return [];
  const lines = [`${libraryName(report.serverName, report.libraryTitle)}: ${counts ?? 'nothing changed'}`];
  for (const change of CHANGES) {
    const names = namesText(report.changes[change]);
    if (names !== null) lines.push(`  ${change}: ${printable(names)}`);
  }
  return [...lines, ...warnings];
}
