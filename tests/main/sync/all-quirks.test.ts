// Every real-server quirk at once (the simulator's options for them, all on), over real HTTP into a real SQLite
// catalog: a first sync and an incremental one must each leave the catalog equal to what the server holds.
import { afterEach, expect, it } from 'vitest';
import { runSync } from '../../../main/sync/engine.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { addSimServer, catalogView, createTestCatalog, sectionKeys, simView, TEST_CLIENT_OPTIONS, type TestCatalog } from './fixtures.js';

let sim: PlexSim | undefined;
let test: TestCatalog | undefined;

afterEach(async () => {
  if (test !== undefined) expect(test.catalog.sqlite.pragma('foreign_key_check')).toEqual([]);
  test?.cleanup();
  await sim?.close();
  sim = undefined;
  test = undefined;
});

it('a server with every quirk of real servers at once syncs to a catalog equal to it, first and incrementally', async () => {
  sim = await startPlexSim({
    seed: 23,
    library: { movies: 600, shows: 12, episodes: 700 },
    clockSkewHours: -5,
    futureDatedItems: 1,
    absurdDatedItems: 1,
    hiddenCollection: 4,
    hiddenSeasons: 'drop-index',
    pageLimit: { maxItems: 250, answer: 'error' },
    unknownPathsUnauthorized: true,
  });
  test = createTestCatalog();
  // A computer whose name Node cannot send as it is.
  test.deps.clientOptions = { ...TEST_CLIENT_OPTIONS, deviceName: 'Ana’s 北京 Аня MacBook' };
  addSimServer(test, sim);
  const keys = sectionKeys(sim);
  const single = sim.library.addShow(keys.shows, { title: 'One Season Wonder' });
  sim.library.addEpisode(single, 1, { title: 'Only Pilot' });
  // A legacy-agent episode: its GUID names the show's TVDB id and the numbers, not an episode id.
  const legacyShow = sim.library.addShow(keys.shows, { title: 'Legacy Agent Show', guid: 'com.plexapp.agents.thetvdb://81189?lang=en' });
  sim.library.addEpisode(legacyShow, 2, { title: 'Legacy Episode', guid: 'com.plexapp.agents.thetvdb://81189/2/1?lang=en' });

  const first = await runSync(test.deps);
  expect(first.serverErrors).toEqual([]);
  expect(first.libraries.filter((library) => library.outcome !== 'ok')).toEqual([]);
  expect(catalogView(test.catalog)).toEqual(simView(sim));

  // Edits after the future-dated item, a new episode of the hidden-season show, a removal: all seen incrementally.
  const movie = sim.library.items(keys.movies, 'movie')[5];
  if (movie === undefined) throw new Error('sample library too small');
  sim.library.editItem(movie.ratingKey, { title: 'Edited Under Every Quirk' });
  sim.library.addEpisode(single, 1, { title: 'Only Finale' });
  const second = await runSync(test.deps);
  expect(second.serverErrors).toEqual([]);
  expect(second.libraries.filter((library) => library.outcome !== 'ok')).toEqual([]);
  expect(second.libraries.every((library) => library.mode === 'incremental')).toBe(true);
  expect(catalogView(test.catalog)).toEqual(simView(sim));
  expect(catalogView(test.catalog).get(`Home/${movie.ratingKey}`)?.title).toBe('Edited Under Every Quirk');
});
