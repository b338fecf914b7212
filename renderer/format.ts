// Pure formatting and summarizing for the views: no React, no DOM, so they are unit-tested in Node.
import type { ChangedItem, ChangeList, ItemKind, KindCounts, LibrarySyncOutcome, SyncProgress, SyncReport } from '../shared/domain.js';
import type { ErrorCode } from '../shared/errors.js';
import type { LiveChange, LiveIndicator } from '../shared/ipc.js';

const counts = new Intl.NumberFormat('en-US');

export function formatCount(value: number): string {
  return counts.format(Math.round(value));
}

/** "1 movie", "2,000 movies". */
export function plural(value: number, one: string, many = `${one}s`): string {
  return `${formatCount(value)} ${value === 1 ? one : many}`;
}

/** A duration for humans: "45 s", "3 min 05 s", "2 h 07 min". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.ceil(totalSeconds));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${pad2(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${pad2(minutes % 60)} min`;
}

/** Time left as shown beside a progress bar; null while the rate is still unknown. */
export function formatEta(etaSeconds: number | null): string {
  if (etaSeconds === null || !Number.isFinite(etaSeconds)) return 'estimating time left…';
  if (etaSeconds < 1) return 'almost done';
  return `about ${formatDuration(etaSeconds)} left`;
}

/** Items per second: one decimal below 10 so a slow start does not read as zero. */
export function formatRate(ratePerSecond: number): string {
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) return '0 items/s';
  const shown = ratePerSecond < 10 ? ratePerSecond.toFixed(1) : formatCount(ratePerSecond);
  return `${shown} items/s`;
}

/** Epoch seconds (as the catalog stores them) relative to now: "never", "just now", "5 min ago", a date. */
export function formatWhen(epochSeconds: number | null, nowMs: number = Date.now()): string {
  if (epochSeconds === null) return 'never';
  const ago = Math.floor(nowMs / 1000 - epochSeconds);
  if (ago < 60) return 'just now';
  if (ago < 3600) return `${Math.floor(ago / 60)} min ago`;
  if (ago < 86_400) return `${Math.floor(ago / 3600)} h ago`;
  const date = new Date(epochSeconds * 1000);
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())} ${pad2(date.getHours())}:${pad2(date.getMinutes())}`;
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

// ---- sync progress ----------------------------------------------------------------------------

export interface ProgressView {
  libraries: { done: number; total: number; position: number; label: string };
  /** Items of the current library; null between libraries (the bar shows as waiting). */
  items: { done: number; total: number; phase: string; rate: string; eta: string } | null;
  /** Plex is slow or failing and the engine waits before asking again; null otherwise. */
  waiting: { text: string; reason: string } | null;
}

/**
 * Both progress bars from the latest event alone (the store keeps no history): the library bar counts
 * finished libraries, `position` is the 1-based library being worked on.
 */
export function describeProgress(event: SyncProgress): ProgressView {
  switch (event.kind) {
    case 'library-start':
      return {
        libraries: {
          done: event.index,
          total: event.total,
          position: event.index + 1,
          label: `${event.serverName} · ${event.libraryTitle}`,
        },
        items: null,
        waiting: null,
      };
    case 'waiting':
      return {
        libraries: {
          done: event.index,
          total: event.total,
          position: event.index + 1,
          label: `${event.serverName} · ${event.libraryTitle}`,
        },
        items: null,
        waiting: { text: formatWaiting(event.attempt, event.maxAttempts, event.retryInSeconds), reason: event.reason },
      };
    case 'items':
      return {
        libraries: {
          done: event.index,
          total: event.total,
          position: event.index + 1,
          label: `${event.serverName} · ${event.libraryTitle}`,
        },
        items: {
          done: Math.min(event.done, event.itemsTotal),
          total: event.itemsTotal,
          phase: event.phase,
          rate: formatRate(event.ratePerSecond),
          eta: formatEta(event.etaSeconds),
        },
        waiting: null,
      };
    case 'library-done':
      return {
        libraries: {
          done: event.index + 1,
          total: event.total,
          position: event.index + 1,
          label: `${event.report.serverName} · ${event.report.libraryTitle}`,
        },
        items: null,
        waiting: null,
      };
  }
}

/** The sidebar's line while a sync runs; a slow server is named there too, not only on the Sync screen. */
export function syncStatusLabel(progress: SyncProgress | null): string {
  if (progress === null) return 'Starting…';
  if (progress.kind === 'waiting')
    return `Waiting for Plex (attempt ${formatCount(progress.attempt)} of ${formatCount(progress.maxAttempts)})`;
  return `Library ${formatCount(Math.min(progress.index + 1, progress.total))} of ${formatCount(progress.total)}`;
}

/** "Waiting for Plex… attempt 2 of 4 (retrying in 5 s)": said instead of a rate of 0 items/s. */
export function formatWaiting(attempt: number, maxAttempts: number, retryInSeconds: number | null): string {
  const retry = retryInSeconds === null ? '' : retryInSeconds <= 0 ? ' (retrying now)' : ` (retrying in ${formatDuration(retryInSeconds)})`;
  return `Waiting for Plex… attempt ${formatCount(attempt)} of ${formatCount(maxAttempts)}${retry}`;
}

// ---- reports ----------------------------------------------------------------------------------

export interface ReportSummary {
  libraries: number;
  outcomes: Record<LibrarySyncOutcome, number>;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  serverErrors: number;
  headline: string;
}

/** Totals over a sync's libraries and a one-line headline for the report. */
export function summarizeReport(report: SyncReport): ReportSummary {
  const summary: ReportSummary = {
    libraries: report.libraries.length,
    outcomes: { ok: 0, failed: 0, cancelled: 0, skipped: 0 },
    added: 0,
    updated: 0,
    removed: 0,
    unchanged: 0,
    serverErrors: report.serverErrors.length,
    headline: '',
  };
  for (const library of report.libraries) {
    summary.outcomes[library.outcome] += 1;
    summary.added += library.added;
    summary.updated += library.updated;
    summary.removed += library.removed;
    summary.unchanged += library.unchanged;
  }
  summary.headline = headlineOf(summary);
  return summary;
}

function headlineOf(summary: ReportSummary): string {
  const changes = `${formatCount(summary.added)} added, ${formatCount(summary.updated)} updated, ${formatCount(summary.removed)} removed`;
  const problems: string[] = [];
  if (summary.outcomes.failed > 0) problems.push(`${plural(summary.outcomes.failed, 'library', 'libraries')} failed`);
  if (summary.outcomes.cancelled > 0) problems.push(`${formatCount(summary.outcomes.cancelled)} cancelled`);
  if (summary.serverErrors > 0) problems.push(`${plural(summary.serverErrors, 'server')} not reached`);
  if (summary.libraries === 0 && summary.serverErrors === 0)
    return 'Nothing to sync: no active server has an enabled movie or show library.';
  const synced = `${plural(summary.outcomes.ok, 'library', 'libraries')} synced`;
  return problems.length === 0 ? `${synced}: ${changes}.` : `${synced}, ${problems.join(', ')}: ${changes}.`;
}

export const OUTCOME_LABELS: Record<LibrarySyncOutcome, string> = {
  ok: 'OK',
  failed: 'Failed',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
};

// ---- what a library's sync changed ----------------------------------------------------------------

const KIND_ORDER: readonly ItemKind[] = ['movie', 'show', 'season', 'episode', 'artist', 'album', 'track'];
const KIND_PLURALS: Record<ItemKind, string> = {
  movie: 'movies',
  show: 'shows',
  season: 'seasons',
  episode: 'episodes',
  artist: 'artists',
  album: 'albums',
  track: 'tracks',
};

/** "8 shows, 12 seasons, 150 episodes" (kinds that did not change left out); null when nothing changed. */
export function formatKindCounts(counts: KindCounts): string | null {
  const parts = KIND_ORDER.filter((kind) => counts[kind] > 0).map((kind) => plural(counts[kind], kind, KIND_PLURALS[kind]));
  return parts.length === 0 ? null : parts.join(', ');
}

/** An added, updated or removed item as a person names it: "Breaking Bad · S01E05 · Gray Matter". */
export function describeChangedItem(item: ChangedItem): string {
  switch (item.kind) {
    case 'movie':
    case 'show':
    case 'artist':
      return item.title;
    case 'album':
      return item.show === undefined ? item.title : `${item.show} · ${item.title}`;
    case 'track':
      return [item.show, item.episode === undefined ? null : String(item.episode), item.title]
        .filter((part) => part !== undefined && part !== null)
        .join(' · ');
    case 'season': {
      const season = item.season === undefined ? item.title : `Season ${item.season}`;
      return item.show === undefined ? season : `${item.show} · ${season}`;
    }
    case 'episode': {
      const code = episodeCode(item.season ?? null, item.episode ?? null);
      return [item.show, code === '' ? null : code, item.title].filter((part) => part !== undefined && part !== null).join(' · ');
    }
  }
}

export interface ChangeSummary {
  change: 'added' | 'updated' | 'removed';
  /** "8 shows, 12 seasons, 150 episodes added"; the total ("3 items added") when only names are known. */
  headline: string;
  names: string[];
  /** "and 3 more", or null when every changed item is named. */
  more: string | null;
}

const CHANGES = ['added', 'updated', 'removed'] as const;

/** Per change that happened: counts by kind and the items by name (up to CHANGED_ITEMS_LIMIT, then "and N more"). */
export function summarizeChanges(report: {
  added: number;
  updated: number;
  removed: number;
  counts: Record<(typeof CHANGES)[number], KindCounts>;
  changes: Record<(typeof CHANGES)[number], ChangeList>;
}): ChangeSummary[] {
  const summaries: ChangeSummary[] = [];
  for (const change of CHANGES) {
    const byKind = formatKindCounts(report.counts[change]);
    const list = report.changes[change];
    // Without counts by kind or names there is nothing to add to the report's Added/Updated/Removed columns.
    if (byKind === null && list.items.length === 0) continue;
    const names = list.items.map(describeChangedItem);
    const more = list.more > 0 ? `and ${formatCount(list.more)} more` : null;
    summaries.push({ change, headline: `${byKind ?? plural(report[change], 'item')} ${change}`, names, more });
  }
  return summaries;
}

// ---- what the user can do about an error --------------------------------------------------------

export type ErrorRemedy = 'edit-server' | 'check-server' | 'sign-in' | null;

/**
 * Which screen can fix each failure, by code (a Record: a new code without a decision fails tsc). A refused
 * or unreadable token is fixed by entering it again, a server that cannot be reached (or answers at the wrong
 * address) by checking its URL; both in the server editor. A server of the Plex account whose access was
 * refused (NEEDS_SIGN_IN) is fixed by signing in with Plex again.
 */
const REMEDIES: Record<ErrorCode, ErrorRemedy> = {
  PLEX_UNAUTHORIZED: 'edit-server',
  UNAUTHORIZED: 'edit-server',
  NEEDS_SIGN_IN: 'sign-in',
  SECRET_UNREADABLE: 'edit-server',
  PLEX_NETWORK: 'check-server',
  PLEX_TIMEOUT: 'check-server',
  PLEX_WRONG_PROTOCOL: 'check-server',
  PLEX_URL_HAS_PATH: 'check-server',
  UNREACHABLE: 'check-server',
  SERVER_MISMATCH: 'check-server',
  PLEX_NOT_FOUND: null,
  PLEX_BAD_RESPONSE: null,
  PLEX_HTTP: null,
  PLEX_ABORTED: null,
  PLEX_RESPONSE_TOO_LARGE: null,
  PLEX_LISTING_TOO_LONG: null,
  CATALOG_CONFLICT: null,
  CATALOG_NOT_FOUND: null,
  CATALOG_INVALID: null,
  LIBRARY_AMBIGUOUS: null,
  CATALOG_MISSING: null,
  CATALOG_FOREIGN: null,
  CATALOG_READ_ONLY: null,
  CATALOG_BUSY: null,
  CATALOG_WRITE_FAILED: null,
  MIGRATIONS_INVALID: null,
  MIGRATION_FAILED: null,
  CATALOG_TOO_NEW: null,
  CATALOG_OUTDATED: null,
  SECRET_KEY_INSECURE: null,
  SECRET_KEY_INVALID: null,
  LIBRARY_NOT_FOUND: null,
  LIBRARY_NOT_SYNCABLE: null,
  NOT_A_SHOW: null,
  SEARCH_TEXT_EMPTY: null,
  PLEX_ROWS_UNLISTED: null,
  REMOVAL_REFUSED: null,
  SYNC_FAILED: null,
  INVALID_INPUT: null,
  NOT_FOUND: null,
  CONFLICT: null,
  BUSY: null,
  FAILED: null,
  WORKER_FAILED: null,
};

/** Which screen can fix the error, decided by its code alone (never by its text); null without a code. */
export function remedyFor(code: ErrorCode | null | undefined): ErrorRemedy {
  return code === null || code === undefined ? null : REMEDIES[code];
}

/** The provider's name as people write it. */
export function externalIdLabel(provider: string): string {
  switch (provider) {
    case 'imdb':
      return 'IMDb';
    case 'tmdb':
      return 'TMDB';
    case 'tvdb':
      return 'TVDB';
    case 'plex':
      return 'Plex';
    default:
      return provider;
  }
}

/** Placeholder poster text: the initials of the first two words. */
export function initialsOf(title: string): string {
  const words = title
    .replace(/^(the|a|an)\s+/i, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
  return words
    .slice(0, 2)
    .map((word) => [...word][0]?.toUpperCase() ?? '')
    .join('');
}

/** "S01E05", or what is known of it. */
export function episodeCode(seasonNumber: number | null, episodeNumber: number | null): string {
  const season = seasonNumber === null ? '' : `S${pad2(seasonNumber)}`;
  const episode = episodeNumber === null ? '' : `E${pad2(episodeNumber)}`;
  return `${season}${episode}`;
}

// ---- the live catalog -------------------------------------------------------------------------

/** Milliseconds since the epoch relative to now, to the second: "never", "2 s ago", "5 min ago", "3 h ago", "4 d ago". */
export function formatAgo(epochMs: number | null, nowMs: number = Date.now()): string {
  if (epochMs === null) return 'never';
  const seconds = Math.max(0, Math.floor((nowMs - epochMs) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

export interface LiveModeView {
  label: string;
  tone: 'ok' | 'warn' | 'failed' | 'muted' | 'info';
  /** What the mode means for the catalog, for a tooltip and screen readers. */
  explanation: string;
}

const LIVE_MODES: Record<LiveIndicator, LiveModeView> = {
  live: { label: 'Live', tone: 'ok', explanation: 'Plex tells Marquee about every change as it happens.' },
  connecting: { label: 'Connecting', tone: 'info', explanation: 'Opening the notification socket.' },
  reconnecting: { label: 'Reconnecting', tone: 'warn', explanation: 'The socket dropped; changes are caught up when it is back.' },
  polling: {
    label: 'Polling',
    tone: 'warn',
    explanation: 'No notification socket (a proxy or relay may block it): Marquee checks for changes every few minutes.',
  },
  'signed-out': {
    label: 'Signed out',
    tone: 'failed',
    explanation: 'Plex refuses the saved token: sign in with Plex again, or enter a new token in the server editor.',
  },
  stopped: { label: 'Not live', tone: 'muted', explanation: 'The catalog changes only when you sync.' },
};

export function describeLiveMode(mode: LiveIndicator): LiveModeView {
  return LIVE_MODES[mode];
}

const CHANGE_VERBS: Record<LiveChange['change'], string> = { added: 'Added', updated: 'Updated', removed: 'Removed' };

/** One line of the feed: "Added", "Breaking Bad S01E02 · Cat's in the Bag" (or "and 12 more"), "Movies · Home". */
export function describeLiveChange(change: LiveChange): { verb: string; what: string; where: string } {
  const what = change.item === null ? `and ${plural(change.more, 'more item')}` : describeChangedItem(change.item);
  const where = change.libraryTitle === '' ? change.serverName : `${change.libraryTitle} · ${change.serverName}`;
  return { verb: CHANGE_VERBS[change.change], what, where };
}

/** A countdown as a clock: "29:41", "0:05". */
export function formatClock(totalSeconds: number): string {
  const seconds = Math.max(0, Math.ceil(totalSeconds));
  return `${Math.floor(seconds / 60)}:${pad2(seconds % 60)}`;
}

const CONNECTION_KIND_LABELS: Record<'local' | 'remote' | 'relay', string> = { local: 'Local', remote: 'Remote', relay: 'Relay' };

/** "Local · 3 ms", "Relay · 120 ms", "Remote" (latency unknown). */
export function describeConnection(kind: 'local' | 'remote' | 'relay', latencyMs: number | null): string {
  return latencyMs === null ? CONNECTION_KIND_LABELS[kind] : `${CONNECTION_KIND_LABELS[kind]} · ${formatCount(latencyMs)} ms`;
}

/** What a version's technical line needs: a structural subset of ItemVersion (tests build it by hand). */
export interface TechnicalVersion {
  resolution: string | null;
  height: number | null;
  videoCodec: string | null;
  hdr: string | null;
  audioCodec: string | null;
  audioChannels: number | null;
  audioProfile: string | null;
  files: { size: number | null }[];
}

const VIDEO_CODECS: Record<string, string> = {
  hevc: 'HEVC',
  h265: 'HEVC',
  h264: 'H.264',
  avc: 'H.264',
  av1: 'AV1',
  vp9: 'VP9',
  mpeg2video: 'MPEG-2',
  mpeg4: 'MPEG-4',
  vc1: 'VC-1',
};
const HDR_LABELS: Record<string, string> = { 'dolby-vision': 'Dolby Vision', hdr10: 'HDR10', 'hdr10+': 'HDR10+', hlg: 'HLG' };
const AUDIO_CODECS: Record<string, string> = {
  truehd: 'TrueHD',
  eac3: 'E-AC-3',
  ac3: 'AC-3',
  dca: 'DTS',
  dts: 'DTS',
  aac: 'AAC',
  flac: 'FLAC',
  mp3: 'MP3',
  opus: 'Opus',
  pcm: 'PCM',
  vorbis: 'Vorbis',
};
const CHANNEL_LAYOUTS: Record<number, string> = { 1: '1.0', 2: '2.0', 3: '2.1', 6: '5.1', 7: '6.1', 8: '7.1' };

/** Plex's videoResolution as people say it: 4k → 2160p, 1080 → 1080p, sd → SD; else the height if known. */
export function resolutionLabel(resolution: string | null, height: number | null = null): string | null {
  if (resolution !== null) {
    const lower = resolution.toLowerCase();
    if (lower === '4k') return '2160p';
    if (lower === '8k') return '4320p';
    if (lower === 'sd') return 'SD';
    if (/^\d+$/.test(lower)) return `${lower}p`;
    return resolution;
  }
  return height === null ? null : `${height}p`;
}

function audioLabel(codec: string | null, profile: string | null, channels: number | null): string | null {
  let name = codec === null ? null : (AUDIO_CODECS[codec.toLowerCase()] ?? codec.toUpperCase());
  // DTS's profiles are what people name it by: DTS-HD MA, DTS:X.
  if (name === 'DTS' && profile !== null)
    name = profile.toLowerCase() === 'ma' ? 'DTS-HD MA' : profile.toLowerCase() === 'x' ? 'DTS:X' : name;
  const layout = channels === null ? null : (CHANNEL_LAYOUTS[channels] ?? `${channels}ch`);
  const parts = [name, layout].filter((part): part is string => part !== null);
  return parts.length === 0 ? null : parts.join(' ');
}

/**
 * One version's technical line: "2160p HEVC HDR10 · TrueHD 7.1 · 58.2 GB" (video, audio, the size of its files).
 * What is unknown is left out; an empty string when nothing is known.
 */
export function technicalLine(version: TechnicalVersion): string {
  const codec = version.videoCodec === null ? null : (VIDEO_CODECS[version.videoCodec.toLowerCase()] ?? version.videoCodec.toUpperCase());
  const hdr = version.hdr === null ? null : (HDR_LABELS[version.hdr.toLowerCase()] ?? version.hdr.toUpperCase());
  const video = [resolutionLabel(version.resolution, version.height), codec, hdr].filter((part): part is string => part !== null).join(' ');
  const sizes = version.files.map((file) => file.size);
  const size =
    sizes.length === 0 || sizes.some((value) => value === null) ? null : sizes.reduce<number>((sum, value) => sum + (value ?? 0), 0);
  return [
    video === '' ? null : video,
    audioLabel(version.audioCodec, version.audioProfile, version.audioChannels),
    size === null ? null : formatBytes(size),
  ]
    .filter((part): part is string => part !== null)
    .join(' · ');
}

/** "also in 4K Movies (Home), Movies (Office)"; null when the title is nowhere else. */
export function describeAlsoIn(copies: readonly { libraryTitle: string; serverName: string }[]): string | null {
  if (copies.length === 0) return null;
  return `also in ${copies.map((copy) => `${copy.libraryTitle} (${copy.serverName})`).join(', ')}`;
}

const KIND_NAMES: Record<string, [one: string, many: string]> = {
  movie: ['movie', 'movies'],
  show: ['show', 'shows'],
  season: ['season', 'seasons'],
  episode: ['episode', 'episodes'],
  artist: ['artist', 'artists'],
  album: ['album', 'albums'],
  track: ['track', 'tracks'],
};

/** A kind's name for a count ("1 movie", "3 albums"); kinds are data, an unknown one reads as itself. */
export function kindName(kind: string | null, count: number): string {
  if (kind === null) return count === 1 ? 'title' : 'titles';
  const names = KIND_NAMES[kind] ?? [kind, `${kind}s`];
  return count === 1 ? names[0] : names[1];
}

/** A kind as a filter's label: "Movies", "Albums". */
export function kindLabel(kind: string): string {
  const many = kindName(kind, 2);
  return many.charAt(0).toUpperCase() + many.slice(1);
}

/** A 0–10 rating as shown: "8.7". */
export function formatRating(value: number | null): string | null {
  return value === null ? null : value.toFixed(1);
}
