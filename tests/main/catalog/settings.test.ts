import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogValidationError } from '../../../main/catalog/errors.js';
import {
  clientIdentifier,
  getNumericSetting,
  getNumericSettings,
  getSetting,
  setNumericSetting,
  setSetting,
} from '../../../main/catalog/settings.js';
import { type TempCatalog, tempCatalog } from './fixtures.js';

let temp: TempCatalog;
beforeEach(() => {
  temp = tempCatalog();
});
afterEach(() => temp.cleanup());

describe('settings', () => {
  it('gets, sets and overwrites', () => {
    const { catalog } = temp;
    expect(getSetting(catalog, 'x')).toBeNull();
    setSetting(catalog, 'x', '1');
    setSetting(catalog, 'x', '2');
    expect(getSetting(catalog, 'x')).toBe('2');
  });

  it('generates the client identifier once and keeps it', () => {
    const { catalog } = temp;
    const first = clientIdentifier(catalog);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(clientIdentifier(catalog)).toBe(first);
    expect(getSetting(catalog, 'clientIdentifier')).toBe(first);
  });

  it('has typed numeric settings with defaults and validation', () => {
    const { catalog } = temp;
    expect(getNumericSettings(catalog)).toEqual({
      fullSyncIntervalHours: 168,
      maxRemovalShare: 0.5,
      artworkCacheMb: 500,
      detailRequestIntervalMs: 1000,
    });
    setNumericSetting(catalog, 'fullSyncIntervalHours', 24);
    setNumericSetting(catalog, 'maxRemovalShare', 0);
    expect(getNumericSetting(catalog, 'fullSyncIntervalHours')).toBe(24);
    expect(getNumericSetting(catalog, 'maxRemovalShare')).toBe(0);
    expect(() => setNumericSetting(catalog, 'maxRemovalShare', 1.5)).toThrowError(CatalogValidationError);
    expect(() => setNumericSetting(catalog, 'fullSyncIntervalHours', 0)).toThrowError(/fullSyncIntervalHours/);
    expect(() => setNumericSetting(catalog, 'fullSyncIntervalHours', Number.NaN)).toThrowError(CatalogValidationError);
    // A hand-edited, unusable value falls back to the default.
    setSetting(catalog, 'maxRemovalShare', 'lots');
    expect(getNumericSetting(catalog, 'maxRemovalShare')).toBe(0.5);
  });
});
