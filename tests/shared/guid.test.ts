import { describe, expect, it } from 'vitest';

import type { ExternalIds, ItemKind } from '../../shared/domain.js';
import { canonicalExternalId, externalIdsFor, parseGuid, type ParsedGuid } from '../../shared/guid.js';

type Expected = Omit<ParsedGuid, 'raw'>;

// Real GUIDs as Plex servers return them (new agents, Guid[] entries, legacy agents, HAMA, personal media).
const parseCases: [string, Expected][] = [
  // New Plex agents: primary guid
  ['plex://movie/5d776b59ad5437001f79c6f8', { provider: 'plex', value: 'movie/5d776b59ad5437001f79c6f8', agent: 'plex' }],
  ['plex://show/5d9c08254eefaa001f5d6dcb', { provider: 'plex', value: 'show/5d9c08254eefaa001f5d6dcb', agent: 'plex' }],
  ['plex://season/602e67140f4bde002da399f2', { provider: 'plex', value: 'season/602e67140f4bde002da399f2', agent: 'plex' }],
  ['plex://episode/5d9c1216170e24001f2ce641', { provider: 'plex', value: 'episode/5d9c1216170e24001f2ce641', agent: 'plex' }],
  ['PLEX://Movie/5D776B59AD5437001F79C6F8', { provider: 'plex', value: 'movie/5d776b59ad5437001f79c6f8', agent: 'plex' }],
  ['plex://movie/5d776b59ad5437001f79c6f8/', { provider: 'plex', value: 'movie/5d776b59ad5437001f79c6f8', agent: 'plex' }],
  // Guid[] entries
  ['imdb://tt0111161', { provider: 'imdb', value: 'tt0111161', agent: 'external' }],
  ['imdb://tt3032476', { provider: 'imdb', value: 'tt3032476', agent: 'external' }],
  ['tmdb://278', { provider: 'tmdb', value: '278', agent: 'external' }],
  ['tmdb://60059', { provider: 'tmdb', value: '60059', agent: 'external' }],
  ['tvdb://81189', { provider: 'tvdb', value: '81189', agent: 'external' }],
  ['tvdb://273181', { provider: 'tvdb', value: '273181', agent: 'external' }],
  ['  tvdb://81189  ', { provider: 'tvdb', value: '81189', agent: 'external' }],
  ['IMDB://TT0111161', { provider: 'imdb', value: 'tt0111161', agent: 'external' }],
  ['tmdb://278/', { provider: 'tmdb', value: '278', agent: 'external' }],
  // Legacy movie agents
  ['com.plexapp.agents.imdb://tt1254207?lang=en', { provider: 'imdb', value: 'tt1254207', agent: 'legacy' }],
  ['com.plexapp.agents.imdb://tt0133093?lang=de', { provider: 'imdb', value: 'tt0133093', agent: 'legacy' }],
  ['com.plexapp.agents.themoviedb://603?lang=en', { provider: 'tmdb', value: '603', agent: 'legacy' }],
  ['COM.PLEXAPP.AGENTS.THEMOVIEDB://603?LANG=EN', { provider: 'tmdb', value: '603', agent: 'legacy' }],
  ['com.plexapp.agents.xbmcnfo://tt0111161?lang=xn', { provider: 'imdb', value: 'tt0111161', agent: 'legacy' }],
  // Legacy TV agent: show, season, episode
  ['com.plexapp.agents.thetvdb://268592?lang=en', { provider: 'tvdb', value: '268592', agent: 'legacy' }],
  ['com.plexapp.agents.thetvdb://268592/1?lang=en', { provider: 'tvdb', value: '268592', season: 1, agent: 'legacy' }],
  ['com.plexapp.agents.thetvdb://268592/1/1?lang=en', { provider: 'tvdb', value: '268592', season: 1, episode: 1, agent: 'legacy' }],
  ['com.plexapp.agents.thetvdb://81189/0/3?lang=en', { provider: 'tvdb', value: '81189', season: 0, episode: 3, agent: 'legacy' }],
  ['com.plexapp.agents.thetvdb://268592/1/1', { provider: 'tvdb', value: '268592', season: 1, episode: 1, agent: 'legacy' }],
  ['com.plexapp.agents.thetvdbdvdorder://75760/2/5?lang=en', { provider: 'tvdb', value: '75760', season: 2, episode: 5, agent: 'legacy' }],
  ['com.plexapp.agents.themoviedb://1399/1/1?lang=en', { provider: 'tmdb', value: '1399', season: 1, episode: 1, agent: 'legacy' }],
  // HAMA (anime)
  ['com.plexapp.agents.hama://anidb-17494/1/7?lang=en', { provider: 'anidb', value: '17494', season: 1, episode: 7, agent: 'legacy' }],
  ['com.plexapp.agents.hama://anidb-17494?lang=en', { provider: 'anidb', value: '17494', agent: 'legacy' }],
  ['com.plexapp.agents.hama://tvdb-81797?lang=en', { provider: 'tvdb', value: '81797', agent: 'legacy' }],
  ['com.plexapp.agents.hama://tvdb2-81797/1?lang=en', { provider: 'tvdb', value: '81797', season: 1, agent: 'legacy' }],
  ['com.plexapp.agents.hama://imdb-tt0409591?lang=en', { provider: 'imdb', value: 'tt0409591', agent: 'legacy' }],
  ['com.plexapp.agents.anidb://6662?lang=en', { provider: 'anidb', value: '6662', agent: 'legacy' }],
  // Personal media, unmatched, collections
  [
    'com.plexapp.agents.none://5d2b2b3c0b2a8a1b2c3d4e5f6a7b8c9d0e1f2a3b?lang=xn',
    { provider: 'none', value: '5d2b2b3c0b2a8a1b2c3d4e5f6a7b8c9d0e1f2a3b', agent: 'legacy' },
  ],
  ['local://910', { provider: 'local', value: '910', agent: 'plex' }],
  [
    'collection://7a1c2b3d-4e5f-6789-abcd-ef0123456789',
    { provider: 'collection', value: '7a1c2b3d-4e5f-6789-abcd-ef0123456789', agent: 'plex' },
  ],
  // Bare ids
  ['tt0111161', { provider: 'imdb', value: 'tt0111161', agent: 'bare' }],
  // Malformed and unknown
  ['', { provider: 'unknown', value: '', agent: 'unknown' }],
  ['   ', { provider: 'unknown', value: '', agent: 'unknown' }],
  ['plex://', { provider: 'unknown', value: 'plex://', agent: 'plex' }],
  ['plex://movie/', { provider: 'unknown', value: 'plex://movie/', agent: 'plex' }],
  ['plex://movie/not-a-hex-id', { provider: 'unknown', value: 'plex://movie/not-a-hex-id', agent: 'plex' }],
  ['plex://artist/5d07bbfc403c6402904a5ec6', { provider: 'plex', value: 'artist/5d07bbfc403c6402904a5ec6', agent: 'plex' }],
  ['plex://album/5d07cd3b403c640290a58bc9', { provider: 'plex', value: 'album/5d07cd3b403c640290a58bc9', agent: 'plex' }],
  ['plex://playlist/5d07bbfc403c6402904a5ec6', { provider: 'unknown', value: 'plex://playlist/5d07bbfc403c6402904a5ec6', agent: 'plex' }],
  ['com.plexapp.agents.imdb://', { provider: 'unknown', value: 'com.plexapp.agents.imdb://', agent: 'legacy' }],
  ['com.plexapp.agents.imdb://?lang=en', { provider: 'unknown', value: 'com.plexapp.agents.imdb://?lang=en', agent: 'legacy' }],
  [
    'com.plexapp.agents.thetvdb://268592/x/1?lang=en',
    { provider: 'unknown', value: 'com.plexapp.agents.thetvdb://268592/x/1?lang=en', agent: 'legacy' },
  ],
  [
    'com.plexapp.agents.hama://kitsu-1234?lang=en',
    { provider: 'unknown', value: 'com.plexapp.agents.hama://kitsu-1234?lang=en', agent: 'legacy' },
  ],
  ['com.plexapp.agents.plexthememusic://abc', { provider: 'unknown', value: 'com.plexapp.agents.plexthememusic://abc', agent: 'legacy' }],
  ['tmdb://abc', { provider: 'unknown', value: 'tmdb://abc', agent: 'external' }],
  ['imdb://0111161', { provider: 'unknown', value: 'imdb://0111161', agent: 'external' }],
  ['tvdb://', { provider: 'unknown', value: 'tvdb://', agent: 'external' }],
  ['local://', { provider: 'unknown', value: 'local://', agent: 'plex' }],
  ['mbid://f27ec8db-af05-4f36-916e-3d57f91ecf5e', { provider: 'mbid', value: 'f27ec8db-af05-4f36-916e-3d57f91ecf5e', agent: 'external' }],
  ['mbid://not-a-uuid', { provider: 'unknown', value: 'mbid://not-a-uuid', agent: 'external' }],
  // The Audnexus audiobook agent: an ASIN with a region suffix (public Audnexus matching tools parse these forms)
  ['com.plexapp.agents.audnexus://B08G9PRS1K_us?lang=en', { provider: 'asin', value: 'B08G9PRS1K', agent: 'legacy' }],
  ['com.plexapp.agents.audnexus://B07286JWD3_ca/item', { provider: 'asin', value: 'B07286JWD3', agent: 'legacy' }],
  ['com.plexapp.agents.audnexus://b003zwfo7e', { provider: 'asin', value: 'B003ZWFO7E', agent: 'legacy' }],
  ['com.plexapp.agents.audnexus://1250313244_uk?lang=en', { provider: 'asin', value: '1250313244', agent: 'legacy' }],
  [
    'com.plexapp.agents.audnexus://B08G9PRS1_us?lang=en',
    { provider: 'unknown', value: 'com.plexapp.agents.audnexus://B08G9PRS1_us?lang=en', agent: 'legacy' },
  ],
  ['https://www.imdb.com/title/tt0111161/', { provider: 'unknown', value: 'https://www.imdb.com/title/tt0111161/', agent: 'unknown' }],
  ['278', { provider: 'unknown', value: '278', agent: 'unknown' }],
  ['://', { provider: 'unknown', value: '://', agent: 'unknown' }],
  ['\u{1F4A9}://\u0000\uFFFF', { provider: 'unknown', value: '\u{1F4A9}://\u0000\uFFFF', agent: 'unknown' }],
  ['tmdb://\uD800', { provider: 'unknown', value: 'tmdb://\uD800', agent: 'external' }],
  ['imdb://tt０１１１', { provider: 'unknown', value: 'imdb://tt０１１１', agent: 'external' }],
];

describe('parseGuid', () => {
  it.each(parseCases)('%j', (raw, expected) => {
    expect(parseGuid(raw)).toEqual({ ...expected, raw });
  });

  it('never throws on hostile input', () => {
    const inputs: unknown[] = [null, undefined, 42, {}, 'a'.repeat(100_000), '://'.repeat(1000), '\uDFFF\uD800'];
    for (const input of inputs) {
      expect(() => parseGuid(input as string)).not.toThrow();
    }
    expect(parseGuid(null as unknown as string).provider).toBe('unknown');
  });
});

const idCases: [string, ItemKind, string | undefined, string[], ExternalIds][] = [
  ['audiobook (Audnexus)', 'album', 'com.plexapp.agents.audnexus://B08G9PRS1K_us?lang=en', [], { asin: 'B08G9PRS1K' }],
  ['audiobook author (Audnexus)', 'artist', 'com.plexapp.agents.audnexus://B000APZOQA_us?lang=en', [], { asin: 'B000APZOQA' }],
  // A part's GUID names its book: the ASIN is the album's id, not the track's.
  ['audiobook part', 'track', 'com.plexapp.agents.audnexus://B08G9PRS1K_us/2?lang=en', [], {}],
  [
    'new-agent album',
    'album',
    'plex://album/5d07cd3b403c640290a58bc9',
    ['mbid://0383dadf-2a4e-4d10-a46a-e9e041da8eb3'],
    { mbid: '0383dadf-2a4e-4d10-a46a-e9e041da8eb3', plex: 'album/5d07cd3b403c640290a58bc9' },
  ],
  [
    'new-agent movie',
    'movie',
    'plex://movie/5d776b59ad5437001f79c6f8',
    ['imdb://tt0111161', 'tmdb://278', 'tvdb://190'],
    { plex: 'movie/5d776b59ad5437001f79c6f8', imdb: 'tt0111161', tmdb: '278', tvdb: '190' },
  ],
  [
    'new-agent show',
    'show',
    'plex://show/5d9c08254eefaa001f5d6dcb',
    ['imdb://tt3032476', 'tmdb://60059', 'tvdb://273181'],
    { plex: 'show/5d9c08254eefaa001f5d6dcb', imdb: 'tt3032476', tmdb: '60059', tvdb: '273181' },
  ],
  [
    'new-agent episode: Guid[] ids are the episode’s own',
    'episode',
    'plex://episode/5d9c1216170e24001f2ce641',
    ['imdb://tt8416462', 'tmdb://1586395', 'tvdb://6820948'],
    { plex: 'episode/5d9c1216170e24001f2ce641', imdb: 'tt8416462', tmdb: '1586395', tvdb: '6820948' },
  ],
  ['new-agent season without Guid[]', 'season', 'plex://season/602e67140f4bde002da399f2', [], { plex: 'season/602e67140f4bde002da399f2' }],
  [
    'repeated source: first wins',
    'movie',
    'plex://movie/5d776b59ad5437001f79c6f8',
    ['tmdb://278', 'tmdb://999', 'imdb://tt0111161', 'imdb://tt9999999'],
    { plex: 'movie/5d776b59ad5437001f79c6f8', tmdb: '278', imdb: 'tt0111161' },
  ],
  [
    'malformed Guid[] entries skipped, later good one used',
    'movie',
    undefined,
    ['tmdb://', 'tmdb://abc', 'tmdb://278', 'garbage', ''],
    { tmdb: '278' },
  ],
  ['legacy imdb movie', 'movie', 'com.plexapp.agents.imdb://tt1254207?lang=en', [], { imdb: 'tt1254207' }],
  ['legacy themoviedb movie', 'movie', 'com.plexapp.agents.themoviedb://603?lang=en', [], { tmdb: '603' }],
  ['legacy thetvdb show', 'show', 'com.plexapp.agents.thetvdb://268592?lang=en', [], { tvdb: '268592' }],
  ['legacy thetvdb season: show id + number is not the season’s id', 'season', 'com.plexapp.agents.thetvdb://268592/1?lang=en', [], {}],
  ['legacy thetvdb episode: never the episode’s tvdb id', 'episode', 'com.plexapp.agents.thetvdb://268592/1/1?lang=en', [], {}],
  ['legacy thetvdb show-level guid on an episode', 'episode', 'com.plexapp.agents.thetvdb://268592?lang=en', [], {}],
  ['legacy themoviedb tv episode', 'episode', 'com.plexapp.agents.themoviedb://1399/1/1?lang=en', [], {}],
  ['legacy tvdb id on a movie is not exported', 'movie', 'com.plexapp.agents.thetvdb://268592?lang=en', [], {}],
  [
    'Guid[] wins over legacy primary guid',
    'movie',
    'com.plexapp.agents.imdb://tt1254207?lang=en',
    ['imdb://tt0000001', 'tmdb://603'],
    { imdb: 'tt0000001', tmdb: '603' },
  ],
  [
    'legacy fills what Guid[] lacks',
    'movie',
    'com.plexapp.agents.imdb://tt1254207?lang=en',
    ['tmdb://603'],
    { tmdb: '603', imdb: 'tt1254207' },
  ],
  ['hama tvdb show', 'show', 'com.plexapp.agents.hama://tvdb-81797?lang=en', [], { tvdb: '81797' }],
  ['hama tvdb2 show', 'show', 'com.plexapp.agents.hama://tvdb2-81797?lang=en', [], { tvdb: '81797' }],
  ['hama anidb show exports nothing', 'show', 'com.plexapp.agents.hama://anidb-17494?lang=en', [], {}],
  ['hama anidb episode exports nothing', 'episode', 'com.plexapp.agents.hama://anidb-17494/1/7?lang=en', [], {}],
  ['hama tvdb episode exports nothing', 'episode', 'com.plexapp.agents.hama://tvdb-81797/1/3?lang=en', [], {}],
  ['hama imdb movie', 'movie', 'com.plexapp.agents.hama://imdb-tt0409591?lang=en', [], { imdb: 'tt0409591' }],
  ['personal media', 'movie', 'com.plexapp.agents.none://5d2b2b3c0b2a8a1b2c3d?lang=xn', [], {}],
  ['unmatched', 'movie', 'local://910', [], {}],
  ['nothing at all', 'movie', undefined, [], {}],
  ['empty guid', 'show', '', [], {}],
  ['malformed plex guid', 'movie', 'plex://', [], {}],
  ['malformed legacy guid', 'movie', 'com.plexapp.agents.imdb://', [], {}],
  ['garbage unicode', 'movie', '\u{1F600}\u0301\uD800', ['\u0000', '\uFFFE://\uFFFF'], {}],
];

describe('externalIdsFor', () => {
  it.each(idCases)('%s', (_name, kind, guid, guids, expected) => {
    expect(externalIdsFor(kind, guid, guids)).toEqual(expected);
  });

  it('never throws on values of the wrong type', () => {
    expect(externalIdsFor('movie', 42 as unknown as string, [null, 7, {}] as unknown as string[])).toEqual({});
    expect(externalIdsFor('movie', undefined, null as unknown as string[])).toEqual({});
  });
});

describe('canonicalExternalId (the fast path of externalIdsFor)', () => {
  const near = [
    'imdb://tt0111161',
    'tmdb://278',
    'tvdb://81189',
    'plex://episode/5d9c1216170e24001f2ce641',
    'plex://album/5d07cd5b403c640290f8ae31',
    // Not canonical: each must go the long way, and the long way decides.
    'IMDB://TT0111161',
    'imdb://tt0111161 ',
    'tmdb://278?lang=en',
    'tvdb://81189/1/2',
    'plex://movie/5D776B59AD5437001F79C6F8',
    'plex://movie/5d776b59ad5437001f79c6f8/',
    'plex://collection/5d776b59ad5437001f79c6f8',
    'plex://movie',
    'imdb://nm0000138',
    'tmdb://',
    'mbid://0383dadf-2a4e-4d10-a46a-e9e041da8eb3',
    'com.plexapp.agents.imdb://tt0111161?lang=en',
    ...parseCases.map(([raw]) => raw),
  ];

  it.each(near)('agrees with parseGuid on %j', (raw) => {
    const fast = canonicalExternalId(raw);
    if (fast === null) return;
    const slow = parseGuid(raw);
    expect(fast).toEqual({ provider: slow.provider, value: slow.value });
    expect(['external', 'plex']).toContain(slow.agent);
  });

  it('reads the forms listings carry, and leaves the rest to parseGuid', () => {
    expect(canonicalExternalId('tvdb://81189')).toEqual({ provider: 'tvdb', value: '81189' });
    expect(canonicalExternalId('plex://episode/5d9c1216170e24001f2ce641')).toEqual({
      provider: 'plex',
      value: 'episode/5d9c1216170e24001f2ce641',
    });
    for (const raw of ['IMDB://TT0111161', 'tmdb://278?lang=en', 'plex://movie/5D776B59AD5437001F79C6F8', 'mbid://x'])
      expect(canonicalExternalId(raw)).toBeNull();
  });
});
