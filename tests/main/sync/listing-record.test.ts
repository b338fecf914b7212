// listingRecord (listing-record.ts) gives exactly what toCatalogItem(decodeItem(element)) gives, for every element
// of the fixtures and of simulated listings (every kind, JSON and XML, with the quirks of real servers), and for
// hand-made hostile elements.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeContainer, type PlexBodyFormat } from '../../../main/plex/decode.js';
import { toCatalogItem, type ItemRecord } from '../../../main/sync/catalog-item.js';
import { listingRecord } from '../../../main/sync/listing-record.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';

/** Both paths over one body: the records must be equal, and so must the count of entries paging relies on. */
function expectSameRecords(body: string, format: PlexBodyFormat): ItemRecord[] {
  const twoStep = decodeContainer(body, format);
  const direct = decodeContainer(body, format, listingRecord);
  const expected = twoStep.items.map(toCatalogItem).filter((record): record is ItemRecord => record !== null);
  expect(direct.items).toEqual(expected);
  expect(direct.entries).toBe(twoStep.items.length);
  return direct.items;
}

const FIXTURES = new URL('../plex/fixtures/', import.meta.url);

describe('listingRecord on the decoder fixtures', () => {
  const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.json') || name.endsWith('.xml'));

  it.each(files)('%s', (name) => {
    expectSameRecords(readFileSync(new URL(name, FIXTURES), 'utf8'), name.endsWith('.json') ? 'json' : 'xml');
  });
});

describe('listingRecord on simulated listings', () => {
  let sim: PlexSim;
  const sharedToken = 'shared-account-token';

  beforeAll(async () => {
    sim = await startPlexSim({
      seed: 31,
      library: { movies: 120, shows: 6, episodes: 160, artists: 5, albums: 12, tracks: 90, audiobooks: 6 },
      hiddenSeasons: 'drop-index',
      absurdDatedItems: 2,
      futureDatedItems: 1,
      listingStreams: true,
      sharedToken,
    });
  });

  afterAll(async () => {
    await sim.close();
  });

  async function body(path: string, query: Record<string, string | number>, format: PlexBodyFormat, token: string): Promise<string> {
    const url = new URL(path, sim.url);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = { 'x-plex-token': token, 'x-plex-client-identifier': 'listing-record-test' };
    if (format === 'json') headers.accept = 'application/json';
    const response = await fetch(url, { headers });
    expect(response.status).toBe(200);
    return response.text();
  }

  const TYPES: Record<string, number[]> = { movie: [1], show: [2, 3, 4], artist: [8, 9, 10] };

  it.each(['json', 'xml'] as const)('every kind of every section, as %s, as the owner and as a shared account', async (format) => {
    const sections = decodeContainer(await body('/library/sections', {}, 'json', sim.token), 'json').sections;
    let records = 0;
    const kinds = new Set<string>();
    for (const token of [sim.token, sharedToken]) {
      for (const section of sections) {
        for (const type of TYPES[section.type] ?? []) {
          const query = {
            type,
            includeGuids: 1,
            sort: 'id',
            includeCollections: 0,
            'X-Plex-Container-Start': 0,
            'X-Plex-Container-Size': 1000,
          };
          const listed = expectSameRecords(await body(`/library/sections/${section.key}/all`, query, format, token), format);
          records += listed.length;
          for (const record of listed) kinds.add(record.kind);
        }
      }
    }
    expect([...kinds].sort()).toEqual(['album', 'artist', 'episode', 'movie', 'season', 'show', 'track']);
    expect(records).toBeGreaterThan(2 * (120 + 6 + 160 + 5 + 12 + 90));
  });
});

describe('listingRecord on hostile elements', () => {
  const long = 'x'.repeat(5_000);
  const elements = [
    // Numbers as text, an unknown kind, a collection, an element without a rating key, an "all episodes" entry.
    {
      ratingKey: '1',
      type: 'movie',
      title: 'Text Numbers',
      year: '1999',
      addedAt: '1600000000',
      duration: '5400000',
      rating: '7.5',
      editionTitle: 'Cut',
    },
    { ratingKey: '2', type: 'photo', title: 'A Photo' },
    { ratingKey: '3', type: 'collection', title: 'A Collection' },
    { type: 'movie', title: 'No Key' },
    { ratingKey: '4', key: '/library/metadata/9/allLeaves', type: 'episode', title: 'All episodes' },
    // Absurd and missing dates, a title and texts past their caps, a rating out of range.
    { ratingKey: '5', type: 'movie', title: long, addedAt: 1e300, updatedAt: -5, summary: long, studio: long, rating: 400 },
    // Hidden seasons: no parentRatingKey (the thumb names the season), and an empty one (the thumb must not count).
    {
      ratingKey: '6',
      type: 'episode',
      title: 'E',
      parentThumb: '/library/metadata/77/thumb/1',
      grandparentRatingKey: '70',
      index: 3,
      editionTitle: 'Not for episodes',
      leafCount: 4,
    },
    { ratingKey: '7', type: 'episode', title: 'E', parentRatingKey: '', parentThumb: '/library/metadata/78/thumb/1' },
    // Tags: blank, padded, repeated, past the length cap, and more of them than the count cap.
    {
      ratingKey: '8',
      type: 'movie',
      title: 'Tags',
      Genre: [{ tag: ' Drama ' }, { tag: 'Drama' }, { tag: '' }, { tag: 7 }, {}],
      Role: Array.from({ length: 600 }, (_, i) => ({ tag: i % 2 === 0 ? `Actor ${i}` : `${i}${long}` })),
      Director: { tag: 'A Lone Director' },
    },
    // Files: withheld, too long, several versions and parts, streams with HDR and languages.
    {
      ratingKey: '9',
      type: 'movie',
      title: 'Files',
      Media: [
        {
          id: 1,
          videoResolution: '4k',
          width: '3840',
          bitrate: 1e20,
          Part: [{ file: '' }, { file: `/${long}` }, { file: '/a.mkv', size: '12' }],
        },
        {
          id: 2,
          container: 'mkv',
          Part: {
            file: '/b.mkv',
            Stream: [
              { streamType: 1, DOVIPresent: '1' },
              { streamType: 2, languageCode: 'eng' },
              { streamType: 3, languageCode: 'ger' },
            ],
          },
        },
      ],
    },
    // Guids: legacy agents, a bare string, junk.
    {
      ratingKey: '10',
      type: 'show',
      title: 'Guids',
      guid: 'com.plexapp.agents.thetvdb://81189?lang=en',
      Guid: [{ id: 'imdb://tt1' }, { id: 5 }, 'junk'],
    },
    { ratingKey: '11', type: 'album', title: 'Book', guid: 'com.plexapp.agents.audnexus://B08G9PRS1K_us?lang=en', parentTitle: 'Author' },
    { ratingKey: '12', type: 'track', title: 'Chapter', parentRatingKey: 11, grandparentRatingKey: '13', parentIndex: '1', index: '2' },
    { ratingKey: 14, type: 'season', title: 'Season', index: 0, parentRatingKey: '10', leafCount: 3, childCount: 1 },
  ];

  it('are decoded alike, in JSON and in a lone element', () => {
    const records = expectSameRecords(JSON.stringify({ MediaContainer: { size: elements.length, Metadata: elements } }), 'json');
    // The kept ones, so the comparison above compared something.
    expect(records.map((record) => record.ratingKey)).toEqual(['1', '5', '6', '7', '8', '9', '10', '11', '12', '14']);
    expect(records.find((record) => record.ratingKey === '8')?.tags?.length).toBe(500);
    const lone = JSON.stringify({ MediaContainer: { Metadata: elements[0] } });
    expect(expectSameRecords(lone, 'json')).toHaveLength(1);
  });
});
