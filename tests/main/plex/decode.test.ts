import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import {
  decodeContainer,
  decodeIdentity,
  decodeXmlEntities,
  detectFormat,
  PlexDecodeError,
  type PlexBodyFormat,
} from '../../../main/plex/decode.js';
import type { PlexContainer, PlexItem } from '../../../main/plex/model.js';
import { buildEpisodePage } from './fixtures/episode-page.js';

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

function decodeFixture(name: string): PlexContainer {
  const format: PlexBodyFormat = name.endsWith('.json') ? 'json' : 'xml';
  return decodeContainer(fixture(name), format);
}

function item(container: PlexContainer, ratingKey: string): PlexItem {
  const found = container.items.find((i) => i.ratingKey === ratingKey);
  if (found === undefined) throw new Error(`no item ${ratingKey}`);
  return found;
}

describe('detectFormat', () => {
  it.each<[string | undefined, string, PlexBodyFormat]>([
    ['application/json', '{"MediaContainer":{}}', 'json'],
    ['application/json; charset=utf-8', '<?xml version="1.0"?><MediaContainer/>', 'xml'],
    ['text/xml;charset=utf-8', '{"MediaContainer":{}}', 'json'],
    [undefined, '\uFEFF  \n\t<MediaContainer/>', 'xml'],
    [undefined, '  [1]', 'json'],
    ['application/json', '', 'json'],
    ['text/html', '', 'xml'],
    [undefined, 'Unauthorized', 'xml'],
    ['application/json', 'null', 'json'],
    ['text/html', '<html><head><title>Unauthorized</title></head></html>', 'xml'],
  ])('%j with %j → %s', (contentType, body, expected) => {
    expect(detectFormat(contentType, body)).toBe(expected);
  });
});

describe('sections', () => {
  it('keeps a huge contentChangedAt exact on a lone Directory and on the container, and small ones as written', () => {
    const lone = decodeContainer(
      '{"MediaContainer":{"size":1,"contentChangedAt":9007199254740993,"Directory":{"key":"2","type":"show","title":"TV","uuid":"u","contentChangedAt": 18446744073709551615}}}',
      'json',
    );
    expect(lone.attributes.contentChangedAt).toBe('9007199254740993');
    expect(lone.sections[0]?.contentChangedAt).toBe('18446744073709551615');
    const small = decodeContainer(
      '{"MediaContainer":{"Directory":[{"key":"2","type":"show","title":"TV","uuid":"u","contentChangedAt":97}]}}',
      'json',
    );
    expect(small.sections[0]?.contentChangedAt).toBe('97');
  });

  it('decodes /library/sections in JSON, keeping a huge contentChangedAt exact', () => {
    const container = decodeFixture('sections.json');
    expect(container.size).toBe(3);
    expect(container.items).toEqual([]);
    expect(container.sections).toHaveLength(3);
    expect(container.sections[0]).toEqual({
      key: '6',
      type: 'movie',
      title: 'Movies (Documentaries)',
      uuid: '322a231a-b7f7-49f5-920f-14c61199cd30',
      agent: 'tv.plex.agents.movie',
      scanner: 'Plex Movie',
      language: 'en-US',
      updatedAt: 1705615634,
      scannedAt: 1705615584,
      contentChangedAt: '8457612157633039800',
      hidden: 0,
      locations: ['/Movies (Documentaries)', '/Plex Library/Documentaries'],
    });
    expect(container.sections[1]).toMatchObject({ key: '3', type: 'show', contentChangedAt: '97', hidden: 2, locations: ['/Anime'] });
    expect(container.sections[2]).toMatchObject({ key: '9', type: 'artist', contentChangedAt: '18253803' });
    expect(container.attributes).toEqual({ size: '3', allowSync: '0', title1: 'Plex Library' });
  });

  it('decodes /library/sections in XML: Windows and UNC locations, entities, exact counter', () => {
    const container = decodeFixture('sections.xml');
    expect(container.sections.map((s) => s.key)).toEqual(['2', '4', '1']);
    expect(container.sections[0]).toEqual({
      key: '2',
      type: 'movie',
      title: 'Movies',
      uuid: '493a64e7-b541-4667-b050-d702beebf2f6',
      agent: 'com.plexapp.agents.imdb',
      scanner: 'Plex Movie Scanner',
      language: 'en',
      updatedAt: 1595491662,
      scannedAt: 1640879224,
      contentChangedAt: '8457612157633039800',
      hidden: 0,
      locations: ['M:\\Media\\Movies', '\\\\NAS\\Films & Séries'],
    });
    expect(container.sections[1]).toMatchObject({ hidden: 1, contentChangedAt: '7104227', locations: ['M:\\Media\\TV Shows'] });
    expect(container.sections[2]).toMatchObject({ title: '音乐', type: 'artist' });
  });

  it('does not mistake filter or pseudo directories for sections', () => {
    const body = JSON.stringify({
      MediaContainer: {
        size: 4,
        Directory: [
          { key: 'all', title: 'All Movies' },
          { key: 'search?type=1', title: 'Search...', prompt: 'Search Movies', search: true },
          { key: '/library/metadata/1/allLeaves', title: 'All episodes' },
          { key: 'sections', title: 'Library Sections' },
        ],
      },
    });
    expect(decodeContainer(body, 'json').sections).toEqual([]);
  });
});

describe('movies', () => {
  const json = decodeFixture('movies.json');

  it('reads paging as numbers and skips items without ratingKey', () => {
    expect(json.size).toBe(3);
    expect(json.totalSize).toBe(1234);
    expect(json.offset).toBe(0);
    expect(json.items.map((i) => i.ratingKey)).toEqual(['1578', '1579']);
    expect(json.sections).toEqual([]);
  });

  it('keeps versions (Media) and stacked files (Part), and the Guid[] array', () => {
    expect(item(json, '1578')).toEqual({
      ratingKey: '1578',
      type: 'movie',
      title: 'Class Action Park',
      guid: 'plex://movie/5e16336a1493cd003f0d9e99',
      guids: ['imdb://tt12217130', 'tmdb://730629', 'tvdb://15187'],
      year: 2020,
      originallyAvailableAt: '2020-08-27',
      addedAt: 1604747684,
      updatedAt: 1749235761,
      librarySectionID: '1',
      librarySectionTitle: 'Movies',
      duration: 5350133,
      // Descriptive metadata and tags as this real listing carries them (issue 10).
      summary: 'A documentary that focuses on a dangerously legendary water park.',
      contentRating: 'Not Rated',
      studio: 'Perennial Media',
      rating: 9.6,
      audienceRating: 8.1,
      tags: [
        { element: 'Genre', tag: 'Documentary' },
        { element: 'Genre', tag: 'Crime' },
      ],
      media: [
        {
          id: '4321',
          duration: 5350133,
          container: 'mkv',
          videoResolution: '4k',
          width: 3840,
          height: 2160,
          bitrate: 20040,
          aspectRatio: 1.78,
          audioChannels: 6,
          audioCodec: 'eac3',
          videoCodec: 'hevc',
          videoFrameRate: '24p',
          parts: [
            {
              id: '4321',
              key: '/library/parts/4321/1604747684/file.mkv',
              file: '/share/Movies/Class Action Park (2020)/Class Action Park (2020) - 2160p.mkv',
              size: 13695844032,
              duration: 5350133,
              container: 'mkv',
            },
          ],
        },
        {
          id: '4400',
          duration: 5350100,
          container: 'avi',
          videoResolution: '720',
          width: 1280,
          height: 720,
          bitrate: 1040,
          aspectRatio: 1.78,
          audioChannels: 2,
          audioCodec: 'aac',
          videoCodec: 'h264',
          videoFrameRate: '24p',
          parts: [
            {
              id: '4401',
              key: '/library/parts/4401/1604747690/file.avi',
              file: '/share/Movies/Class Action Park (2020)/Class Action Park (2020) - cd1.avi',
              size: 695844032,
              duration: 2675050,
              container: 'avi',
            },
            {
              id: '4402',
              key: '/library/parts/4402/1604747690/file.avi',
              file: '/share/Movies/Class Action Park (2020)/Class Action Park (2020) - cd2.avi',
              size: 695844000,
              duration: 2675050,
              container: 'avi',
            },
          ],
        },
      ],
      locations: [],
    });
  });

  it('is lenient about types: numeric ratingKey, numbers as strings, item section over container section', () => {
    const matrix = item(json, '1579');
    expect(matrix).toMatchObject({
      ratingKey: '1579',
      guid: 'com.plexapp.agents.imdb://tt0133093?lang=en',
      guids: [],
      year: 1999,
      duration: 8160000,
      addedAt: 1419621957,
      librarySectionID: '7',
      librarySectionTitle: 'Other Movies',
    });
    expect(matrix.updatedAt).toBeUndefined();
    expect(matrix.media[0]?.parts[0]).toMatchObject({ id: '17', size: 9876543210 });
  });

  it('decodes the same page in XML to the same result', () => {
    expect(decodeFixture('movies.xml')).toEqual(json);
  });
});

describe('XML text', () => {
  const container = decodeFixture('movies-entities.xml');

  it('decodes numeric and named character references exactly', () => {
    expect(item(container, '2001').title).toBe('Léon: The Professional');
    expect(item(container, '2001').media[0]?.parts[0]?.file).toBe('/data/Films/Léon (1994)/Léon (1994).mkv');
    expect(item(container, '2002').title).toBe("Ocean's Eleven & <Twelve> \"Thirteen\" 'x' ☺ 😀");
    expect(container.attributes.librarySectionTitle).toBe('Films & Séries');
    expect(item(container, '2001').librarySectionTitle).toBe('Films & Séries');
  });

  it('decodes once (no double decoding) and leaves what is not a character as written', () => {
    expect(item(container, '2003').title).toBe('&#39; stays &amp; literal, &unknown; &#0; &#xD800; &#99999999; &#; &#x; &amp');
  });

  it('never expands entities declared in a DOCTYPE', () => {
    const body =
      '<?xml version="1.0"?><!DOCTYPE MediaContainer [<!ENTITY boom "BOOM"><!ENTITY lol "&boom;&boom;&boom;">]>' +
      '<MediaContainer size="1" title1="&lol;"><Video ratingKey="1" title="&boom;"/></MediaContainer>';
    const decoded = decodeContainer(body, 'xml');
    expect(decoded.attributes.title1).toBe('&lol;');
    expect(decoded.items[0]?.title).toBe('&boom;');
  });

  it('refuses external entities', () => {
    const body = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><MediaContainer title1="&xxe;"/>';
    expect(() => decodeContainer(body, 'xml')).toThrow(PlexDecodeError);
  });

  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['&amp;&amp;', '&&'],
    ['&#233;t&#xE9;', 'été'],
    ['a & b', 'a & b'],
    ['&;', '&;'],
    ['&#x1F600', '&#x1F600'],
  ])('decodeXmlEntities(%j) → %j', (input, expected) => {
    expect(decodeXmlEntities(input)).toBe(expected);
  });
});

describe('shows, seasons, episodes', () => {
  it('decodes shows with counts, locations and guids', () => {
    const container = decodeFixture('shows.json');
    expect(item(container, '44288')).toMatchObject({
      type: 'show',
      title: 'Better Call Saul',
      guid: 'plex://show/5d9c08254eefaa001f5d6dcb',
      guids: ['imdb://tt3032476', 'tmdb://60059', 'tvdb://273181'],
      leafCount: 63,
      childCount: 6,
      index: 1,
      librarySectionID: '2',
      librarySectionTitle: 'TV Series ',
      locations: ['/tv/Better Call Saul'],
      media: [],
    });
    expect(item(container, '2255')).toMatchObject({
      leafCount: 44,
      childCount: 3,
      addedAt: 1410897813,
      locations: ['/tv/The 100', '/tv2/The 100'],
    });
  });

  it('decodes seasons from /children (JSON) without the All episodes pseudo entry', () => {
    const container = decodeFixture('seasons-children.json');
    expect(container.items.map((i) => [i.ratingKey, i.type, i.index, i.parentRatingKey, i.leafCount])).toEqual([
      ['2289', 'season', 1, '2255', 13],
      ['2272', 'season', 2, '2255', 16],
    ]);
    expect(container.sections).toEqual([]);
    expect(container.items[0]?.librarySectionID).toBe('4');
  });

  it('decodes seasons from /children (XML) without the All episodes pseudo entry', () => {
    const container = decodeFixture('seasons-children.xml');
    expect(container.items.map((i) => [i.ratingKey, i.type, i.title, i.index, i.leafCount])).toEqual([
      ['275480', 'season', 'Season 1', 1, 13],
      ['275494', 'season', 'Season 2', 2, 13],
    ]);
    expect(container.items[0]?.guid).toBe('plex://season/602e683d88e0a9002df8a4ff');
    expect(container.sections).toEqual([]);
    expect(container.attributes.parentTitle).toBe('The Joy of Painting');
  });

  it('hoists librarySectionID/Title from the container onto episodes lacking them', () => {
    const container = decodeFixture('episodes.json');
    expect(container).toMatchObject({ size: 3, totalSize: 5210, offset: 2000 });
    expect(container.items.map((i) => [i.ratingKey, i.librarySectionID, i.librarySectionTitle])).toEqual([
      ['9126', '2', 'TV Shows'],
      ['9127', '2', 'TV Shows'],
      ['9200', '3', 'Anime'],
    ]);
    expect(item(container, '9126')).toMatchObject({
      type: 'episode',
      index: 6,
      parentIndex: 4,
      parentRatingKey: '9120',
      parentTitle: 'Season 4',
      grandparentRatingKey: '9119',
      grandparentTitle: 'Supergirl',
      guids: ['imdb://tt8416462', 'tmdb://1586395', 'tvdb://6820948'],
    });
    const hiddenSeason = item(container, '9127');
    expect(hiddenSeason.parentRatingKey).toBeUndefined();
    expect(hiddenSeason.parentIndex).toBeUndefined();
    expect(hiddenSeason.media[0]?.parts[0]).toEqual({
      id: '21428',
      key: undefined,
      file: '/share/somewhere/TV Shows/Supergirl/Supergirl.S04E07.mkv',
      size: 231703477,
      duration: undefined,
      container: undefined,
    });
  });

  it('decodes the same episodes in XML to the same result, and <Track> elements as items (music)', () => {
    const xml = decodeFixture('episodes.xml');
    const json = decodeFixture('episodes.json');
    // The XML has one entry more than the JSON: its <Track>.
    expect({ ...xml, items: xml.items.filter((item) => item.type !== 'track'), entries: xml.entries - 1 }).toEqual(json);
    expect(xml.items.filter((item) => item.type === 'track')).toMatchObject([{ ratingKey: '777', title: 'A track of a music section' }]);
  });
});

describe('identity', () => {
  it('decodes /identity in XML', () => {
    expect(decodeIdentity(decodeFixture('identity.xml'))).toEqual({
      machineIdentifier: '1c311fefcce01961d8e785b87da532f88d3ff775',
      version: '1.40.2.8395-c67dce28e',
      claimed: true,
    });
  });

  it('decodes /identity in JSON', () => {
    expect(decodeIdentity(decodeFixture('identity.json'))).toEqual({
      machineIdentifier: 'ee21adef9947973bc9d5563b65157d96a81ba7e3',
      version: '1.41.3.9314-a0bfb8370',
      claimed: false,
    });
  });

  it('reads friendlyName from the root endpoint', () => {
    const body = '<MediaContainer size="3" friendlyName="Living Room NAS" machineIdentifier="abc" version="1.32.5.7516-8f4248874"/>';
    expect(decodeIdentity(decodeContainer(body, 'xml'))).toEqual({
      machineIdentifier: 'abc',
      version: '1.32.5.7516-8f4248874',
      friendlyName: 'Living Room NAS',
    });
  });

  it('refuses a container without machineIdentifier', () => {
    expect(() => decodeIdentity(decodeContainer('{"MediaContainer":{"size":0}}', 'json'))).toThrow(PlexDecodeError);
  });
});

describe('hub search', () => {
  it('decodes /hubs/search JSON items and skips tag entries', () => {
    const container = decodeFixture('hubs-search.json');
    expect(container.items.map((i) => [i.ratingKey, i.type, i.librarySectionID])).toEqual([
      ['9126', 'episode', '2'],
      ['1578', 'movie', '1'],
    ]);
    expect(item(container, '1578').media[0]?.parts[0]?.file).toBe('/share/somewhere/Movies/class.action.park.2020.720p.x265.mkv');
    expect(container.sections).toEqual([]);
  });

  it('decodes /hubs/search XML items (Directory and Video) and skips tag entries', () => {
    const container = decodeFixture('hubs-search.xml');
    expect(container.items.map((i) => [i.ratingKey, i.type, i.title])).toEqual([
      ['44288', 'show', 'Better Call Saul'],
      ['9126', 'episode', 'Call to Action'],
    ]);
    expect(item(container, '44288')).toMatchObject({ leafCount: 63, childCount: 6, librarySectionTitle: 'TV Series ' });
    expect(container.sections).toEqual([]);
  });
});

describe('format mix-ups', () => {
  it('decodes an XML answer to a JSON request', () => {
    const xml = fixture('episodes.xml');
    const expected = decodeFixture('episodes.json');
    expect(detectFormat('application/json', xml)).toBe('xml');
    const withoutTracks = (container: PlexContainer) => {
      const items = container.items.filter((item) => item.type !== 'track');
      return { ...container, items, entries: items.length };
    };
    expect(withoutTracks(decodeContainer(xml, detectFormat('application/json', xml)))).toEqual(expected);
    expect(withoutTracks(decodeContainer(xml, 'json'))).toEqual(expected);
  });

  it('decodes a JSON body labelled as XML', () => {
    const json = fixture('identity.json');
    expect(decodeContainer(json, detectFormat('text/xml', json)).attributes.machineIdentifier).toBe(
      'ee21adef9947973bc9d5563b65157d96a81ba7e3',
    );
  });
});

describe('leniency', () => {
  it('ignores unknown elements and fields, parses booleans and numbers loosely', () => {
    const body = JSON.stringify({
      MediaContainer: {
        size: '2',
        totalSize: 'n/a',
        somethingNew: { nested: true },
        allowSync: true,
        Metadata: [
          {
            ratingKey: ' 42 ',
            type: 'clip',
            title: 7,
            year: 'unknown',
            Media: [{ Part: [{ file: '/x.mkv', size: '12' }, 'junk'] }, null],
            Guid: [{ id: 'imdb://tt1' }, { id: 5 }, {}],
            Future: [{ whatever: 1 }],
          },
          'not an item',
          null,
        ],
      },
    });
    const container = decodeContainer(body, 'json');
    expect(container.size).toBe(2);
    expect(container.totalSize).toBeUndefined();
    expect(container.attributes).toEqual({ size: '2', totalSize: 'n/a', allowSync: '1' });
    expect(container.items).toHaveLength(1);
    expect(container.items[0]).toMatchObject({
      ratingKey: '42',
      type: 'clip',
      title: '7',
      year: undefined,
      guids: ['imdb://tt1', '5'],
      media: [{ parts: [{ file: '/x.mkv', size: 12 }] }],
    });
  });

  it('accepts empty containers', () => {
    expect(decodeContainer('<MediaContainer/>', 'xml')).toEqual({
      attributes: {},
      items: [],
      entries: 0,
      sections: [],
      size: undefined,
      totalSize: undefined,
      offset: undefined,
    });
    expect(decodeContainer('<?xml version="1.0" encoding="UTF-8"?>\n<MediaContainer size="0" />\n', 'xml').size).toBe(0);
    expect(decodeContainer('{"MediaContainer":{"size":0}}', 'json').items).toEqual([]);
  });
});

describe('malformed bodies', () => {
  const truncatedJson = fixture('movies.json').slice(0, 900);
  const truncatedXml = fixture('movies.xml').slice(0, 1500);
  const truncatedXmlMidAttribute = '<MediaContainer size="1"><Video ratingKey="1" tit';
  const html401 = '<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>';
  const html401Doctype = '<!DOCTYPE html>\n<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>';

  it.each<[string, string, PlexBodyFormat, RegExp]>([
    ['empty string', '', 'json', /empty/],
    ['blank', ' \n\t ', 'xml', /empty/],
    ['truncated JSON', truncatedJson, 'json', /invalid JSON/],
    ['truncated XML', truncatedXml, 'xml', /truncated XML/],
    ['truncated XML mid-attribute', truncatedXmlMidAttribute, 'xml', /truncated XML|invalid XML/],
    ['truncated XML after a self-closing child', '<MediaContainer size="1"><Video ratingKey="1"/>', 'xml', /truncated XML/],
    ['HTML 401 page', html401, 'json', /HTML/],
    ['HTML 401 page with doctype', html401Doctype, 'xml', /HTML/],
    ['JSON without MediaContainer', '{"errors":[{"code":1001,"message":"User could not be authenticated"}]}', 'json', /no MediaContainer/],
    ['JSON MediaContainer not an object', '{"MediaContainer":[]}', 'json', /no MediaContainer/],
    ['JSON array', '[]', 'json', /not an object/],
    ['JSON null', 'null', 'json', /not an object/],
    ['plain text', 'Unauthorized', 'xml', /no MediaContainer/],
    ['plain text as JSON', 'Unauthorized', 'json', /invalid JSON/],
    ['XML without MediaContainer', '<Response code="401" status="Unauthorized"/>', 'xml', /no MediaContainer/],
  ])('%s → PlexDecodeError', (_name, body, format, reason) => {
    let caught: unknown;
    try {
      decodeContainer(body, format);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PlexDecodeError);
    const error = caught as PlexDecodeError;
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.name).toBe('PlexDecodeError');
    expect(error.message).toMatch(reason);
  });
});

describe('performance', () => {
  const page = buildEpisodePage(1000);

  function bestOf(runs: number, fn: () => void): number {
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      fn();
      best = Math.min(best, performance.now() - started);
    }
    return best;
  }

  it('decodes a 1000-episode JSON page in a few milliseconds', () => {
    const container = decodeContainer(page.json, 'json');
    expect(container.items).toHaveLength(1000);
    expect(container.items[999]?.media[0]?.parts[0]?.file).toContain('Café');
    // ~6 ms on a 2-core Xeon; the bound leaves room for slow CI machines.
    expect(bestOf(5, () => decodeContainer(page.json, 'json'))).toBeLessThan(60);
  });

  it('decodes the same page in XML identically, within a bounded time', () => {
    // Also guards READ_ATTRIBUTES in decode.ts: an attribute read but not kept would differ here.
    expect(decodeContainer(page.xml, 'xml')).toEqual(decodeContainer(page.json, 'json'));
    // fast-xml-parser dominates (~60 ms on a 2-core Xeon).
    expect(bestOf(3, () => decodeContainer(page.xml, 'xml'))).toBeLessThan(600);
  });
});

describe('hidden seasons', () => {
  const hidden =
    '<MediaContainer size="1"><Video ratingKey="7" type="episode" title="E" grandparentRatingKey="5" index="2" parentThumb="/library/metadata/6/thumb/1700000000" /></MediaContainer>';

  it('keeps parentThumb where the parent key is missing, in XML and JSON alike', () => {
    const json = JSON.stringify({
      MediaContainer: {
        size: 1,
        Metadata: [
          {
            ratingKey: '7',
            type: 'episode',
            title: 'E',
            grandparentRatingKey: '5',
            index: 2,
            parentThumb: '/library/metadata/6/thumb/1700000000',
          },
        ],
      },
    });
    expect(decodeContainer(hidden, 'xml').items[0]?.parentThumb).toBe('/library/metadata/6/thumb/1700000000');
    expect(decodeContainer(json, 'json').items[0]).toEqual(decodeContainer(hidden, 'xml').items[0]);
  });

  it('does not keep it when the parent key is there', () => {
    const shown = hidden.replace('index="2"', 'index="2" parentRatingKey="6"');
    expect(decodeContainer(shown, 'xml').items[0]).toMatchObject({ parentRatingKey: '6', parentThumb: undefined });
  });
});

describe('rich metadata (issue 10)', () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<MediaContainer size="1">
  <Video ratingKey="5" type="movie" title="Dune" tagline="Beyond fear, destiny awaits." originalTitle="Dune: Part One"
         editionTitle="IMAX" rating="8.3" ratingImage="rottentomatoes://image.rating.ripe" audienceRating="9.0"
         audienceRatingImage="rottentomatoes://image.rating.upright" titleSort="Dune 1" studio="Legendary" contentRating="PG-13">
    <Media videoResolution="4k" width="3840" height="1608" bitrate="40000" aspectRatio="2.35" audioChannels="8"
           audioCodec="truehd" audioProfile="" videoCodec="hevc" videoProfile="main 10" videoFrameRate="24p" container="mkv">
      <Part file="/m/Dune.mkv" size="1" container="mkv">
        <Stream streamType="1" DOVIPresent="1" colorTrc="smpte2084"/>
        <Stream streamType="2" languageCode="eng"/>
        <Stream streamType="3" languageCode="ger"/>
      </Part>
    </Media>
    <Genre tag="Science Fiction"/>
    <Genre tag=" "/>
    <Role tag="Timothée Chalamet"/>
    <Collection tag="Dune"/>
  </Video>
</MediaContainer>`;

  it('reads details, tag elements (blank ones dropped), the technical line and streams alike in XML and JSON', () => {
    const fromXml = decodeContainer(xml, 'xml').items[0];
    expect(fromXml).toMatchObject({
      tagline: 'Beyond fear, destiny awaits.',
      originalTitle: 'Dune: Part One',
      editionTitle: 'IMAX',
      rating: 8.3,
      audienceRating: 9,
      audienceRatingImage: 'rottentomatoes://image.rating.upright',
      titleSort: 'Dune 1',
      tags: [
        { element: 'Genre', tag: 'Science Fiction' },
        { element: 'Collection', tag: 'Dune' },
        { element: 'Role', tag: 'Timothée Chalamet' },
      ],
    });
    expect(fromXml?.media[0]).toMatchObject({ width: 3840, bitrate: 40000, aspectRatio: 2.35, videoProfile: 'main 10', audioChannels: 8 });
    expect(fromXml?.media[0]?.parts[0]?.streams).toEqual([
      { streamType: 1, doviPresent: true, colorTrc: 'smpte2084', languageCode: undefined },
      { streamType: 2, languageCode: 'eng', doviPresent: undefined, colorTrc: undefined },
      { streamType: 3, languageCode: 'ger', doviPresent: undefined, colorTrc: undefined },
    ]);
    const json = JSON.stringify({
      MediaContainer: {
        Metadata: [
          {
            ratingKey: 5,
            type: 'movie',
            title: 'Dune',
            rating: '8.3',
            Genre: { tag: 'Science Fiction' },
            Role: [{ tag: 'Timothée Chalamet' }],
            Media: [{ Part: [{ file: '/m/Dune.mkv', Stream: [{ streamType: 1, DOVIPresent: true }] }] }],
          },
        ],
      },
    });
    const fromJson = decodeContainer(json, 'json').items[0];
    expect(fromJson?.rating).toBe(8.3);
    expect(fromJson?.tags).toEqual([
      { element: 'Genre', tag: 'Science Fiction' },
      { element: 'Role', tag: 'Timothée Chalamet' },
    ]);
    expect(fromJson?.media[0]?.parts[0]?.streams?.[0]?.doviPresent).toBe(true);
  });
});
