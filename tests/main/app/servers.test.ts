import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppFixture, closedPortUrl, startAppFixture } from './fixtures.js';

describe('app service: servers and libraries', () => {
  let app: AppFixture;

  beforeEach(async () => {
    app = await startAppFixture();
  });

  afterEach(async () => {
    await app.close();
  });

  it('answers app:info with the version and the secret storage status', async () => {
    const info = await app.ok('app:info', {});
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.secretStorage).toEqual({ kind: 'key-file', warning: null });
  });

  it('adds a server after checking identity and token, and lists its libraries at once', async () => {
    const server = await app.ok('servers:add', { name: '  Living room ', url: `${app.sim.url}/`, token: app.sim.token });
    expect(server).toMatchObject({ name: 'Living room', url: app.sim.url, machineIdentifier: app.sim.machineIdentifier, active: true });

    // An unauthenticated /identity, then an authenticated call: the token was really tried.
    const paths = app.sim.requests.map((request) => request.path);
    expect(paths).toContain('/identity');
    expect(paths).toContain('/library/sections');

    expect(await app.ok('servers:list', {})).toEqual([server]);
    const libraries = await app.ok('libraries:list', { serverId: server.id });
    expect(libraries.map((library) => library.title).sort()).toEqual(['Kids Movies', 'Movies', 'Music', 'TV Shows']);
    const movies = libraries.find((library) => library.title === 'Movies');
    expect(movies).toMatchObject({ type: 'movie', enabled: true, serverName: 'Living room', unmappedFiles: 0 });
    expect(movies?.itemCounts).toEqual({ movies: 0, shows: 0, seasons: 0, episodes: 0, artists: 0, albums: 0, tracks: 0 });
    expect(libraries.find((library) => library.title === 'Music')?.enabled).toBe(false);
    expect(movies).not.toHaveProperty('missingSince');

    // The token is stored encrypted and never comes back.
    const row = app.catalog.sqlite.prepare('SELECT token_ciphertext FROM servers').get() as { token_ciphertext: string };
    expect(row.token_ciphertext).not.toContain(app.sim.token);
    expect(JSON.stringify(await app.ok('servers:list', {}))).not.toContain(app.sim.token);
  });

  it('refuses a wrong token with UNAUTHORIZED and saves nothing', async () => {
    const failure = await app.fail('servers:add', { name: 'Sim', url: app.sim.url, token: 'wrong-token-123' });
    expect(failure.code).toBe('UNAUTHORIZED');
    expect(failure.message).toMatch(/refused the token/);
    expect(failure.message).not.toContain('wrong-token-123');
    expect(await app.ok('servers:list', {})).toEqual([]);
    expect(await app.ok('libraries:list', {})).toEqual([]);
  });

  it('reports an unreachable server with UNREACHABLE and saves nothing', async () => {
    const failure = await app.fail('servers:add', { name: 'Gone', url: await closedPortUrl(), token: app.sim.token });
    expect(failure.code).toBe('UNREACHABLE');
    expect(failure.message).toMatch(/Could not reach/);
    expect(await app.ok('servers:list', {})).toEqual([]);
  });

  it('refuses a URL that is not http(s) before contacting anything', async () => {
    const failure = await app.fail('servers:add', { name: 'Odd', url: 'ftp://example.com', token: 'abc' });
    expect(failure.code).toBe('INVALID_INPUT');
    expect(app.sim.requests).toEqual([]);
  });

  it('refuses a second server with the same name or the same machine with CONFLICT', async () => {
    await app.addSimServer('Sim');
    expect((await app.fail('servers:add', { name: 'sim', url: app.sim.url, token: app.sim.token })).code).toBe('CONFLICT');
    const twin = await app.fail('servers:add', { name: 'Other name', url: app.sim.url, token: app.sim.token });
    expect(twin.code).toBe('CONFLICT');
    expect(twin.message).toMatch(/already in the catalog as "Sim"/);
    expect(await app.ok('servers:list', {})).toHaveLength(1);
  });

  it('tests a stored server, and reports a refused token as a failed test rather than an error', async () => {
    const id = await app.addSimServer();
    expect(await app.ok('servers:test', { id })).toEqual({
      ok: true,
      machineIdentifier: app.sim.machineIdentifier,
      version: expect.any(String) as string,
      error: null,
      errorCode: null,
    });
    app.sim.addFault({ match: /\/library\/sections/, kind: 'status', status: 401 });
    const refused = await app.ok('servers:test', { id });
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/refused the token/);
    expect(refused.errorCode).toBe('PLEX_UNAUTHORIZED');
    expect((await app.fail('servers:test', { id: id + 100 })).code).toBe('NOT_FOUND');
  });

  it('updates a server, testing a new token before storing it', async () => {
    const id = await app.addSimServer();
    expect(await app.ok('servers:update', { id, name: 'Renamed', active: false })).toMatchObject({ id, name: 'Renamed', active: false });
    const refused = await app.fail('servers:update', { id, token: 'not-the-token' });
    expect(refused.code).toBe('UNAUTHORIZED');
    // The old token still works: nothing was stored.
    expect((await app.ok('servers:test', { id })).ok).toBe(true);
    expect(await app.ok('servers:update', { id, token: app.sim.token })).toMatchObject({ id });
    expect((await app.fail('servers:update', { id: 999, name: 'x' })).code).toBe('NOT_FOUND');
  });

  it('renames without contacting the server when the URL comes back unchanged, and tests a new URL', async () => {
    const id = await app.addSimServer();
    app.sim.resetRequests();
    expect(await app.ok('servers:update', { id, name: 'Den', url: `${app.sim.url}/` })).toMatchObject({ name: 'Den', url: app.sim.url });
    expect(app.sim.requests).toEqual([]);
    const moved = await app.fail('servers:update', { id, url: await closedPortUrl() });
    expect(moved.code).toBe('UNREACHABLE');
    expect((await app.ok('servers:list', {}))[0]?.url).toBe(app.sim.url);
  });

  it('removes a server with its libraries', async () => {
    const id = await app.addSimServer();
    expect(await app.ok('servers:remove', { id })).toEqual({ removed: true });
    expect(await app.ok('servers:remove', { id })).toEqual({ removed: false });
    expect(await app.ok('libraries:list', {})).toEqual([]);
  });

  it('enables and disables libraries, refusing non-syncable ones', async () => {
    const id = await app.addSimServer();
    const libraries = await app.ok('libraries:list', { serverId: id });
    const movies = libraries.find((library) => library.title === 'Movies');
    const music = libraries.find((library) => library.title === 'Music');
    if (movies === undefined || music === undefined) throw new Error('sim sections missing');
    expect(await app.ok('libraries:setEnabled', { libraryId: movies.id, enabled: false })).toMatchObject({ id: movies.id, enabled: false });
    // Music libraries are listed disabled and synced once enabled.
    expect(music.enabled).toBe(false);
    expect(await app.ok('libraries:setEnabled', { libraryId: music.id, enabled: true })).toMatchObject({ id: music.id, enabled: true });
    expect((await app.fail('libraries:setEnabled', { libraryId: 9999, enabled: true })).code).toBe('NOT_FOUND');
    expect((await app.fail('libraries:list', { serverId: 9999 })).code).toBe('NOT_FOUND');
  });
});
