import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { SimItem } from '../../../tools/plex-sim/library.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/server.js';
import { get, paged, parseJsonContainer, ratingKeys } from './test-helpers.js';

let sim: PlexSim;

beforeAll(async () => {
  sim = await startPlexSim({ seed: 11, library: { movies: 300, shows: 30, episodes: 900 } });
});

afterAll(async () => {
  await sim.close();
});

/** Every ratingKey of a filtered listing (one big page), in the server's order. */
async function list(query: string): Promise<string[]> {
  const res = await get(sim, paged(`/library/sections/${query}`, 0, 100_000), { json: true });
  expect(res.status).toBe(200);
  return ratingKeys(parseJsonContainer(res.text));
}

function keysOf(items: readonly SimItem[]): string[] {
  return items.map((i) => i.ratingKey).sort((a, b) => Number(a) - Number(b));
}

function sortedNumerically(keys: string[]): string[] {
  return [...keys].sort((a, b) => Number(a) - Number(b));
}

describe('date filters', () => {
  it('reads updatedAt>>=N as strictly after N and leaves out items without updatedAt', async () => {
    const movies = sim.library.items('1', 'movie');
    expect(movies.some((m) => m.updatedAt === undefined)).toBe(true);
    const cut = [...movies].map((m) => m.updatedAt ?? 0).sort((a, b) => a - b)[150] ?? 0;
    const after = await list(`1/all?type=1&updatedAt>>=${cut}`);
    expect(sortedNumerically(after)).toEqual(keysOf(movies.filter((m) => m.updatedAt !== undefined && m.updatedAt > cut)));
    expect(after.length).toBeGreaterThan(0);
    const before = await list(`1/all?type=1&updatedAt<<=${cut}`);
    expect(sortedNumerically(before)).toEqual(keysOf(movies.filter((m) => m.updatedAt !== undefined && m.updatedAt < cut)));
    // The item updated exactly at the cut-off is in neither answer; items never refreshed are in neither.
    expect(after.length + before.length).toBe(movies.filter((m) => m.updatedAt !== undefined && m.updatedAt !== cut).length);
  });

  it('accepts the operators URL-encoded, as python-plexapi sends them', async () => {
    const cut = sim.library.now() - 400 * 86_400;
    expect(await list(`1/all?type=1&addedAt%3E%3E=${cut}`)).toEqual(await list(`1/all?type=1&addedAt>>=${cut}`));
  });

  it('resolves relative values against the sim clock', async () => {
    const now = sim.library.now();
    const movies = sim.library.items('1', 'movie');
    const recent = await list('1/all?type=1&addedAt>>=-90d');
    expect(sortedNumerically(recent)).toEqual(keysOf(movies.filter((m) => m.addedAt > now - 90 * 86_400)));
    const older = await list('1/all?type=1&addedAt<<=-2y');
    expect(sortedNumerically(older)).toEqual(keysOf(movies.filter((m) => m.addedAt < now - 2 * 31_536_000)));
  });

  it('filters episodes by their own level, and by their show with a show. scope', async () => {
    const episodes = sim.library.items('2', 'episode');
    const shows = sim.library.items('2', 'show');
    const cut = [...shows].map((s) => s.updatedAt ?? 0).sort((a, b) => a - b)[15] ?? 0;
    const byShow = await list(`2/all?type=4&show.updatedAt>>=${cut}`);
    const freshShows = new Set(shows.filter((s) => s.updatedAt !== undefined && s.updatedAt > cut).map((s) => s.ratingKey));
    expect(sortedNumerically(byShow)).toEqual(keysOf(episodes.filter((e) => freshShows.has(e.grandparentKey ?? ''))));

    const own = await list(`2/all?type=4&episode.updatedAt>>=${cut}`);
    expect(sortedNumerically(own)).toEqual(keysOf(episodes.filter((e) => e.updatedAt !== undefined && e.updatedAt > cut)));
    expect(await list(`2/all?type=4&updatedAt>>=${cut}`)).toEqual(own);
    expect(own).not.toEqual(byShow);

    const seasons = sim.library.items('2', 'season');
    const bySeason = await list(`2/all?type=4&season.addedAt>>=${cut}`);
    const freshSeasons = new Set(seasons.filter((s) => s.addedAt > cut).map((s) => s.ratingKey));
    expect(sortedNumerically(bySeason)).toEqual(keysOf(episodes.filter((e) => freshSeasons.has(e.parentKey ?? ''))));
  });

  it('keeps shows with at least one matching episode for an episode. filter on type=2', async () => {
    const episodes = sim.library.items('2', 'episode');
    const cut = [...episodes].map((e) => e.addedAt).sort((a, b) => a - b)[850] ?? 0;
    const shows = await list(`2/all?type=2&episode.addedAt>>=${cut}`);
    const expected = new Set(episodes.filter((e) => e.addedAt > cut).map((e) => e.grandparentKey ?? ''));
    expect(sortedNumerically(shows)).toEqual([...expected].sort((a, b) => Number(a) - Number(b)));
    expect(shows.length).toBeLessThan(sim.library.items('2', 'show').length);
  });
});

describe('other filters', () => {
  it('silently ignores unknown fields, misspellings and scopes the section lacks', async () => {
    const all = await list('1/all?type=1');
    expect(all).toHaveLength(300);
    expect(await list('1/all?type=1&updatedAtt>>=1900000000')).toEqual(all);
    expect(await list('1/all?type=1&viewCount>>=3&banana=1')).toEqual(all);
    expect(await list('1/all?type=1&episode.updatedAt>>=1900000000')).toEqual(all);
    expect(await list('1/all?type=1&updatedAt>>=yesterday')).toEqual(all);
  });

  it('matches title as a case-insensitive substring (and exactly with ==), year as a list', async () => {
    const movies = sim.library.items('1', 'movie');
    const river = await list('1/all?type=1&title=RIVER');
    expect(sortedNumerically(river)).toEqual(keysOf(movies.filter((m) => m.title.toLowerCase().includes('river'))));
    expect(river.length).toBeGreaterThan(0);
    expect(await list(`1/all?type=1&title==${encodeURIComponent('The Matrix')}`)).toHaveLength(1);
    const years = await list('1/all?type=1&year=1994,1999');
    expect(sortedNumerically(years)).toEqual(keysOf(movies.filter((m) => m.year === 1994 || m.year === 1999)));
    const guid = movies[2]?.guid ?? '';
    expect(await list(`1/all?type=1&guid=${encodeURIComponent(guid)}`)).toEqual([movies[2]?.ratingKey]);
  });
});

describe('sorting', () => {
  it('defaults to titleSort (leading article dropped), ratingKey breaking ties', async () => {
    const keys = await list('1/all?type=1');
    const items = keys.map((k) => sim.library.get(k) as SimItem);
    const sortKey = (i: SimItem): string => (i.titleSort ?? i.title).toLowerCase();
    for (let i = 1; i < items.length; i++) {
      const a = items[i - 1] as SimItem;
      const b = items[i] as SimItem;
      expect(sortKey(a) < sortKey(b) || (sortKey(a) === sortKey(b) && Number(a.ratingKey) < Number(b.ratingKey))).toBe(true);
    }
    const matrix = items.findIndex((i) => i.title === 'The Matrix');
    expect(sortKey(items[matrix] as SimItem)).toBe('matrix');
  });

  it('sorts by id, addedAt and updatedAt in both directions', async () => {
    const byId = await list('1/all?type=1&sort=id');
    expect(byId).toEqual(sortedNumerically(byId));
    expect(await list('1/all?type=1&sort=id:desc')).toEqual([...byId].reverse());
    const byAdded = (await list('1/all?type=1&sort=addedAt:desc')).map((k) => sim.library.get(k)?.addedAt ?? 0);
    expect(byAdded).toEqual([...byAdded].sort((a, b) => b - a));
    const byUpdated = (await list('1/all?type=1&sort=updatedAt')).map((k) => sim.library.get(k)?.updatedAt);
    // Never-refreshed items (no updatedAt) sort first ascending, like SQL NULLs.
    const firstDefined = byUpdated.findIndex((v) => v !== undefined);
    expect(byUpdated.slice(0, firstDefined).every((v) => v === undefined)).toBe(true);
    const defined = byUpdated.slice(firstDefined) as number[];
    expect(defined).toEqual([...defined].sort((a, b) => a - b));
  });

  it('gives a stable order across pages even with filters', async () => {
    const whole = await list('2/all?type=4&sort=addedAt&episode.addedAt>>=1');
    const pages: string[] = [];
    for (let start = 0; start < whole.length; start += 250) {
      const res = await get(sim, paged('/library/sections/2/all?type=4&sort=addedAt&episode.addedAt>>=1', start, 250), { json: true });
      pages.push(...ratingKeys(parseJsonContainer(res.text)));
    }
    expect(pages).toEqual(whole);
    expect(whole).toHaveLength(900);
  });
});
