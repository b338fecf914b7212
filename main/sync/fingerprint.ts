// An item's fingerprint: a hash of every field the catalog stores, compared with the stored one to skip items
// that did not change. Pure: no SQL, no HTTP.
//
// The hash runs over the fields themselves, two 32-bit lanes (FNV-1a, and a rotate-xor-multiply lane), with a
// type tag before every value and the length before every string, so that no two different records feed it
// the same sequence. Until 2026-12 the fingerprint was sha1 of the values serialised as JSON: the string built
// for it cost more than the hash, 0.5 s of a 146,000-item import with the garbage it left (bench, alternating
// runs). A collision costs at most one skipped update of an item whose new fields hash like its old ones.
import { hash } from 'node:crypto';
import type { CatalogItemInput, CatalogVersionInput } from '../catalog/item-input.js';

/** Fingerprints of this kind start with it; anything else stored is older (legacyFingerprintOf) or a stub. */
export const FINGERPRINT_PREFIX = 'v2:';

export function isCurrentFingerprint(fingerprint: string): boolean {
  return fingerprint.startsWith(FINGERPRINT_PREFIX);
}

type Fingerprinted = Omit<CatalogItemInput, 'fingerprint'>;

/** The two lanes, module state: one fingerprint is computed at a time (synchronously). */
let laneA = 0;
let laneB = 0;
const NUMBER_BITS = new Float64Array(1);
const NUMBER_WORDS = new Uint32Array(NUMBER_BITS.buffer);

/** Type tags: a null, a number, a string, a list and an absent part never feed the lanes alike. */
const Tag = { Null: 0x7f000001, Number: 0x7f000002, Text: 0x7f000003, List: 0x7f000004, Absent: 0x7f000005 } as const;

function word(value: number): void {
  laneA = Math.imul(laneA ^ value, 0x01000193);
  laneB = Math.imul(((laneB << 5) | (laneB >>> 27)) ^ value, 0x9e3779b1);
}

function text(value: string): void {
  word(Tag.Text);
  word(value.length);
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    laneA = Math.imul(laneA ^ code, 0x01000193);
    laneB = Math.imul(((laneB << 5) | (laneB >>> 27)) ^ code, 0x9e3779b1);
  }
}

function value(field: string | number | null | undefined): void {
  if (field === null || field === undefined) word(Tag.Null);
  else if (typeof field === 'number') {
    // The exact bits: 6.6 and 6.6000001 differ, 1 and 1.0 do not.
    NUMBER_BITS[0] = field;
    word(Tag.Number);
    word(NUMBER_WORDS[0] ?? 0);
    word(NUMBER_WORDS[1] ?? 0);
  } else text(field);
}

function list(items: readonly string[] | null): void {
  if (items === null) return word(Tag.Null);
  word(Tag.List);
  word(items.length);
  for (const item of items) text(item);
}

/** Murmur3's finaliser: every input bit reaches every output bit. */
function avalanche(lane: number): number {
  let h = lane;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Char codes of 0-9a-f. */
const HEX_DIGITS = Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));

/** The hex digit of `value` at bit `shift`. */
function hex(value: number, shift: number): number {
  return HEX_DIGITS[(value >>> shift) & 15] ?? 48;
}

/** Both lanes as 16 hex digits, in one string (toString(16) and padding cost a tenth of the whole hash). */
function hexOf(a: number, b: number): string {
  return String.fromCharCode(
    hex(a, 28),
    hex(a, 24),
    hex(a, 20),
    hex(a, 16),
    hex(a, 12),
    hex(a, 8),
    hex(a, 4),
    hex(a, 0),
    hex(b, 28),
    hex(b, 24),
    hex(b, 20),
    hex(b, 16),
    hex(b, 12),
    hex(b, 8),
    hex(b, 4),
    hex(b, 0),
  );
}

/**
 * `v2:` and 16 hex digits. Every field is read by name, in the order of the catalog's field lists
 * (catalog/item-fields.ts): walking those lists by key cost a third more (megamorphic loads). The tests change
 * each field of a full record in turn, found by walking the record, so a field left out here fails them.
 */
export function fingerprintOf(record: Fingerprinted): string {
  laneA = 0x811c9dc5;
  laneB = 0x2545f491;
  const r = record;
  value(r.kind);
  value(r.ratingKey);
  value(r.guid);
  value(r.title);
  value(r.year);
  value(r.addedAt);
  value(r.updatedAt);
  value(r.originallyAvailableAt);
  value(r.durationMs);
  value(r.leafCount);
  value(r.childCount);
  value(r.showRatingKey);
  value(r.showTitle);
  value(r.seasonRatingKey);
  value(r.seasonTitle);
  value(r.seasonNumber);
  value(r.episodeNumber);
  const ids = r.externalIds;
  value(ids.imdb);
  value(ids.tmdb);
  value(ids.tvdb);
  value(ids.plex);
  value(ids.asin);
  value(ids.mbid);
  word(Tag.List);
  word(r.files.length);
  for (const f of r.files) {
    value(f.mediaIndex);
    value(f.partIndex);
    value(f.plexPath);
    value(f.size);
    value(f.durationMs);
    value(f.container);
  }
  details(r.details);
  if (r.tags === undefined) word(Tag.Absent);
  else {
    word(Tag.List);
    word(r.tags.length);
    for (const tag of r.tags) {
      text(tag.kind);
      text(tag.name);
    }
  }
  if (r.versions === undefined) word(Tag.Absent);
  else {
    word(Tag.List);
    word(r.versions.length);
    for (const v of r.versions) version(v);
  }
  return FINGERPRINT_PREFIX + hexOf(avalanche(laneA), avalanche(laneB));
}

function details(d: Fingerprinted['details']): void {
  if (d === undefined) return word(Tag.Absent);
  value(d.summary);
  value(d.tagline);
  value(d.contentRating);
  value(d.studio);
  value(d.originalTitle);
  value(d.titleSort);
  value(d.edition);
  value(d.criticRating);
  value(d.criticRatingImage);
  value(d.audienceRating);
  value(d.audienceRatingImage);
}

function version(v: CatalogVersionInput): void {
  value(v.mediaIndex);
  value(v.resolution);
  value(v.width);
  value(v.height);
  value(v.videoCodec);
  value(v.videoProfile);
  value(v.frameRate);
  value(v.aspectRatio);
  value(v.bitrate);
  value(v.audioCodec);
  value(v.audioChannels);
  value(v.audioProfile);
  value(v.container);
  value(v.durationMs);
  value(v.hdr);
  list(v.audioLanguages);
  list(v.subtitleLanguages);
}

/**
 * The fingerprint catalogs stored until 2026-12 (sha1 of the values as JSON): a row that still has one is
 * compared with this once, and re-stamped with fingerprintOf when the item is unchanged (page-planner.ts).
 * Frozen: changing it would make every such item look changed.
 */
export function legacyFingerprintOf(record: Fingerprinted): string {
  const files = record.files.map((f) => [f.mediaIndex, f.partIndex, f.plexPath, f.size, f.durationMs, f.container]);
  const ids: (string | undefined)[] = [record.externalIds.imdb, record.externalIds.tmdb, record.externalIds.tvdb, record.externalIds.plex];
  // Only music has these: appended when present, so the fingerprints of movies and episodes stay what they were.
  if (record.externalIds.asin !== undefined || record.externalIds.mbid !== undefined)
    ids.push(record.externalIds.asin, record.externalIds.mbid);
  const values = [
    record.kind,
    record.ratingKey,
    record.guid,
    record.title,
    record.year,
    record.addedAt,
    record.updatedAt,
    ids,
    record.originallyAvailableAt,
    record.durationMs,
    record.leafCount,
    record.childCount,
    record.showRatingKey,
    record.showTitle,
    record.seasonRatingKey,
    record.seasonTitle,
    record.seasonNumber,
    record.episodeNumber,
    files,
    record.details === undefined ? null : Object.values(record.details),
    record.tags === undefined ? null : record.tags.map((t) => t.kind + '\u0000' + t.name),
    record.versions === undefined ? null : record.versions.map(versionValues),
  ];
  return hash('sha1', JSON.stringify(values), 'base64url');
}

function versionValues(v: CatalogVersionInput): unknown[] {
  return [
    v.mediaIndex,
    v.resolution,
    v.width,
    v.height,
    v.videoCodec,
    v.videoProfile,
    v.frameRate,
    v.aspectRatio,
    v.bitrate,
    v.audioCodec,
    v.audioChannels,
    v.audioProfile,
    v.container,
    v.durationMs,
    v.hdr,
    v.audioLanguages,
    v.subtitleLanguages,
  ];
}
