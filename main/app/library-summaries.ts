// Libraries as the renderer sees them: the catalog's listing plus the code of each failed last sync, read
// from the report stored with it (the column keeps only the message), so the renderer picks a remedy by code.
import type { LibrarySummary } from '../../shared/domain.js';
import type { ErrorCode } from '../../shared/errors.js';
import type { Catalog } from '../catalog/database.js';
import type { LibraryListing } from '../catalog/libraries.js';
import { listLastLibrarySyncs } from '../catalog/sync-history.js';
import { toPastLibrarySync } from './past-syncs.js';

export function toLibrarySummaries(catalog: Catalog, listings: readonly LibraryListing[]): LibrarySummary[] {
  const codes = failedSyncCodes(catalog, listings);
  return listings.map((listing) => withErrorCode(listing, codes));
}

export function toLibrarySummary(catalog: Catalog, listing: LibraryListing): LibrarySummary {
  return withErrorCode(listing, failedSyncCodes(catalog, [listing]));
}

/** Stored reports are read only when one of the listings failed its last sync. */
function failedSyncCodes(catalog: Catalog, listings: readonly LibraryListing[]): Map<number, ErrorCode> {
  return listings.some((listing) => listing.lastSyncStatus === 'failed') ? lastSyncErrorCodes(catalog) : new Map<number, ErrorCode>();
}

function withErrorCode({ missingSince: _missingSince, ...summary }: LibraryListing, codes: ReadonlyMap<number, ErrorCode>): LibrarySummary {
  const code = summary.lastSyncStatus === 'failed' ? codes.get(summary.id) : undefined;
  return code === undefined ? summary : { ...summary, lastSyncErrorCode: code };
}

function lastSyncErrorCodes(catalog: Catalog): Map<number, ErrorCode> {
  const codes = new Map<number, ErrorCode>();
  for (const stored of listLastLibrarySyncs(catalog)) {
    const code = toPastLibrarySync(stored).report?.errorCode;
    if (code !== undefined) codes.set(stored.libraryId, code);
  }
  return codes;
}
