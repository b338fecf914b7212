// The simulated Plex library: plain records (no per-item closures, so 100k+ episodes stay cheap), a
// seeded generator, and mutations that keep the invariants a real Plex Media Server keeps.
//
// Invariants worth knowing (they are what importers trip over):
// - ratingKeys are numeric strings shared by every type, handed out in increasing order;
// - a show's updatedAt does not move when episodes are added, edited or removed;
// - contentChangedAt (per section) is a counter that moves on add / remove / rekey only;
// - file moves and replacements change the Part only (neither updatedAt nor contentChangedAt);
// - some items have no updatedAt at all (never refreshed).

import { Rng } from './random.js';
import type { SimRichOverride } from './rich.js';
import {
  ADJECTIVES,
  CURATED_ARTISTS,
  CURATED_KIDS_MOVIES,
  CURATED_MOVIES,
  CURATED_SHOWS,
  EPISODE_WORDS,
  MOVIE_RATINGS,
  NOUNS,
  STUDIOS,
  SUMMARIES,
  TITLE_SUFFIXES,
  TV_RATINGS,
  type CuratedMovie,
  type CuratedShow,
  type MovieAgent,
  type ShowAgent,
} from './names.js';

export type SimItemType = 'movie' | 'show' | 'season' | 'episode' | 'artist' | 'album' | 'track';
export type SimSectionType = 'movie' | 'show' | 'artist';

/** Plex's numeric `type=` values. */
export const SIM_TYPE_NUMBER: Readonly<Record<SimItemType, number>> = {
  movie: 1,
  show: 2,
  season: 3,
  episode: 4,
  artist: 8,
  album: 9,
  track: 10,
};

export function simTypeFromNumber(value: number): SimItemType | undefined {
  for (const [name, number] of Object.entries(SIM_TYPE_NUMBER)) if (number === value) return name as SimItemType;
  return undefined;
}

export type PlexSimErrorCode = 'NOT_FOUND' | 'BAD_ARGUMENT';

export class PlexSimError extends Error {
  constructor(
    readonly code: PlexSimErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PlexSimError';
  }
}

export interface SimLibrarySpec {
  seed?: number;
  movies?: number;
  shows?: number;
  /** Total episodes spread over the shows. */
  episodes?: number;
  /** Artists of the Music section (the curated ones first). */
  artists?: number;
  /** Albums spread over the artists. */
  albums?: number;
  /** Tracks spread over the albums. */
  tracks?: number;
  /**
   * Books of an "Audiobooks" music section (section 5, made only when > 0): albums whose artist is the author,
   * mostly matched by the Audnexus agent (GUIDs carrying an ASIN), each of 1–4 tracks (parts or chapters).
   */
  audiobooks?: number;
}

/** The default sample library's size. */
export const DEFAULT_LIBRARY_SIZE = { movies: 40, shows: 8, episodes: 150, artists: 4, albums: 8, tracks: 80, audiobooks: 0 } as const;

export interface SimPart {
  readonly id: number;
  /** Epoch seconds used in the Part key (`/library/parts/{id}/{stamp}/file.mkv`). */
  readonly stamp: number;
  readonly file: string;
  readonly size: number;
  readonly duration: number;
  readonly container: string;
}

export interface SimMedia {
  readonly id: number;
  readonly duration: number;
  readonly bitrate: number;
  readonly width: number;
  readonly height: number;
  readonly aspectRatio: number;
  readonly audioChannels: number;
  readonly audioCodec: string;
  readonly videoCodec: string;
  readonly videoResolution: string;
  readonly container: string;
  readonly videoFrameRate: string;
  readonly parts: readonly SimPart[];
}

export interface SimItem {
  readonly ratingKey: string;
  readonly type: SimItemType;
  readonly sectionKey: string;
  readonly guid: string;
  /** External ids (`imdb://…`); empty for legacy agents, which have no `Guid[]`. */
  readonly guids: readonly string[];
  readonly title: string;
  /** Only when it differs from the title (as Plex only sends it then). */
  readonly titleSort?: string;
  readonly summary: string;
  readonly year?: number;
  readonly originallyAvailableAt?: string;
  readonly contentRating?: string;
  readonly studio?: string;
  /** Season number (seasons), episode number (episodes), track number (tracks); shows and albums carry 1. */
  readonly index?: number;
  /** Tracks: the disc number (Plex sends it as the track's parentIndex, python-plexapi audio.py Track). */
  readonly disc?: number;
  /** Season → show, episode → season. */
  readonly parentKey?: string;
  /** Episode → show. */
  readonly grandparentKey?: string;
  readonly addedAt: number;
  readonly updatedAt?: number;
  /** Milliseconds. */
  readonly duration?: number;
  readonly media: readonly SimMedia[];
  /** A show's folders. */
  readonly locations: readonly string[];
  /** Show → season keys, season → episode keys, in index order. */
  readonly children: readonly string[];
  /** Rich metadata set by a mutation (rich.ts derives the rest from the ratingKey). */
  readonly richOverride?: SimRichOverride;
}

export interface SimLocation {
  readonly id: number;
  readonly path: string;
}

export interface SimSection {
  readonly key: string;
  readonly type: SimSectionType;
  readonly title: string;
  readonly agent: string;
  readonly scanner: string;
  readonly language: string;
  readonly uuid: string;
  readonly createdAt: number;
  /** Settings changes only. */
  readonly updatedAt: number;
  /** Every scan (the sim counts each add / remove / file change as one). */
  readonly scannedAt: number;
  /** A change counter as decimal text (it can exceed 2^53). */
  readonly contentChangedAt: string;
  readonly hidden: number;
  readonly locations: readonly SimLocation[];
}

/** Fields accepted by addMovie / addShow / addEpisode / editItem. */
export interface SimItemFields {
  title?: string;
  titleSort?: string;
  year?: number;
  summary?: string;
  originallyAvailableAt?: string;
  contentRating?: string;
  studio?: string;
  guid?: string;
  guids?: string[];
  /** Episode number; `null` makes an episode without index. */
  index?: number | null;
  /** add only: the Part's absolute path. */
  file?: string;
  /** add only: the Part's size in bytes. */
  size?: number;
  /** add only: create the item without updatedAt (never refreshed). */
  noUpdatedAt?: boolean;
  /** Rich metadata (tagline, ratings, tags by element) replacing what rich.ts derives. */
  rich?: SimRichOverride;
}

/** The in-process mutation API (also reachable over HTTP through `POST /__sim/mutate`). */
export interface SimLibrary {
  sections(): SimSection[];
  items(sectionKey: string, type: SimItemType | number): readonly SimItem[];
  get(ratingKey: string): SimItem | undefined;
  addMovie(sectionKey: string, fields?: SimItemFields): string;
  addShow(sectionKey: string, fields?: SimItemFields): string;
  addEpisode(showRatingKey: string, seasonIndex: number, fields?: SimItemFields): string;
  /** A new artist of a music section (no albums yet). */
  addArtist(sectionKey: string, fields?: SimItemFields): string;
  /** A new album of an artist (no tracks yet; Plex shows it once a track is scanned). */
  addAlbum(artistRatingKey: string, fields?: SimItemFields): string;
  /** A new track at the end of an album (disc 1). */
  addTrack(albumRatingKey: string, fields?: SimItemFields): string;
  editItem(ratingKey: string, fields: SimItemFields): void;
  removeItem(ratingKey: string): number;
  moveFile(ratingKey: string, newPath: string): void;
  replaceFile(ratingKey: string, change: { file?: string; size?: number }): void;
  rekey(ratingKey: string): string;
  touchEpisodes(fraction: number): number;
  /**
   * Stamps an item with dates as given, without moving the clock's meaning: a file dated in the future, or a
   * garbage stamp (1e300) as real databases hold.
   */
  setDates(ratingKey: string, dates: { addedAt?: number; updatedAt?: number }): void;
  now(): number;
  advanceClock(seconds: number): number;
}

/** Method names the control API may call. */
export const SIM_LIBRARY_METHODS = [
  'sections',
  'items',
  'get',
  'addMovie',
  'addShow',
  'addEpisode',
  'addArtist',
  'addAlbum',
  'addTrack',
  'editItem',
  'removeItem',
  'moveFile',
  'replaceFile',
  'rekey',
  'touchEpisodes',
  'setDates',
  'now',
  'advanceClock',
] as const satisfies readonly (keyof SimLibrary)[];

// ---- internal mutable records -------------------------------------------------------------------

interface PartRecord {
  id: number;
  stamp: number;
  file: string;
  size: number;
  duration: number;
  container: string;
}

interface MediaRecord {
  id: number;
  duration: number;
  bitrate: number;
  width: number;
  height: number;
  aspectRatio: number;
  audioChannels: number;
  audioCodec: string;
  videoCodec: string;
  videoResolution: string;
  container: string;
  videoFrameRate: string;
  parts: PartRecord[];
}

interface ItemRecord {
  ratingKey: string;
  type: SimItemType;
  sectionKey: string;
  guid: string;
  guids: string[];
  title: string;
  titleSort?: string;
  summary: string;
  year?: number;
  originallyAvailableAt?: string;
  contentRating?: string;
  studio?: string;
  index?: number;
  disc?: number;
  parentKey?: string;
  grandparentKey?: string;
  addedAt: number;
  updatedAt?: number;
  duration?: number;
  media: MediaRecord[];
  locations: string[];
  children: string[];
  richOverride: SimRichOverride | undefined;
}

interface SectionRecord {
  key: string;
  type: SimSectionType;
  title: string;
  agent: string;
  scanner: string;
  language: string;
  uuid: string;
  createdAt: number;
  updatedAt: number;
  scannedAt: number;
  contentChangedAt: string;
  hidden: number;
  locations: SimLocation[];
}

const DAY = 86_400;
const YEAR = 365 * DAY;

const RESOLUTIONS = [
  { res: '1080', width: 1920, height: 1080, bitrate: 8_000, weight: 55 },
  { res: '720', width: 1280, height: 720, bitrate: 4_000, weight: 20 },
  { res: '4k', width: 3840, height: 2160, bitrate: 24_000, weight: 12 },
  { res: 'sd', width: 720, height: 480, bitrate: 1_500, weight: 13 },
] as const;
type Resolution = (typeof RESOLUTIONS)[number];

const ARTICLE = /^(the|a|an) /i;

/**
 * Strings built by concatenation stay V8 "cons" trees (32 bytes a node) until something flattens them;
 * for hundreds of thousands of long-lived guids and paths that adds up. Storing the string as a property
 * key internalizes it, which leaves one flat copy once the collector has run (measured: `Number(s)` or
 * `s.charCodeAt(0)` do not reliably flatten). Used on strings the library keeps for its whole life.
 */
function flat(text: string): string {
  const scratch: Record<string, number> = {};
  scratch[text] = 0;
  return text;
}

/** Plex derives a sort title by dropping a leading English article; it is only sent when it differs. */
function deriveTitleSort(title: string): string | undefined {
  const stripped = title.replace(ARTICLE, '');
  return stripped === title ? undefined : stripped;
}

/** Characters a Windows file name cannot hold (and that real libraries therefore never have). */
function sanitizeFileName(name: string): string {
  return name
    .replace(/[<>:"/\\|?*]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function isWindowsPath(path: string): boolean {
  return !path.startsWith('/');
}

function joinPath(root: string, ...segments: string[]): string {
  const sep = isWindowsPath(root) ? '\\' : '/';
  return [root.endsWith(sep) ? root.slice(0, -1) : root, ...segments].join(sep);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function isoDate(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 10);
}

function extensionOf(file: string): string {
  const match = /\.([A-Za-z0-9]{2,4})$/.exec(file);
  return match?.[1]?.toLowerCase() ?? 'mkv';
}

function compareIndex(a: ItemRecord, b: ItemRecord): number {
  // Episodes without an index go after the numbered ones, oldest first, then by ratingKey.
  const ai = a.index ?? Number.MAX_SAFE_INTEGER;
  const bi = b.index ?? Number.MAX_SAFE_INTEGER;
  if (ai !== bi) return ai - bi;
  if (a.addedAt !== b.addedAt) return a.addedAt - b.addedAt;
  return Number(a.ratingKey) - Number(b.ratingKey);
}

type ItemInit = Pick<ItemRecord, 'ratingKey' | 'type' | 'sectionKey' | 'guid' | 'title' | 'addedAt'> & Partial<ItemRecord>;

/**
 * Every item is made here with all fields in one order (absent ones undefined), so all records share
 * one hidden class with in-object properties; mutations assign undefined rather than `delete`, which
 * would drop a record into slow dictionary mode.
 */
function makeItem(init: ItemInit): ItemRecord {
  return {
    ratingKey: init.ratingKey,
    type: init.type,
    sectionKey: init.sectionKey,
    guid: init.guid,
    guids: init.guids ?? [],
    title: init.title,
    titleSort: init.titleSort,
    summary: init.summary ?? '',
    year: init.year,
    originallyAvailableAt: init.originallyAvailableAt,
    contentRating: init.contentRating,
    studio: init.studio,
    index: init.index,
    disc: init.disc,
    parentKey: init.parentKey,
    grandparentKey: init.grandparentKey,
    addedAt: init.addedAt,
    updatedAt: init.updatedAt,
    duration: init.duration,
    media: init.media ?? [],
    locations: init.locations ?? [],
    children: init.children ?? [],
    richOverride: init.richOverride,
  };
}

/** What a mutation did to one item: the notification socket (notifications.ts) turns these into Plex's messages. */
export interface SimChange {
  change: 'created' | 'updated' | 'deleted';
  ratingKey: string;
  sectionKey: string;
  type: SimItemType;
  title: string;
}

export interface SimLibraryOptions {
  seed?: number;
  /** Epoch seconds the sim clock starts at; every generated timestamp is before it. */
  clockStart?: number;
}

/** Builds a library from a spec; everything is derived from the seed. */
export function createSimLibrary(spec: SimLibrarySpec = {}, options: SimLibraryOptions = {}): SimLibraryImpl {
  return new SimLibraryImpl(spec, options);
}

export class SimLibraryImpl implements SimLibrary {
  private readonly byKey = new Map<string, ItemRecord>();
  private readonly sectionRecords: SectionRecord[] = [];
  private readonly rng: Rng;
  private readonly mutationRng: Rng;
  private clock: number;
  private changeVersion = 0;
  private orderChangeVersion = 0;
  private nextRatingKey = 1000;
  private nextMediaId = 1;
  private nextPartId = 1;
  private nextLocationId = 1;
  private readonly listCache = new Map<string, ItemRecord[]>();
  private listCacheVersion = -1;
  /** plex:// hex per curated title, so a film shared by two sections keeps one guid. */
  private readonly curatedHex = new Map<string, string>();
  private readonly watchers = new Set<(change: SimChange) => void>();

  constructor(spec: SimLibrarySpec, options: SimLibraryOptions) {
    const seed = spec.seed ?? options.seed ?? 1;
    this.rng = new Rng(seed);
    this.mutationRng = new Rng(seed ^ 0x5eed);
    this.clock = options.clockStart ?? 1_700_000_000;
    this.generate({
      movies: Math.max(0, Math.floor(spec.movies ?? DEFAULT_LIBRARY_SIZE.movies)),
      shows: Math.max(0, Math.floor(spec.shows ?? DEFAULT_LIBRARY_SIZE.shows)),
      episodes: Math.max(0, Math.floor(spec.episodes ?? DEFAULT_LIBRARY_SIZE.episodes)),
      artists: Math.max(0, Math.floor(spec.artists ?? DEFAULT_LIBRARY_SIZE.artists)),
      albums: Math.max(0, Math.floor(spec.albums ?? DEFAULT_LIBRARY_SIZE.albums)),
      tracks: Math.max(0, Math.floor(spec.tracks ?? DEFAULT_LIBRARY_SIZE.tracks)),
      audiobooks: Math.max(0, Math.floor(spec.audiobooks ?? DEFAULT_LIBRARY_SIZE.audiobooks)),
    });
  }

  /** Calls `watcher` for every item a mutation creates, changes or deletes; returns the unsubscribe. */
  watch(watcher: (change: SimChange) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  private emit(change: SimChange['change'], item: ItemRecord): void {
    if (this.watchers.size === 0) return;
    const event: SimChange = { change, ratingKey: item.ratingKey, sectionKey: item.sectionKey, type: item.type, title: item.title };
    for (const watcher of this.watchers) watcher(event);
  }

  // ---- reading --------------------------------------------------------------------------------

  /** Moves on every mutation and clock change: caches built on the library key on it. */
  get version(): number {
    return this.changeVersion;
  }

  /**
   * Moves only when membership or sortable fields other than updatedAt may have changed (add, remove,
   * rekey, edit). Touching episodes, moving files and advancing the clock leave it alone, so a listing
   * sorted by title survives them.
   */
  get orderVersion(): number {
    return this.orderChangeVersion;
  }

  now(): number {
    return this.clock;
  }

  sections(): SimSection[] {
    return this.sectionRecords.map((s) => ({ ...s, locations: s.locations.map((l) => ({ ...l })) }));
  }

  section(key: string): SimSection | undefined {
    return this.sectionRecords.find((s) => s.key === key);
  }

  get(ratingKey: string): SimItem | undefined {
    return this.byKey.get(String(ratingKey));
  }

  /** Items of one type in one section, in ratingKey order. Do not mutate what you get. */
  items(sectionKey: string, type: SimItemType | number): readonly SimItem[] {
    const typeName = typeof type === 'number' ? simTypeFromNumber(type) : type;
    if (typeName === undefined) return [];
    return this.list(String(sectionKey), typeName);
  }

  /** Every item of a type across sections, in ratingKey order. */
  allOfType(type: SimItemType): readonly SimItem[] {
    return this.list('*', type);
  }

  /** Children in index order (seasons of a show, episodes of a season, albums of an artist, tracks of an album). */
  children(ratingKey: string): SimItem[] {
    const item = this.byKey.get(ratingKey);
    if (!item) return [];
    return this.resolve(item.children);
  }

  /** Every episode of a show, season by season (specials first, as Plex does); every track of an artist. */
  leaves(showRatingKey: string): SimItem[] {
    const show = this.byKey.get(showRatingKey);
    if (!show || (show.type !== 'show' && show.type !== 'artist')) return [];
    const out: SimItem[] = [];
    for (const season of this.resolve(show.children)) out.push(...this.resolve(season.children));
    return out;
  }

  parentOf(item: SimItem): SimItem | undefined {
    return item.parentKey === undefined ? undefined : this.byKey.get(item.parentKey);
  }

  /** The show of a season or an episode; the artist of an album or a track. */
  showOf(item: SimItem): SimItem | undefined {
    if (item.type === 'episode' || item.type === 'track')
      return item.grandparentKey === undefined ? undefined : this.byKey.get(item.grandparentKey);
    if (item.type === 'season' || item.type === 'album') return this.parentOf(item);
    return item.type === 'show' || item.type === 'artist' ? item : undefined;
  }

  leafCount(item: SimItem): number {
    if (item.type === 'season' || item.type === 'album') return item.children.length;
    if (item.type !== 'show' && item.type !== 'artist') return 0;
    let count = 0;
    for (const key of item.children) count += this.byKey.get(key)?.children.length ?? 0;
    return count;
  }

  private resolve(keys: readonly string[]): ItemRecord[] {
    const out: ItemRecord[] = [];
    for (const key of keys) {
      const item = this.byKey.get(key);
      if (item) out.push(item);
    }
    return out;
  }

  private list(sectionKey: string, type: SimItemType): ItemRecord[] {
    // Membership only changes with orderVersion (add, remove, rekey).
    if (this.listCacheVersion !== this.orderChangeVersion) {
      this.listCache.clear();
      this.listCacheVersion = this.orderChangeVersion;
    }
    const cacheKey = `${sectionKey}|${type}`;
    let list = this.listCache.get(cacheKey);
    if (!list) {
      list = [];
      // Map order is insertion order, and new or re-keyed items always get the highest key: ratingKey order.
      for (const item of this.byKey.values()) {
        if (item.type === type && (sectionKey === '*' || item.sectionKey === sectionKey)) list.push(item);
      }
      this.listCache.set(cacheKey, list);
    }
    return list;
  }

  // ---- mutations ------------------------------------------------------------------------------

  advanceClock(seconds: number): number {
    const step = Math.floor(Number(seconds));
    if (!Number.isFinite(step) || step < 0)
      throw new PlexSimError('BAD_ARGUMENT', `advanceClock needs a non-negative number, got ${String(seconds)}`);
    this.clock += step;
    this.changeVersion++;
    return this.clock;
  }

  addMovie(sectionKey: string, fields: SimItemFields = {}): string {
    const section = this.requireSection(sectionKey, 'movie');
    this.tick();
    const now = this.clock;
    // The given title and year name the file too, as a scan of that file would have.
    const random = this.randomMovieSeed(this.mutationRng);
    const seed: CuratedMovie = { ...random, title: fields.title ?? random.title, year: fields.year ?? random.year };
    const movie = this.buildMovie(section, seed, now, now, this.mutationRng);
    this.applyFields(movie, fields);
    if (fields.noUpdatedAt) movie.updatedAt = undefined;
    this.applyFileFields(movie, fields, now);
    this.insert(movie);
    this.contentChanged(section);
    this.emit('created', movie);
    return movie.ratingKey;
  }

  addShow(sectionKey: string, fields: SimItemFields = {}): string {
    const section = this.requireSection(sectionKey, 'show');
    this.tick();
    const now = this.clock;
    const seed = this.randomShowSeed(this.mutationRng);
    const show = this.buildShow(section, seed, now, this.mutationRng);
    show.updatedAt = now;
    this.applyFields(show, fields);
    if (fields.noUpdatedAt) show.updatedAt = undefined;
    const year = show.year ?? 2024;
    show.locations = [joinPath(this.pickRoot(section, this.mutationRng), sanitizeFileName(`${show.title} (${year})`))];
    this.insert(show);
    this.contentChanged(section);
    this.emit('created', show);
    return show.ratingKey;
  }

  addEpisode(showRatingKey: string, seasonIndex: number, fields: SimItemFields = {}): string {
    const show = this.requireItem(showRatingKey);
    if (show.type !== 'show') throw new PlexSimError('BAD_ARGUMENT', `${showRatingKey} is a ${show.type}, not a show`);
    const seasonNumber = Math.floor(Number(seasonIndex));
    if (!Number.isFinite(seasonNumber) || seasonNumber < 0)
      throw new PlexSimError('BAD_ARGUMENT', `bad season index ${String(seasonIndex)}`);
    const section = this.requireSection(show.sectionKey, 'show');
    this.tick();
    const now = this.clock;
    const rng = this.mutationRng;
    let season = this.resolve(show.children).find((s) => s.index === seasonNumber);
    if (!season) {
      season = this.buildSeason(show, seasonNumber, now, rng);
      season.updatedAt = now;
      this.insert(season);
      this.emit('created', season);
      show.children.push(season.ratingKey);
      show.children.sort((a, b) => compareIndex(this.requireItem(a), this.requireItem(b)));
    }
    const siblings = this.resolve(season.children);
    const lastIndex = siblings.reduce((max, e) => Math.max(max, e.index ?? 0), 0);
    const index = fields.index === null ? undefined : (fields.index ?? lastIndex + 1);
    const episode = this.buildEpisode(show, season, index, undefined, now, now, rng, fields.title);
    this.applyFields(episode, fields);
    if (fields.noUpdatedAt) episode.updatedAt = undefined;
    this.applyFileFields(episode, fields, now);
    this.insert(episode);
    season.children.push(episode.ratingKey);
    season.children.sort((a, b) => compareIndex(this.requireItem(a), this.requireItem(b)));
    // The show's updatedAt stays where it was: real Plex does not touch it for new episodes.
    this.contentChanged(section);
    this.emit('created', episode);
    return episode.ratingKey;
  }

  addArtist(sectionKey: string, fields: SimItemFields = {}): string {
    const section = this.requireSection(sectionKey, 'artist');
    this.tick();
    const now = this.clock;
    const artist = this.buildArtist(section, fields.title ?? this.randomTitle(this.mutationRng), now, this.mutationRng);
    artist.updatedAt = now;
    this.applyFields(artist, fields);
    this.insert(artist);
    this.contentChanged(section);
    this.emit('created', artist);
    return artist.ratingKey;
  }

  addAlbum(artistRatingKey: string, fields: SimItemFields = {}): string {
    const artist = this.requireItem(artistRatingKey);
    if (artist.type !== 'artist') throw new PlexSimError('BAD_ARGUMENT', `${artistRatingKey} is a ${artist.type}, not an artist`);
    const section = this.requireSection(artist.sectionKey, 'artist');
    this.tick();
    const now = this.clock;
    const album = this.buildAlbum(section, artist, fields.title ?? this.randomTitle(this.mutationRng), now, this.mutationRng);
    album.updatedAt = now;
    this.applyFields(album, fields);
    this.insert(album);
    artist.children.push(album.ratingKey);
    this.contentChanged(section);
    this.emit('created', album);
    return album.ratingKey;
  }

  addTrack(albumRatingKey: string, fields: SimItemFields = {}): string {
    const album = this.requireItem(albumRatingKey);
    if (album.type !== 'album') throw new PlexSimError('BAD_ARGUMENT', `${albumRatingKey} is a ${album.type}, not an album`);
    const artist = this.requireItem(album.parentKey ?? '');
    const section = this.requireSection(album.sectionKey, 'artist');
    this.tick();
    const now = this.clock;
    const lastIndex = this.resolve(album.children).reduce((max, t) => Math.max(max, t.index ?? 0), 0);
    const index = fields.index === null ? undefined : (fields.index ?? lastIndex + 1);
    const track = this.buildTrack(artist, album, index, 1, now, this.mutationRng, fields.title);
    track.updatedAt = now;
    this.applyFields(track, fields);
    if (fields.noUpdatedAt) track.updatedAt = undefined;
    this.applyFileFields(track, fields, now);
    this.insert(track);
    album.children.push(track.ratingKey);
    this.contentChanged(section);
    this.emit('created', track);
    return track.ratingKey;
  }

  editItem(ratingKey: string, fields: SimItemFields): void {
    const item = this.requireItem(ratingKey);
    this.tick();
    this.applyFields(item, fields ?? {});
    item.updatedAt = this.clock;
    if (fields && 'index' in fields && item.parentKey !== undefined) {
      const parent = this.requireItem(item.parentKey);
      parent.children.sort((a, b) => compareIndex(this.requireItem(a), this.requireItem(b)));
    }
    this.emit('updated', item);
  }

  removeItem(ratingKey: string): number {
    const item = this.requireItem(ratingKey);
    const section = this.requireSection(item.sectionKey);
    this.tick();
    let removed = this.removeTree(item);
    if (item.parentKey !== undefined) {
      const parent = this.byKey.get(item.parentKey);
      if (parent) {
        parent.children = parent.children.filter((k) => k !== item.ratingKey);
        // Emptying the trash drops a season (an album) left without episodes (tracks), as Plex does.
        if ((parent.type === 'season' || parent.type === 'album') && parent.children.length === 0) {
          removed += this.removeTree(parent);
          const show = parent.parentKey === undefined ? undefined : this.byKey.get(parent.parentKey);
          if (show) show.children = show.children.filter((k) => k !== parent.ratingKey);
        }
      }
    }
    this.contentChanged(section);
    return removed;
  }

  moveFile(ratingKey: string, newPath: string): void {
    const part = this.firstPart(ratingKey);
    if (typeof newPath !== 'string' || newPath === '') throw new PlexSimError('BAD_ARGUMENT', 'moveFile needs a path');
    this.tick(false);
    // Only the Part moves: updatedAt and contentChangedAt stay put, as on a real server.
    part.file = newPath;
    part.container = extensionOf(newPath);
    this.emit('updated', this.requireItem(ratingKey));
  }

  replaceFile(ratingKey: string, change: { file?: string; size?: number }): void {
    const item = this.requireItem(ratingKey);
    const part = this.firstPart(ratingKey);
    this.tick(false);
    // A new file is a new Part row (new id and key stamp); the item's metadata does not change.
    part.id = this.nextPartId++;
    part.stamp = this.clock;
    if (change?.file !== undefined) {
      part.file = change.file;
      part.container = extensionOf(change.file);
    }
    part.size = change?.size ?? Math.round(part.size * (0.6 + this.mutationRng.float() * 0.8));
    const media = item.media[0];
    if (media) media.container = part.container;
    this.emit('updated', item);
  }

  rekey(ratingKey: string): string {
    const item = this.requireItem(ratingKey);
    const section = this.requireSection(item.sectionKey);
    this.tick();
    const oldKey = item.ratingKey;
    const newKey = String(this.nextRatingKey++);
    this.emit('deleted', item);
    this.byKey.delete(oldKey);
    item.ratingKey = newKey;
    item.addedAt = this.clock;
    item.updatedAt = this.clock;
    if (item.guid === `local://${oldKey}`) item.guid = `local://${newKey}`;
    this.byKey.set(newKey, item);
    for (const child of this.resolve(item.children)) {
      child.parentKey = newKey;
      if (child.type === 'season' || child.type === 'album') for (const leaf of this.resolve(child.children)) leaf.grandparentKey = newKey;
    }
    if (item.parentKey !== undefined) {
      const parent = this.byKey.get(item.parentKey);
      if (parent) parent.children = parent.children.map((k) => (k === oldKey ? newKey : k));
    }
    this.contentChanged(section);
    this.emit('created', item);
    return newKey;
  }

  touchEpisodes(fraction: number): number {
    const share = Number(fraction);
    if (!Number.isFinite(share) || share < 0 || share > 1)
      throw new PlexSimError('BAD_ARGUMENT', `fraction must be in [0, 1], got ${String(fraction)}`);
    const episodes = this.list('*', 'episode');
    const count = Math.round(share * episodes.length);
    this.tick(false);
    // Partial Fisher–Yates: a deterministic sample of distinct episodes.
    const order = new Int32Array(episodes.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(this.mutationRng.float() * (order.length - i));
      const picked = order[j] ?? i;
      order[j] = order[i] ?? j;
      order[i] = picked;
      const episode = episodes[picked];
      if (!episode) continue;
      episode.updatedAt = this.clock;
      episode.summary = this.mutationRng.pick(SUMMARIES);
      this.emit('updated', episode);
    }
    return count;
  }

  /** Every mutation moves the clock by a second; `reorders` when membership or sort keys may change. */
  setDates(ratingKey: string, dates: { addedAt?: number; updatedAt?: number }): void {
    const item = this.requireItem(ratingKey);
    for (const value of [dates?.addedAt, dates?.updatedAt]) {
      if (value !== undefined && typeof value !== 'number') throw new PlexSimError('BAD_ARGUMENT', 'dates must be numbers');
    }
    this.tick();
    if (dates.addedAt !== undefined) item.addedAt = dates.addedAt;
    if (dates.updatedAt !== undefined) item.updatedAt = dates.updatedAt;
  }

  private tick(reorders = true): void {
    this.clock += 1;
    this.changeVersion++;
    if (reorders) this.orderChangeVersion++;
  }

  private contentChanged(section: SectionRecord): void {
    section.contentChangedAt = (BigInt(section.contentChangedAt) + 1n).toString();
    section.scannedAt = this.clock;
  }

  private insert(item: ItemRecord): void {
    this.byKey.set(item.ratingKey, item);
  }

  private removeTree(item: ItemRecord): number {
    let removed = 0;
    for (const child of this.resolve(item.children)) removed += this.removeTree(child);
    this.byKey.delete(item.ratingKey);
    this.emit('deleted', item);
    return removed + 1;
  }

  private requireItem(ratingKey: string): ItemRecord {
    const item = this.byKey.get(String(ratingKey));
    if (!item) throw new PlexSimError('NOT_FOUND', `no item with ratingKey ${String(ratingKey)}`);
    return item;
  }

  private requireSection(key: string, type?: SimSectionType): SectionRecord {
    const section = this.sectionRecords.find((s) => s.key === String(key));
    if (!section) throw new PlexSimError('NOT_FOUND', `no section ${String(key)}`);
    if (type !== undefined && section.type !== type)
      throw new PlexSimError('BAD_ARGUMENT', `section ${key} is a ${section.type} section, not ${type}`);
    return section;
  }

  private firstPart(ratingKey: string): PartRecord {
    const item = this.requireItem(ratingKey);
    const part = item.media[0]?.parts[0];
    if (!part) throw new PlexSimError('BAD_ARGUMENT', `${ratingKey} (${item.type}) has no file`);
    return part;
  }

  private applyFields(item: ItemRecord, fields: SimItemFields): void {
    if (fields.title !== undefined) {
      item.title = String(fields.title);
      item.titleSort = deriveTitleSort(item.title);
    }
    if (fields.titleSort !== undefined) item.titleSort = fields.titleSort === item.title ? undefined : fields.titleSort;
    if (fields.year !== undefined) item.year = fields.year;
    if (fields.summary !== undefined) item.summary = fields.summary;
    if (fields.originallyAvailableAt !== undefined) item.originallyAvailableAt = fields.originallyAvailableAt;
    if (fields.contentRating !== undefined) item.contentRating = fields.contentRating;
    if (fields.studio !== undefined) item.studio = fields.studio;
    if (fields.guid !== undefined) item.guid = fields.guid;
    if (fields.guids !== undefined) item.guids = [...fields.guids];
    if (fields.rich !== undefined) item.richOverride = { ...item.richOverride, ...fields.rich };
    if (fields.index === null) item.index = undefined;
    else if (fields.index !== undefined) item.index = fields.index;
  }

  private applyFileFields(item: ItemRecord, fields: SimItemFields, stamp: number): void {
    const part = item.media[0]?.parts[0];
    if (!part) return;
    if (fields.file !== undefined) {
      part.file = fields.file;
      part.container = extensionOf(fields.file);
    }
    if (fields.size !== undefined) part.size = fields.size;
    part.stamp = stamp;
  }

  // ---- generation -----------------------------------------------------------------------------

  private generate(size: {
    movies: number;
    shows: number;
    episodes: number;
    artists: number;
    albums: number;
    tracks: number;
    audiobooks: number;
  }): void {
    const rng = this.rng;
    const t0 = this.clock;
    const section = (
      key: string,
      type: SimSectionType,
      title: string,
      agent: string,
      scanner: string,
      roots: string[],
      contentChangedAt: string,
    ): SectionRecord => {
      const createdAt = t0 - 6 * YEAR - rng.int(0, 90) * DAY;
      const record: SectionRecord = {
        key,
        type,
        title,
        agent,
        scanner,
        language: 'en-US',
        uuid: rng.uuid(),
        createdAt,
        updatedAt: createdAt + rng.int(1, 400) * DAY,
        scannedAt: t0 - rng.int(300, 3_600),
        contentChangedAt,
        hidden: 0,
        locations: roots.map((path) => ({ id: this.nextLocationId++, path })),
      };
      this.sectionRecords.push(record);
      return record;
    };
    // One counter beyond 2^53 (seen on a real server): JSON readers must keep it as text.
    const movies = section(
      '1',
      'movie',
      'Movies',
      'tv.plex.agents.movie',
      'Plex Movie',
      ['/data/media/movies', '/mnt/archive/films'],
      '8457612157633039800',
    );
    const tv = section(
      '2',
      'show',
      'TV Shows',
      'tv.plex.agents.series',
      'Plex TV Series',
      ['\\\\NAS\\tv', 'D:\\Media\\TV Shows'],
      '7104227',
    );
    const kids = section('3', 'movie', 'Kids Movies', 'tv.plex.agents.movie', 'Plex Movie', ['D:\\Media\\Kids Movies'], '97');
    const music = section('4', 'artist', 'Music', 'tv.plex.agents.music', 'Plex Music', ['/data/media/music'], '18253803');

    for (let i = 0; i < size.movies; i++) {
      const seed = CURATED_MOVIES[i] ?? this.randomMovieSeed(rng);
      const added = t0 - rng.int(2 * DAY, 6 * YEAR);
      this.insert(this.buildMovie(movies, seed, added, this.randomUpdatedAt(added, seed.noUpdatedAt === true || rng.chance(0.02)), rng));
    }

    this.generateShows(tv, size.shows, size.episodes);

    for (const seed of CURATED_KIDS_MOVIES) {
      const added = t0 - rng.int(2 * DAY, 4 * YEAR);
      this.insert(this.buildMovie(kids, seed, added, this.randomUpdatedAt(added, false), rng));
    }

    this.generateMusic(music, size.artists, size.albums, size.tracks);
    if (size.audiobooks > 0) {
      // The Audnexus agent (djdembeck/Audnexus.bundle) serves audiobooks in a music library.
      const books = section(
        '5',
        'artist',
        'Audiobooks',
        'com.plexapp.agents.audnexus',
        'Plex Music Scanner',
        ['/data/media/audiobooks'],
        '4211',
      );
      this.generateAudiobooks(books, size.audiobooks);
    }
  }

  // ---- music and audiobooks -------------------------------------------------------------------------

  private buildArtist(section: SectionRecord, title: string, addedAt: number, rng: Rng, guid?: string): ItemRecord {
    return makeItem({
      ratingKey: String(this.nextRatingKey++),
      type: 'artist',
      sectionKey: section.key,
      guid: guid ?? flat(`plex://artist/${rng.hex(24)}`),
      // Plex's music agent lists MusicBrainz ids in Guid[] (`mbid://…`, as PlexTraktSync and plexapi users read them).
      guids: guid === undefined && rng.chance(0.6) ? [flat(`mbid://${rng.uuid()}`)] : [],
      title: flat(title),
      titleSort: deriveTitleSort(title),
      summary: rng.pick(SUMMARIES),
      index: 1,
      addedAt,
      locations: [joinPath(this.pickRoot(section, rng), sanitizeFileName(title))],
    });
  }

  private buildAlbum(section: SectionRecord, artist: ItemRecord, title: string, addedAt: number, rng: Rng, guid?: string): ItemRecord {
    const year = rng.int(1965, 2024);
    return makeItem({
      ratingKey: String(this.nextRatingKey++),
      type: 'album',
      sectionKey: section.key,
      // New agent: `plex://album/<24 hex>` (python-plexapi audio.py: Track.parentGuid `plex://album/5d07cd8e…`).
      guid: guid ?? flat(`plex://album/${rng.hex(24)}`),
      guids: guid === undefined && rng.chance(0.5) ? [flat(`mbid://${rng.uuid()}`)] : [],
      title: flat(title),
      titleSort: deriveTitleSort(title),
      summary: rng.chance(0.5) ? rng.pick(SUMMARIES) : '',
      year,
      originallyAvailableAt: flat(`${year}-${pad2(rng.int(1, 12))}-${pad2(rng.int(1, 28))}`),
      studio: rng.chance(0.4) ? rng.pick(STUDIOS) : undefined,
      index: 1,
      parentKey: artist.ratingKey,
      addedAt,
    });
  }

  /** A track's file: `/music/Artist/Album/01 - Title.flac`, disc folders for multi-disc albums. */
  private buildTrack(
    artist: ItemRecord,
    album: ItemRecord,
    index: number | undefined,
    disc: number,
    addedAt: number,
    rng: Rng,
    givenTitle?: string,
    guid?: string,
  ): ItemRecord {
    const title = givenTitle ?? (rng.chance(0.5) ? rng.pick(EPISODE_WORDS) : `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`);
    const artistFolder = artist.locations[0] ?? joinPath('/data/media/music', sanitizeFileName(artist.title));
    const albumFolder = sanitizeFileName(album.title);
    const number = index === undefined ? '' : `${pad2(index)} - `;
    const folder = disc > 1 ? joinPath(artistFolder, albumFolder, `Disc ${disc}`) : joinPath(artistFolder, albumFolder);
    const container = rng.chance(0.6) ? 'flac' : rng.chance(0.5) ? 'mp3' : 'm4a';
    const duration = rng.int(90, 420) * 1000 + rng.int(0, 999);
    const bitrate = container === 'flac' ? rng.int(700, 1100) : container === 'mp3' ? 320 : 256;
    const codec = container === 'flac' ? 'flac' : container === 'mp3' ? 'mp3' : 'aac';
    const file = flat(joinPath(folder, sanitizeFileName(`${number}${title}`)) + `.${container}`);
    const part: PartRecord = {
      id: this.nextPartId++,
      stamp: addedAt,
      file,
      size: Math.round((bitrate * duration) / 8),
      duration,
      container,
    };
    const media: MediaRecord = {
      id: this.nextMediaId++,
      duration,
      bitrate,
      width: 0,
      height: 0,
      aspectRatio: 0,
      audioChannels: 2,
      audioCodec: codec,
      videoCodec: '',
      videoResolution: '',
      container,
      videoFrameRate: '',
      parts: [part],
    };
    return makeItem({
      ratingKey: String(this.nextRatingKey++),
      type: 'track',
      sectionKey: album.sectionKey,
      guid: guid ?? flat(`plex://track/${rng.hex(24)}`),
      guids: guid === undefined && rng.chance(0.3) ? [flat(`mbid://${rng.uuid()}`)] : [],
      title: flat(title),
      summary: '',
      index,
      disc,
      parentKey: album.ratingKey,
      grandparentKey: artist.ratingKey,
      addedAt,
      duration,
      media: [media],
    });
  }

  /** Artists (curated first), albums spread over them, tracks over the albums; discs of 12 tracks at most. */
  private generateMusic(section: SectionRecord, artistCount: number, albumCount: number, trackCount: number): void {
    const rng = this.rng;
    const t0 = this.clock;
    const albumsPerArtist = this.allocateEpisodes(artistCount, albumCount, () => 1);
    const tracksPerAlbum = this.allocateEpisodes(albumCount, trackCount, () => 1);
    let albumIndex = 0;
    for (let a = 0; a < artistCount; a++) {
      const added = t0 - rng.int(2 * DAY, 5 * YEAR);
      const artist = this.buildArtist(section, CURATED_ARTISTS[a] ?? this.randomTitle(rng), added, rng);
      artist.updatedAt = this.randomUpdatedAt(added, false);
      this.insert(artist);
      for (let b = 0; b < (albumsPerArtist[a] ?? 0); b++) {
        const albumAdded = Math.min(t0 - 3_600, added + rng.int(0, 30 * DAY));
        const album = this.buildAlbum(section, artist, this.randomTitle(rng), albumAdded, rng);
        album.updatedAt = this.randomUpdatedAt(albumAdded, rng.chance(0.02));
        this.insert(album);
        artist.children.push(album.ratingKey);
        const count = tracksPerAlbum[albumIndex++] ?? 0;
        for (let t = 1; t <= count; t++) {
          const disc = count > 12 && t > Math.ceil(count / 2) ? 2 : 1;
          const index = disc === 2 ? t - Math.ceil(count / 2) : t;
          const track = this.buildTrack(artist, album, index, disc, albumAdded, rng);
          track.updatedAt = this.randomUpdatedAt(albumAdded, rng.chance(0.02));
          this.insert(track);
          album.children.push(track.ratingKey);
        }
      }
    }
  }

  /** An ASIN as Audible prints them: `B0` and eight letters or digits. */
  private asin(rng: Rng): string {
    return `B0${rng.chars(8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`;
  }

  /**
   * Authors (artists) with their books (albums) of 1–4 parts (tracks). Four books in five are matched by the
   * Audnexus agent: `com.plexapp.agents.audnexus://B08G9PRS1K_us?lang=en` on the book and the author's ASIN on
   * the author (the forms public Audnexus matching tools parse); the rest by Plex's music agent (`plex://album/…`).
   * Its track GUIDs (`…://<ASIN>_us/<part>?lang=en`) are an inference: they name the book, not the part.
   */
  private generateAudiobooks(section: SectionRecord, bookCount: number): void {
    const rng = this.rng;
    const t0 = this.clock;
    const authorCount = Math.max(1, Math.ceil(bookCount / 3));
    const booksPerAuthor = this.allocateEpisodes(authorCount, bookCount, () => 1);
    for (let a = 0; a < authorCount; a++) {
      const added = t0 - rng.int(2 * DAY, 3 * YEAR);
      const name = `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
      const author = this.buildArtist(section, name, added, rng, `com.plexapp.agents.audnexus://${this.asin(rng)}_us?lang=en`);
      author.updatedAt = this.randomUpdatedAt(added, false);
      this.insert(author);
      for (let b = 0; b < (booksPerAuthor[a] ?? 0); b++) {
        const bookAdded = Math.min(t0 - 3_600, added + rng.int(0, 60 * DAY));
        const asin = rng.chance(0.8) ? this.asin(rng) : undefined;
        const guid = asin === undefined ? undefined : `com.plexapp.agents.audnexus://${asin}_us?lang=en`;
        const book = this.buildAlbum(section, author, this.randomTitle(rng), bookAdded, rng, guid);
        book.updatedAt = this.randomUpdatedAt(bookAdded, false);
        this.insert(book);
        author.children.push(book.ratingKey);
        const parts = rng.int(1, 4);
        for (let p = 1; p <= parts; p++) {
          const trackGuid = asin === undefined ? undefined : `com.plexapp.agents.audnexus://${asin}_us/${p}?lang=en`;
          const title = parts === 1 ? book.title : `${book.title} - Part ${p}`;
          const part = this.buildTrack(author, book, p, 1, bookAdded, rng, title, trackGuid);
          part.updatedAt = book.updatedAt;
          this.insert(part);
          book.children.push(part.ratingKey);
        }
      }
    }
  }

  private randomUpdatedAt(addedAt: number, never: boolean): number | undefined {
    if (never) return undefined;
    const latest = this.clock - 3_600;
    return addedAt >= latest ? addedAt : addedAt + Math.floor(this.rng.float() * (latest - addedAt));
  }

  private randomTitle(rng: Rng): string {
    const base = `${rng.chance(0.3) ? 'The ' : ''}${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
    return flat(rng.chance(0.06) ? base + rng.pick(TITLE_SUFFIXES) : base);
  }

  private randomMovieSeed(rng: Rng): CuratedMovie {
    const year = rng.int(1950, 2024);
    const roll = rng.float();
    let agent: MovieAgent;
    if (roll < 0.8) agent = { kind: 'plex', guids: this.randomExternalIds(rng, true) };
    else if (roll < 0.92) agent = { kind: 'legacy', guid: `com.plexapp.agents.imdb://${this.imdbId(rng)}?lang=en` };
    else if (roll < 0.97) agent = { kind: 'legacy', guid: `com.plexapp.agents.themoviedb://${rng.int(10, 999_999)}?lang=en` };
    else if (roll < 0.99) agent = { kind: 'none' };
    else agent = { kind: 'local' };
    return {
      title: this.randomTitle(rng),
      year,
      agent,
      versions: rng.chance(0.03) ? 2 : 1,
      parts: rng.chance(0.01) ? 2 : 1,
      contentRating: rng.pick(MOVIE_RATINGS),
      studio: rng.pick(STUDIOS),
    };
  }

  private randomShowSeed(rng: Rng): CuratedShow {
    const roll = rng.float();
    let agent: ShowAgent;
    if (roll < 0.85) agent = { kind: 'plex', guids: this.randomExternalIds(rng, false) };
    else if (roll < 0.97) agent = { kind: 'tvdb', id: rng.int(70_000, 450_000) };
    else agent = { kind: 'hama', anidb: rng.int(1, 18_000) };
    return {
      title: this.randomTitle(rng),
      year: rng.int(1965, 2023),
      agent,
      specials: rng.chance(0.2),
      contentRating: rng.pick(TV_RATINGS),
      studio: rng.pick(STUDIOS),
    };
  }

  private imdbId(rng: Rng): string {
    return `tt${String(rng.int(10_000, 9_999_999)).padStart(7, '0')}`;
  }

  /** Guid[] of a new-agent item: usually imdb+tmdb(+tvdb), sometimes partial, now and then a repeated source. */
  private randomExternalIds(rng: Rng, movie: boolean): string[] {
    const imdb = flat(`imdb://${this.imdbId(rng)}`);
    const tmdb = flat(`tmdb://${rng.int(10, 999_999)}`);
    const tvdb = flat(`tvdb://${rng.int(1, 450_000)}`);
    const roll = rng.float();
    if (roll < 0.65) return movie ? [imdb, tmdb] : [imdb, tmdb, tvdb];
    if (roll < 0.8) return [imdb];
    if (roll < 0.92) return movie ? [tmdb] : [tvdb];
    if (roll < 0.97) return [imdb, `imdb://${this.imdbId(rng)}`, tmdb];
    return [];
  }

  private pickRoot(section: SectionRecord, rng: Rng): string {
    return rng.pick(section.locations).path;
  }

  private makeMedia(rng: Rng, basePath: string, durationMs: number, stamp: number, versions: number, parts: number): MediaRecord[] {
    // Arrays are made at their final size: one grown by push() keeps room for 17 (≈150 bytes each,
    // times two per item at 100k items).
    const out = new Array<MediaRecord>(versions);
    for (let v = 0; v < versions; v++) {
      const resolution: Resolution = v === 0 ? this.pickResolution(rng) : RESOLUTIONS[2];
      const container = v === 0 && rng.chance(0.2) ? rng.pick(['mp4', 'avi', 'm4v']) : 'mkv';
      const versionSuffix = versions > 1 ? ` - ${resolution.res === '4k' ? '2160p' : `${resolution.res}p`}` : '';
      const bitrate = Math.round(resolution.bitrate * (0.7 + rng.float() * 0.6));
      const partList = new Array<PartRecord>(parts);
      const media: MediaRecord = {
        id: this.nextMediaId++,
        duration: durationMs,
        bitrate,
        width: resolution.width,
        height: resolution.height,
        aspectRatio: 1.78,
        audioChannels: rng.pick([2, 2, 6, 8]),
        audioCodec: rng.pick(['aac', 'ac3', 'eac3', 'dca', 'truehd']),
        videoCodec: rng.pick(['h264', 'h264', 'hevc']),
        videoResolution: resolution.res,
        container,
        videoFrameRate: '24p',
        parts: partList,
      };
      for (let p = 0; p < parts; p++) {
        const partSuffix = parts > 1 ? ` - cd${p + 1}` : '';
        const partDuration = Math.round(durationMs / parts);
        partList[p] = {
          id: this.nextPartId++,
          stamp,
          file: flat(`${basePath}${versionSuffix}${partSuffix}.${container}`),
          size: Math.round((bitrate * partDuration) / 8),
          duration: partDuration,
          container,
        };
      }
      out[v] = media;
    }
    return out;
  }

  private pickResolution(rng: Rng): Resolution {
    let roll = rng.int(1, 100);
    for (const r of RESOLUTIONS) {
      roll -= r.weight;
      if (roll <= 0) return r;
    }
    return RESOLUTIONS[0];
  }

  private buildMovie(section: SectionRecord, seed: CuratedMovie, addedAt: number, updatedAt: number | undefined, rng: Rng): ItemRecord {
    const ratingKey = String(this.nextRatingKey++);
    let guid: string;
    let guids: string[] = [];
    switch (seed.agent.kind) {
      case 'plex': {
        const curatedKey = `${seed.title}|${seed.year ?? ''}`;
        const isCurated = CURATED_MOVIES.includes(seed) || CURATED_KIDS_MOVIES.includes(seed);
        let hex = isCurated ? this.curatedHex.get(curatedKey) : undefined;
        if (hex === undefined) {
          hex = rng.hex(24);
          if (isCurated) this.curatedHex.set(curatedKey, hex);
        }
        guid = flat(`plex://movie/${hex}`);
        guids = [...seed.agent.guids];
        break;
      }
      case 'legacy':
        guid = seed.agent.guid;
        break;
      case 'none':
        guid = flat(`com.plexapp.agents.none://${rng.hex(40)}?lang=xn`);
        break;
      case 'local':
        guid = flat(`local://${ratingKey}`);
        break;
    }
    const personal = seed.agent.kind === 'none' || seed.agent.kind === 'local';
    const folder = seed.fileName ?? sanitizeFileName(seed.year === undefined ? seed.title : `${seed.title} (${seed.year})`);
    const root = this.pickRoot(section, rng);
    const basePath = personal ? joinPath(root, 'Home Videos', folder) : joinPath(root, folder, folder);
    const duration = personal ? rng.int(60_000, 1_800_000) : rng.int(80, 180) * 60_000 + rng.int(0, 59_999);
    const item = makeItem({
      ratingKey,
      type: 'movie',
      sectionKey: section.key,
      guid,
      guids,
      title: seed.title,
      titleSort: seed.titleSort ?? deriveTitleSort(seed.title),
      summary: personal ? '' : rng.pick(SUMMARIES),
      addedAt,
      duration,
      media: this.makeMedia(rng, basePath, duration, addedAt, seed.versions ?? 1, seed.parts ?? 1),
      locations: [],
      children: [],
    });
    if (seed.year !== undefined) {
      item.year = seed.year;
      item.originallyAvailableAt = flat(`${seed.year}-${pad2(rng.int(1, 12))}-${pad2(rng.int(1, 28))}`);
    }
    if (seed.contentRating !== undefined) item.contentRating = seed.contentRating;
    if (seed.studio !== undefined) item.studio = seed.studio;
    if (updatedAt !== undefined) item.updatedAt = updatedAt;
    return item;
  }

  private showGuid(agent: ShowAgent, rng: Rng): string {
    switch (agent.kind) {
      case 'plex':
        return flat(`plex://show/${rng.hex(24)}`);
      case 'tvdb':
        return `com.plexapp.agents.thetvdb://${agent.id}?lang=en`;
      case 'hama':
        return `com.plexapp.agents.hama://anidb-${agent.anidb}?lang=en`;
    }
  }

  /** The legacy guid prefix of a show (`com.plexapp.agents.thetvdb://73244`), or undefined for new agents. */
  private legacyPrefix(show: ItemRecord): string | undefined {
    const match = /^(com\.plexapp\.agents\.[a-z]+:\/\/[^?/]+)/.exec(show.guid);
    return match?.[1];
  }

  private buildShow(section: SectionRecord, seed: CuratedShow, addedAt: number, rng: Rng): ItemRecord {
    const item = makeItem({
      ratingKey: String(this.nextRatingKey++),
      type: 'show',
      sectionKey: section.key,
      guid: this.showGuid(seed.agent, rng),
      guids: seed.agent.kind === 'plex' ? [...seed.agent.guids] : [],
      title: seed.title,
      titleSort: seed.titleSort ?? deriveTitleSort(seed.title),
      summary: rng.pick(SUMMARIES),
      year: seed.year,
      originallyAvailableAt: `${seed.year}-${pad2(rng.int(1, 12))}-${pad2(rng.int(1, 28))}`,
      index: 1,
      addedAt,
      duration: rng.pick([22, 30, 45, 60]) * 60_000,
      media: [],
      locations: [joinPath(this.pickRoot(section, rng), sanitizeFileName(`${seed.title} (${seed.year})`))],
      children: [],
    });
    if (seed.contentRating !== undefined) item.contentRating = seed.contentRating;
    if (seed.studio !== undefined) item.studio = seed.studio;
    return item;
  }

  private buildSeason(show: ItemRecord, index: number, addedAt: number, rng: Rng): ItemRecord {
    const legacy = this.legacyPrefix(show);
    const season = makeItem({
      ratingKey: String(this.nextRatingKey++),
      type: 'season',
      sectionKey: show.sectionKey,
      guid: flat(legacy !== undefined ? `${legacy}/${index}?lang=en` : `plex://season/${rng.hex(24)}`),
      guids: legacy === undefined && rng.chance(0.5) ? [`tvdb://${rng.int(1, 2_000_000)}`] : [],
      title: index === 0 ? 'Specials' : `Season ${index}`,
      summary: '',
      index,
      parentKey: show.ratingKey,
      addedAt,
      media: [],
      locations: [],
      children: [],
    });
    if (show.year !== undefined && index > 0) season.year = show.year + index - 1;
    return season;
  }

  private buildEpisode(
    show: ItemRecord,
    season: ItemRecord,
    index: number | undefined,
    airDate: number | undefined,
    addedAt: number,
    updatedAt: number | undefined,
    rng: Rng,
    givenTitle?: string,
  ): ItemRecord {
    const seasonIndex = season.index ?? 1;
    const legacy = this.legacyPrefix(show);
    let guid: string;
    let guids: string[] = [];
    if (legacy !== undefined) {
      // Legacy episode guids name the show and the numbers, not an episode id.
      guid = flat(`${legacy}/${seasonIndex}/${index ?? isoDate(airDate ?? addedAt)}?lang=en`);
    } else {
      guid = flat(`plex://episode/${rng.hex(24)}`);
      const roll = rng.float();
      if (roll < 0.55)
        guids = [flat(`imdb://${this.imdbId(rng)}`), flat(`tmdb://${rng.int(10, 5_000_000)}`), flat(`tvdb://${rng.int(1, 9_000_000)}`)];
      else if (roll < 0.85) guids = [flat(`tvdb://${rng.int(1, 9_000_000)}`)];
      else if (roll < 0.95) guids = [flat(`tmdb://${rng.int(10, 5_000_000)}`), flat(`tvdb://${rng.int(1, 9_000_000)}`)];
    }
    const title =
      givenTitle ??
      (index === undefined
        ? isoDate(airDate ?? addedAt)
        : rng.chance(0.3)
          ? `Episode ${index}`
          : rng.chance(0.08)
            ? `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}${rng.pick(TITLE_SUFFIXES)}`
            : rng.pick(EPISODE_WORDS));
    const showFolder = show.locations[0] ?? joinPath('/data', sanitizeFileName(show.title));
    const seasonFolder = seasonIndex === 0 ? 'Specials' : `Season ${pad2(seasonIndex)}`;
    const numbering = index === undefined ? isoDate(airDate ?? addedAt) : `S${pad2(seasonIndex)}E${pad2(index)}`;
    const fileName = numbering === title ? `${show.title} - ${numbering}` : `${show.title} - ${numbering} - ${title}`;
    const base = joinPath(showFolder, seasonFolder, sanitizeFileName(fileName));
    const duration = (show.duration ?? 30 * 60_000) + rng.int(-120_000, 120_000);
    const episode = makeItem({
      ratingKey: String(this.nextRatingKey++),
      type: 'episode',
      sectionKey: show.sectionKey,
      guid,
      guids,
      title: flat(title),
      summary: rng.pick(SUMMARIES),
      parentKey: season.ratingKey,
      grandparentKey: show.ratingKey,
      addedAt,
      duration,
      media: this.makeMedia(rng, base, duration, addedAt, 1, 1),
      locations: [],
      children: [],
    });
    if (index !== undefined) episode.index = index;
    if (airDate !== undefined) {
      episode.originallyAvailableAt = isoDate(airDate);
      if (rng.chance(0.7)) episode.year = Number(episode.originallyAvailableAt.slice(0, 4));
    }
    if (show.contentRating !== undefined) episode.contentRating = show.contentRating;
    if (updatedAt !== undefined) episode.updatedAt = updatedAt;
    const ts = deriveTitleSort(title);
    if (ts !== undefined) episode.titleSort = ts;
    return episode;
  }

  /** Spreads `episodes` over `shows` by random weights (largest remainder), every show getting one if possible. */
  private allocateEpisodes(shows: number, episodes: number, boost: (show: number) => number): number[] {
    const counts = new Array<number>(shows).fill(0);
    if (shows === 0) return counts;
    let remaining = episodes;
    if (episodes >= shows) {
      counts.fill(1);
      remaining -= shows;
    }
    const weights = counts.map((_, i) => (0.2 + this.rng.float() ** 2 * 3) * boost(i));
    const total = weights.reduce((a, b) => a + b, 0);
    const shares = weights.map((w) => (w / total) * remaining);
    let given = 0;
    shares.forEach((share, i) => {
      const whole = Math.floor(share);
      counts[i] = (counts[i] ?? 0) + whole;
      given += whole;
    });
    const byRemainder = shares.map((share, i) => ({ i, frac: share - Math.floor(share) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
    for (let k = 0; k < remaining - given; k++) {
      const slot = byRemainder[k % byRemainder.length];
      if (slot) counts[slot.i] = (counts[slot.i] ?? 0) + 1;
    }
    return counts;
  }

  /** Season sizes for a show with `n` episodes: optional specials, then seasons of ~10–24. */
  private planSeasons(n: number, specials: boolean): { index: number; size: number }[] {
    const rng = this.rng;
    const plan: { index: number; size: number }[] = [];
    let left = n;
    if (specials && n >= 8) {
      const k = rng.int(1, Math.min(3, Math.floor(n / 8)));
      plan.push({ index: 0, size: k });
      left -= k;
    }
    let index = 1;
    while (left > 0) {
      let size = left <= 10 ? left : rng.int(10, 24);
      if (left - size > 0 && left - size < 4) size = left; // no three-episode tail seasons
      size = Math.min(size, left);
      plan.push({ index: index++, size });
      left -= size;
    }
    return plan;
  }

  private generateShows(section: SectionRecord, showCount: number, episodeCount: number): void {
    const rng = this.rng;
    const t0 = this.clock;
    // The first curated show (specials, several seasons) gets a bigger share so the sample shows them off.
    const counts = this.allocateEpisodes(showCount, episodeCount, (i) => (i === 0 ? 6 : 1));
    for (let s = 0; s < showCount; s++) {
      const seed = CURATED_SHOWS[s] ?? this.randomShowSeed(rng);
      const showAdded = t0 - rng.int(120 * DAY, 6 * YEAR);
      const show = this.buildShow(section, seed, showAdded, rng);
      const showUpdated = this.randomUpdatedAt(showAdded, seed.noUpdatedAt === true || rng.chance(0.02));
      if (showUpdated !== undefined) show.updatedAt = showUpdated;
      this.insert(show);
      const plan = this.planSeasons(counts[s] ?? 0, seed.specials === true);
      // Seasons arrive over the show's life; episodes within a season a few days apart.
      const span = t0 - 3_600 - showAdded;
      const step = plan.length > 0 ? span / (plan.length + 1) : span;
      let airBase = Date.UTC(seed.year, 0, 15) / 1000;
      plan.forEach((entry, p) => {
        const seasonAdded = Math.floor(showAdded + p * step);
        const season = this.buildSeason(show, entry.index, seasonAdded, rng);
        const seasonUpdated = this.randomUpdatedAt(seasonAdded, rng.chance(0.02));
        if (seasonUpdated !== undefined) season.updatedAt = seasonUpdated;
        this.insert(season);
        show.children.push(season.ratingKey);
        for (let e = 1; e <= entry.size; e++) {
          const added = Math.min(t0 - 3_600, seasonAdded + (e - 1) * rng.int(DAY, 7 * DAY) + rng.int(0, 3_600));
          airBase += seed.daily ? DAY : 7 * DAY;
          // A daily show leaves some episodes without a number (the 2nd, 7th, 12th…), as date-based scans do.
          const index = seed.daily && e % 5 === 2 ? undefined : e;
          const episode = this.buildEpisode(show, season, index, airBase, added, this.randomUpdatedAt(added, rng.chance(0.02)), rng);
          this.insert(episode);
          season.children.push(episode.ratingKey);
        }
        if (seed.daily) season.children.sort((a, b) => compareIndex(this.requireItem(a), this.requireItem(b)));
        airBase += 120 * DAY;
      });
    }
  }
}
