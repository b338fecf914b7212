// The descriptive weight real listings carry (issue 10): taglines, original titles, editions, critic and audience
// ratings with their sources, and the tag elements (Genre, Director, Writer, Role, Country, Label, Collection).
// Derived from the item's ratingKey with a generator of its own, so adding them changed nothing else the seed
// makes (existing tests keep their libraries), and the library holds no extra memory per item: the 112,000
// items of the benchmark would otherwise carry a dozen strings each. A mutation can override them
// (`editItem(key, { tagline, genres })`).
//
// Field names as python-plexapi reads them (video.py Movie/Show/Episode: tagline, originalTitle, editionTitle,
// rating, ratingImage, audienceRating, audienceRatingImage; media.py Genre/Director/Writer/Role/Country/Label/
// Collection tags) and as Plex's listings send them.

import { Rng } from './random.js';

export type SimTagElement = 'Genre' | 'Label' | 'Collection' | 'Country' | 'Director' | 'Writer' | 'Role';

/** Tag elements in the order Plex writes them on an item. */
export const SIM_TAG_ELEMENTS: readonly SimTagElement[] = ['Genre', 'Country', 'Collection', 'Label', 'Director', 'Writer', 'Role'];

export interface SimRichMetadata {
  tagline?: string;
  originalTitle?: string;
  editionTitle?: string;
  rating?: number;
  ratingImage?: string;
  audienceRating?: number;
  audienceRatingImage?: string;
  tags: Partial<Record<SimTagElement, readonly string[]>>;
}

/** What a mutation may set; tags by element replace the derived ones of that element. */
export type SimRichOverride = Partial<Omit<SimRichMetadata, 'tags'>> & { tags?: Partial<Record<SimTagElement, readonly string[]>> };

const GENRES = ['Drama', 'Comedy', 'Action', 'Thriller', 'Science Fiction', 'Animation', 'Documentary', 'Horror', 'Romance', 'Crime'];
const COUNTRIES = ['United States of America', 'United Kingdom', 'France', 'Japan', 'Germany', 'South Korea', 'Canada', 'Россия'];
const COLLECTIONS = ['Criterion Collection', 'Trilogy of Night', 'Saturday Classics', 'Studio Ghibli Collection'];
const LABELS = ['Kids', 'Watch Later', '4K Upgrade'];
const FIRST_NAMES = [
  'Anna',
  'Ben',
  'Chloé',
  'David',
  'Eva',
  'Farid',
  'Greta',
  'Hiro',
  'Ingrid',
  'José',
  'Kenji',
  'Lena',
  'Mia',
  'Noah',
  'Olga',
];
const LAST_NAMES = ['Smith', 'Müller', 'Tanaka', 'García', 'Ivanova', 'Dubois', "O'Brien", 'Kim', 'Rossi', 'Nowak', 'Jensen', 'Silva'];
const TAGLINES = [
  'Some secrets refuse to stay buried.',
  'One night. No way out.',
  'The legend begins "again".',
  'Trust no one & keep running.',
  'Il était une fois…',
];
const EDITIONS = ["Director's Cut", 'Extended Edition', 'Theatrical Cut', 'IMAX'];
const ORIGINAL_TITLES = ['La Nuit américaine', 'Das Boot', '千と千尋の神隠し', 'Сталкер', 'El laberinto del fauno'];

/** The item's rich metadata: the same for the same ratingKey and type, whatever else the library holds. */
export function richMetadataOf(ratingKey: string, type: string, override?: SimRichOverride): SimRichMetadata {
  const derived = derive(ratingKey, type);
  if (override === undefined) return derived;
  return { ...derived, ...override, tags: { ...derived.tags, ...override.tags } };
}

function derive(ratingKey: string, type: string): SimRichMetadata {
  // Kept apart from the library's own generator: a key's fields never depend on generation order.
  const rng = new Rng(Number(ratingKey) * 2_654_435_761 + 0x51c4);
  switch (type) {
    case 'movie':
      return {
        tagline: rng.chance(0.6) ? rng.pick(TAGLINES) : undefined,
        originalTitle: rng.chance(0.15) ? rng.pick(ORIGINAL_TITLES) : undefined,
        editionTitle: rng.chance(0.05) ? rng.pick(EDITIONS) : undefined,
        ...criticRating(rng, 0.85),
        ...audienceRating(rng, 0.9, true),
        tags: {
          Genre: names(rng, GENRES, rng.int(1, 3)),
          Country: names(rng, COUNTRIES, rng.int(1, 2)),
          Collection: rng.chance(0.15) ? names(rng, COLLECTIONS, 1) : undefined,
          Label: rng.chance(0.1) ? names(rng, LABELS, 1) : undefined,
          Director: people(rng, rng.chance(0.1) ? 2 : 1),
          Writer: people(rng, rng.int(1, 2)),
          Role: people(rng, 3),
        },
      };
    case 'show':
      return {
        tagline: rng.chance(0.3) ? rng.pick(TAGLINES) : undefined,
        originalTitle: rng.chance(0.1) ? rng.pick(ORIGINAL_TITLES) : undefined,
        ...criticRating(rng, 0.5),
        ...audienceRating(rng, 0.9, false),
        tags: {
          Genre: names(rng, GENRES, rng.int(1, 3)),
          Country: names(rng, COUNTRIES, 1),
          Collection: rng.chance(0.05) ? names(rng, COLLECTIONS, 1) : undefined,
          Label: rng.chance(0.1) ? names(rng, LABELS, 1) : undefined,
          Role: people(rng, 3),
        },
      };
    case 'episode':
      return {
        ...audienceRating(rng, 0.6, false),
        tags: { Director: people(rng, 1), Writer: people(rng, rng.int(1, 2)) },
      };
    default:
      return { tags: {} };
  }
}

function criticRating(rng: Rng, probability: number): Pick<SimRichMetadata, 'rating' | 'ratingImage'> {
  if (!rng.chance(probability)) return {};
  const rating = rng.int(10, 100) / 10;
  return { rating, ratingImage: rating >= 6 ? 'rottentomatoes://image.rating.ripe' : 'rottentomatoes://image.rating.rotten' };
}

function audienceRating(rng: Rng, probability: number, tomatoes: boolean): Pick<SimRichMetadata, 'audienceRating' | 'audienceRatingImage'> {
  if (!rng.chance(probability)) return {};
  const rating = rng.int(20, 100) / 10;
  const image = tomatoes
    ? rating >= 6
      ? 'rottentomatoes://image.rating.upright'
      : 'rottentomatoes://image.rating.spilled'
    : 'themoviedb://image.rating';
  return { audienceRating: rating, audienceRatingImage: image };
}

/** `count` distinct names from the pool. */
function names(rng: Rng, pool: readonly string[], count: number): string[] {
  const out: string[] = [];
  while (out.length < Math.min(count, pool.length)) {
    const name = rng.pick(pool);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

function people(rng: Rng, count: number): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Plex's videoProfile for a codec (python-plexapi media.py Media.videoProfile: `high`, `main 10`). */
export function videoProfileOf(videoCodec: string, mediaId: number): string | undefined {
  if (videoCodec === 'h264') return 'high';
  if (videoCodec === 'hevc') return mediaId % 2 === 0 ? 'main 10' : 'main';
  return undefined;
}

/** Plex's audioProfile for a codec (`lc` for AAC, `dts`/`ma` for DTS, none for AC-3). */
export function audioProfileOf(audioCodec: string, mediaId: number): string | undefined {
  if (audioCodec === 'aac') return 'lc';
  if (audioCodec === 'dca') return mediaId % 3 === 0 ? 'ma' : 'dts';
  return undefined;
}

export interface SimStreamFacts {
  dolbyVision: boolean;
  /** `smpte2084` (PQ: HDR10) or `arib-std-b67` (HLG) on some HEVC versions. */
  colorTrc?: string;
  audioLanguages: readonly string[];
  subtitleLanguages: readonly string[];
}

/** What a version's streams say, derived from its id: some HEVC versions are HDR10, HLG or Dolby Vision. */
export function streamFactsOf(mediaId: number, videoCodec: string): SimStreamFacts {
  const hevc = videoCodec === 'hevc';
  const kind = mediaId % 5;
  return {
    dolbyVision: hevc && kind === 0,
    colorTrc: hevc && kind <= 1 ? 'smpte2084' : hevc && kind === 2 ? 'arib-std-b67' : undefined,
    audioLanguages: mediaId % 3 === 0 ? ['eng', 'fra'] : ['eng'],
    subtitleLanguages: mediaId % 2 === 0 ? ['eng', 'ger'] : [],
  };
}
