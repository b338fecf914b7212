// Pages go to the writer thread as flat arrays (main/sync/page-rows.ts): every field must come back as it went.
import { describe, expect, it } from 'vitest';
import type { CatalogItemInput } from '../../../main/catalog/item-input.js';
import { packPage, unpackPage } from '../../../main/sync/page-rows.js';

const episode: CatalogItemInput = {
  kind: 'episode',
  ratingKey: '1202',
  guid: 'plex://episode/052be156fd1c8230005723f8',
  title: 'Trust Issues',
  year: 2008,
  addedAt: 1_606_599_449,
  updatedAt: 1_607_868_763,
  externalIds: { tvdb: '5392352', plex: 'episode/052be156fd1c8230005723f8' },
  originallyAvailableAt: '2008-01-22',
  durationMs: 1_767_608,
  leafCount: null,
  childCount: null,
  showRatingKey: '1200',
  showTitle: 'Breaking Bad',
  seasonRatingKey: '1201',
  seasonTitle: 'Specials',
  seasonNumber: 0,
  episodeNumber: 1,
  files: [
    { mediaIndex: 0, partIndex: 0, plexPath: 'D:\\TV\\a.mkv', size: 403_898_428, durationMs: 1_767_608, container: 'mkv' },
    { mediaIndex: 1, partIndex: 0, plexPath: '/tv/b.mp4', size: null, durationMs: null, container: null },
  ],
  details: {
    summary: "Une histoire d'amour à Paris",
    tagline: null,
    contentRating: 'TV-MA',
    studio: null,
    originalTitle: '千と千尋の神隠し',
    titleSort: null,
    edition: null,
    criticRating: null,
    criticRatingImage: null,
    audienceRating: 9.8,
    audienceRatingImage: 'themoviedb://image.rating',
  },
  tags: [
    { kind: 'director', name: 'Kenji Silva' },
    { kind: 'writer', name: 'Mia Smith' },
  ],
  versions: [
    {
      mediaIndex: 0,
      resolution: '4k',
      width: 3840,
      height: 2160,
      videoCodec: 'hevc',
      videoProfile: 'main 10',
      frameRate: '24p',
      aspectRatio: 1.78,
      bitrate: 20_000,
      audioCodec: 'eac3',
      audioChannels: 6,
      audioProfile: null,
      container: 'mkv',
      durationMs: 1_767_608,
      hdr: 'dolby-vision',
      audioLanguages: ['eng', 'fra'],
      subtitleLanguages: [],
    },
  ],
  fingerprint: 'abc',
};

/** A stub show as the writer sees one: no details, tags or versions at all (absent, not empty), no files, no ids. */
const bareShow: CatalogItemInput = {
  ...episode,
  kind: 'show',
  ratingKey: '1200',
  externalIds: {},
  files: [],
  tags: [],
  fingerprint: 'stub',
};
delete bareShow.details;
delete bareShow.versions;

describe('page rows', () => {
  it('gives back every field of every item, absent parts absent and empty ones empty', () => {
    const page = [episode, bareShow, { ...episode, ratingKey: '1203', versions: [] }];
    const unpacked = unpackPage(structuredClone(packPage(page)));
    expect(unpacked).toEqual(page);
    expect('details' in (unpacked[1] ?? {})).toBe(false);
    expect('versions' in (unpacked[1] ?? {})).toBe(false);
    expect(unpacked[1]?.tags).toEqual([]);
  });

  it('posts plain values only: one flat array, no object per item', () => {
    const packed = packPage([episode, bareShow]);
    expect(packed.count).toBe(2);
    expect(packed.values.every((value) => value === null || typeof value !== 'object' || Array.isArray(value))).toBe(true);
  });

  it('an empty page stays empty', () => {
    expect(unpackPage(packPage([]))).toEqual([]);
  });
});
