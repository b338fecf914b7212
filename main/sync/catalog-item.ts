// Turns a decoded Plex item into the record the catalog stores. Pure: no HTTP, no SQL.
import type { ItemKind } from '../../shared/domain.js';
import { externalIdsFor } from '../../shared/guid.js';
import type {
  CatalogFileInput,
  CatalogItemDetails,
  CatalogItemInput,
  CatalogTagInput,
  CatalogTagKind,
  CatalogVersionInput,
} from '../catalog/item-input.js';
import type { PlexItem, PlexMedia, PlexTag, PlexTagElement } from '../plex/model.js';
import { fingerprintOf } from './fingerprint.js';

/** A catalog item as the sync lists it: what the catalog stores, plus what had to be dropped to store it. */
export interface ItemRecord extends CatalogItemInput {
  /** What had to be dropped or cut to store the item (absent when nothing was: the usual case). */
  defects?: ItemDefects;
}

/** What an item's record left out or shortened, for the library's report. */
export interface ItemDefects {
  /** The item has media but Plex sent no file path (a token that is not the server owner's). */
  pathsWithheld?: boolean;
  /** The title was longer than MAX_TITLE_LENGTH and was cut there. */
  titleTruncated?: boolean;
  /** File paths longer than MAX_PATH_LENGTH, not stored. */
  pathsRefused?: number;
  /** addedAt or updatedAt outside any plausible date, stored as unknown. */
  implausibleDates?: boolean;
}

/**
 * Caps on what is stored: a server once sent a 200 MB title, and every browse answer carried it. Titles are cut
 * (a shortened name still names the item); a path that long names no real file, so it is not stored at all.
 */
export const MAX_TITLE_LENGTH = 1_000;
export const MAX_PATH_LENGTH = 4_096;

/**
 * Plex stamps are epoch seconds. Anything before 1970-01-02 or after 2200 is garbage (1e300 was seen), and a
 * garbage stamp must not be trusted: as a watermark it would hide every later edit.
 */
const EARLIEST_PLAUSIBLE_TIME = 86_400;
const LATEST_PLAUSIBLE_TIME = 7_258_118_400;

export function plausibleTime(value: number | undefined): number | null {
  if (value === undefined) return null;
  return Number.isSafeInteger(value) && value >= EARLIEST_PLAUSIBLE_TIME && value <= LATEST_PLAUSIBLE_TIME ? value : null;
}

const KINDS: ReadonlySet<string> = new Set<ItemKind>(['movie', 'show', 'season', 'episode', 'artist', 'album', 'track']);

export function isCatalogKind(type: string): type is ItemKind {
  return KINDS.has(type);
}

/**
 * The catalog record for a Plex item, or null for types the catalog does not keep (photos, collections…).
 * Music fills the hierarchy fields as TV does (KindHierarchy): an album's artist is its parent (parentRatingKey,
 * parentTitle: an audiobook's author), a track's artist its grandparent and its album its parent; a track's disc
 * is its parentIndex and its number its index (python-plexapi audio.py Album, Track).
 */
export function toCatalogItem(item: PlexItem): ItemRecord | null {
  if (!isCatalogKind(item.type)) return null;
  const kind = item.type;
  const addedAt = plausibleTime(item.addedAt);
  const updatedAt = plausibleTime(item.updatedAt);
  // Fingerprinted in place once built: no `{ ...record, fingerprint }` copy of every record.
  const record: ItemRecord = {
    kind,
    ratingKey: item.ratingKey,
    guid: item.guid ?? null,
    title: item.title.length > MAX_TITLE_LENGTH ? item.title.slice(0, MAX_TITLE_LENGTH) : item.title,
    year: item.year ?? null,
    addedAt,
    updatedAt,
    externalIds: externalIdsFor(kind, item.guid, item.guids),
    originallyAvailableAt: item.originallyAvailableAt ?? null,
    durationMs: item.duration ?? null,
    leafCount: kind === 'show' || kind === 'artist' ? (item.leafCount ?? null) : null,
    childCount: kind === 'show' || kind === 'artist' ? (item.childCount ?? null) : null,
    showRatingKey: showKeyOf(item),
    showTitle: isMiddle(kind) ? (item.parentTitle ?? null) : isLeaf(kind) ? (item.grandparentTitle ?? null) : null,
    seasonRatingKey:
      kind === 'episode'
        ? (item.parentRatingKey ?? seasonKeyFromThumb(item.parentThumb))
        : kind === 'track'
          ? (item.parentRatingKey ?? null)
          : null,
    seasonTitle: isLeaf(kind) ? (item.parentTitle ?? null) : null,
    seasonNumber: kind === 'season' ? (item.index ?? null) : isLeaf(kind) ? (item.parentIndex ?? null) : null,
    episodeNumber: isLeaf(kind) ? (item.index ?? null) : null,
    files: hasFiles(kind) ? filesOf(item.media) : [],
    details: detailsOf(item, kind),
    tags: item.tags === undefined ? NO_TAGS : tagsOf(item.tags),
    versions: hasFiles(kind) ? versionsOf(item.media) : NO_VERSIONS,
    fingerprint: '',
  };
  const defects = defectsOf(
    item.title,
    item.media,
    record,
    (addedAt === null && item.addedAt !== undefined) || (updatedAt === null && item.updatedAt !== undefined),
  );
  if (defects !== undefined) record.defects = defects;
  record.fingerprint = fingerprintOf(record);
  return record;
}

/** Only computed in full when something looks off: the common item costs a few comparisons. */
export function defectsOf(
  title: string,
  medias: readonly PlexMedia[],
  record: Omit<CatalogItemInput, 'fingerprint'>,
  implausibleDates: boolean,
): ItemDefects | undefined {
  const titleTruncated = record.title.length !== title.length;
  let partCount = 0;
  for (const media of medias) partCount += media.parts.length;
  const missing = partCount - record.files.length;
  if (!titleTruncated && !implausibleDates && missing === 0) return undefined;
  const defects: ItemDefects = {};
  if (titleTruncated) defects.titleTruncated = true;
  if (implausibleDates) defects.implausibleDates = true;
  if (missing > 0) {
    let withheld = 0;
    let refused = 0;
    for (const media of medias) {
      for (const part of media.parts) {
        if (part.file === undefined || part.file === '') withheld += 1;
        else if (part.file.length > MAX_PATH_LENGTH) refused += 1;
      }
    }
    if (withheld > 0) defects.pathsWithheld = true;
    if (refused > 0) defects.pathsRefused = refused;
  }
  return defects;
}

/**
 * With "hide seasons for single-season series", episodes lose parentRatingKey but keep `parentThumb`
 * (`/library/metadata/{season}/thumb/{stamp}`): the season's key, as python-plexapi recovers it.
 */
export function seasonKeyFromThumb(parentThumb: string | undefined): string | null {
  if (parentThumb === undefined) return null;
  const match = /^\/library\/metadata\/([^/?#]+)\//.exec(parentThumb);
  return match?.[1] ?? null;
}

/** The record with a season number learnt elsewhere (the season's own listing), fingerprint included. */
export function withSeasonNumber(record: ItemRecord, seasonNumber: number): ItemRecord {
  const updated = { ...record, seasonNumber };
  updated.fingerprint = fingerprintOf(updated);
  return updated;
}

export function isMiddle(kind: ItemKind): boolean {
  return kind === 'season' || kind === 'album';
}

export function isLeaf(kind: ItemKind): boolean {
  return kind === 'episode' || kind === 'track';
}

/** Kinds whose items are files: movies, episodes and tracks. */
export function hasFiles(kind: ItemKind): boolean {
  return kind === 'movie' || kind === 'episode' || kind === 'track';
}

/** The top of the item's hierarchy: a season's or episode's show, an album's or track's artist. */
function showKeyOf(item: PlexItem): string | null {
  if (item.type === 'season' || item.type === 'album') return item.parentRatingKey ?? null;
  if (item.type === 'episode' || item.type === 'track') return item.grandparentRatingKey ?? null;
  return null;
}

export function filesOf(medias: readonly PlexMedia[]): CatalogFileInput[] {
  const files: CatalogFileInput[] = [];
  medias.forEach((media, mediaIndex) => {
    media.parts.forEach((part, partIndex) => {
      if (part.file === undefined || part.file === '' || part.file.length > MAX_PATH_LENGTH) return;
      files.push({
        mediaIndex,
        partIndex,
        plexPath: part.file,
        size: part.size ?? null,
        durationMs: part.duration ?? media.duration ?? null,
        container: part.container ?? media.container ?? null,
      });
    });
  });
  return files;
}

/**
 * Caps on free text: a summary is a paragraph, a tag a name. Longer ones are cut (like titles), so a hostile
 * server cannot make every export row megabytes long.
 */
export const MAX_TEXT_LENGTH = 10_000;
export const MAX_TAG_LENGTH = 500;
/** More tags than any real item has (Plex lists a handful of each kind in listings). */
export const MAX_TAGS_PER_ITEM = 500;

export function text(value: string | undefined, max = MAX_TEXT_LENGTH): string | null {
  if (value === undefined || value === '') return null;
  return value.length > max ? value.slice(0, max) : value;
}

export function rating(value: number | undefined): number | null {
  return value === undefined || value < 0 || value > 100 ? null : value;
}

function detailsOf(item: PlexItem, kind: ItemKind): CatalogItemDetails {
  return {
    summary: text(item.summary),
    tagline: text(item.tagline),
    contentRating: text(item.contentRating, MAX_TAG_LENGTH),
    studio: text(item.studio, MAX_TAG_LENGTH),
    originalTitle: text(item.originalTitle, MAX_TITLE_LENGTH),
    titleSort: text(item.titleSort, MAX_TITLE_LENGTH),
    edition: kind === 'movie' ? text(item.editionTitle, MAX_TAG_LENGTH) : null,
    criticRating: rating(item.rating),
    criticRatingImage: text(item.ratingImage, MAX_TAG_LENGTH),
    audienceRating: rating(item.audienceRating),
    audienceRatingImage: text(item.audienceRatingImage, MAX_TAG_LENGTH),
  };
}

export const TAG_KINDS: Record<PlexTagElement, CatalogTagKind> = {
  Genre: 'genre',
  Label: 'label',
  Collection: 'collection',
  Country: 'country',
  Director: 'director',
  Writer: 'writer',
  Role: 'actor',
};

export const NO_TAGS: readonly CatalogTagInput[] = [];
export const NO_VERSIONS: readonly CatalogVersionInput[] = [];

/** Distinct tags (a listing may repeat one), cut to the caps; the common item has a dozen. */
function tagsOf(tags: readonly PlexTag[]): readonly CatalogTagInput[] {
  if (tags.length === 0) return NO_TAGS;
  const out: CatalogTagInput[] = [];
  for (const tag of tags) {
    if (out.length >= MAX_TAGS_PER_ITEM) break;
    addTag(out, tag.element, tag.tag);
  }
  return out;
}

/** Adds a tag, its name cut to the cap, unless the item has it already. */
export function addTag(out: CatalogTagInput[], element: PlexTagElement, tag: string): void {
  const kind = TAG_KINDS[element];
  const name = tag.length > MAX_TAG_LENGTH ? tag.slice(0, MAX_TAG_LENGTH) : tag;
  // A linear look back: items have a dozen tags, and a Set per item would cost more than it saves.
  if (!out.some((earlier) => earlier.kind === kind && earlier.name === name)) out.push({ kind, name });
}

export function versionsOf(media: readonly PlexMedia[]): readonly CatalogVersionInput[] {
  if (media.length === 0) return NO_VERSIONS;
  return media.map((m, mediaIndex) => versionOf(m, mediaIndex));
}

function versionOf(m: PlexMedia, mediaIndex: number): CatalogVersionInput {
  const facts = streamFacts(m);
  // Every field written out (no spread): one object shape for every version of every item.
  return {
    mediaIndex,
    resolution: text(m.videoResolution, MAX_TAG_LENGTH),
    width: integer(m.width),
    height: integer(m.height),
    videoCodec: text(m.videoCodec, MAX_TAG_LENGTH),
    videoProfile: text(m.videoProfile, MAX_TAG_LENGTH),
    frameRate: text(m.videoFrameRate, MAX_TAG_LENGTH),
    aspectRatio: m.aspectRatio ?? null,
    bitrate: integer(m.bitrate),
    audioCodec: text(m.audioCodec, MAX_TAG_LENGTH),
    audioChannels: integer(m.audioChannels),
    audioProfile: text(m.audioProfile, MAX_TAG_LENGTH),
    container: text(m.container, MAX_TAG_LENGTH),
    durationMs: integer(m.duration),
    hdr: facts.hdr,
    audioLanguages: facts.audioLanguages,
    subtitleLanguages: facts.subtitleLanguages,
  };
}

function integer(value: number | undefined): number | null {
  return value === undefined || !Number.isSafeInteger(value) ? null : value;
}

type StreamFacts = Pick<CatalogVersionInput, 'hdr' | 'audioLanguages' | 'subtitleLanguages'>;
const NO_STREAM_FACTS: StreamFacts = { hdr: null, audioLanguages: null, subtitleLanguages: null };

/**
 * HDR and languages from the first part's streams (python-plexapi media.py: VideoStream.DOVIPresent and
 * colorTrc, AudioStream/SubtitleStream languageCode). Listings carry no streams: then all unknown.
 */
function streamFacts(media: PlexMedia): StreamFacts {
  const streams = media.parts[0]?.streams ?? [];
  if (streams.length === 0) return NO_STREAM_FACTS;
  let hdr: string | null = null;
  const audio: string[] = [];
  const subtitles: string[] = [];
  for (const stream of streams) {
    if (stream.streamType === 1 && hdr === null) hdr = hdrOf(stream.doviPresent, stream.colorTrc);
    const language = stream.languageCode?.slice(0, 16);
    if (language === undefined || language === '') continue;
    if (stream.streamType === 2 && !audio.includes(language)) audio.push(language);
    if (stream.streamType === 3 && !subtitles.includes(language)) subtitles.push(language);
  }
  return { hdr, audioLanguages: audio, subtitleLanguages: subtitles };
}

function hdrOf(doviPresent: boolean | undefined, colorTrc: string | undefined): string | null {
  if (doviPresent === true) return 'dolby-vision';
  if (colorTrc === 'smpte2084') return 'hdr10';
  if (colorTrc === 'arib-std-b67') return 'hlg';
  return null;
}

/** The newest Plex timestamp of an item: the next incremental sync asks for changes after it. */
export function newestTimestamp(item: Pick<CatalogItemInput, 'addedAt' | 'updatedAt'>): number | null {
  if (item.addedAt === null) return item.updatedAt;
  if (item.updatedAt === null) return item.addedAt;
  return Math.max(item.addedAt, item.updatedAt);
}
