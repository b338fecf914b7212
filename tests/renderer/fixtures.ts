// Plain domain values for the renderer's tests.
import type { KindCounts, LibrarySummary, LibrarySyncReport, ServerSummary, SyncReport } from '../../shared/domain.js';
import type { Events, SyncRunState } from '../../shared/ipc.js';

export function server(overrides: Partial<ServerSummary> = {}): ServerSummary {
  return {
    id: 1,
    name: 'Living room',
    url: 'http://127.0.0.1:32400',
    machineIdentifier: 'm1',
    active: true,
    lastSyncAt: null,
    ...overrides,
  };
}

export function library(overrides: Partial<LibrarySummary> = {}): LibrarySummary {
  return {
    id: 1,
    serverId: 1,
    serverName: 'Living room',
    sectionKey: '1',
    uuid: null,
    title: 'Movies',
    type: 'movie',
    enabled: true,
    locations: [],
    lastSyncAt: null,
    lastFullSyncAt: null,
    lastSyncStatus: null,
    lastSyncError: null,
    itemCounts: { movies: 0, shows: 0, seasons: 0, episodes: 0, artists: 0, albums: 0, tracks: 0 },
    unmappedFiles: 0,
    ...overrides,
  };
}

export function libraryReport(overrides: Partial<LibrarySyncReport> = {}): LibrarySyncReport {
  return {
    serverName: 'Living room',
    libraryTitle: 'Movies',
    sectionKey: '1',
    outcome: 'ok',
    mode: 'incremental',
    added: 0,
    updated: 0,
    removed: 0,
    unchanged: 0,
    counts: { added: noKinds(), updated: noKinds(), removed: noKinds() },
    changes: { added: { items: [], more: 0 }, updated: { items: [], more: 0 }, removed: { items: [], more: 0 } },
    requests: 1,
    seconds: 1,
    notes: [],
    warnings: [],
    ...overrides,
  };
}

export function syncReport(libraries: LibrarySyncReport[], serverErrors: SyncReport['serverErrors'] = []): SyncReport {
  return {
    startedAt: 1_700_000_000_000,
    finishedAt: 1_700_000_005_000,
    libraries,
    serverErrors,
    ok: serverErrors.length === 0 && libraries.every((entry) => entry.outcome === 'ok'),
  };
}

export function finishedEvent(runId: string, report: SyncReport, extra: Partial<Events['sync:finished']> = {}): Events['sync:finished'] {
  return { runId, report, cancelled: false, error: null, errorCode: null, ...extra };
}

export function runState(overrides: Partial<SyncRunState> = {}): SyncRunState {
  return {
    runId: null,
    running: false,
    startedAt: null,
    cancelling: false,
    lastProgress: null,
    lastReport: null,
    lastCancelled: false,
    lastError: null,
    lastErrorCode: null,
    ...overrides,
  };
}

function noKinds(): KindCounts {
  return { movie: 0, show: 0, season: 0, episode: 0, artist: 0, album: 0, track: 0 };
}
