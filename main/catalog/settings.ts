// Key/value settings of this catalog: the Plex client identifier and a few tunables.
import { randomUUID } from 'node:crypto';
import { type Catalog, queryFirst, runQuery } from './database.js';
import { CatalogValidationError } from './errors.js';

// Synchronous, as better-sqlite3 is: an async signature would only pretend not to block.

export function getSetting(catalog: Catalog, key: string): string | null {
  const row = queryFirst(catalog, catalog.db.selectFrom('settings').select('value').where('key', '=', key));
  return row?.value ?? null;
}

export function setSetting(catalog: Catalog, key: string, value: string): void {
  runQuery(
    catalog,
    catalog.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((conflict) => conflict.column('key').doUpdateSet({ value })),
  );
}

const CLIENT_IDENTIFIER_KEY = 'clientIdentifier';

/**
 * The X-Plex-Client-Identifier this installation sends: generated once, then stable, so Plex lists one
 * device rather than a new one per run.
 */
export function clientIdentifier(catalog: Catalog): string {
  // Read first: a write would wait for a sync holding the write lock on another connection.
  const existing = getSetting(catalog, CLIENT_IDENTIFIER_KEY);
  if (existing !== null) return existing;
  // Insert-if-absent then read: two processes racing on a fresh catalog still agree on one value.
  runQuery(
    catalog,
    catalog.db
      .insertInto('settings')
      .values({ key: CLIENT_IDENTIFIER_KEY, value: randomUUID() })
      .onConflict((conflict) => conflict.column('key').doNothing()),
  );
  const value = getSetting(catalog, CLIENT_IDENTIFIER_KEY);
  if (value === null) throw new Error('The client identifier could not be stored.');
  return value;
}

interface NumericSettingSpec {
  default: number;
  min: number;
  max: number;
  /** Whether `min` itself is allowed. */
  minInclusive: boolean;
  description: string;
}

export const NUMERIC_SETTINGS = {
  /** A full listing (which also notices removals) at least this often; incremental syncs in between. */
  fullSyncIntervalHours: {
    default: 168,
    min: 0,
    max: 24 * 365 * 10,
    minInclusive: false,
    description: 'hours between full syncs',
  },
  /** A sync that would remove more than this share of a library's items is refused as suspicious. */
  maxRemovalShare: {
    default: 0.5,
    min: 0,
    max: 1,
    minInclusive: true,
    description: 'largest share of a library one sync may remove (0 to 1)',
  },
  /** The artwork cache's size cap on disk, in megabytes (least recently shown images go first). */
  artworkCacheMb: {
    default: 500,
    min: 10,
    max: 100_000,
    minInclusive: true,
    description: 'megabytes of posters and backgrounds kept on disk',
  },
  /** The detail pass (main/sync/detail-pass.ts) asks Plex at most once per this many milliseconds. */
  detailRequestIntervalMs: {
    default: 1_000,
    min: 100,
    max: 600_000,
    minInclusive: true,
    description: 'milliseconds between two requests of the detail pass',
  },
} as const satisfies Record<string, NumericSettingSpec>;

export type NumericSettingName = keyof typeof NUMERIC_SETTINGS;

/** The stored value, or the default when unset or unusable (a hand-edited catalog must not break syncs). */
export function getNumericSetting(catalog: Catalog, name: NumericSettingName): number {
  const stored = getSetting(catalog, name);
  if (stored === null) return NUMERIC_SETTINGS[name].default;
  const value = Number(stored);
  return validNumericSetting(name, value) === null ? value : NUMERIC_SETTINGS[name].default;
}

/** Throws CatalogValidationError for a value outside the setting's range. */
export function setNumericSetting(catalog: Catalog, name: NumericSettingName, value: number): void {
  const problem = validNumericSetting(name, value);
  if (problem !== null) throw new CatalogValidationError(problem);
  setSetting(catalog, name, String(value));
}

export function getNumericSettings(catalog: Catalog): Record<NumericSettingName, number> {
  return {
    fullSyncIntervalHours: getNumericSetting(catalog, 'fullSyncIntervalHours'),
    maxRemovalShare: getNumericSetting(catalog, 'maxRemovalShare'),
    artworkCacheMb: getNumericSetting(catalog, 'artworkCacheMb'),
    detailRequestIntervalMs: getNumericSetting(catalog, 'detailRequestIntervalMs'),
  };
}

function validNumericSetting(name: NumericSettingName, value: number): string | null {
  const spec: NumericSettingSpec = NUMERIC_SETTINGS[name];
  const aboveMin = spec.minInclusive ? value >= spec.min : value > spec.min;
  if (Number.isFinite(value) && aboveMin && value <= spec.max) return null;
  const lower = spec.minInclusive ? `at least ${spec.min}` : `more than ${spec.min}`;
  return `${name} (${spec.description}) must be a number ${lower} and at most ${spec.max}; got ${value}.`;
}

const DETAIL_PASS_KEY = 'detailPass.enabled';

/** The opt-in detail pass (issue 10): off unless switched on ('true'); a hand-edited value reads as off. */
export function detailPassEnabled(catalog: Catalog): boolean {
  return getSetting(catalog, DETAIL_PASS_KEY) === 'true';
}

export function setDetailPassEnabled(catalog: Catalog, enabled: boolean): void {
  setSetting(catalog, DETAIL_PASS_KEY, String(enabled));
}
