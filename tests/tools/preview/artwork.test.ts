// The preview's image route over real HTTP: with its access key in the path it answers an item's poster from the
// same ArtworkService as the app (which fetched it from the simulated Plex server); without the key, with a wrong
// one, or for anything malformed, an empty 404.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSync } from '../../../main/sync/engine.js';
import { type PreviewServer, startPreviewServer } from '../../../tools/preview/server.js';
import { type AppFixture, startAppFixture, TEST_CLIENT_OPTIONS } from '../../main/app/fixtures.js';

describe('preview server: artwork', () => {
  let app: AppFixture;
  let server: PreviewServer;
  let movieId: number;

  beforeAll(async () => {
    app = await startAppFixture({ sim: { library: { movies: 4, shows: 1, episodes: 2 } } });
    await app.addSimServer();
    await runSync({ catalog: app.catalog, secrets: app.secrets, clientOptions: TEST_CLIENT_OPTIONS });
    const row = app.catalog.sqlite.prepare("SELECT id FROM items WHERE kind = 'movie' ORDER BY id LIMIT 1").get() as { id: number };
    movieId = row.id;
    const rendererDir = join(app.dir, 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>T</title></head><body></body></html>');
    server = await startPreviewServer({ service: app.service, rendererDir, accessKey: 'test-key' });
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await app.close();
  });

  const transcodes = () => app.sim.requests.filter((request) => request.path === '/photo/:/transcode').length;

  it('answers the image with the key in the path, fetched once from Plex', async () => {
    const url = `${server.origin}/__artwork/test-key/${movieId}/poster/240x360`;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/png');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = Buffer.from(await first.arrayBuffer());
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    const again = await fetch(url);
    expect(Buffer.from(await again.arrayBuffer())).toEqual(bytes);
    expect(transcodes()).toBe(1);
  });

  it.each([
    ['no key', (id: number) => `/__artwork/${id}/poster/240x360`],
    ['an empty key', (id: number) => `/__artwork//${id}/poster/240x360`],
    ['a wrong key', (id: number) => `/__artwork/wrong-key/${id}/poster/240x360`],
    ['the key as a query parameter', (id: number) => `/__artwork/${id}/poster/240x360?key=test-key`],
    ['an unknown role', (id: number) => `/__artwork/test-key/${id}/thumb/240x360`],
    ['an oversized image', (id: number) => `/__artwork/test-key/${id}/poster/99999x360`],
    ['an item the catalog lacks', () => '/__artwork/test-key/987654/poster/240x360'],
  ])('answers an empty 404 for %s', async (_what, path) => {
    const before = transcodes();
    const answer = await fetch(server.origin + path(movieId));
    expect(answer.status).toBe(404);
    expect(await answer.text()).toBe('');
    expect(transcodes()).toBe(before);
  });
});
