// `marquee export --csv`: one row per movie, show and episode, for spreadsheets. Pure formatting of the export's
// rows (main/catalog/export.ts); the columns and their meaning are documented in the README ("export --csv").
import type { ExportRow, ExportVersion } from '../catalog/export.js';

/** Multi-valued cells (tags, files, languages) join their values with this, as the issue asks. */
export const CSV_LIST_SEPARATOR = '; ';

type Cell = string | number | null | undefined;

interface CsvColumn {
  header: string;
  cell: (row: ExportRow, version: ExportVersion | undefined) => Cell;
}

const list = (values: readonly string[] | null | undefined): string => (values ?? []).join(CSV_LIST_SEPARATOR);

/** Rows that are files (movies, episodes, tracks) have files and versions; shows, artists and albums none. */
const hasFiles = (row: ExportRow): row is Extract<ExportRow, { files: unknown }> => 'files' in row;
const isMusic = (row: ExportRow): row is Extract<ExportRow, { type: 'album' | 'track' }> => row.type === 'album' || row.type === 'track';

/** The columns, in order. Technical columns describe the first version; `versions` says how many there are. */
export const CSV_COLUMNS: readonly CsvColumn[] = [
  { header: 'id', cell: (r) => r.id },
  { header: 'server', cell: (r) => r.server },
  { header: 'library', cell: (r) => r.library },
  { header: 'type', cell: (r) => r.type },
  { header: 'ratingKey', cell: (r) => r.ratingKey },
  { header: 'title', cell: (r) => r.title },
  { header: 'originalTitle', cell: (r) => r.originalTitle },
  { header: 'titleSort', cell: (r) => r.titleSort },
  { header: 'year', cell: (r) => r.year },
  { header: 'show', cell: (r) => (r.type === 'episode' ? r.show : null) },
  { header: 'season', cell: (r) => (r.type === 'episode' ? r.season : null) },
  { header: 'episode', cell: (r) => (r.type === 'episode' ? r.episode : null) },
  { header: 'edition', cell: (r) => (r.type === 'movie' ? r.edition : null) },
  { header: 'contentRating', cell: (r) => r.contentRating },
  { header: 'studio', cell: (r) => r.studio },
  { header: 'criticRating', cell: (r) => r.criticRating },
  { header: 'criticRatingImage', cell: (r) => r.criticRatingImage },
  { header: 'audienceRating', cell: (r) => r.audienceRating },
  { header: 'audienceRatingImage', cell: (r) => r.audienceRatingImage },
  { header: 'genres', cell: (r) => list(r.genres) },
  { header: 'labels', cell: (r) => list(r.labels) },
  { header: 'collections', cell: (r) => list(r.collections) },
  { header: 'countries', cell: (r) => list(r.countries) },
  { header: 'directors', cell: (r) => list(r.directors) },
  { header: 'writers', cell: (r) => list(r.writers) },
  { header: 'actors', cell: (r) => list(r.actors) },
  { header: 'imdb', cell: (r) => r.guids.imdb },
  { header: 'tmdb', cell: (r) => r.guids.tmdb },
  { header: 'tvdb', cell: (r) => r.guids.tvdb },
  { header: 'plex', cell: (r) => r.guids.plex },
  { header: 'versions', cell: (r) => (hasFiles(r) ? r.versions.length : null) },
  { header: 'resolution', cell: (_r, v) => v?.resolution },
  { header: 'width', cell: (_r, v) => v?.width },
  { header: 'height', cell: (_r, v) => v?.height },
  { header: 'videoCodec', cell: (_r, v) => v?.videoCodec },
  { header: 'videoProfile', cell: (_r, v) => v?.videoProfile },
  { header: 'frameRate', cell: (_r, v) => v?.frameRate },
  { header: 'aspectRatio', cell: (_r, v) => v?.aspectRatio },
  { header: 'bitrate', cell: (_r, v) => v?.bitrate },
  { header: 'hdr', cell: (_r, v) => v?.hdr },
  { header: 'audioCodec', cell: (_r, v) => v?.audioCodec },
  { header: 'audioChannels', cell: (_r, v) => v?.audioChannels },
  { header: 'audioProfile', cell: (_r, v) => v?.audioProfile },
  { header: 'audioLanguages', cell: (_r, v) => list(v?.audioLanguages) },
  { header: 'subtitleLanguages', cell: (_r, v) => list(v?.subtitleLanguages) },
  { header: 'container', cell: (_r, v) => v?.container },
  { header: 'durationMs', cell: (_r, v) => v?.durationMs },
  { header: 'plexPaths', cell: (r) => (hasFiles(r) ? list(r.files.map((f) => f.plexPath)) : null) },
  { header: 'localPaths', cell: (r) => (hasFiles(r) ? list(r.files.map((f) => f.localPath)) : null) },
  { header: 'addedAt', cell: (r) => r.addedAt },
  { header: 'updatedAt', cell: (r) => r.updatedAt },
  { header: 'tagline', cell: (r) => r.tagline },
  { header: 'summary', cell: (r) => r.summary },
  // Music and audiobooks (appended: earlier columns keep their places).
  { header: 'artist', cell: (r) => (isMusic(r) ? r.artist : null) },
  { header: 'album', cell: (r) => (r.type === 'track' ? r.album : null) },
  { header: 'disc', cell: (r) => (r.type === 'track' ? r.disc : null) },
  { header: 'track', cell: (r) => (r.type === 'track' ? r.track : null) },
  { header: 'author', cell: (r) => (isMusic(r) ? r.author : null) },
  { header: 'asin', cell: (r) => (isMusic(r) ? r.asin : r.guids.asin) },
  { header: 'mbid', cell: (r) => r.guids.mbid },
  // Appended after the others: columns are only ever added at the end.
  { header: 'groupId', cell: (r) => r.groupId },
];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled. A carriage
 * return becomes a line feed: the CLI's terminal-safe output never lets a bare CR through, and a spreadsheet
 * reads a line feed inside quotes the same. Empty for null.
 */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : value.replace(/\r\n?/g, '\n');
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.map((column) => csvField(column.header)).join(',')}\n`;
}

/** One record, ending in a line feed (records never contain a bare one outside quotes). */
export function csvRecord(row: ExportRow): string {
  const version = hasFiles(row) ? row.versions[0] : undefined;
  return `${CSV_COLUMNS.map((column) => csvField(column.cell(row, version))).join(',')}\n`;
}
