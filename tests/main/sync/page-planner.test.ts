// The per-item decision of a page write, without SQL.
import { describe, expect, it } from 'vitest';
import type { CatalogItemInput, ExistingItem } from '../../../main/catalog/item-input.js';
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
    expect(planPage(items, [undefined, undefined], 1).map((action) => action.type)).toEqual(['insert', 'repeat']);
  });
});
