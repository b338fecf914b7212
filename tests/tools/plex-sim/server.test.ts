import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/server.js';
import {
  elements,
  get,
  jsonArray,
  paged,
  parseJsonContainer,
  parseXml,
  ratingKeys,
  TAG_ELEMENTS,
  type JsonObject,
  type XmlElement,
} from './test-helpers.js';

const UNAUTHORIZED = '<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>';

let sim: PlexSim;

beforeAll(async () => {
  sim = await startPlexSim({ seed: 3 });
});

afterAll(async () => {
  await sim.close();
});

describe('authentication', () => {
  it('serves /identity without a token', async () => {
    const res = await get(sim, '/identity', { token: false });
    expect(res.status).toBe(200);
    const container = parseXml(res.text);
    expect(container['machineIdentifier']).toBe(sim.machineIdentifier);
    expect(container['claimed']).toBe('1');
    expect(container['version']).toMatch(/^\d+\.\d+/);
    const json = parseJsonContainer((await get(sim, '/identity', { token: false, json: true })).text);
    expect(json['claimed']).toBe(true);
  });

  it('answers 401 with an HTML body without a token or with a wrong one', async () => {
    for (const token of [false, 'wrong-token'] as const) {
      const res = await get(sim, '/library/sections', { token });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.text).toBe(UNAUTHORIZED);
    }
  });

  it('accepts the token as a header or as a query parameter, and redacts it in the log', async () => {
    expect((await get(sim, '/library/sections')).status).toBe(200);
    sim.resetRequests();
    const res = await get(sim, `/library/sections?X-Plex-Token=${encodeURIComponent(sim.token)}`, { token: false });
    expect(res.status).toBe(200);
    expect(sim.requests).toEqual([{ method: 'GET', path: '/library/sections', query: { 'X-Plex-Token': 'REDACTED' }, status: 200 }]);
  });
});

describe('formats', () => {
  it('answers XML by default and JSON on Accept: application/json, with the real content types', async () => {
    const xml = await get(sim, '/library/sections');
    expect(xml.headers.get('content-type')).toBe('text/xml;charset=utf-8');
    expect(xml.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<MediaContainer ')).toBe(true);
    const json = await get(sim, '/library/sections', { json: true });
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(json.text.startsWith('{"MediaContainer":{')).toBe(true);
  });

  it('lists sections with their roots, a hidden flag and a contentChangedAt beyond 2^53 as a bare JSON number', async () => {
    const xml = parseXml((await get(sim, '/library/sections')).text);
    const sections = elements(xml, 'Directory');
    expect(sections.map((s) => [s['key'], s['type'], s['title']])).toEqual([
      ['1', 'movie', 'Movies'],
      ['2', 'show', 'TV Shows'],
      ['3', 'movie', 'Kids Movies'],
      ['4', 'artist', 'Music'],
    ]);
    expect(elements(sections[0] as XmlElement, 'Location').map((l) => l['path'])).toEqual(['/data/media/movies', '/mnt/archive/films']);
    expect(elements(sections[1] as XmlElement, 'Location').map((l) => l['path'])).toEqual(['\\\\NAS\\tv', 'D:\\Media\\TV Shows']);
    expect(sections[0]?.['contentChangedAt']).toBe('8457612157633039800');

    const raw = (await get(sim, '/library/sections', { json: true })).text;
    expect(raw).toContain('"contentChangedAt":8457612157633039800,');
    const first = jsonArray(parseJsonContainer(raw), 'Directory')[0] as JsonObject;
    // What JSON.parse makes of it: rounded, so a change of 1 is invisible; clients must read it as text.
    expect(String(first['contentChangedAt'])).not.toBe('8457612157633039800');
    expect(first['contentChangedAt']).toBe(Number('8457612157633039801'));
    expect(first['hidden']).toBe(0);
    expect(first['allowSync']).toBe(true);
    expect(jsonArray(first, 'Location')).toEqual([
      { id: 1, path: '/data/media/movies' },
      { id: 2, path: '/mnt/archive/films' },
    ]);
  });

  it('writes character references for non-ASCII and XML specials in attributes', async () => {
    const text = (await get(sim, paged('/library/sections/1/all?type=1', 0, 100))).text;
    expect(text).toContain('title="&quot;Crocodile&quot; Dundee"');
    expect(text).toContain('title="Fast &amp; Furious"');
    expect(text).toContain('title="Schindler&#39;s List"');
    expect(text).toContain('title="&lt;Untitled&gt; Birthday Party"');
    expect(text).toContain('title="L&#233;on: The Professional"');
    expect(text).toContain('title="&#21315;&#12392;&#21315;&#23563;&#12398;&#31070;&#38560;&#12375;"');
    expect(text).toContain('title="&#1041;&#1088;&#1072;&#1090;"');
    expect(text).toContain('title="&#127875; Halloween 2020"'); // a code point, not two surrogates
    expect(text).toContain('&#10;'); // newline in a summary
    // eslint-disable-next-line no-control-regex -- tab and newline are the only control characters allowed
    expect(/[^\x09\x0a\x20-\x7e]/.test(text)).toBe(false);
    const titles = elements(parseXml(text), 'Video').map((v) => v['title']);
    expect(titles).toContain('千と千尋の神隠し');
    expect(titles).toContain('Tom & Jerry\'s "Big" <Adventure>');
  });

  it('gives the same listing in XML and JSON', async () => {
    for (const path of [
      '/library/sections/1/all?type=1&includeGuids=1',
      '/library/sections/2/all?type=2&includeGuids=1',
      '/library/sections/2/all?type=4&includeGuids=1',
    ]) {
      const xml = parseXml((await get(sim, paged(path, 0, 60))).text);
      const json = parseJsonContainer((await get(sim, paged(path, 0, 60), { json: true })).text);
      const xmlItems = [...elements(xml, 'Video'), ...elements(xml, 'Directory')];
      const jsonItems = jsonArray(json, 'Metadata');
      expect(xmlItems.length).toBeGreaterThan(0);
      expect(normalizeXml(xmlItems)).toEqual(normalizeJson(jsonItems));
      for (const name of ['size', 'totalSize', 'offset', 'librarySectionID', 'librarySectionTitle', 'librarySectionUUID']) {
        expect(xml[name]).toBe(String(json[name]));
      }
    }
  });

  it('lists items as heavy as real listings: about 1.8 KB of JSON per episode, artwork included', async () => {
    const path = '/library/sections/2/all?type=4&includeGuids=1&sort=id';
    const json = parseJsonContainer((await get(sim, paged(path, 0, 200), { json: true })).text);
    const episodes = jsonArray(json, 'Metadata');
    const bytes = episodes.reduce((sum, episode) => sum + Buffer.byteLength(JSON.stringify(episode)), 0);
    expect(bytes / episodes.length).toBeGreaterThan(1_600);
    expect(bytes / episodes.length).toBeLessThan(2_200);
    const first = episodes[0] ?? {};
    expect(jsonArray(first, 'Image').map((image) => image['type'])).toContain('coverPoster');
    expect(jsonArray(first, 'UltraBlurColors')).toHaveLength(1);
  });

  it('honours xmlOnly by ignoring Accept: application/json', async () => {
    const xmlOnly = await startPlexSim({ seed: 3, xmlOnly: true });
    try {
      const res = await get(xmlOnly, '/library/sections', { json: true });
      expect(res.headers.get('content-type')).toBe('text/xml;charset=utf-8');
      expect(parseXml(res.text)['size']).toBe('4');
    } finally {
      await xmlOnly.close();
    }
  });
});

describe('paging', () => {
  it('refuses /all without a container size, as recent PMS does', async () => {
    const res = await get(sim, '/library/sections/1/all?type=1');
    expect(res.status).toBe(400);
    expect(res.text).toBe('Missing X-Plex-Container-Size header.');
    expect((await get(sim, '/library/sections/1/all?type=1&X-Plex-Container-Start=0')).status).toBe(400);
  });

  it('pages with totalSize/offset attributes and headers; the last page is short', async () => {
    const total = sim.library.items('1', 'movie').length;
    expect(total).toBe(40);
    const seen: string[] = [];
    for (let start = 0; start < total; start += 15) {
      const res = await get(sim, paged('/library/sections/1/all?type=1', start, 15), { json: true });
      const container = parseJsonContainer(res.text);
      expect(container['totalSize']).toBe(total);
      expect(container['offset']).toBe(start);
      expect(container['size']).toBe(Math.min(15, total - start));
      expect(res.headers.get('x-plex-container-total-size')).toBe(String(total));
      expect(res.headers.get('x-plex-container-start')).toBe(String(start));
      seen.push(...ratingKeys(container));
    }
    expect(new Set(seen).size).toBe(total);
  });

  it('reads paging from headers too, answers the total alone for size 0, and serves sizes above 1000', async () => {
    const viaHeaders = await get(sim, '/library/sections/2/all?type=4', {
      json: true,
      headers: { 'X-Plex-Container-Start': '10', 'X-Plex-Container-Size': '5' },
    });
    const container = parseJsonContainer(viaHeaders.text);
    expect([container['size'], container['offset'], container['totalSize']]).toEqual([5, 10, 150]);

    const zero = parseJsonContainer((await get(sim, paged('/library/sections/2/all?type=4', 0, 0), { json: true })).text);
    expect([zero['size'], zero['totalSize'], zero['Metadata']]).toEqual([0, 150, undefined]);

    const big = parseJsonContainer((await get(sim, paged('/library/sections/2/all?type=4', 0, 5000), { json: true })).text);
    expect(big['size']).toBe(150);

    const past = parseJsonContainer((await get(sim, paged('/library/sections/2/all?type=4', 400, 10), { json: true })).text);
    expect([past['size'], past['offset'], past['totalSize']]).toEqual([0, 400, 150]);
  });

  it('hoists librarySection* onto listing containers and puts them on items only in full metadata', async () => {
    const list = parseJsonContainer((await get(sim, paged('/library/sections/1/all?type=1', 0, 3), { json: true })).text);
    expect(list['librarySectionID']).toBe(1);
    expect(list['librarySectionTitle']).toBe('Movies');
    for (const item of jsonArray(list, 'Metadata')) expect(item['librarySectionID']).toBeUndefined();
    const keys = ratingKeys(list).join(',');
    const full = parseJsonContainer((await get(sim, `/library/metadata/${keys}`, { json: true })).text);
    expect(ratingKeys(full)).toEqual(keys.split(','));
    for (const item of jsonArray(full, 'Metadata')) {
      expect(item['librarySectionID']).toBe(1);
      expect(item['librarySectionTitle']).toBe('Movies');
    }
  });
});

describe('items', () => {
  it('keeps Guid[] for new-agent items only, and only with includeGuids=1 in lists', async () => {
    const without = parseJsonContainer((await get(sim, paged('/library/sections/1/all?type=1', 0, 40), { json: true })).text);
    expect(jsonArray(without, 'Metadata').every((m) => m['Guid'] === undefined)).toBe(true);
    const withGuids = jsonArray(
      parseJsonContainer((await get(sim, paged('/library/sections/1/all?type=1&includeGuids=1', 0, 40), { json: true })).text),
      'Metadata',
    );
    const byTitle = new Map(withGuids.map((m) => [m['title'], m]));
    expect(byTitle.get('The Shawshank Redemption')?.['guid']).toBe('com.plexapp.agents.imdb://tt0111161?lang=en');
    expect(byTitle.get('The Shawshank Redemption')?.['Guid']).toBeUndefined();
    expect(byTitle.get('The Matrix')?.['guid']).toBe('com.plexapp.agents.themoviedb://603?lang=en');
    expect(byTitle.get('Fast & Furious')?.['Guid']).toEqual([
      { id: 'imdb://tt1013752' },
      { id: 'imdb://tt1013752' },
      { id: 'tmdb://13804' },
    ]);
    expect(String(byTitle.get('Toy Story')?.['guid'])).toMatch(/^plex:\/\/movie\/[0-9a-f]{24}$/);
    expect(String(byTitle.get('<Untitled> Birthday Party')?.['guid'])).toMatch(/^com\.plexapp\.agents\.none:\/\/[0-9a-f]+\?lang=xn$/);
    const local = byTitle.get('holiday_2015_cam2');
    expect(local?.['guid']).toBe(`local://${String(local?.['ratingKey'])}`);
    expect(byTitle.get('Plan 9 from Outer Space')?.['updatedAt']).toBeUndefined();
    // Stacked and multi-version files.
    const lawrence = byTitle.get('Lawrence of Arabia') as JsonObject;
    expect(jsonArray(jsonArray(lawrence, 'Media')[0] as JsonObject, 'Part').map((p) => p['file'])).toEqual([
      expect.stringMatching(/Lawrence of Arabia \(1962\) - cd1\.\w+$/),
      expect.stringMatching(/ - cd2\.\w+$/),
    ]);
    expect(jsonArray(byTitle.get('Blade Runner 2049') as JsonObject, 'Media')).toHaveLength(2);
  });

  it('shares one film between Movies and Kids Movies by guid', () => {
    const inMovies = sim.library.items('1', 'movie').find((m) => m.title === 'Toy Story');
    const inKids = sim.library.items('3', 'movie').find((m) => m.title === 'Toy Story');
    expect(inMovies?.guid).toBe(inKids?.guid);
    expect(inMovies?.ratingKey).not.toBe(inKids?.ratingKey);
    expect(inKids?.media[0]?.parts[0]?.file).toMatch(/^D:\\Media\\Kids Movies\\Toy Story \(1995\)\\/);
  });

  it('gives shows leafCount/childCount and a Location in full metadata; seasons and episodes their parents', async () => {
    const show = sim.library.items('2', 'show').find((s) => s.title === 'Breaking Bad');
    expect(show).toBeDefined();
    const full = jsonArray(
      parseJsonContainer((await get(sim, `/library/metadata/${show?.ratingKey ?? ''}`, { json: true })).text),
      'Metadata',
    )[0] as JsonObject;
    expect(full['childCount']).toBe(show?.children.length);
    expect(full['leafCount']).toBe(sim.library.items('2', 'episode').filter((e) => e.grandparentKey === show?.ratingKey).length);
    expect(jsonArray(full, 'Location')).toEqual([{ path: show?.locations[0] }]);
    expect(jsonArray(full, 'Guid').map((g) => g['id'])).toEqual(['imdb://tt0903747', 'tmdb://1396', 'tvdb://81189']);

    const children = parseJsonContainer((await get(sim, `/library/metadata/${show?.ratingKey ?? ''}/children`, { json: true })).text);
    expect(jsonArray(children, 'Directory')).toEqual([
      expect.objectContaining({ title: 'All episodes', key: `/library/metadata/${show?.ratingKey ?? ''}/allLeaves` }),
    ]);
    const seasons = jsonArray(children, 'Metadata');
    expect(seasons[0]?.['index']).toBe(0); // specials
    expect(seasons[0]?.['title']).toBe('Specials');
    expect(seasons.every((s) => s['parentRatingKey'] === show?.ratingKey && s['parentTitle'] === 'Breaking Bad')).toBe(true);
    const excluded = parseJsonContainer(
      (await get(sim, `/library/metadata/${show?.ratingKey ?? ''}/children?excludeAllLeaves=1`, { json: true })).text,
    );
    expect(excluded['Directory']).toBeUndefined();
    expect(excluded['size']).toBe(seasons.length);

    const season = seasons[1] as JsonObject;
    const episodes = jsonArray(
      parseJsonContainer((await get(sim, `/library/metadata/${String(season['ratingKey'])}/children`, { json: true })).text),
      'Metadata',
    );
    expect(episodes.length).toBe(season['leafCount']);
    for (const episode of episodes) {
      expect(episode).toMatchObject({
        type: 'episode',
        parentRatingKey: season['ratingKey'],
        parentIndex: season['index'],
        parentTitle: season['title'],
        grandparentRatingKey: show?.ratingKey,
        grandparentTitle: 'Breaking Bad',
      });
      expect(String(jsonArray(jsonArray(episode, 'Media')[0] as JsonObject, 'Part')[0]?.['file'])).toMatch(
        /^(\\\\NAS\\tv|D:\\Media\\TV Shows)\\Breaking Bad \(2008\)\\Season \d\d\\/,
      );
    }
  });

  it('serves allLeaves of a show in season order, paged', async () => {
    const show = sim.library.items('2', 'show')[0];
    const all = parseJsonContainer((await get(sim, `/library/metadata/${show?.ratingKey ?? ''}/allLeaves`, { json: true })).text);
    const expected = sim.library.items('2', 'episode').filter((e) => e.grandparentKey === show?.ratingKey).length;
    expect(all['size']).toBe(expected);
    const seasons = jsonArray(all, 'Metadata').map((e) => Number(e['parentIndex']));
    expect(seasons).toEqual([...seasons].sort((a, b) => a - b));
    const page = parseJsonContainer(
      (await get(sim, paged(`/library/metadata/${show?.ratingKey ?? ''}/allLeaves`, 2, 3), { json: true })).text,
    );
    expect(ratingKeys(page)).toEqual(ratingKeys(all).slice(2, 5));
    expect(page['totalSize']).toBe(expected);
  });

  it('has legacy, anime and date-based shows with their quirks', () => {
    const shows = new Map(sim.library.items('2', 'show').map((s) => [s.title, s]));
    const office = shows.get('The Office (US)');
    expect(office?.guid).toBe('com.plexapp.agents.thetvdb://73244?lang=en');
    const episodes = sim.library.items('2', 'episode');
    const officeEpisode = episodes.find((e) => e.grandparentKey === office?.ratingKey && e.index !== undefined);
    const season = officeEpisode ? sim.library.get(officeEpisode.parentKey ?? '') : undefined;
    expect(officeEpisode?.guid).toBe(`com.plexapp.agents.thetvdb://73244/${season?.index ?? ''}/${officeEpisode?.index ?? ''}?lang=en`);
    expect(officeEpisode?.guids).toEqual([]);
    const bebop = shows.get('Cowboy Bebop');
    expect(episodes.find((e) => e.grandparentKey === bebop?.ratingKey)?.guid).toMatch(
      /^com\.plexapp\.agents\.hama:\/\/anidb-23\/1\/1\?lang=en$/,
    );
    const daily = shows.get('The Daily Show');
    expect(daily?.updatedAt).toBeUndefined();
    expect(episodes.some((e) => e.grandparentKey === daily?.ratingKey && e.index === undefined)).toBe(true);
  });

  it('answers 404 for unknown items and sections', async () => {
    expect((await get(sim, '/library/metadata/999999')).status).toBe(404);
    expect((await get(sim, paged('/library/sections/99/all', 0, 5))).status).toBe(404);
  });

  it('finds shows and movies through /hubs/search, accent- and case-insensitively', async () => {
    const hubs = jsonArray(parseJsonContainer((await get(sim, '/hubs/search?query=LEON', { json: true })).text), 'Hub');
    const movies = hubs.find((h) => h['type'] === 'movie');
    expect(jsonArray(movies as JsonObject, 'Metadata').map((m) => m['title'])).toEqual(['Léon: The Professional']);
    expect(jsonArray(movies as JsonObject, 'Metadata')[0]?.['librarySectionID']).toBe(1);
    const scoped = jsonArray(
      parseJsonContainer((await get(sim, '/hubs/search?query=toy%20story&sectionId=3', { json: true })).text),
      'Hub',
    );
    const found = jsonArray(scoped.find((h) => h['type'] === 'movie') as JsonObject, 'Metadata');
    expect(found.map((m) => m['librarySectionID'])).toEqual([3]);
    const xml = parseXml((await get(sim, '/hubs/search?query=breaking')).text);
    const showHub = elements(xml, 'Hub').find((h) => h['type'] === 'show') as XmlElement;
    expect(elements(showHub, 'Directory').map((d) => d['title'])).toEqual(['Breaking Bad']);
  });
});

function normalizeXml(items: XmlElement[]): unknown[] {
  return items
    .map((item) => {
      const attrs = Object.fromEntries(Object.entries(item).filter(([, value]) => !Array.isArray(value)));
      return {
        attrs,
        media: elements(item, 'Media').map((m) => ({
          attrs: Object.fromEntries(Object.entries(m).filter(([, value]) => !Array.isArray(value))),
          parts: elements(m, 'Part'),
        })),
        guids: elements(item, 'Guid'),
        locations: elements(item, 'Location'),
        tags: TAG_ELEMENTS.map((name) => elements(item, name)),
        artwork: [...elements(item, 'Image'), ...elements(item, 'UltraBlurColors')],
      };
    })
    .sort(byRatingKey);
}

function asText(record: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(record)) {
    if (Array.isArray(value)) continue;
    out[name] = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  }
  return out;
}

function normalizeJson(items: JsonObject[]): unknown[] {
  return items
    .map((item) => ({
      attrs: asText(item),
      media: jsonArray(item, 'Media').map((m) => ({ attrs: asText(m), parts: jsonArray(m, 'Part').map(asText) })),
      guids: jsonArray(item, 'Guid').map(asText),
      locations: jsonArray(item, 'Location').map(asText),
      tags: TAG_ELEMENTS.map((name) => jsonArray(item, name).map(asText)),
      artwork: [...jsonArray(item, 'Image'), ...jsonArray(item, 'UltraBlurColors')].map(asText),
    }))
    .sort(byRatingKey);
}

function byRatingKey(a: { attrs: Record<string, unknown> }, b: { attrs: Record<string, unknown> }): number {
  return Number(a.attrs['ratingKey']) - Number(b.attrs['ratingKey']);
}
