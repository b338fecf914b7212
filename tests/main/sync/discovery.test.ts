// Manual discovery and single-show import against the simulated Plex server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importShow, discoverShows, rankCandidates } from '../../../main/sync/discovery.js';
import { runSync } from '../../../main/sync/engine.js';
import type { DiscoveryCandidate } from '../../../shared/domain.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { addSimServer, catalogView, createTestCatalog, sectionKeys, simView, type TestCatalog } from './fixtures.js';

let sim: PlexSim;
let test: TestCatalog;

beforeEach(async () => {
  sim = await startPlexSim({ seed: 7 });
  test = createTestCatalog();
  addSimServer(test, sim);
});

afterEach(async () => {
  expect(test.catalog.sqlite.pragma('foreign_key_check')).toEqual([]);
  test.cleanup();
  await sim.close();
});

describe('discoverShows', () => {
  it('finds a show by part of its title and year, with what tells look-alikes apart', async () => {
    const candidates = await discoverShows(test.deps, { server: 'Home', title: 'office', year: 2005 });
    expect(candidates.map((candidate) => candidate.title)).toEqual(['The Office (US)']);
    const [office] = candidates;
    expect(office).toMatchObject({ year: 2005, libraryTitle: 'TV Shows', inCatalog: false, externalIds: { tvdb: '73244' } });
    expect(office?.episodeCount).toBeGreaterThan(0);
  });

  it('finds non-Latin titles', async () => {
    const candidates = await discoverShows(test.deps, { server: 'Home', title: '進撃' });
    expect(candidates.map((candidate) => candidate.title)).toEqual(['進撃の巨人']);
  });

  it('refuses an empty title', async () => {
    await expect(discoverShows(test.deps, { server: 'Home', title: '  ' })).rejects.toThrow(/title/);
  });
});

describe('importShow', () => {
  it('imports one show with its seasons, episodes and files, and nothing else', async () => {
    const [candidate] = await discoverShows(test.deps, { server: 'Home', title: 'Breaking Bad' });
    if (candidate === undefined) throw new Error('not found');
    const report = await importShow(test.deps, { server: 'Home', ratingKey: candidate.ratingKey });
    expect(report.outcome).toBe('ok');
    const imported = catalogView(test.catalog);
    const expected = new Map([...simView(sim)].filter(([, item]) => item.title === 'Breaking Bad' || item.show === 'Breaking Bad'));
    expect(imported).toEqual(expected);
    expect(report.added).toBeGreaterThan(expected.size); // seasons too
    const episodes = [...expected.values()].filter((item) => item.type === 'episode').length;
    expect(report.counts.added).toMatchObject({ movie: 0, show: 1, episode: episodes });
    expect(report.counts.added.season).toBe(report.added - 1 - episodes);
    expect(report.changes.added.items[0]).toEqual({ kind: 'show', title: 'Breaking Bad' });
    const again = await discoverShows(test.deps, { server: 'Home', title: 'Breaking Bad' });
    expect(again[0]?.inCatalog).toBe(true);
    // A later library sync adopts the imported rows rather than duplicating them.
    expect((await runSync(test.deps)).ok).toBe(true);
    expect(catalogView(test.catalog)).toEqual(simView(sim));
  });

  it('reports an item that is not a show', async () => {
    const [movie] = sim.library.items(sectionKeys(sim).movies, 'movie');
    const report = await importShow(test.deps, { server: 'Home', ratingKey: movie?.ratingKey ?? '1' });
    expect(report.outcome).toBe('failed');
    expect(report.error).toMatch(/not a show/);
    expect(report.errorCode).toBe('NOT_A_SHOW');
  });
});

describe('rankCandidates', () => {
  const candidate = (title: string, year: number | null): DiscoveryCandidate => ({
    serverName: 's',
    ratingKey: title,
    title,
    year,
    libraryTitle: 'TV',
    sectionKey: '2',
    externalIds: {},
    episodeCount: null,
    seasonCount: null,
    inCatalog: false,
  });

  it('puts exact titles first, then prefixes, and the wanted year before others', () => {
    const ranked = rankCandidates(
      [candidate('The Office Party', 2001), candidate('Office', 2001), candidate('Office', 2005), candidate('Office Space', 1999)],
      'office',
      2005,
    );
    expect(ranked.map((c) => `${c.title} ${c.year}`)).toEqual(['Office 2005', 'Office 2001', 'Office Space 1999', 'The Office Party 2001']);
  });
});
