import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { PlexSimError, type SimItem } from '../../../tools/plex-sim/library.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/server.js';
import { get, jsonArray, paged, parseJsonContainer, ratingKeys, type JsonObject } from './test-helpers.js';

let sim: PlexSim;

beforeEach(async () => {
  sim = await startPlexSim({ seed: 5 });
});

afterEach(async () => {
  await sim.close();
});

function section(key: string): { contentChangedAt: string; scannedAt: number } {
  const found = sim.library.sections().find((s) => s.key === key);
  if (!found) throw new Error(`no section ${key}`);
  return found;
}

function item(ratingKey: string): SimItem {
  const found = sim.library.get(ratingKey);
  if (!found) throw new Error(`no item ${ratingKey}`);
  return found;
}

async function metadata(ratingKey: string): Promise<JsonObject> {
  const res = await get(sim, `/library/metadata/${ratingKey}`, { json: true });
  expect(res.status).toBe(200);
  return jsonArray(parseJsonContainer(res.text), 'Metadata')[0] as JsonObject;
}

async function listKeys(query: string): Promise<string[]> {
  const res = await get(sim, paged(`/library/sections/${query}`, 0, 10_000), { json: true });
  return ratingKeys(parseJsonContainer(res.text));
}

describe('adding', () => {
  it('addEpisode raises leafCount and contentChangedAt but leaves the show updatedAt alone', async () => {
    const show = sim.library.items('2', 'show').find((s) => s.updatedAt !== undefined) as SimItem;
    const before = {
      updatedAt: show.updatedAt,
      leafCount: (await metadata(show.ratingKey))['leafCount'],
      counter: section('2').contentChangedAt,
      now: sim.library.now(),
    };
    const key = sim.library.addEpisode(show.ratingKey, 1, { title: 'Brand New Episode' });

    expect(sim.library.now()).toBeGreaterThan(before.now);
    const after = await metadata(show.ratingKey);
    expect(after['updatedAt']).toBe(before.updatedAt);
    expect(after['leafCount']).toBe(Number(before.leafCount) + 1);
    expect(BigInt(section('2').contentChangedAt)).toBe(BigInt(before.counter) + 1n);

    const episode = await metadata(key);
    expect(episode).toMatchObject({
      title: 'Brand New Episode',
      grandparentRatingKey: show.ratingKey,
      parentIndex: 1,
      addedAt: sim.library.now(),
      updatedAt: sim.library.now(),
    });
    // The importer's trap: a show-level cut-off misses it, an episode-level one finds it.
    expect(await listKeys(`2/all?type=4&show.updatedAt>>=${before.now}`)).not.toContain(key);
    expect(await listKeys(`2/all?type=4&episode.addedAt>>=${before.now}`)).toEqual([key]);
  });

  it('addEpisode creates a missing season, numbering after the last episode', () => {
    const show = sim.library.items('2', 'show')[2] as SimItem;
    const seasonsBefore = show.children.length;
    const first = sim.library.addEpisode(show.ratingKey, 42);
    const second = sim.library.addEpisode(show.ratingKey, 42, { title: 'Second' });
    expect(item(show.ratingKey).children.length).toBe(seasonsBefore + 1);
    const season = item(item(first).parentKey ?? '');
    expect(season).toMatchObject({ type: 'season', index: 42, title: 'Season 42', parentKey: show.ratingKey });
    expect([item(first).index, item(second).index]).toEqual([1, 2]);
    const unnumbered = sim.library.addEpisode(show.ratingKey, 42, { index: null, title: 'Bonus' });
    expect(item(unnumbered).index).toBeUndefined();
    expect(item(season.ratingKey).children).toEqual([first, second, unnumbered]);
  });

  it('addMovie and addShow put new items in the listing and bump the counter that JSON.parse cannot see', async () => {
    const rawBefore = (await get(sim, '/library/sections', { json: true })).text;
    const movie = sim.library.addMovie('1', { title: 'Brand New Film', year: 2026 });
    const rawAfter = (await get(sim, '/library/sections', { json: true })).text;
    expect(rawAfter).toContain('"contentChangedAt":8457612157633039801,');
    const parsedCounter = (raw: string): unknown => jsonArray(parseJsonContainer(raw), 'Directory')[0]?.['contentChangedAt'];
    expect(parsedCounter(rawAfter)).toBe(parsedCounter(rawBefore));
    expect(await listKeys('1/all?type=1&title=Brand%20New%20Film')).toEqual([movie]);
    expect(item(movie).media[0]?.parts[0]?.file).toMatch(/^\/(data\/media\/movies|mnt\/archive\/films)\//);

    const show = sim.library.addShow('2', { title: 'Brand New Show', year: 2026 });
    expect(await metadata(show)).toMatchObject({
      leafCount: 0,
      childCount: 0,
      Location: [{ path: expect.stringMatching(/\\Brand New Show \(2026\)$/) as string }],
    });
  });

  it('refuses wrong targets with typed errors', () => {
    expect(() => sim.library.addMovie('2')).toThrow(PlexSimError);
    expect(() => sim.library.addEpisode('999999', 1)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    const movie = sim.library.items('1', 'movie')[0] as SimItem;
    expect(() => sim.library.addEpisode(movie.ratingKey, 1)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });
});

describe('editing and files', () => {
  it('editItem moves updatedAt but not contentChangedAt', async () => {
    const movie = sim.library.items('1', 'movie')[5] as SimItem;
    const counter = section('1').contentChangedAt;
    sim.library.editItem(movie.ratingKey, { title: 'Edited Title', year: 2001 });
    expect(await metadata(movie.ratingKey)).toMatchObject({ title: 'Edited Title', year: 2001, updatedAt: sim.library.now() });
    expect(section('1').contentChangedAt).toBe(counter);
  });

  it('moveFile changes the Part only: neither updatedAt nor contentChangedAt move', async () => {
    const movie = sim.library.items('1', 'movie')[6] as SimItem;
    const before = await metadata(movie.ratingKey);
    const counter = section('1').contentChangedAt;
    sim.library.moveFile(movie.ratingKey, '/data/media/movies/Moved/Moved.mp4');
    const after = await metadata(movie.ratingKey);
    expect(after['updatedAt']).toBe(before['updatedAt']);
    expect(after['addedAt']).toBe(before['addedAt']);
    expect(section('1').contentChangedAt).toBe(counter);
    const part = jsonArray(jsonArray(after, 'Media')[0] as JsonObject, 'Part')[0];
    expect(part).toMatchObject({ file: '/data/media/movies/Moved/Moved.mp4', container: 'mp4' });
  });

  it('replaceFile gives a new Part (id, size) without touching the item', () => {
    const episode = sim.library.items('2', 'episode')[3] as SimItem;
    const oldPartId = episode.media[0]?.parts[0]?.id;
    const updatedAt = episode.updatedAt;
    sim.library.replaceFile(episode.ratingKey, { size: 123_456 });
    const part = item(episode.ratingKey).media[0]?.parts[0];
    expect(part?.size).toBe(123_456);
    expect(part?.id).not.toBe(oldPartId);
    expect(item(episode.ratingKey).updatedAt).toBe(updatedAt);
  });

  it('touchEpisodes edits that share of episodes, found by an updatedAt cut-off', async () => {
    const total = sim.library.items('2', 'episode').length;
    const cut = sim.library.now();
    const touched = sim.library.touchEpisodes(0.1);
    expect(touched).toBe(Math.round(total * 0.1));
    expect(await listKeys(`2/all?type=4&episode.updatedAt>>=${cut}`)).toHaveLength(touched);
    expect(section('2').contentChangedAt).toBe(sim.library.sections().find((s) => s.key === '2')?.contentChangedAt);
  });
});

describe('removing and re-keying', () => {
  it('removeItem cascades from a show to its seasons and episodes and bumps the counter', async () => {
    const show = sim.library.items('2', 'show')[1] as SimItem;
    const seasons = [...show.children];
    const episodes = sim.library
      .items('2', 'episode')
      .filter((e) => e.grandparentKey === show.ratingKey)
      .map((e) => e.ratingKey);
    const counter = BigInt(section('2').contentChangedAt);
    const totalBefore = parseJsonContainer((await get(sim, paged('/library/sections/2/all?type=4', 0, 0), { json: true })).text)[
      'totalSize'
    ];
    expect(sim.library.removeItem(show.ratingKey)).toBe(1 + seasons.length + episodes.length);
    expect(BigInt(section('2').contentChangedAt)).toBe(counter + 1n);
    for (const key of [show.ratingKey, ...seasons, ...episodes]) expect((await get(sim, `/library/metadata/${key}`)).status).toBe(404);
    const totalAfter = parseJsonContainer((await get(sim, paged('/library/sections/2/all?type=4', 0, 0), { json: true })).text)[
      'totalSize'
    ];
    expect(totalAfter).toBe(Number(totalBefore) - episodes.length);
  });

  it('removing the last episode of a season drops the season; counts follow', async () => {
    const show = sim.library.items('2', 'show')[0] as SimItem;
    const key = sim.library.addEpisode(show.ratingKey, 77);
    const childCount = item(show.ratingKey).children.length;
    sim.library.removeItem(key);
    expect(item(show.ratingKey).children.length).toBe(childCount - 1);
    expect(await metadata(show.ratingKey)).toMatchObject({ childCount: childCount - 1 });
  });

  it('rekey keeps the guid, gives a new ratingKey and new dates, and re-parents the children', async () => {
    const show = sim.library.items('2', 'show')[0] as SimItem;
    const guid = show.guid;
    const oldKey = show.ratingKey;
    const counter = BigInt(section('2').contentChangedAt);
    const newKey = sim.library.rekey(oldKey);
    expect(newKey).not.toBe(oldKey);
    expect(Number(newKey)).toBeGreaterThan(Number(oldKey));
    expect((await get(sim, `/library/metadata/${oldKey}`)).status).toBe(404);
    expect(await metadata(newKey)).toMatchObject({ guid, addedAt: sim.library.now(), updatedAt: sim.library.now() });
    expect(BigInt(section('2').contentChangedAt)).toBe(counter + 1n);
    const leaves = jsonArray(
      parseJsonContainer((await get(sim, `/library/metadata/${newKey}/allLeaves`, { json: true })).text),
      'Metadata',
    );
    expect(leaves.length).toBeGreaterThan(0);
    expect(leaves.every((e) => e['grandparentRatingKey'] === newKey)).toBe(true);
    const seasons = jsonArray(
      parseJsonContainer((await get(sim, `/library/metadata/${newKey}/children`, { json: true })).text),
      'Metadata',
    );
    expect(seasons.every((s) => s['parentRatingKey'] === newKey)).toBe(true);
  });
});

describe('control API', () => {
  /** `key: null` sends no X-Sim-Control header at all. */
  async function control(
    path: string,
    body: unknown,
    key: string | null = sim.controlKey,
    method = 'POST',
  ): Promise<{ status: number; json: { result?: unknown; error?: string } }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== null) headers['x-sim-control'] = key;
    const res = await fetch(sim.url + path, { method, headers, body: method === 'GET' ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as { result?: unknown; error?: string } };
  }

  it('refuses requests without the right key', async () => {
    expect((await control('/__sim/mutate', { op: 'now', args: [] }, null)).status).toBe(403);
    expect((await control('/__sim/mutate', { op: 'now', args: [] }, 'nope')).status).toBe(403);
  });

  it('runs library methods and reports errors', async () => {
    const total = sim.library.items('2', 'episode').length;
    const res = await control('/__sim/mutate', { op: 'touchEpisodes', args: [0.01] });
    expect(res).toEqual({ status: 200, json: { result: Math.round(total * 0.01) } });
    const added = await control('/__sim/mutate', { op: 'addMovie', args: ['1', { title: 'Over HTTP' }] });
    expect(sim.library.get(String(added.json.result))?.title).toBe('Over HTTP');
    expect((await control('/__sim/mutate', { op: 'constructor', args: [] })).status).toBe(400);
    expect((await control('/__sim/mutate', { op: 'removeItem', args: ['999999'] })).status).toBe(404);
    const sections = await control('/__sim/mutate', { op: 'sections', args: [] });
    expect((sections.json.result as { contentChangedAt: string }[])[0]?.contentChangedAt).toBe('8457612157633039801');
  });

  it('adds faults and reads the request log without appearing in it', async () => {
    sim.resetRequests();
    expect((await control('/__sim/faults', { match: '^/library/sections$', kind: 'status', status: 503, times: 1 })).status).toBe(200);
    expect((await get(sim, '/library/sections')).status).toBe(503);
    expect((await get(sim, '/library/sections')).status).toBe(200);
    const log = await control('/__sim/requests', undefined, sim.controlKey, 'GET');
    expect((log.json.result as { status: number }[]).map((r) => r.status)).toEqual([503, 200]);
    expect(sim.requests).toHaveLength(2);
  });
});
