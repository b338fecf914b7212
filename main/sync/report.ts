// A library's sync report as it starts: nothing counted yet, outcome ok until something says otherwise.
import type { LibrarySyncReport } from '../../shared/domain.js';

export function newLibraryReport(
  fields: Pick<LibrarySyncReport, 'serverName' | 'libraryTitle' | 'sectionKey' | 'mode'> & Partial<LibrarySyncReport>,
): LibrarySyncReport {
  return { outcome: 'ok', added: 0, updated: 0, removed: 0, unchanged: 0, requests: 0, seconds: 0, notes: [], ...fields };
}
