import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogValidationError } from '../../../main/catalog/errors.js';
import {
  getClientIdentifier,
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
  it('gets, sets and overwrites', async () => {
    const { catalog } = temp;
    expect(await getSetting(catalog, 'x')).toBeNull();
    await setSetting(catalog, 'x', '1');
    await setSetting(catalog, 'x', '2');
    expect(await getSetting(catalog, 'x')).toBe('2');
  });

  it('generates the client identifier once and keeps it', async () => {
    const { catalog } = temp;
    const first = await getClientIdentifier(catalog);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await getClientIdentifier(catalog)).toBe(first);
    expect(await getSetting(catalog, 'clientIdentifier')).toBe(first);
  });

  it('has typed numeric settings with defaults and validation', async () => {
    const { catalog } = temp;
    expect(await getNumericSettings(catalog)).toEqual({ fullSyncIntervalHours: 168, maxRemovalShare: 0.5 });
    await setNumericSetting(catalog, 'fullSyncIntervalHours', 24);
    await setNumericSetting(catalog, 'maxRemovalShare', 0);
    expect(await getNumericSetting(catalog, 'fullSyncIntervalHours')).toBe(24);
    expect(await getNumericSetting(catalog, 'maxRemovalShare')).toBe(0);
    expect(() => setNumericSetting(catalog, 'maxRemovalShare', 1.5)).toThrowError(CatalogValidationError);
    expect(() => setNumericSetting(catalog, 'fullSyncIntervalHours', 0)).toThrowError(/fullSyncIntervalHours/);
    expect(() => setNumericSetting(catalog, 'fullSyncIntervalHours', Number.NaN)).toThrowError(CatalogValidationError);
    // A hand-edited, unusable value falls back to the default.
    await setSetting(catalog, 'maxRemovalShare', 'lots');
    expect(await getNumericSetting(catalog, 'maxRemovalShare')).toBe(0.5);
  });
});
