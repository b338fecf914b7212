// Decisions of the sync engine, kept pure so they can be tested as tables: which mode a library syncs in,
// whether cheap signals call for a closer look, and whether a removal is too large to trust.

export interface ModeInputs {
  forceFull: boolean;
  watermark: number | null;
  lastFullSyncAt: number | null;
  /** Epoch seconds, local clock. */
  now: number;
  fullSyncIntervalHours: number;
}

export interface ModeDecision {
  mode: 'full' | 'incremental';
  reason: string;
}

export function chooseMode(inputs: ModeInputs): ModeDecision {
  if (inputs.forceFull) return { mode: 'full', reason: 'full sync requested' };
  if (inputs.watermark === null || inputs.lastFullSyncAt === null) return { mode: 'full', reason: 'first sync of this library' };
  const intervalSeconds = inputs.fullSyncIntervalHours * 3600;
  if (inputs.fullSyncIntervalHours > 0 && inputs.now - inputs.lastFullSyncAt >= intervalSeconds) {
    return { mode: 'full', reason: `periodic full pass (every ${inputs.fullSyncIntervalHours} h) to catch replaced or moved files` };
  }
  return { mode: 'incremental', reason: 'changes since the last sync' };
}

/**
 * The cut-off for "changed since" filters. One second is subtracted so the filter includes items stamped in the
 * same second as the watermark, whether the server reads `>>=` as "after" or "at or after".
 */
export function changeCutoff(watermark: number): number {
  return Math.max(0, watermark - 1);
}

/**
 * The watermark to keep: never ahead of the server's own clock. An item dated in the future (a file with a future
 * date, a server whose clock was wrong for a while) would otherwise move it past every later edit, and incremental
 * passes would miss those until the next full pass.
 */
export function capWatermark(watermark: number | null, serverNow: number): number | null {
  if (watermark === null) return null;
  return Math.min(watermark, serverNow);
}

export interface ChangeSignals {
  storedContentChangedAt: string | null;
  currentContentChangedAt: string | undefined;
  /** Items of the checked kind in Plex and in the catalog, after this pass's changes were written. */
  plexTotal: number;
  catalogTotal: number;
}

/** Additions and removals that the "changed since" listing cannot show: never trust one signal alone. */
export function membershipMayHaveChanged(signals: ChangeSignals): string | null {
  if (signals.plexTotal !== signals.catalogTotal) {
    return `Plex has ${signals.plexTotal} items, the catalog ${signals.catalogTotal}`;
  }
  if (signals.currentContentChangedAt === undefined) return null;
  if (signals.storedContentChangedAt !== signals.currentContentChangedAt) return 'the library content counter moved';
  return null;
}

/**
 * A server that silently ignores a filter answers a "changed since" query with the whole library: that listing is
 * then complete, and may be used as one.
 */
export function filterWasIgnored(changedTotal: number, plexTotal: number, catalogTotal: number): boolean {
  return plexTotal > 1 && changedTotal === plexTotal && catalogTotal > 1;
}

export interface RemovalCheck {
  allowed: boolean;
  reason?: string;
}

/** Refuses a pass that would remove more than `maxShare` of a library (a drive offline on the server, a bad listing…). */
export function checkRemoval(toRemove: number, libraryTotal: number, maxShare: number): RemovalCheck {
  if (toRemove === 0) return { allowed: true };
  const share = libraryTotal === 0 ? 1 : toRemove / libraryTotal;
  const smallChange = toRemove <= 5;
  if (share > maxShare && !smallChange) {
    return {
      allowed: false,
      reason:
        `refused to remove ${toRemove} of ${libraryTotal} items (more than ${Math.round(maxShare * 100)}% of the library); ` +
        'if Plex really lost them, raise MARQUEE_MAX_REMOVAL_SHARE (e.g. 1) for one sync',
    };
  }
  return { allowed: true };
}

/** Re-listing a show costs about two requests; past this share of shows one section-wide listing is cheaper. */
export function shouldRelistWholeSection(showsToRelist: number, totalShows: number, pageSize: number, totalEpisodes: number): boolean {
  const perShowCost = showsToRelist * 2;
  const sectionCost = Math.ceil(totalShows / pageSize) + Math.ceil(totalEpisodes / pageSize) + 1;
  return perShowCost > sectionCost;
}
