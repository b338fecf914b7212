// Turns what the catalog stored about each library's last sync into the contract's PastLibrarySync. Stored
// reports are JSON written by earlier versions too: whatever they lack (counts by kind, named changes) is
// filled with zeros and empty lists, and one that is not a report at all is dropped (the time, outcome and
// error columns still say what happened).
import type { KindCounts, LibrarySyncReport } from '../../shared/domain.js';
import { isErrorCode } from '../../shared/errors.js';
import type { PastLibrarySync } from '../../shared/ipc.js';
import type { StoredLibrarySync } from '../catalog/sync-history.js';
import { newLibraryReport } from '../sync/report.js';

export function toPastLibrarySync(stored: StoredLibrarySync): PastLibrarySync {
  const report = restoreReport(stored);
  return {
    libraryId: stored.libraryId,
    serverId: stored.serverId,
    serverName: stored.serverName,
    libraryTitle: stored.libraryTitle,
    syncedAt: stored.syncedAt,
    // A sync time without a status comes from a row written before statuses were kept: call it by its report.
    outcome: stored.status ?? outcomeOf(report),
    error: stored.error ?? report?.error ?? null,
    report,
  };
}

function outcomeOf(report: LibrarySyncReport | null): PastLibrarySync['outcome'] {
  return report === null || report.outcome === 'ok' || report.outcome === 'skipped' ? 'ok' : report.outcome;
}

function restoreReport(stored: StoredLibrarySync): LibrarySyncReport | null {
  const value = stored.report;
  if (!isRecord(value) || !isOutcome(value.outcome)) return null;
  const base = newLibraryReport({
    serverName: stored.serverName,
    libraryTitle: stored.libraryTitle,
    sectionKey: stored.sectionKey,
    mode: value.mode === 'full' ? 'full' : 'incremental',
    outcome: value.outcome,
  });
  const report: LibrarySyncReport = {
    ...base,
    added: numberOr(value.added, 0),
    updated: numberOr(value.updated, 0),
    removed: numberOr(value.removed, 0),
    unchanged: numberOr(value.unchanged, 0),
    requests: numberOr(value.requests, 0),
    seconds: numberOr(value.seconds, 0),
    notes: Array.isArray(value.notes) ? value.notes.filter((note): note is string => typeof note === 'string') : [],
    warnings: Array.isArray(value.warnings) ? value.warnings.filter((warning): warning is string => typeof warning === 'string') : [],
  };
  if (isRecord(value.counts)) {
    // Per change too: a report written before music was synced has no artist, album or track counts.
    const counts = value.counts as Partial<Record<keyof LibrarySyncReport['counts'], Partial<KindCounts>>>;
    for (const change of ['added', 'updated', 'removed'] as const) report.counts[change] = { ...base.counts[change], ...counts[change] };
  }
  if (isRecord(value.changes)) report.changes = { ...base.changes, ...(value.changes as Partial<LibrarySyncReport['changes']>) };
  if (typeof value.error === 'string') report.error = value.error;
  // A code this version does not know (a newer version wrote it) is left out rather than trusted.
  if (isErrorCode(value.errorCode)) report.errorCode = value.errorCode;
  return report;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOutcome(value: unknown): value is LibrarySyncReport['outcome'] {
  return value === 'ok' || value === 'failed' || value === 'cancelled' || value === 'skipped';
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
