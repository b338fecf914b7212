// Keep-alive over the real notification socket: a socket that goes silent without closing (the simulator's
// stallAll / stallAfterMessages) is noticed by a cheap probe after a quiet spell; the listener reconnects and the
// catch-up sync brings what the socket missed. A healthy quiet socket is only probed, never dropped.
import { afterEach, describe, expect, it } from 'vitest';
import { sectionKeys } from '../sync/fixtures.js';
import { ratingKeyInCatalog, startLive, syncsFor, titleInCatalog, until, type LiveSetup } from './fixtures.js';

let setup: LiveSetup | undefined;

afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

function accepted(live: LiveSetup): number {
  return live.sim.notifications.log.filter((entry) => entry.status === 101).length;
}

describe('keep-alive', { timeout: 15_000 }, () => {
  it('a socket that went silent without closing is probed, found stale, reconnected, and the catch-up sync brings the change', async () => {
    setup = await startLive({}, { probeAfterMs: 100 });
    const { sim, test, live, notices } = setup;
    await until(() => live.modes().Home === 'live' && syncsFor(notices, 'connected') === 1, 'live and caught up');
    await live.idle();
    sim.notifications.stallAll();
    const key = sim.library.addMovie(sectionKeys(sim).movies, { title: 'Missed By The Socket' });
    await until(() => ratingKeyInCatalog(test, key), 'the missed movie');
    expect(notices).toContainEqual(
      expect.objectContaining({ type: 'mode', mode: 'reconnecting', detail: 'the socket went quiet while the server changed' }),
    );
    await until(() => live.modes().Home === 'live' && syncsFor(notices, 'connected') >= 2, 'live again and caught up');
    expect(accepted(setup)).toBeGreaterThanOrEqual(2);
  });

  it('with stallAfterMessages, what came through is applied live, and what the stalled socket missed arrives by a sync, then a reconnect', async () => {
    setup = await startLive({ notifications: { stallAfterMessages: 1 } }, { probeAfterMs: 100 });
    const { sim, test, live, notices } = setup;
    await until(() => live.modes().Home === 'live' && syncsFor(notices, 'connected') === 1, 'live and caught up');
    await live.idle();
    const first = sim.library.addMovie(sectionKeys(sim).movies, { title: 'Came Through' });
    await until(() => titleInCatalog(test, first) === 'Came Through', 'the first movie, live');
    // Frames were heard since the last look: the counters that moved say nothing, a sync settles it.
    const second = sim.library.addMovie(sectionKeys(sim).movies, { title: 'After The Stall' });
    await until(() => ratingKeyInCatalog(test, second), "the second movie, by the probe's sync");
    await until(() => syncsFor(notices, 'probe') >= 1, 'the probe sync reported');
    await live.idle();
    // A quiet spell watched from end to end: a change the socket kept quiet about means a dead socket.
    const third = sim.library.addMovie(sectionKeys(sim).movies, { title: 'Long After The Stall' });
    await until(() => ratingKeyInCatalog(test, third), 'the third movie, after the reconnect');
    await until(() => syncsFor(notices, 'connected') >= 2, 'the reconnect caught up');
  });

  it('a healthy socket on a quiet server is probed with one request and kept', async () => {
    setup = await startLive({}, { probeAfterMs: 50 });
    const { sim, live, notices } = setup;
    await until(() => live.modes().Home === 'live' && syncsFor(notices, 'connected') === 1, 'live and caught up');
    await live.idle();
    const server = live.servers[0];
    if (server === undefined) throw new Error('no live server');
    await until(() => server.stats.probes >= 3, 'three probes');
    expect(live.modes().Home).toBe('live');
    expect(accepted(setup)).toBe(1);
    expect(notices.filter((notice) => notice.type === 'mode' && notice.mode === 'reconnecting')).toEqual([]);
    expect(sim.requests.filter((request) => request.path === '/library/sections').length).toBeGreaterThanOrEqual(3);
  });
});
