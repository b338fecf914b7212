// A listing's item element straight into the record the catalog stores: what toCatalogItem(decodeItem(element))
// gives, without the PlexItem in between. A full sync reads 146,000 such elements on the bench library; the
// PlexItem of each (forty fields, a tag object per genre and actor) was built only to be read once and dropped.
// Pure: no HTTP, no SQL. Kept equal to the two-step path by tests over every element the simulator and the
// fixtures hold, in JSON and XML (tests/main/sync/listing-record.test.ts).
import { externalIdsFor } from '../../shared/guid.js';
import type { CatalogTagInput } from '../catalog/item-input.js';
import { decodeMedia, forEachTag, guidIds, type ItemDecoder } from '../plex/decode.js';
import { asId, asNumber, asText, childNodes, type PlexNode } from '../plex/node-readers.js';
import {
  addTag,
  defectsOf,
  filesOf,
  hasFiles,
  isCatalogKind,
  isLeaf,
  isMiddle,
  MAX_TAG_LENGTH,
  MAX_TAGS_PER_ITEM,
  MAX_TITLE_LENGTH,
  NO_TAGS,
  NO_VERSIONS,
  plausibleTime,
  rating,
  seasonKeyFromThumb,
  text,
  versionsOf,
  type ItemRecord,
} from './catalog-item.js';
import { fingerprintOf } from './fingerprint.js';

/** The catalog record of a listed element, or null for what the catalog does not keep (photos, collections…). */
export const listingRecord: ItemDecoder<ItemRecord> = (node, ratingKey) => {
  const type = asText(node.type) ?? '';
  if (!isCatalogKind(type)) return null;
  const kind = type;
  const title = asText(node.title) ?? '';
  const guid = asText(node.guid);
  const rawAdded = asNumber(node.addedAt);
  const rawUpdated = asNumber(node.updatedAt);
  const addedAt = plausibleTime(rawAdded);
  const updatedAt = plausibleTime(rawUpdated);
  const parentRatingKey = asId(node.parentRatingKey);
  const parentTitle = asText(node.parentTitle);
  const index = asNumber(node.index);
  const parentIndex = asNumber(node.parentIndex);
  const leaf = isLeaf(kind);
  const withFiles = hasFiles(kind);
  const medias = childNodes(node, 'Media').map(decodeMedia);
  const record: ItemRecord = {
    kind,
    ratingKey,
    guid: guid ?? null,
    title: title.length > MAX_TITLE_LENGTH ? title.slice(0, MAX_TITLE_LENGTH) : title,
    year: asNumber(node.year) ?? null,
    addedAt,
    updatedAt,
    externalIds: externalIdsFor(kind, guid, guidIds(node)),
    originallyAvailableAt: asText(node.originallyAvailableAt) ?? null,
    durationMs: asNumber(node.duration) ?? null,
    leafCount: kind === 'show' || kind === 'artist' ? (asNumber(node.leafCount) ?? null) : null,
    childCount: kind === 'show' || kind === 'artist' ? (asNumber(node.childCount) ?? null) : null,
    showRatingKey: isMiddle(kind) ? (parentRatingKey ?? null) : leaf ? (asId(node.grandparentRatingKey) ?? null) : null,
    showTitle: isMiddle(kind) ? (parentTitle ?? null) : leaf ? (asText(node.grandparentTitle) ?? null) : null,
    seasonRatingKey:
      kind === 'episode'
        ? // As decodeItem: the thumb only stands in where the element has no parentRatingKey at all.
          (parentRatingKey ?? seasonKeyFromThumb(node.parentRatingKey === undefined ? asText(node.parentThumb) : undefined))
        : kind === 'track'
          ? (parentRatingKey ?? null)
          : null,
    seasonTitle: leaf ? (parentTitle ?? null) : null,
    seasonNumber: kind === 'season' ? (index ?? null) : leaf ? (parentIndex ?? null) : null,
    episodeNumber: leaf ? (index ?? null) : null,
    files: withFiles ? filesOf(medias) : [],
    details: {
      summary: text(asText(node.summary)),
      tagline: text(asText(node.tagline)),
      contentRating: text(asText(node.contentRating), MAX_TAG_LENGTH),
      studio: text(asText(node.studio), MAX_TAG_LENGTH),
      originalTitle: text(asText(node.originalTitle), MAX_TITLE_LENGTH),
      titleSort: text(asText(node.titleSort), MAX_TITLE_LENGTH),
      edition: kind === 'movie' ? text(asText(node.editionTitle), MAX_TAG_LENGTH) : null,
      criticRating: rating(asNumber(node.rating)),
      criticRatingImage: text(asText(node.ratingImage), MAX_TAG_LENGTH),
      audienceRating: rating(asNumber(node.audienceRating)),
      audienceRatingImage: text(asText(node.audienceRatingImage), MAX_TAG_LENGTH),
    },
    tags: tagsOf(node),
    versions: withFiles ? versionsOf(medias) : NO_VERSIONS,
    fingerprint: '',
  };
  const implausibleDates = (addedAt === null && rawAdded !== undefined) || (updatedAt === null && rawUpdated !== undefined);
  const defects = defectsOf(title, medias, record, implausibleDates);
  if (defects !== undefined) record.defects = defects;
  record.fingerprint = fingerprintOf(record);
  return record;
};

/** The element's tags in the listing's order (Genre, Label, … Role), as decodeItem and toCatalogItem keep them. */
function tagsOf(node: PlexNode): readonly CatalogTagInput[] {
  let out: CatalogTagInput[] | undefined;
  forEachTag(node, (element, tag) => {
    out ??= [];
    if (out.length >= MAX_TAGS_PER_ITEM) return false;
    addTag(out, element, tag);
    return true;
  });
  return out ?? NO_TAGS;
}
