import { describe, expect, it } from 'vitest';
import {
  changeCutoff,
  checkRemoval,
  chooseMode,
  filterWasIgnored,
  membershipMayHaveChanged,
  shouldRelistWholeSection,
} from '../../../main/sync/plan.js';

const NOW = 1_800_000_000;

describe('chooseMode', () => {
  const base = { forceFull: false, watermark: NOW - 100, lastFullSyncAt: NOW - 3600, now: NOW, fullSyncIntervalHours: 168 };

  it.each([
    ['a forced full sync', { forceFull: true }, 'full'],
    ['a first sync (no watermark)', { watermark: null }, 'full'],
    ['a library never fully synced', { lastFullSyncAt: null }, 'full'],
    ['a full pass that is due', { lastFullSyncAt: NOW - 168 * 3600 }, 'full'],
    ['a recent full pass', {}, 'incremental'],
    ['periodic passes switched off', { lastFullSyncAt: NOW - 1e9, fullSyncIntervalHours: 0 }, 'incremental'],
  ] as const)('%s', (_name, overrides, mode) => {
    expect(chooseMode({ ...base, ...overrides }).mode).toBe(mode);
  });
});

describe('changeCutoff', () => {
  it('reaches one second back so items stamped with the watermark itself come again', () => {
    expect(changeCutoff(1000)).toBe(999);
    expect(changeCutoff(0)).toBe(0);
  });
});

describe('membershipMayHaveChanged', () => {
  const same = {
    storedContentChangedAt: '8457612157633039800',
    currentContentChangedAt: '8457612157633039800',
    plexTotal: 10,
    catalogTotal: 10,
  };

  it('is quiet when totals and the counter agree', () => {
    expect(membershipMayHaveChanged(same)).toBeNull();
  });

  it('notices a total that differs even when the counter did not move', () => {
    expect(membershipMayHaveChanged({ ...same, plexTotal: 9 })).toMatch(/9/);
  });

  it('notices a counter that moved even when totals agree (one added, one removed)', () => {
    expect(membershipMayHaveChanged({ ...same, currentContentChangedAt: '8457612157633039801' })).toMatch(/counter/);
  });

  it('compares huge counters as text, digit for digit', () => {
    // Both round to the same double: only a text comparison tells them apart.
    expect(Number('8457612157633039800')).toBe(Number('8457612157633039801'));
    expect(membershipMayHaveChanged({ ...same, currentContentChangedAt: '8457612157633039801' })).not.toBeNull();
  });

  it('relies on totals alone when the server sends no counter', () => {
    expect(membershipMayHaveChanged({ ...same, currentContentChangedAt: undefined })).toBeNull();
  });
});

describe('filterWasIgnored', () => {
  it('recognises a "changed since" answer as large as the library', () => {
    expect(filterWasIgnored(500, 500, 500)).toBe(true);
    expect(filterWasIgnored(3, 500, 500)).toBe(false);
    expect(filterWasIgnored(1, 1, 1)).toBe(false);
  });
});

describe('checkRemoval', () => {
  it.each([
    [0, 100, 0.5, true],
    [10, 100, 0.5, true],
    [50, 100, 0.5, true],
    [51, 100, 0.5, false],
    [5, 6, 0.5, true], // a handful of items is never suspicious
    [80, 100, 1, true],
    [100, 100, 0.5, false],
  ])('removing %i of %i with a %f guard: allowed %s', (toRemove, total, share, allowed) => {
    const check = checkRemoval(toRemove, total, share);
    expect(check.allowed).toBe(allowed);
    if (!allowed) expect(check.reason).toMatch(/refused to remove/);
  });
});

describe('shouldRelistWholeSection', () => {
  it('re-lists single shows while that costs fewer requests', () => {
    expect(shouldRelistWholeSection(3, 2000, 1000, 100_000)).toBe(false);
    expect(shouldRelistWholeSection(200, 2000, 1000, 100_000)).toBe(true);
  });
});
