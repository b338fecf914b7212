// The simulator's real-server quirks, each off by default, checked over HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import { startPlexSim, type PlexSim, type PlexSimOptions } from '../../../tools/plex-sim/index.js';
import { get, jsonArray, paged, parseJsonContainer, ratingKeys, type JsonObject } from './test-helpers.js';

let sim: PlexSim | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: PlexSimOptions = {}): Promise<PlexSim> {
  sim = await startPlexSim({ seed: 3, ...options });
  return sim;
}

function sectionOf(s: PlexSim, type: 'movie' | 'show') {
  const section = s.library.sections().find((candidate) => candidate.type === type);
  if (section === undefined) throw new Error(`no ${type} section`);
  return section;
}

async function listing(s: PlexSim, path: string, token?: string): Promise<JsonObject> {
  const answer = await get(s, path, { json: true, ...(token !== undefined ? { token } : {}) });
  expect(answer.status).toBe(200);
  return parseJsonContainer(answer.text);
}

describe('clock skew', () => {
  it('tells its own clock in the Date header and stamps edits with it', async () => {
    const s = await start({ clockSkewHours: -6 });
    const answer = await get(s, '/identity');
    const serverTime = Date.parse(answer.headers.get('date') ?? '') / 1000;
    expect(Math.abs(serverTime - s.library.now())).toBeLessThanOrEqual(1);
    expect(Date.now() / 1000 - serverTime).toBeGreaterThan(5.9 * 3600);
    const movie = s.library.items(sectionOf(s, 'movie').key, 'movie')[0];
    if (movie === undefined) throw new Error('empty');
    s.library.editItem(movie.ratingKey, { title: 'Edited' });
    expect(s.library.get(movie.ratingKey)?.updatedAt).toBe(s.library.now());
  });

  it('is off by default: the Date header is real time', async () => {
    const s = await start();
    const answer = await get(s, '/identity');
    expect(Math.abs(Date.parse(answer.headers.get('date') ?? '') - Date.now())).toBeLessThan(60_000);
  });
});

describe('dates', () => {
  it('dates the first items ahead of the server clock and the last ones absurdly', async () => {
    const s = await start({ futureDatedItems: 2, absurdDatedItems: 1 });
    const movies = s.library.items(sectionOf(s, 'movie').key, 'movie');
    expect(movies.slice(0, 2).every((movie) => (movie.updatedAt ?? 0) > s.library.now())).toBe(true);
    expect(movies[movies.length - 1]?.updatedAt).toBe(1e300);
    const container = await listing(s, paged(`/library/sections/${sectionOf(s, 'movie').key}/all?type=1&sort=id`, movies.length - 1, 1));
    expect(jsonArray(container, 'Metadata')[0]?.updatedAt).toBe(1e300);
  });
});

describe('a collection that hides its items', () => {
  it('stands in for its movies unless includeCollections=0, in listings and counts', async () => {
    const s = await start({ hiddenCollection: 3 });
    const section = sectionOf(s, 'movie');
    const movies = s.library.items(section.key, 'movie');
    const base = `/library/sections/${section.key}/all?type=1&sort=id`;
    const withCollection = await listing(s, paged(base, 0, 1000));
    const entries = jsonArray(withCollection, 'Metadata');
    expect(entries.filter((entry) => entry.type === 'collection')).toHaveLength(1);
    expect(entries.length).toBe(movies.length - 3 + 1);
    expect(ratingKeys(await listing(s, paged(`${base}&includeCollections=0`, 0, 1000)))).toEqual(movies.map((movie) => movie.ratingKey));
    expect((await listing(s, paged(base, 0, 0))).totalSize).toBe(movies.length - 2);
    expect((await listing(s, paged(`${base}&includeCollections=0`, 0, 0))).totalSize).toBe(movies.length);
  });
});

describe('hidden seasons', () => {
  it.each(['keep-index', 'drop-index'] as const)('drops the parent fields of a single-season show (%s)', async (hiddenSeasons) => {
    const s = await start({ hiddenSeasons });
    const show = s.library.addShow(sectionOf(s, 'show').key, { title: 'Lonely Season' });
    const episodeKey = s.library.addEpisode(show, 1);
    const seasonKey = s.library.get(episodeKey)?.parentKey;
    const [episode] = jsonArray(await listing(s, `/library/metadata/${episodeKey}`), 'Metadata');
    expect(episode?.parentRatingKey).toBeUndefined();
    expect(episode?.parentKey).toBeUndefined();
    expect(episode?.parentIndex).toBe(hiddenSeasons === 'keep-index' ? 1 : undefined);
    expect(String(episode?.parentThumb)).toMatch(new RegExp(`^/library/metadata/${seasonKey}/thumb/`));
    const children = jsonArray(await listing(s, `/library/metadata/${show}/children?excludeAllLeaves=1`), 'Metadata');
    expect(children.map((entry) => [entry.type, entry.ratingKey])).toEqual([['episode', episodeKey]]);
  });
});

describe("a token that is not the owner's", () => {
  it('is accepted, and its answers carry no file paths', async () => {
    const s = await start({ sharedToken: 'friend-token' });
    const section = sectionOf(s, 'movie');
    const path = paged(`/library/sections/${section.key}/all?type=1`, 0, 5);
    const shared = jsonArray(await listing(s, path, 'friend-token'), 'Metadata');
    const parts = shared.flatMap((item) => jsonArray(item, 'Media')).flatMap((media) => jsonArray(media, 'Part'));
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.every((part) => part.file === undefined)).toBe(true);
    const owner = jsonArray(await listing(s, path), 'Metadata');
    const ownerParts = owner.flatMap((item) => jsonArray(item, 'Media')).flatMap((media) => jsonArray(media, 'Part'));
    expect(ownerParts.every((part) => typeof part.file === 'string')).toBe(true);
    expect((await get(s, path, { token: 'stranger' })).status).toBe(401);
  });
});
