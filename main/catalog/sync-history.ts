// What the catalog remembers of each library's last sync (time, outcome, error and the full report as
// stored by recordLibrarySync), so the app can show it after a restart, before any new sync.
import { type Catalog, queryAll } from './database.js';

export interface StoredLibrarySync {
  libraryId: number;
  serverId: number;
  serverName: string;
  libraryTitle: string;
  sectionKey: string;
  /** Epoch seconds. */
  syncedAt: number;
  status: 'ok' | 'failed' | 'cancelled' | null;
  error: string | null;
  /** The stored report, parsed but not checked: older versions stored fewer fields. Null when absent or unreadable. */
  report: unknown;
}

/** Every library that has been synced at least once, by server name then library title. */
export function listLastLibrarySyncs(catalog: Catalog): StoredLibrarySync[] {
  const rows = queryAll(
    catalog,
    catalog.db
      .selectFrom('libraries')
      .innerJoin('servers', 'servers.id', 'libraries.server_id')
      .select([
        'libraries.id as libraryId',
        'libraries.server_id as serverId',
        'servers.name as serverName',
        'libraries.title as libraryTitle',
        'libraries.section_key as sectionKey',
        'libraries.last_sync_at as syncedAt',
        'libraries.last_sync_status as status',
        'libraries.last_sync_error as error',
        'libraries.last_sync_report as report',
      ])
      .where('libraries.last_sync_at', 'is not', null)
      .orderBy('servers.name')
      .orderBy('libraries.title')
      .orderBy('libraries.id'),
  );
  return rows.map((row) => ({ ...row, syncedAt: row.syncedAt ?? 0, report: parseReport(row.report) }));
}

function parseReport(json: string | null): unknown {
  if (json === null) return null;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}
