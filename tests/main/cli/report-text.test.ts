import { describe, expect, it } from 'vitest';
import type { ChangedItem, LibrarySyncReport } from '../../../shared/domain.js';
import { newLibraryReport } from '../../../main/sync/report.js';
import { changeCountsText, changedItemName, kindCountsText, libraryChangeLines, namesText } from '../../../main/cli/report-text.js';

function tvReport(): LibrarySyncReport {
  const report = newLibraryReport({ serverName: 'Home', libraryTitle: 'TV Shows', sectionKey: '2', mode: 'full' });
  report.counts.added = { movie: 0, show: 8, season: 12, episode: 150, artist: 0, album: 0, track: 0 };
  report.counts.removed = { movie: 0, show: 0, season: 0, episode: 1, artist: 0, album: 0, track: 0 };
  const episodes: ChangedItem[] = [
    { kind: 'show', title: 'Breaking Bad' },
    { kind: 'season', title: 'Season 1', show: 'Breaking Bad', season: 1 },
    { kind: 'episode', title: 'Pilot', show: 'Breaking Bad', season: 1, episode: 1 },
    { kind: 'episode', title: "Cat's in the Bag…", show: 'Breaking Bad', season: 1, episode: 2 },
  ];
  report.changes.added = { items: episodes, more: 166 };
  report.changes.removed = { items: [{ kind: 'episode', title: 'Gone', show: 'Lost', season: 6, episode: 18 }], more: 0 };
  return report;
}

describe('what a sync changed, in words', () => {
  it('counts by kind, skipping the kinds that did not change', () => {
    expect(kindCountsText({ movie: 0, show: 8, season: 12, episode: 150, artist: 0, album: 0, track: 0 })).toBe(
      '8 shows, 12 seasons, 150 episodes',
    );
    expect(kindCountsText({ movie: 1, show: 0, season: 0, episode: 0, artist: 0, album: 0, track: 0 })).toBe('1 movie');
    expect(kindCountsText({ movie: 0, show: 0, season: 0, episode: 0, artist: 0, album: 0, track: 0 })).toBe('');
    expect(changeCountsText(tvReport())).toBe('8 shows, 12 seasons, 150 episodes added; 1 episode removed');
    expect(
      changeCountsText(newLibraryReport({ serverName: 'Home', libraryTitle: 'Movies', sectionKey: '1', mode: 'incremental' })),
    ).toBeNull();
  });

  it('counts music as artists, albums and tracks, and names them', () => {
    expect(kindCountsText({ movie: 0, show: 0, season: 0, episode: 0, artist: 3, album: 12, track: 150 })).toBe(
      '3 artists, 12 albums, 150 tracks',
    );
    expect(changedItemName({ kind: 'album', title: 'Discovery', show: 'Daft Punk' })).toBe('Daft Punk — Discovery');
    expect(changedItemName({ kind: 'track', title: 'One More Time', show: 'Daft Punk', season: 1, episode: 1 })).toBe(
      'Daft Punk #1 "One More Time"',
    );
  });

  it('names items as a person would', () => {
    expect(changedItemName({ kind: 'movie', title: 'Heat' })).toBe('Heat');
    expect(changedItemName({ kind: 'season', title: 'Season 1', show: 'Breaking Bad', season: 1 })).toBe('Breaking Bad season 1');
    expect(changedItemName({ kind: 'episode', title: 'Pilot', show: 'Breaking Bad', season: 1, episode: 1 })).toBe(
      'Breaking Bad S01E01 "Pilot"',
    );
    expect(changedItemName({ kind: 'episode', title: 'Special', show: 'Doctor Who', season: 0 })).toBe('Doctor Who S00E?? "Special"');
  });

  it('lists a few names, then "and N more" counting the ones the report left out', () => {
    expect(namesText(tvReport().changes.added)).toBe('Breaking Bad, Breaking Bad season 1, Breaking Bad S01E01 "Pilot" and 167 more');
    expect(namesText({ items: [{ kind: 'movie', title: 'Heat' }], more: 0 })).toBe('Heat');
    expect(namesText({ items: [], more: 0 })).toBeNull();
  });

  it('prints nothing for a library where nothing changed, and counts then names otherwise', () => {
    expect(libraryChangeLines(newLibraryReport({ serverName: 'Home', libraryTitle: 'Movies', sectionKey: '1', mode: 'full' }))).toEqual([]);
    expect(libraryChangeLines(tvReport())).toEqual([
      'Home / TV Shows: 8 shows, 12 seasons, 150 episodes added; 1 episode removed',
      '  added: Breaking Bad, Breaking Bad season 1, Breaking Bad S01E01 "Pilot" and 167 more',
      '  removed: Lost S06E18 "Gone"',
    ]);
  });

  it('prints the warnings about the data, also for a library where nothing changed', () => {
    const quiet = newLibraryReport({ serverName: 'Home', libraryTitle: 'Movies', sectionKey: '1', mode: 'incremental' });
    quiet.warnings.push("Plex did not share file paths with this account (use the server owner's token)");
    expect(libraryChangeLines(quiet)).toEqual([
      'Home / Movies: nothing changed',
      "  warning: Plex did not share file paths with this account (use the server owner's token)",
    ]);
    const busy = tvReport();
    busy.warnings.push('1 item(s) carried impossible dates, stored as unknown');
    expect(libraryChangeLines(busy).at(-1)).toBe('  warning: 1 item(s) carried impossible dates, stored as unknown');
  });
});
