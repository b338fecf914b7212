// Every field of a catalog item's input (item-input.ts), listed once, in a fixed order, checked by tsc. The writer
// thread's packing (sync/page-rows.ts) walks these lists: a field added to the input without a place here fails
// the build instead of being silently dropped on the way to the writer thread. The fingerprint (sync/fingerprint.ts)
// reads the fields by name in this order; its tests fail if it leaves one out.
import type { ExternalIds, GuidProvider } from '../../shared/domain.js';
import type { CatalogFileInput, CatalogItemDetails, CatalogItemInput, CatalogTagInput, CatalogVersionInput } from './item-input.js';

export const ITEM_SCALAR_FIELDS = [
  'kind',
  'ratingKey',
  'guid',
  'title',
  'year',
  'addedAt',
  'updatedAt',
  'originallyAvailableAt',
  'durationMs',
  'leafCount',
  'childCount',
  'showRatingKey',
  'showTitle',
  'seasonRatingKey',
  'seasonTitle',
  'seasonNumber',
  'episodeNumber',
] as const satisfies readonly (keyof CatalogItemInput)[];
/** The fields that are not in ITEM_SCALAR_FIELDS: each handled by code of its own where the lists are used. */
type NotScalar = 'externalIds' | 'files' | 'details' | 'tags' | 'versions' | 'fingerprint';

/** The providers of `externalIds`. */
export const EXTERNAL_ID_PROVIDERS = ['imdb', 'tmdb', 'tvdb', 'plex', 'asin', 'mbid'] as const satisfies readonly GuidProvider[];

export const FILE_FIELDS = [
  'mediaIndex',
  'partIndex',
  'plexPath',
  'size',
  'durationMs',
  'container',
] as const satisfies readonly (keyof CatalogFileInput)[];
export const DETAIL_FIELDS = [
  'summary',
  'tagline',
  'contentRating',
  'studio',
  'originalTitle',
  'titleSort',
  'edition',
  'criticRating',
  'criticRatingImage',
  'audienceRating',
  'audienceRatingImage',
] as const satisfies readonly (keyof CatalogItemDetails)[];
export const TAG_FIELDS = ['kind', 'name'] as const satisfies readonly (keyof CatalogTagInput)[];
export const VERSION_FIELDS = [
  'mediaIndex',
  'resolution',
  'width',
  'height',
  'videoCodec',
  'videoProfile',
  'frameRate',
  'aspectRatio',
  'bitrate',
  'audioCodec',
  'audioChannels',
  'audioProfile',
  'container',
  'durationMs',
  'hdr',
  'audioLanguages',
  'subtitleLanguages',
] as const satisfies readonly (keyof CatalogVersionInput)[];

/** Compiles only when `Listed` names every key of T. */
type Covers<T, Listed> = Exclude<keyof T, Listed> extends never ? true : never;
const COVERED: [
  Covers<CatalogItemInput, (typeof ITEM_SCALAR_FIELDS)[number] | NotScalar>,
  Covers<Required<ExternalIds>, (typeof EXTERNAL_ID_PROVIDERS)[number]>,
  Covers<CatalogFileInput, (typeof FILE_FIELDS)[number]>,
  Covers<CatalogItemDetails, (typeof DETAIL_FIELDS)[number]>,
  Covers<CatalogTagInput, (typeof TAG_FIELDS)[number]>,
  Covers<CatalogVersionInput, (typeof VERSION_FIELDS)[number]>,
] = [true, true, true, true, true, true];
void COVERED;
