// One server the live catalog cannot listen to (its token unreadable, or refused by Plex) must not stop the others:
// two simulated servers, one real catalog, the real live service.
import { afterEach, describe, expect, it } from 'vitest';
import { listServers, updateServer } from '../../../main/catalog/servers.js';
import type { LiveNotice } from '../../../main/live/live-server.js';
import { LiveCatalog } from '../../../main/live/service.js';
import { runSync } from '../../../main/sync/engine.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { addSimServer, createTestCatalog, sectionKeys, type TestCatalog } from '../sync/fixtures.js';
import { titleInCatalog, until } from './fixtures.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function twoServers(): Promise<{ home: PlexSim; office: PlexSim; test: TestCatalog }> {
  const home = await startPlexSim({ seed: 21, library: { movies: 10, shows: 1, episodes: 5 } });
  const office = await startPlexSim({ seed: 22, library: { movies: 10, shows: 1, episodes: 5 } });
  const test = createTestCatalog();
  cleanups.push(async () => {
    await home.close();
    await office.close();
    test.cleanup();
  });
  addSimServer(test, home, 'Home');
  addSimServer(test, office, 'Office');
  expect((await runSync(test.deps, {})).ok).toBe(true);
  return { home, office, test };
}

function startLive(test: TestCatalog, notices: LiveNotice[], pollMs?: number): LiveCatalog {
  const live = new LiveCatalog(test.deps, listServers(test.catalog), {
    batchWindowMs: 30,
    backoffBaseMs: 10,
    backoffMaxMs: 40,
    lockRetryMs: 10,
    ...(pollMs !== undefined ? { pollMs } : {}),
    notify: (notice) => notices.push(notice),
  });
  cleanups.push(() => live.stop());
  live.start();
  return live;
}

describe('one server the live catalog cannot listen to', () => {
  it('an unreadable token: that server is stopped and says why, the other stays live', async () => {
    const { home, test } = await twoServers();
    const office = listServers(test.catalog).find((server) => server.name === 'Office');
    test.catalog.sqlite.prepare("UPDATE servers SET token_ciphertext = 'not a ciphertext' WHERE id = ?").run(office?.id);
    const notices: LiveNotice[] = [];
    const live = startLive(test, notices);
    expect(live.modes()).toMatchObject({ Office: 'stopped' });
    expect(notices).toContainEqual(
      expect.objectContaining({
        type: 'mode',
        server: 'Office',
        mode: 'stopped',
        detail: expect.stringMatching(/^not listening: /) as unknown,
      }),
    );
    await until(() => live.modes().Home === 'live', 'Home live');
    await live.idle();
    const key = home.library.addMovie(sectionKeys(home).movies, { title: 'Still Arrives' });
    await until(() => titleInCatalog(test, key) === 'Still Arrives', 'the change on the other server');
  });

  it('a token Plex refuses: that server reports it, the other stays live', async () => {
    const { home, test } = await twoServers();
    const office = listServers(test.catalog).find((server) => server.name === 'Office');
    if (office === undefined) throw new Error('no Office');
    updateServer(test.catalog, test.secrets, office.id, { token: 'revoked-token' });
    const notices: LiveNotice[] = [];
    const live = startLive(test, notices, 50);
    await until(() => live.modes().Home === 'live', 'Home live');
    await until(
      () => notices.some((notice) => notice.type === 'error' && notice.server === 'Office' && /refused the token/.test(notice.message)),
      'Office refused',
    );
    await live.idle();
    const key = home.library.addMovie(sectionKeys(home).movies, { title: 'Arrives Anyway' });
    await until(() => titleInCatalog(test, key) === 'Arrives Anyway', 'the change on the other server');
    expect(live.modes().Home).toBe('live');
    expect(JSON.stringify(notices)).not.toContain('revoked-token');
  });
});
