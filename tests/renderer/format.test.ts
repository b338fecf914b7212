import { describe, expect, it } from 'vitest';
import {
  describeLiveChange,
  describeLiveMode,
  formatAgo,
  describeChangedItem,
  describeProgress,
  episodeCode,
  formatBytes,
  formatDuration,
  formatEta,
  formatKindCounts,
  formatRate,
  formatWaiting,
  formatWhen,
  initialsOf,
  plural,
  remedyFor,
  summarizeChanges,
  summarizeReport,
  syncStatusLabel,
  describeAlsoIn,
  kindLabel,
  kindName,
  resolutionLabel,
  technicalLine,
  type TechnicalVersion,
} from '../../renderer/format.js';
import { libraryReport, syncReport } from './fixtures.js';

describe('formatDuration', () => {
  it('reads seconds, minutes and hours, rounding up', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(125)).toBe('2 min 05 s');
    expect(formatDuration(7620)).toBe('2 h 07 min');
    expect(formatDuration(-3)).toBe('0 s');
  });
});

describe('formatEta', () => {
  it('says when the rate is not known yet', () => {
    expect(formatEta(null)).toBe('estimating time left…');
    expect(formatEta(Number.POSITIVE_INFINITY)).toBe('estimating time left…');
  });

  it('gives the time left', () => {
    expect(formatEta(0.4)).toBe('almost done');
    expect(formatEta(90)).toBe('about 1 min 30 s left');
    expect(formatEta(3 * 3600 + 60)).toBe('about 3 h 01 min left');
  });
});

describe('formatRate', () => {
  it('keeps a decimal for slow rates and groups fast ones', () => {
    expect(formatRate(0)).toBe('0 items/s');
    expect(formatRate(Number.NaN)).toBe('0 items/s');
    expect(formatRate(2.345)).toBe('2.3 items/s');
    expect(formatRate(1234.5)).toBe('1,235 items/s');
  });
});

describe('formatWhen', () => {
  const now = Date.UTC(2024, 5, 1, 12, 0, 0);
  const seconds = now / 1000;

  it('is relative for recent times', () => {
    expect(formatWhen(null, now)).toBe('never');
    expect(formatWhen(seconds - 10, now)).toBe('just now');
    expect(formatWhen(seconds - 5 * 60, now)).toBe('5 min ago');
    expect(formatWhen(seconds - 3 * 3600, now)).toBe('3 h ago');
  });

  it('gives a date for older ones', () => {
    expect(formatWhen(seconds - 3 * 86_400, now)).toMatch(/^2024-05-29 \d\d:\d\d$/);
  });
});

describe('small formatters', () => {
  it('pluralizes with grouping', () => {
    expect(plural(1, 'movie')).toBe('1 movie');
    expect(plural(2000, 'movie')).toBe('2,000 movies');
    expect(plural(3, 'library', 'libraries')).toBe('3 libraries');
  });

  it('formats sizes', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GB');
  });

  it('codes episodes', () => {
    expect(episodeCode(1, 5)).toBe('S01E05');
    expect(episodeCode(null, 12)).toBe('E12');
    expect(episodeCode(2, null)).toBe('S02');
  });

  it('makes poster initials from words, skipping articles and punctuation', () => {
    expect(initialsOf('The Expanse')).toBe('E');
    expect(initialsOf('The Expanse (Recap)')).toBe('ER');
    expect(initialsOf('breaking bad')).toBe('BB');
    expect(initialsOf('')).toBe('');
  });
});

describe('describeProgress', () => {
  it('puts a starting library on the library bar and leaves the items bar waiting', () => {
    const view = describeProgress({ kind: 'library-start', index: 1, total: 3, serverName: 'Den', libraryTitle: 'Movies' });
    expect(view.libraries).toEqual({ done: 1, total: 3, position: 2, label: 'Den · Movies' });
    expect(view.items).toBeNull();
  });

  it('fills the items bar with count, rate and time left', () => {
    const view = describeProgress({
      kind: 'items',
      index: 0,
      total: 2,
      serverName: 'Den',
      libraryTitle: 'Shows',
      phase: 'episodes',
      done: 1500,
      itemsTotal: 6000,
      ratePerSecond: 750,
      etaSeconds: 6,
    });
    expect(view.libraries.done).toBe(0);
    expect(view.items).toEqual({ done: 1500, total: 6000, phase: 'episodes', rate: '750 items/s', eta: 'about 6 s left' });
  });

  it('never shows more items done than there are', () => {
    const view = describeProgress({
      kind: 'items',
      index: 0,
      total: 1,
      serverName: 'Den',
      libraryTitle: 'Shows',
      phase: 'episodes',
      done: 120,
      itemsTotal: 100,
      ratePerSecond: 0,
      etaSeconds: null,
    });
    expect(view.items?.done).toBe(100);
  });

  it('counts a finished library as done', () => {
    const view = describeProgress({
      kind: 'library-done',
      index: 2,
      total: 3,
      report: libraryReport({ serverName: 'Den', libraryTitle: 'Kids' }),
    });
    expect(view.libraries).toEqual({ done: 3, total: 3, position: 3, label: 'Den · Kids' });
  });
});

describe('summarizeReport', () => {
  it('adds up the libraries', () => {
    const summary = summarizeReport(
      syncReport([
        libraryReport({ added: 3, updated: 1, unchanged: 10 }),
        libraryReport({ libraryTitle: 'Shows', added: 2000, removed: 4 }),
      ]),
    );
    expect(summary).toMatchObject({ libraries: 2, added: 2003, updated: 1, removed: 4, unchanged: 10, outcomes: { ok: 2, failed: 0 } });
    expect(summary.headline).toBe('2 libraries synced: 2,003 added, 1 updated, 4 removed.');
  });

  it('names failures, cancellations and servers not reached', () => {
    const summary = summarizeReport(
      syncReport(
        [libraryReport(), libraryReport({ outcome: 'failed', error: 'boom' }), libraryReport({ outcome: 'cancelled' })],
        [{ serverName: 'Attic', error: 'connection refused', errorCode: 'PLEX_NETWORK' }],
      ),
    );
    expect(summary.headline).toBe('1 library synced, 1 library failed, 1 cancelled, 1 server not reached: 0 added, 0 updated, 0 removed.');
  });

  it('explains an empty run', () => {
    expect(summarizeReport(syncReport([])).headline).toMatch(/^Nothing to sync/);
  });
});

describe('remedyFor', () => {
  it('sends a refused or unreadable token to the server editor', () => {
    expect(remedyFor('PLEX_UNAUTHORIZED')).toBe('edit-server');
    expect(remedyFor('UNAUTHORIZED')).toBe('edit-server');
    expect(remedyFor('SECRET_UNREADABLE')).toBe('edit-server');
  });

  it('sends an unreachable or moved server to the server editor to check its URL', () => {
    expect(remedyFor('PLEX_NETWORK')).toBe('check-server');
    expect(remedyFor('PLEX_TIMEOUT')).toBe('check-server');
    expect(remedyFor('UNREACHABLE')).toBe('check-server');
    expect(remedyFor('SERVER_MISMATCH')).toBe('check-server');
  });

  it('offers signing in with Plex again when the account lost access to a server', () => {
    expect(remedyFor('NEEDS_SIGN_IN')).toBe('sign-in');
  });

  it('has nothing to offer for other failures, nor without a code', () => {
    expect(remedyFor('REMOVAL_REFUSED')).toBeNull();
    expect(remedyFor('SYNC_FAILED')).toBeNull();
    expect(remedyFor(undefined)).toBeNull();
    expect(remedyFor(null)).toBeNull();
  });
});

describe('waiting for a slow server', () => {
  const waiting = {
    kind: 'waiting' as const,
    index: 1,
    total: 3,
    serverName: 'Den',
    libraryTitle: 'TV Shows',
    attempt: 2,
    maxAttempts: 4,
    reason: 'Plex did not answer within 30 s',
    retryInSeconds: 5,
  };

  it('says it waits and which attempt it is on, instead of a rate of 0 items/s', () => {
    const view = describeProgress(waiting);
    expect(view.waiting).toEqual({ text: 'Waiting for Plex… attempt 2 of 4 (retrying in 5 s)', reason: 'Plex did not answer within 30 s' });
    expect(view.items).toBeNull();
    expect(view.libraries).toMatchObject({ done: 1, total: 3, position: 2, label: 'Den · TV Shows' });
  });

  it('leaves out the countdown when there is none, and says "now" at zero', () => {
    expect(formatWaiting(3, 4, null)).toBe('Waiting for Plex… attempt 3 of 4');
    expect(formatWaiting(3, 4, 0)).toBe('Waiting for Plex… attempt 3 of 4 (retrying now)');
    expect(formatWaiting(1, 4, 90)).toBe('Waiting for Plex… attempt 1 of 4 (retrying in 1 min 30 s)');
  });

  it('says so in the sidebar line too', () => {
    expect(syncStatusLabel(waiting)).toBe('Waiting for Plex (attempt 2 of 4)');
    expect(syncStatusLabel({ kind: 'library-start', index: 1, total: 3, serverName: 'Den', libraryTitle: 'Movies' })).toBe(
      'Library 2 of 3',
    );
    expect(syncStatusLabel(null)).toBe('Starting…');
  });

  it('is not waiting on other events', () => {
    expect(describeProgress({ kind: 'library-start', index: 0, total: 1, serverName: 'Den', libraryTitle: 'Movies' }).waiting).toBeNull();
  });
});

describe('what a sync changed', () => {
  it('counts by kind, leaving out kinds that did not change', () => {
    expect(formatKindCounts({ movie: 0, show: 8, season: 12, episode: 150, artist: 0, album: 0, track: 0 })).toBe(
      '8 shows, 12 seasons, 150 episodes',
    );
    expect(formatKindCounts({ movie: 1, show: 0, season: 0, episode: 0, artist: 0, album: 0, track: 0 })).toBe('1 movie');
    expect(formatKindCounts({ movie: 0, show: 0, season: 0, episode: 0, artist: 0, album: 0, track: 0 })).toBeNull();
  });

  it('names items as people do', () => {
    expect(describeChangedItem({ kind: 'movie', title: 'Heat' })).toBe('Heat');
    expect(describeChangedItem({ kind: 'season', title: 'Season 2', show: 'Dark', season: 2 })).toBe('Dark · Season 2');
    expect(describeChangedItem({ kind: 'episode', title: 'Gray Matter', show: 'Breaking Bad', season: 1, episode: 5 })).toBe(
      'Breaking Bad · S01E05 · Gray Matter',
    );
    expect(describeChangedItem({ kind: 'episode', title: 'Special', show: 'Dark' })).toBe('Dark · Special');
  });

  it('summarizes each change that happened, with names and "and N more"', () => {
    const report = libraryReport({
      added: 170,
      removed: 1,
      counts: {
        added: { movie: 0, show: 8, season: 12, episode: 150, artist: 0, album: 0, track: 0 },
        updated: { movie: 0, show: 0, season: 0, episode: 0, artist: 0, album: 0, track: 0 },
        removed: { movie: 1, show: 0, season: 0, episode: 0, artist: 0, album: 0, track: 0 },
      },
      changes: {
        added: {
          items: [
            { kind: 'show', title: 'Dark' },
            { kind: 'episode', title: 'Secrets', show: 'Dark', season: 1, episode: 1 },
          ],
          more: 168,
        },
        updated: { items: [], more: 0 },
        removed: { items: [{ kind: 'movie', title: 'Heat' }], more: 0 },
      },
    });
    expect(summarizeChanges(report)).toEqual([
      {
        change: 'added',
        headline: '8 shows, 12 seasons, 150 episodes added',
        names: ['Dark', 'Dark · S01E01 · Secrets'],
        more: 'and 168 more',
      },
      { change: 'removed', headline: '1 movie removed', names: ['Heat'], more: null },
    ]);
  });

  it('says nothing the totals do not while an engine fills neither counts by kind nor names', () => {
    expect(summarizeChanges(libraryReport({ updated: 3 }))).toEqual([]);
    const named = libraryReport({
      updated: 3,
      changes: {
        added: { items: [], more: 0 },
        updated: { items: [{ kind: 'movie', title: 'Heat' }], more: 2 },
        removed: { items: [], more: 0 },
      },
    });
    expect(summarizeChanges(named)).toEqual([{ change: 'updated', headline: '3 items updated', names: ['Heat'], more: 'and 2 more' }]);
  });
});

describe('live catalog formatting', () => {
  it('says how long ago, to the second', () => {
    expect(formatAgo(null, 10_000)).toBe('never');
    expect(formatAgo(8_000, 10_000)).toBe('2 s ago');
    expect(formatAgo(12_000, 10_000)).toBe('0 s ago');
    expect(formatAgo(0, 5 * 60_000 + 3_000)).toBe('5 min ago');
    expect(formatAgo(0, 3 * 3_600_000)).toBe('3 h ago');
    expect(formatAgo(0, 2 * 86_400_000)).toBe('2 d ago');
  });

  it('names every mode', () => {
    expect(describeLiveMode('polling')).toMatchObject({ label: 'Polling', tone: 'warn' });
    expect(describeLiveMode('signed-out')).toMatchObject({ label: 'Signed out', tone: 'failed' });
    expect(describeLiveMode('live').label).toBe('Live');
  });

  it('writes a feed line with its library, and the "more" line of a sync', () => {
    const base = { seq: 1, at: 0, serverId: 1, serverName: 'Den', libraryTitle: 'TV', more: 0 } as const;
    expect(
      describeLiveChange({ ...base, change: 'added', item: { kind: 'episode', title: 'Pilot', show: 'Lost', season: 1, episode: 1 } }),
    ).toEqual({ verb: 'Added', what: 'Lost · S01E01 · Pilot', where: 'TV · Den' });
    expect(describeLiveChange({ ...base, change: 'removed', item: null, more: 12 })).toEqual({
      verb: 'Removed',
      what: 'and 12 more items',
      where: 'TV · Den',
    });
    expect(describeLiveChange({ ...base, libraryTitle: '', change: 'updated', item: { kind: 'movie', title: 'Heat' } }).where).toBe('Den');
  });
});

describe('technical line', () => {
  const version = (fields: Partial<TechnicalVersion>): TechnicalVersion => ({
    resolution: null,
    height: null,
    videoCodec: null,
    hdr: null,
    audioCodec: null,
    audioChannels: null,
    audioProfile: null,
    files: [],
    ...fields,
  });

  it('reads as people name a file: video, audio, size', () => {
    const gb = 1024 ** 3;
    expect(
      technicalLine(
        version({
          resolution: '4k',
          videoCodec: 'hevc',
          hdr: 'hdr10',
          audioCodec: 'truehd',
          audioChannels: 8,
          files: [{ size: 58.2 * gb }],
        }),
      ),
    ).toBe('2160p HEVC HDR10 · TrueHD 7.1 · 58.2 GB');
    expect(technicalLine(version({ resolution: '1080', videoCodec: 'h264', audioCodec: 'ac3', audioChannels: 6 }))).toBe(
      '1080p H.264 · AC-3 5.1',
    );
    expect(technicalLine(version({ resolution: 'sd', videoCodec: 'mpeg2video', audioCodec: 'aac', audioChannels: 2 }))).toBe(
      'SD MPEG-2 · AAC 2.0',
    );
    expect(technicalLine(version({ audioCodec: 'dca', audioProfile: 'ma', audioChannels: 8 }))).toBe('DTS-HD MA 7.1');
    expect(technicalLine(version({ hdr: 'dolby-vision', videoCodec: 'hevc', height: 2160 }))).toBe('2160p HEVC Dolby Vision');
  });

  it('adds the sizes of stacked parts, and leaves out what is unknown', () => {
    expect(technicalLine(version({ files: [{ size: 1024 ** 3 }, { size: 1024 ** 3 }] }))).toBe('2.0 GB');
    expect(technicalLine(version({ videoCodec: 'weird', files: [{ size: 1 }, { size: null }] }))).toBe('WEIRD');
    expect(technicalLine(version({ audioChannels: 12 }))).toBe('12ch');
    expect(technicalLine(version({}))).toBe('');
  });

  it('names resolutions, kinds and duplicates', () => {
    expect(resolutionLabel('720')).toBe('720p');
    expect(resolutionLabel(null, 576)).toBe('576p');
    expect(resolutionLabel(null)).toBeNull();
    expect(kindName('movie', 1)).toBe('movie');
    expect(kindName('album', 2)).toBe('albums');
    expect(kindName('podcast', 2)).toBe('podcasts');
    expect(kindName(null, 3)).toBe('titles');
    expect(kindLabel('episode')).toBe('Episodes');
    expect(describeAlsoIn([])).toBeNull();
    expect(
      describeAlsoIn([
        { libraryTitle: '4K Movies', serverName: 'Home' },
        { libraryTitle: 'Movies', serverName: 'Office' },
      ]),
    ).toBe('also in 4K Movies (Home), Movies (Office)');
  });
});
