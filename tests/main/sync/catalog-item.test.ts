import { describe, expect, it } from 'vitest';
import type { PlexItem } from '../../../main/plex/model.js';
import {
  MAX_PATH_LENGTH,
  MAX_TITLE_LENGTH,
  newestTimestamp,
  plausibleTime,
  seasonKeyFromThumb,
  toCatalogItem,
} from '../../../main/sync/catalog-item.js';

const episode: PlexItem = {
  ratingKey: '1001',
  type: 'episode',
  title: 'Pilot',
  guid: 'plex://episode/5d9c086c46115600208b4c1a',
  guids: ['imdb://tt0959621', 'tmdb://62085', 'tvdb://349232'],
  year: 2008,
  originallyAvailableAt: '2008-01-20',
  index: 1,
  parentIndex: 1,
  parentRatingKey: '1000',
  parentTitle: 'Season 1',
  grandparentRatingKey: '999',
  grandparentTitle: 'Breaking Bad',
  addedAt: 1_700_000_000,
  updatedAt: 1_700_000_500,
  duration: 3_480_000,
  locations: [],
  media: [
    {
      parts: [
        { file: '/tv/Breaking Bad/S01E01.mkv', size: 1_000, duration: 3_480_000, container: 'mkv' },
        { file: '/tv/Breaking Bad/S01E01-2.mkv', size: 5 },
      ],
    },
    { parts: [{ file: '/tv/4k/S01E01.mkv' }] },
  ],
};

describe('toCatalogItem', () => {
  it('keeps what the catalog stores of an episode', () => {
    const record = toCatalogItem(episode);
    expect(record).toMatchObject({
      kind: 'episode',
      ratingKey: '1001',
      showRatingKey: '999',
      seasonRatingKey: '1000',
      seasonNumber: 1,
      episodeNumber: 1,
      externalIds: { imdb: 'tt0959621', tmdb: '62085', tvdb: '349232', plex: 'episode/5d9c086c46115600208b4c1a' },
    });
    expect(record?.files.map((file) => [file.mediaIndex, file.partIndex, file.plexPath])).toEqual([
      [0, 0, '/tv/Breaking Bad/S01E01.mkv'],
      [0, 1, '/tv/Breaking Bad/S01E01-2.mkv'],
      [1, 0, '/tv/4k/S01E01.mkv'],
    ]);
  });

  it('skips types the catalog does not keep', () => {
    expect(toCatalogItem({ ...episode, type: 'photo' })).toBeNull();
    expect(toCatalogItem({ ...episode, type: 'collection' })).toBeNull();
  });

  const changes: [string, Partial<PlexItem>][] = [
    ['title', { title: 'Pilot (Extended)' }],
    ['year', { year: 2009 }],
    ['guid', { guid: 'plex://episode/5d9c086c46115600208b4c1b' }],
    ['an external id', { guids: ['imdb://tt0959622'] }],
    ['addedAt', { addedAt: 1 }],
    ['updatedAt', { updatedAt: 2 }],
    ['the air date', { originallyAvailableAt: '2008-01-21' }],
    ['the duration', { duration: 1 }],
    ['the episode number', { index: 2 }],
    ['the season number', { parentIndex: 2 }],
    ['the season', { parentRatingKey: '1002' }],
    ['the season title', { parentTitle: 'Season One' }],
    ['the show', { grandparentRatingKey: '998' }],
    ['the show title', { grandparentTitle: 'Breaking Bad (2008)' }],
    ['a file path', { media: [{ parts: [{ file: '/tv/moved.mkv' }] }] }],
    ['a file size', { media: [{ parts: [{ file: '/tv/Breaking Bad/S01E01.mkv', size: 2 }] }] }],
  ];

  it.each(changes)('gives a different fingerprint when %s changes', (_what, change) => {
    expect(toCatalogItem({ ...episode, ...change })?.fingerprint).not.toBe(toCatalogItem(episode)?.fingerprint);
  });

  it('gives the same fingerprint to the same item', () => {
    expect(toCatalogItem(structuredClone(episode))?.fingerprint).toBe(toCatalogItem(episode)?.fingerprint);
  });

  it('tells a show by its episode and season counts', () => {
    const show: PlexItem = { ...episode, type: 'show', ratingKey: '999', leafCount: 62, childCount: 5 };
    expect(toCatalogItem({ ...show, leafCount: 63 })?.fingerprint).not.toBe(toCatalogItem(show)?.fingerprint);
    expect(toCatalogItem({ ...show, childCount: 6 })?.fingerprint).not.toBe(toCatalogItem(show)?.fingerprint);
  });
});

describe('newestTimestamp', () => {
  it.each([
    [{ addedAt: 5, updatedAt: 9 }, 9],
    [{ addedAt: 9, updatedAt: 5 }, 9],
    [{ addedAt: 5, updatedAt: null }, 5],
    [{ addedAt: null, updatedAt: 7 }, 7],
    [{ addedAt: null, updatedAt: null }, null],
  ])('%o → %s', (item, expected) => {
    expect(newestTimestamp(item)).toBe(expected);
  });
});

describe('what an item cannot keep', () => {
  it('stores impossible stamps as unknown and says so', () => {
    expect([plausibleTime(1e300), plausibleTime(-5), plausibleTime(1.5), plausibleTime(undefined), plausibleTime(1_700_000_000)]).toEqual([
      null,
      null,
      null,
      null,
      1_700_000_000,
    ]);
    const record = toCatalogItem({ ...episode, updatedAt: 1e300 });
    expect(record).toMatchObject({ updatedAt: null, addedAt: 1_700_000_000, defects: { implausibleDates: true } });
  });

  it('cuts long titles and drops long paths, and marks files Plex did not share', () => {
    const record = toCatalogItem({
      ...episode,
      title: 'x'.repeat(MAX_TITLE_LENGTH + 1),
      media: [{ parts: [{ file: `/${'p'.repeat(MAX_PATH_LENGTH)}` }, { size: 3 }, { file: '/ok.mkv' }] }],
    });
    expect(record?.title).toHaveLength(MAX_TITLE_LENGTH);
    expect(record?.files.map((file) => file.plexPath)).toEqual(['/ok.mkv']);
    expect(record?.defects).toEqual({ titleTruncated: true, pathsWithheld: true, pathsRefused: 1 });
    expect(toCatalogItem(episode)?.defects).toBeUndefined();
  });

  it("reads a hidden season's key from the episode's parentThumb", () => {
    expect(seasonKeyFromThumb('/library/metadata/1234/thumb/1700000000')).toBe('1234');
    expect(seasonKeyFromThumb('/:/resources/show.png')).toBeNull();
    const { parentRatingKey: _dropped, parentIndex: _index, ...hidden } = episode;
    expect(toCatalogItem({ ...hidden, parentThumb: '/library/metadata/1000/thumb/1' })).toMatchObject({
      seasonRatingKey: '1000',
      seasonNumber: null,
    });
  });
});

describe('rich metadata (issue 10)', () => {
  const movie: PlexItem = {
    ratingKey: '7',
    type: 'movie',
    title: 'Heat',
    guids: [],
    summary: 'A group of professional bank robbers…',
    tagline: 'A Los Angeles crime saga',
    audienceRating: 9.1,
    audienceRatingImage: 'rottentomatoes://image.rating.upright',
    editionTitle: "Director's Definitive Edition",
    tags: [
      { element: 'Genre', tag: 'Crime' },
      { element: 'Role', tag: 'Al Pacino' },
      { element: 'Genre', tag: 'Crime' },
      { element: 'Director', tag: 'Michael Mann' },
      { element: 'Writer', tag: 'Michael Mann' },
    ],
    media: [{ videoCodec: 'hevc', audioCodec: 'truehd', bitrate: 2.5, parts: [{ file: '/m/Heat.mkv' }] }],
    locations: [],
  };

  it('keeps the details, distinct tags in listing order, and a lenient technical line', () => {
    const record = toCatalogItem(movie);
    expect(record?.details).toMatchObject({
      tagline: 'A Los Angeles crime saga',
      audienceRating: 9.1,
      edition: "Director's Definitive Edition",
    });
    expect(record?.tags).toEqual([
      { kind: 'genre', name: 'Crime' },
      { kind: 'actor', name: 'Al Pacino' },
      { kind: 'director', name: 'Michael Mann' },
      { kind: 'writer', name: 'Michael Mann' },
    ]);
    expect(record?.versions).toMatchObject([
      { mediaIndex: 0, videoCodec: 'hevc', audioCodec: 'truehd', bitrate: null, hdr: null, audioLanguages: null },
    ]);
  });

  it('changes the fingerprint when only a tag, a rating or the technical line changes', () => {
    const base = toCatalogItem(movie)?.fingerprint;
    const changed: PlexItem[] = [
      { ...movie, tags: [...(movie.tags ?? []), { element: 'Label', tag: 'Favourites' }] },
      { ...movie, audienceRating: 9.2 },
      { ...movie, media: [{ ...movie.media[0], videoProfile: 'main 10', parts: movie.media[0]?.parts ?? [] }] },
    ];
    for (const item of changed) expect(toCatalogItem(item)?.fingerprint).not.toBe(base);
  });

  it('reads HDR and languages from the streams of full metadata (python-plexapi VideoStream/AudioStream)', () => {
    const record = toCatalogItem({
      ...movie,
      media: [
        {
          parts: [
            {
              file: '/m/Heat.mkv',
              streams: [
                { streamType: 1, doviPresent: true, colorTrc: 'smpte2084' },
                { streamType: 2, languageCode: 'eng' },
                { streamType: 2, languageCode: 'fra' },
                { streamType: 3, languageCode: 'ger' },
              ],
            },
          ],
        },
      ],
    });
    expect(record?.versions?.[0]).toMatchObject({ hdr: 'dolby-vision', audioLanguages: ['eng', 'fra'], subtitleLanguages: ['ger'] });
  });
});
