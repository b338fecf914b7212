// The per-item decision of a page write, without SQL.
import { describe, expect, it } from 'vitest';
import { REPEATED, type CatalogItemInput, type ExistingItem } from '../../../main/catalog/item-input.js';
import { fingerprintOf, legacyFingerprintOf } from '../../../main/sync/fingerprint.js';
import { planPage } from '../../../main/sync/page-planner.js';

function item(ratingKey: string, extra: Partial<CatalogItemInput> = {}): CatalogItemInput {
  return {
    kind: 'movie',
    ratingKey,
    guid: null,
    title: ratingKey,
    year: null,
    addedAt: null,
    updatedAt: null,
    externalIds: {},
    originallyAvailableAt: null,
    durationMs: null,
    leafCount: null,
    childCount: null,
    showRatingKey: null,
    showTitle: null,
    seasonRatingKey: null,
    seasonTitle: null,
    seasonNumber: null,
    episodeNumber: null,
    files: [],
    fingerprint: `fp-${ratingKey}`,
    ...extra,
  };
}

const row = (id: number, extra: Partial<ExistingItem> = {}): ExistingItem => ({
  id,
  fingerprint: 'fp-a',
  libraryId: 1,
  kind: 'movie',
  ...extra,
});

describe('planPage', () => {
  it('inserts what has no row, keeps what is unchanged, updates what changed or moved library, replaces a kind change', () => {
    const items = [
      item('new'),
      item('a'),
      item('a2', { fingerprint: 'other' }),
      item('moved', { fingerprint: 'fp-a' }),
      item('kind', { kind: 'show' }),
    ];
    const existing = [undefined, row(1), row(2), row(3, { libraryId: 9 }), row(4, { fingerprint: 'x' })];
    expect(planPage(items, existing, 1).map((action) => [action.type, 'id' in action ? action.id : null])).toEqual([
      ['insert', null],
      ['keep', 1],
      ['update', 2],
      ['update', 3],
      ['replace', 4],
    ]);
  });

  it('writes an item a listing repeats only once', () => {
    const items = [item('a'), item('a')];
    expect(planPage(items, [undefined, REPEATED], 1).map((action) => action.type)).toEqual(['insert', 'repeat']);
  });
});

describe('planPage: rows fingerprinted the old way (before 2026-12)', () => {
  const current = (ratingKey: string, extra: Partial<CatalogItemInput> = {}) => {
    const fields = item(ratingKey, extra);
    return { ...fields, fingerprint: fingerprintOf(fields) };
  };

  it('keeps an unchanged item and has its fingerprint re-stamped; anything else is written as before', () => {
    const same = current('same');
    const changed = current('changed', { title: 'New title' });
    const items = [same, changed, current('stub'), current('current', { title: 'Renamed' })];
    const existing = [
      row(1, { fingerprint: legacyFingerprintOf(same) }),
      row(2, { fingerprint: legacyFingerprintOf(item('changed')) }),
      row(3, { fingerprint: 'stub' }),
      row(4, { fingerprint: fingerprintOf(item('current')) }),
    ];
    expect(planPage(items, existing, 1)).toEqual([
      { type: 'keep', item: same, id: 1, restampFrom: legacyFingerprintOf(same) },
      { type: 'update', item: changed, id: 2 },
      { type: 'update', item: items[2], id: 3 },
      { type: 'update', item: items[3], id: 4 },
    ]);
  });
});
