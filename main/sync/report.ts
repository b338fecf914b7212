// A library's sync report as it starts: nothing counted yet, outcome ok until something says otherwise.
import type { ChangeList, KindCounts, LibrarySyncReport } from '../../shared/domain.js';

export function zeroKindCounts(): KindCounts {
  return { movie: 0, show: 0, season: 0, episode: 0 };
}

function emptyChangeList(): ChangeList {
  return { items: [], more: 0 };
}

export function newLibraryReport(
  fields: Pick<LibrarySyncReport, 'serverName' | 'libraryTitle' | 'sectionKey' | 'mode'> & Partial<LibrarySyncReport>,
): LibrarySyncReport {
  return {
    outcome: 'ok', added: 0, updated: 0, removed: 0, unchanged: 0,
    counts: { added: zeroKindCounts(), updated: zeroKindCounts(), removed: zeroKindCounts() },
    changes: { added: emptyChangeList(), updated: emptyChangeList(), removed: emptyChangeList() },
    requests: 0, seconds: 0, notes: [], ...fields,
  };
}
