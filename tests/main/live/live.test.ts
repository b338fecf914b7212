// The live catalog end to end: the simulated server's notification socket over real WebSocket, real HTTP
// fetches, a real SQLite catalog. Every wait is on a condition.
import { afterEach, describe, expect, it } from 'vitest';

import { ratingKeyInCatalog, startLive, syncsFor, titleInCatalog, until, type LiveSetup } from './fixtures.js';
import { sectionKeys } from '../sync/fixtures.js';
import { runSync } from '../../../main/sync/engine.js';

let setup: LiveSetup | undefined;

afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

async function liveAndCaughtUp(...args: Parameters<typeof startLive>): Promise<LiveSetup> {
  setup = await startLive(...args);
  const current = setup;
  await until(() => syncsFor(current.notices, 'connected') >= 1, 'the catch-up sync after connecting');
  await current.live.idle();
  current.sim.resetRequests();
  return current;
}

function metadataRequests(setup: LiveSetup): string[] {
  return setup.sim.requests.map((request) => request.path);
}

describe('live changes', () => {
  it('a new movie is in the catalog after its event, fetched in one request with its guids', async () => {
    const { sim, test, live, notices } = await liveAndCaughtUp();
    expect(live.modes()).toEqual({ Home: 'live' });
    const key = sim.library.addMovie(sectionKeys(sim).movies, { title: 'Arrived Live' });
    await until(() => ratingKeyInCatalog(test, key), 'the new movie in the catalog');
    await live.idle();
    expect(metadataRequests(setup!)).toEqual([`/library/metadata/${key}`]);
    expect(sim.requests[0]?.query.includeGuids).toBe('1');
    expect(notices).toContainEqual(
      expect.objectContaining({ type: 'change', change: 'added', item: { kind: 'movie', title: 'Arrived Live' } }),
    );
  });

  it('an item written live is the same item the next listing brings: no spurious update', async () => {
    const { sim, test, live } = await liveAndCaughtUp();
    const key = sim.library.addMovie(sectionKeys(sim).movies, { title: 'Arrived Live' });
    await until(() => ratingKeyInCatalog(test, key), 'the new movie in the catalog');
    await live.idle();
    // A fetch by key carries the parts' streams, a listing does not: the listing must find nothing to change.
    expect(sim.library.get(key)?.media.length).toBeGreaterThan(0);
    const report = await runSync(test.deps, { full: true });
    const movies = report.libraries.find((library) => library.libraryTitle === 'Movies');
    expect(movies?.counts.updated).toEqual({ movie: 0, show: 0, season: 0, episode: 0, artist: 0, album: 0, track: 0 });
  });

  it('an edit updates the item; an episode of an unknown show brings its show and season in a second request at most', async () => {
    const { sim, test, live, notices } = await liveAndCaughtUp();
    const movie = sim.library.items(sectionKeys(sim).movies, 'movie')[0]?.ratingKey ?? '';
    sim.library.editItem(movie, { title: 'Renamed Live' });
    await until(() => titleInCatalog(test, movie) === 'Renamed Live', 'the edit in the catalog');
    await live.idle();
    sim.resetRequests();
    const show = sim.library.addShow(sectionKeys(sim).shows, { title: 'Brand New Show' });
    const episode = sim.library.addEpisode(show, 1, { title: 'Pilot' });
    await until(() => ratingKeyInCatalog(test, episode), 'the new episode in the catalog');
    await live.idle();
    expect(ratingKeyInCatalog(test, show)).toBe(true);
    const batches = notices.filter((notice) => notice.type === 'batch');
    for (const batch of batches) expect(batch.type === 'batch' && batch.requests).toBeLessThanOrEqual(2);
    expect(sim.requests.length).toBeLessThanOrEqual(2);
    const season = test.catalog.sqlite
      .prepare('SELECT season_number AS n FROM episodes e JOIN items i ON i.id = e.item_id WHERE i.rating_key = ?')
      .get(episode) as { n: number };
    expect(season.n).toBe(1);
  });

  it('a burst of 10,000 timeline events is applied in well under 100 requests', async () => {
    const { sim, test, live, notices } = await liveAndCaughtUp({ library: { movies: 10, shows: 40, episodes: 10_000 } });
    const before = sim.library.now();
    const touched = sim.library.touchEpisodes(1);
    expect(touched).toBeGreaterThanOrEqual(10_000);
    expect(sim.library.now()).toBeGreaterThan(before);
    await until(() => notices.some((notice) => notice.type === 'sync' && notice.reason === 'burst'), 'the burst sync', 60_000);
    await live.idle();
    expect(sim.requests.length).toBeLessThan(100);
    // Every touched episode carries its new stamp, however the events fell into batches.
    const stamps = new Map(
      (
        test.catalog.sqlite.prepare("SELECT rating_key AS key, updated_at AS at FROM items WHERE kind = 'episode'").all() as {
          key: string;
          at: number;
        }[]
      ).map((row) => [row.key, row.at]),
    );
    const shows = sim.library.sections().filter((section) => section.type === 'show');
    const episodes = shows.flatMap((section) => sim.library.items(section.key, 'episode'));
    expect(episodes.length).toBe(touched);
    expect(episodes.filter((episode) => stamps.get(episode.ratingKey) !== episode.updatedAt)).toEqual([]);
  }, 120_000);

  it('a dropped socket loses no change: the reconnect sync catches up', async () => {
    let missedKey = '';
    const { sim, test, live } = await liveAndCaughtUp(
      {},
      {
        backoffBaseMs: 40,
        notify: (notice) => {
          // The change happens while the socket is down: its event is lost for good.
          if (notice.type === 'mode' && notice.mode === 'reconnecting' && missedKey === '' && setup !== undefined) {
            missedKey = setup.sim.library.addMovie(sectionKeys(setup.sim).movies, { title: 'Added While Away' });
          }
        },
      },
    );
    sim.notifications.dropAll();
    await until(() => missedKey !== '', 'the socket drop');
    await until(() => ratingKeyInCatalog(test, missedKey), 'the missed movie caught up');
    await until(() => live.modes().Home === 'live', 'live again');
  });

  it('a deletion event for an item still on the server removes nothing; a confirmed one removes it', async () => {
    const { sim, test, live } = await liveAndCaughtUp();
    const movies = sim.library.items(sectionKeys(sim).movies, 'movie');
    const kept = movies[0]?.ratingKey ?? '';
    const removed = movies[1]?.ratingKey ?? '';
    sim.notifications.inject({
      NotificationContainer: {
        type: 'timeline',
        size: 1,
        TimelineEntry: [{ identifier: 'com.plexapp.plugins.library', itemID: kept, sectionID: sectionKeys(sim).movies, type: 1, state: 9 }],
      },
    });
    await until(() => setup!.notices.some((notice) => notice.type === 'batch'), 'the deletion batch');
    await live.idle();
    expect(ratingKeyInCatalog(test, kept)).toBe(true);
    expect(metadataRequests(setup!)).toEqual([`/library/metadata/${kept}`]);
    sim.library.removeItem(removed);
    await until(() => !ratingKeyInCatalog(test, removed), 'the confirmed removal');
    expect(ratingKeyInCatalog(test, kept)).toBe(true);
  });

  it('a library scan that ended brings an incremental sync of that library', async () => {
    const { sim, test, live } = await liveAndCaughtUp();
    const section = sectionKeys(sim).movies;
    let found = '';
    // The scan's own timeline entries are lost: only the ended activity can bring the movie in.
    sim.notifications.skipNext(1);
    sim.notifications.stageForScan(section, () => {
      found = sim.library.addMovie(section, { title: 'Found By Scan' });
    });
    const answer = await fetch(`${sim.url}/library/sections/${section}/refresh`, { headers: { 'X-Plex-Token': sim.token } });
    expect(answer.status).toBe(200);
    await until(() => found !== '' && ratingKeyInCatalog(test, found), 'the scanned movie');
    await live.idle();
    expect(syncsFor(setup!.notices, 'scan')).toBe(1);
  });

  it('unknown message types and malformed frames are counted and ignored', async () => {
    const { sim, test, live } = await liveAndCaughtUp({ notifications: { unknownTypes: true, malformedFrames: true } });
    const key = sim.library.addMovie(sectionKeys(sim).movies, { title: 'Among Noise' });
    await until(() => ratingKeyInCatalog(test, key), 'the movie despite the noise');
    const stats = live.servers[0]?.stats;
    // Per message: one unknown type; a broken JSON text, a binary frame and a JSON without NotificationContainer.
    expect(stats?.unknown).toBeGreaterThanOrEqual(1);
    expect(stats?.malformed).toBeGreaterThanOrEqual(3);
    expect(live.modes()).toEqual({ Home: 'live' });
  });

  it('no token in any notice, socket log or request log', async () => {
    const { sim, test, notices } = await liveAndCaughtUp();
    const key = sim.library.addMovie(sectionKeys(sim).movies);
    await until(() => ratingKeyInCatalog(test, key), 'the movie');
    sim.notifications.dropAll();
    await until(() => notices.some((notice) => notice.type === 'mode' && notice.mode === 'reconnecting'), 'a reconnect');
    const everything = JSON.stringify([notices, sim.notifications.log, sim.requests]);
    expect(everything).not.toContain(sim.token);
  });
});

describe('without a socket', () => {
  it('a refused socket falls back to polling, which brings changes in', async () => {
    setup = await startLive({ notifications: { refuse: true } }, { pollMs: 50 });
    const { sim, test, live } = setup;
    await until(() => live.modes().Home === 'polling', 'polling mode');
    const key = sim.library.addMovie(sectionKeys(sim).movies, { title: 'Polled In' });
    await until(() => ratingKeyInCatalog(test, key), 'the polled movie');
    // Not live.idle(): polling every 50 ms queues a new sync as each ends, so the queue is never empty for long.
    await until(() => syncsFor(setup?.notices ?? [], 'poll') >= 1, 'a poll sync reported');
  });

  it('a silent socket (a proxy that passes no frames) falls back to polling', async () => {
    setup = await startLive({ notifications: { silent: true } }, { pollMs: 50, silenceMs: 100 });
    const { sim, test, live } = setup;
    await until(() => live.modes().Home === 'polling', 'polling after silence');
    const key = sim.library.addMovie(sectionKeys(sim).movies, { title: 'Polled Past Silence' });
    await until(() => ratingKeyInCatalog(test, key), 'the polled movie');
  });
});

describe('one writer', () => {
  it('a live change waits while another process holds the catalog, then lands', async () => {
    const { openCatalog } = await import('../../../main/catalog/database.js');
    const { acquireJobLock } = await import('../../../main/catalog/job-lock.js');
    const { sim, test, live, notices } = await liveAndCaughtUp();
    const other = openCatalog(test.file);
    const lock = acquireJobLock(other, { kind: 'sync', target: 'everything', program: 'another marquee' });
    // The lock's liveness is by pid: this process holds it through the other connection, as a second CLI would.
    try {
      const key = sim.library.addMovie(sectionKeys(sim).movies, { title: 'Queued Behind A Sync' });
      await until(() => notices.some((notice) => notice.type === 'waiting'), 'the live change to wait');
      expect(ratingKeyInCatalog(test, key)).toBe(false);
      lock.release();
      await until(() => ratingKeyInCatalog(test, key), 'the change after the lock is released');
      await live.idle();
    } finally {
      lock.release();
      other.close();
    }
  });
});

describe('what is ignored, and the schedule', () => {
  it('an item of a disabled library is neither fetched nor written', async () => {
    const { setLibraryEnabled: disable } = await import('../../../main/usecases/libraries.js');
    const { sim, test, live } = await liveAndCaughtUp();
    const kids = sim.library.sections().find((section) => section.title === 'Kids Movies');
    if (kids === undefined) throw new Error('no Kids Movies section');
    await disable(test.deps, { server: 'Home', titleOrKey: kids.key }, false);
    const ignored = sim.library.addMovie(kids.key, { title: 'Not Wanted' });
    const wanted = sim.library.addMovie(sectionKeys(sim).movies, { title: 'Wanted' });
    await until(() => ratingKeyInCatalog(test, wanted), 'the movie of the enabled library');
    await live.idle();
    expect(ratingKeyInCatalog(test, ignored)).toBe(false);
    expect(metadataRequests(setup!)).toEqual([`/library/metadata/${wanted}`]);
  });

  it('every server gets its scheduled incremental sync', async () => {
    setup = await startLive({}, { scheduleMs: 100 });
    const { sim, test } = setup;
    const current = setup;
    await until(() => syncsFor(current.notices, 'connected') >= 1, 'the catch-up sync');
    // Unannounced: only a sync can bring it in.
    sim.notifications.skipNext(1);
    const key = sim.library.addMovie(sectionKeys(sim).movies, { title: 'Found By Schedule' });
    await until(() => ratingKeyInCatalog(test, key), 'the scheduled sync');
    // Not idle(): a 100 ms schedule queues the next sync as each ends, so on a busy machine it never settles.
    await until(() => syncsFor(current.notices, 'schedule') >= 1, 'a scheduled sync reported');
  });
});
