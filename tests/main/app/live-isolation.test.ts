// The app's live catalog with two servers, one whose token cannot be read: that one says it is not listening,
// the other goes live and its changes arrive.
import { afterEach, describe, expect, it } from 'vitest';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { until } from '../live/fixtures.js';
import { sectionKeys } from '../sync/fixtures.js';
import { startAppFixture, type AppFixture } from './fixtures.js';

let fixture: AppFixture | undefined;
let other: PlexSim | undefined;

afterEach(async () => {
  await fixture?.close();
  await other?.close();
  fixture = undefined;
  other = undefined;
});

describe('the live catalog in the app, one server at a time', () => {
  it('a server whose token cannot be read is stopped alone; the other stays live', async () => {
    fixture = await startAppFixture({ live: { batchWindowMs: 30, backoffBaseMs: 20, backoffMaxMs: 100 } });
    const app = fixture;
    other = await startPlexSim({ seed: 31, library: { movies: 5, shows: 1, episodes: 3 } });
    const good = await app.addSimServer('Home');
    const broken = (await app.ok('servers:add', { name: 'Office', url: other.url, token: other.token })).id;
    app.catalog.sqlite.prepare("UPDATE servers SET token_ciphertext = 'not a ciphertext' WHERE id = ?").run(broken);
    await app.service.live.start();
    const status = (id: number) => app.service.live.state().servers.find((entry) => entry.serverId === id);
    expect(status(broken)).toMatchObject({ mode: 'stopped', detail: expect.stringMatching(/^not listening: /) as unknown });
    await until(() => status(good)?.mode === 'live', 'Home live');
    await app.service.live.idle();
    const change = app.nextEvent('live:change', (payload) => payload.item?.title === 'Home Goes On');
    app.sim.library.addMovie(sectionKeys(app.sim).movies, { title: 'Home Goes On' });
    expect(await change).toMatchObject({ serverId: good, change: 'added' });
    expect(status(broken)?.mode).toBe('stopped');
  });
});
