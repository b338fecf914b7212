// The artwork service on real parts: a synced catalog (real SQLite in a temp dir), the simulated Plex server's
// photo transcoder over HTTP, and the cache's real files.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ArtworkService, type ArtworkServiceDeps, MAX_REQUESTS_PER_SERVER } from '../../../main/artwork/service.js';
import { addAccountServer, requireAccountServer, saveSignedInAccount } from '../../../main/catalog/accounts.js';
import { artworkCacheBytes, findArtwork } from '../../../main/catalog/artwork.js';
import { queryAll } from '../../../main/catalog/database.js';
import { updateServer } from '../../../main/catalog/servers.js';
import { setNumericSetting } from '../../../main/catalog/settings.js';
import { runSync } from '../../../main/sync/engine.js';
import { type PlexSim, type SimPhotoOptions, startPlexSim } from '../../../tools/plex-sim/index.js';
import { addSimServer, createTestCatalog, sectionKeys, type TestCatalog } from '../sync/fixtures.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let sim: PlexSim;
let test: TestCatalog;
let service: ArtworkService;
let now: number;
const logs: string[] = [];

async function setUp(photo?: SimPhotoOptions, deps: Partial<ArtworkServiceDeps> = {}): Promise<void> {
  sim = await startPlexSim({ seed: 3, library: { movies: 30, shows: 2, episodes: 8 }, ...(photo ? { photo } : {}) });
  test = createTestCatalog();
  addSimServer(test, sim);
  await runSync(test.deps);
  now = 1_800_000_000_000;
  service = newService(deps);
}

function newService(deps: Partial<ArtworkServiceDeps> = {}): ArtworkService {
  return new ArtworkService({
    catalog: test.catalog,
    secrets: test.secrets,
    cacheDir: join(test.dir, 'artwork'),
    clientOptions: { timeoutMs: 5000 },
    clock: () => now,
    log: (message) => logs.push(message),
    ...deps,
  });
}

afterEach(async () => {
  service.close();
  await sim.close();
  test.cleanup();
  logs.length = 0;
});

/** The catalog id of the item with this Plex rating key. */
function itemId(ratingKey: string): number {
  const row = test.catalog.sqlite.prepare('SELECT id FROM items WHERE rating_key = ?').get(ratingKey) as { id: number } | undefined;
  if (row === undefined) throw new Error(`no item ${ratingKey}`);
  return row.id;
}

function movieKeys(): string[] {
  return sim.library.items(sectionKeys(sim).movies, 'movie').map((movie) => movie.ratingKey);
}

function transcodes(): { url: string; width: string; height: string }[] {
  return sim.requests
    .filter((request) => request.path === '/photo/:/transcode')
    .map((request) => ({ url: request.query['url'] ?? '', width: request.query['width'] ?? '', height: request.query['height'] ?? '' }));
}

function cachedFiles(): string[] {
  const dir = join(test.dir, 'artwork');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((folder) => readdirSync(join(dir, folder)));
}

describe('ArtworkService over HTTP', () => {
  beforeEach(() => setUp());

  it("fetches a movie's poster through the photo transcoder once, then answers from the disk cache", async () => {
    const [key = ''] = movieKeys();
    const first = await service.get({ itemId: itemId(key), role: 'poster', width: 144, height: 216 });
    expect(first?.contentType).toBe('image/png');
    expect(first?.bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    // Asked at the bucket that covers 144×216, for the item's thumb, with the token as a header (never in the query).
    expect(transcodes()).toEqual([{ url: `/library/metadata/${key}/thumb`, width: '240', height: '360' }]);
    expect(sim.requests.every((request) => !('X-Plex-Token' in request.query))).toBe(true);

    // Another size of the same bucket, and the same size again: both from the cache.
    const again = await service.get({ itemId: itemId(key), role: 'poster', width: 200, height: 300 });
    const third = await newService().get({ itemId: itemId(key), role: 'poster', width: 144, height: 216 });
    expect(again?.bytes).toEqual(first?.bytes);
    expect(third?.bytes).toEqual(first?.bytes);
    expect(transcodes()).toHaveLength(1);
    expect(cachedFiles()).toHaveLength(1);
  });

  it("gives a background from the item's art, and an episode its show's poster (Plex's episode thumb is a still)", async () => {
    const [key = ''] = movieKeys();
    const background = await service.get({ itemId: itemId(key), role: 'background', width: 1280, height: 720 });
    expect(background).not.toBeNull();
    expect(transcodes()).toEqual([{ url: `/library/metadata/${key}/art`, width: '1440', height: '810' }]);

    const show = sim.library.items(sectionKeys(sim).shows, 'show')[0];
    const episodes = sim.library.items(sectionKeys(sim).shows, 'episode').filter((episode) => episode.grandparentKey === show?.ratingKey);
    expect(episodes.length).toBeGreaterThan(1);
    sim.resetRequests();
    const posters = await Promise.all(
      episodes.map((episode) => service.get({ itemId: itemId(episode.ratingKey), role: 'poster', width: 72, height: 108 })),
    );
    const showPoster = await service.get({ itemId: itemId(show?.ratingKey ?? ''), role: 'poster', width: 72, height: 108 });
    for (const poster of posters) expect(poster?.bytes).toEqual(showPoster?.bytes);
    // One request for all of them: concurrent asks for one image share it, later ones hit the cache.
    expect(transcodes()).toEqual([{ url: `/library/metadata/${show?.ratingKey}/thumb`, width: '120', height: '180' }]);
  });

  it('answers null, without asking Plex, for an item the catalog does not have', async () => {
    expect(await service.get({ itemId: 999_999, role: 'poster', width: 100, height: 150 })).toBeNull();
    expect(transcodes()).toEqual([]);
  });

  it('evicts an image when its item changes (updatedAt moves) and when the item is removed', async () => {
    const [changed = '', removed = ''] = movieKeys();
    const size = { role: 'poster' as const, width: 100, height: 150 };
    await service.get({ itemId: itemId(changed), ...size });
    await service.get({ itemId: itemId(removed), ...size });
    expect(transcodes()).toHaveLength(2);
    expect(cachedFiles()).toHaveLength(2);
    const changedId = itemId(changed);

    sim.library.advanceClock(60);
    sim.library.editItem(changed, { title: 'A New Title' });
    sim.library.removeItem(removed);
    await runSync(test.deps, { full: true });

    // The sweep drops the changed item's entry and the removed item's file.
    await service.sweep();
    expect(findArtwork(test.catalog, { itemId: changedId, role: 'poster', width: 120, height: 180 })).toBeNull();
    expect(cachedFiles()).toHaveLength(0);

    // Asked again, the changed item's poster is fetched anew.
    expect(await service.get({ itemId: changedId, ...size })).not.toBeNull();
    expect(transcodes()).toHaveLength(3);
  });

  it('notices a changed item on get, before any sweep', async () => {
    const [key = ''] = movieKeys();
    const request = { itemId: itemId(key), role: 'poster' as const, width: 100, height: 150 };
    await service.get(request);
    sim.library.advanceClock(60);
    sim.library.editItem(key, { title: 'Changed' });
    await runSync(test.deps);
    await service.get(request);
    expect(transcodes()).toHaveLength(2);
    await service.get(request);
    expect(transcodes()).toHaveLength(2);
  });

  it('keeps the files under the cap, evicting the least recently shown first', async () => {
    let cap = Number.POSITIVE_INFINITY;
    service.close();
    service = newService({ capBytes: () => cap });
    const ids = movieKeys()
      .slice(0, 5)
      .map((key) => itemId(key));
    const show = async (id: number | undefined): Promise<void> => {
      now += 120_000;
      expect(await service.get({ itemId: id ?? 0, role: 'poster', width: 100, height: 150 })).not.toBeNull();
    };
    const [a, b, c, d, e] = ids;
    await show(a);
    await show(b);
    await show(c);
    await show(d);
    await show(a); // a is now the most recently shown; b the least
    const entryBytes = (id: number | undefined): number =>
      findArtwork(test.catalog, { itemId: id ?? 0, role: 'poster', width: 120, height: 180 })?.bytes ?? Number.NaN;
    const total = artworkCacheBytes(test.catalog);
    expect(cachedFiles()).toHaveLength(4);

    cap = total - entryBytes(b);
    await service.sweep();
    const remaining = (): number[] =>
      queryAll(test.catalog, test.catalog.db.selectFrom('artwork_cache').select('item_id').orderBy('item_id')).map((row) => row.item_id);
    expect(remaining()).toEqual([a, c, d].map(Number).sort((x, y) => x - y));
    expect(cachedFiles()).toHaveLength(3);

    // A new image over the cap pushes out the next least recently shown (c).
    cap = artworkCacheBytes(test.catalog);
    await show(e);
    expect(remaining()).toEqual([a, d, e].map(Number).sort((x, y) => x - y));
    expect(cachedFiles()).toHaveLength(3);
    expect(artworkCacheBytes(test.catalog)).toBeLessThanOrEqual(cap);
  });

  it("takes the cap from the catalog's artworkCacheMb setting", async () => {
    setNumericSetting(test.catalog, 'artworkCacheMb', 10);
    const [key = ''] = movieKeys();
    expect(await service.get({ itemId: itemId(key), role: 'poster', width: 100, height: 150 })).not.toBeNull();
    expect(() => setNumericSetting(test.catalog, 'artworkCacheMb', 1)).toThrow(/artworkCacheMb/);
  });

  it(`runs at most ${MAX_REQUESTS_PER_SERVER} transcodes at once on a server, queueing the rest`, async () => {
    const ids = movieKeys()
      .slice(0, 20)
      .map((key) => itemId(key));
    sim.addFault({ match: /^\/photo\//, kind: 'pause' });
    const all = Promise.all(ids.map((id) => service.get({ itemId: id, role: 'poster', width: 100, height: 150 })));
    await vi.waitFor(() => expect(sim.pausedCount()).toBe(MAX_REQUESTS_PER_SERVER));
    expect(sim.photoStats().inFlight).toBe(MAX_REQUESTS_PER_SERVER);
    sim.clearFaults();
    sim.resumePaused();
    const images = await all;
    expect(images.every((image) => image !== null)).toBe(true);
    expect(sim.photoStats()).toMatchObject({ requests: 20, inFlight: 0, peakInFlight: MAX_REQUESTS_PER_SERVER });
  });
});

describe('ArtworkService when images fail', () => {
  it('answers null for a failing transcoder, and asks again next time', async () => {
    await setUp({ failing: true });
    const id = itemId(movieKeys()[0] ?? '');
    expect(await service.get({ itemId: id, role: 'poster', width: 100, height: 150 })).toBeNull();
    expect(await service.get({ itemId: id, role: 'poster', width: 100, height: 150 })).toBeNull();
    expect(transcodes()).toHaveLength(2);
    expect(cachedFiles()).toEqual([]);
    expect(logs.join('\n')).not.toContain(sim.token);
  });

  it('answers slow images when they come', async () => {
    await setUp({ delayMs: 50 });
    expect(await service.get({ itemId: itemId(movieKeys()[0] ?? ''), role: 'poster', width: 100, height: 150 })).not.toBeNull();
  });

  it('remembers an item without artwork (404) and does not ask again for it', async () => {
    // The simulator reads the list at each request: the key is known once the library exists.
    const missing: string[] = [];
    await setUp({ missing });
    const [key = ''] = movieKeys();
    missing.push(key);
    const id = itemId(key);
    expect(await service.get({ itemId: id, role: 'poster', width: 100, height: 150 })).toBeNull();
    expect(await service.get({ itemId: id, role: 'poster', width: 100, height: 150 })).toBeNull();
    expect(transcodes()).toHaveLength(1);
  });

  it('puts an account server whose token Plex refuses (401) in the "sign in again" state, and stops asking', async () => {
    sim = await startPlexSim({ seed: 3, library: { movies: 5, shows: 1, episodes: 2 } });
    test = createTestCatalog();
    const account = saveSignedInAccount(
      test.catalog,
      test.secrets,
      { uuid: 'u1', plexId: 1, username: 'alice', email: null, avatarUrl: null },
      'acct',
    );
    const connection = {
      uri: sim.url,
      protocol: 'http' as const,
      address: '127.0.0.1',
      port: Number(new URL(sim.url).port),
      local: true,
      relay: false,
      ipv6: false,
    };
    const server = addAccountServer(test.catalog, test.secrets, {
      accountId: account.id,
      name: 'Home',
      machineIdentifier: sim.machineIdentifier,
      owned: true,
      token: sim.token,
      connections: [connection],
    });
    await runSync(test.deps);
    service = newService();
    updateServer(test.catalog, test.secrets, server.id, { token: 'a-token-plex-refuses' });
    const id = itemId(movieKeys()[0] ?? '');
    expect(await service.get({ itemId: id, role: 'poster', width: 100, height: 150 })).toBeNull();
    expect(requireAccountServer(test.catalog, server.id).needsSignIn).toBe(true);
    expect(await service.get({ itemId: id, role: 'poster', width: 100, height: 150 })).toBeNull();
    expect(transcodes()).toHaveLength(1);
    expect(logs.join('\n')).not.toContain('a-token-plex-refuses');
  });
});
