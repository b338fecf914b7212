// The CLI and the app are two faces of one set of use cases: the same actions, through runCli in-process and
// through the app service's dispatch(), on two catalogs against one simulated Plex server, must leave the same
// catalog state and refuse the same things (the CLI's exit 2 is the app's INVALID_INPUT / NOT_FOUND, exit 1 the
// rest), with the same words where the use case words the refusal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IpcErrorCode, IpcFailure } from '../../../shared/ipc.js';
import { type Catalog, openCatalog } from '../../../main/catalog/database.js';
import { exportRows } from '../../../main/catalog/export.js';
import { listLibraries } from '../../../main/catalog/libraries.js';
import { listMappings } from '../../../main/catalog/mappings.js';
import { addServer, listServers } from '../../../main/catalog/servers.js';
import { openKeyFileSecretStore } from '../../../main/secrets/key-file-store.js';
import { type AppFixture, startAppFixture } from '../app/fixtures.js';
import { type CliResult, runIn } from '../cli/harness.js';

/** What a use case's refusal becomes in each face. */
const EXIT_FOR: Record<IpcErrorCode, number> = {
  INVALID_INPUT: 2,
  NOT_FOUND: 2,
  CONFLICT: 1,
  UNAUTHORIZED: 1,
  UNREACHABLE: 1,
  BUSY: 1,
  FAILED: 1,
};

describe('the CLI and the app call the same use cases', () => {
  let app: AppFixture;
  let dir: string;
  let env: Record<string, string>;
  let appServerId: number;

  beforeEach(async () => {
    app = await startAppFixture();
    dir = mkdtempSync(join(tmpdir(), 'marquee-parity-'));
    env = { MARQUEE_DB: join(dir, 'cli.sqlite'), MARQUEE_CONFIG_DIR: join(dir, 'config'), MARQUEE_PLEX_RETRIES: '0' };
    appServerId = await app.addSimServer('Home');
    expect((await cli(['server', 'add', '--name', 'Home', '--url', app.sim.url, '--token', app.sim.token])).code).toBe(0);
  });

  afterEach(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function cli(argv: string[], extra: Record<string, string> = {}): Promise<CliResult> {
    return runIn(argv, { ...env, ...extra });
  }

  /** The CLI's catalog, opened for one look. */
  function withCliCatalog<T>(look: (catalog: Catalog) => T): T {
    const catalog = openCatalog(env.MARQUEE_DB ?? '', { access: 'read' });
    try {
      return look(catalog);
    } finally {
      catalog.close();
    }
  }

  async function expectSameCatalogs(): Promise<void> {
    const fromApp = await catalogState(app.catalog);
    const fromCli = withCliCatalog(catalogState);
    expect(fromCli).toEqual(fromApp);
  }

  /** Both refuse; the CLI's exit status is the app's code's, and its message contains the app's words. */
  async function expectSameRefusal(argv: string[], refusal: Promise<IpcFailure>, sameWords = true): Promise<IpcFailure> {
    const failure = await refusal;
    const result = await cli(argv);
    expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(EXIT_FOR[failure.code]);
    if (sameWords) expect(result.stderr).toContain(failure.message);
    await expectSameCatalogs();
    return failure;
  }

  it('server add, update, test and remove: the same servers and libraries, the same refusals', async () => {
    await expectSameCatalogs();

    // The name taken, the same Plex server under another name, no name, a token no header can carry, no scheme.
    const taken = await expectSameRefusal(
      ['server', 'add', '--name', 'HOME', '--url', app.sim.url, '--token', app.sim.token],
      app.fail('servers:add', { name: 'HOME', url: app.sim.url, token: app.sim.token }),
    );
    expect(taken.code).toBe('CONFLICT');
    const twin = await expectSameRefusal(
      ['server', 'add', '--name', 'Twin', '--url', app.sim.url, '--token', app.sim.token],
      app.fail('servers:add', { name: 'Twin', url: app.sim.url, token: app.sim.token }),
    );
    expect(twin).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already in the catalog as "Home"/) as string });
    const noName = await expectSameRefusal(
      ['server', 'add', '--name', '   ', '--url', app.sim.url, '--token', app.sim.token],
      app.fail('servers:add', { name: '   ', url: app.sim.url, token: app.sim.token }),
      // The app's request schema refuses it first, in its own words.
      false,
    );
    expect(noName.code).toBe('INVALID_INPUT');
    const noScheme = app.sim.url.replace(/^http:\/\//, '');
    expect(
      (
        await expectSameRefusal(
          ['server', 'add', '--name', 'Den', '--url', noScheme, '--token', app.sim.token],
          app.fail('servers:add', { name: 'Den', url: noScheme, token: app.sim.token }),
        )
      ).code,
    ).toBe('INVALID_INPUT');

    // A wrong token: refused by Plex, nothing saved (the CLI words it its own way, with what to check).
    expect(
      (
        await expectSameRefusal(
          ['server', 'update', 'Home', '--token', 'wrong-token'],
          app.fail('servers:update', { id: appServerId, token: 'wrong-token' }),
          false,
        )
      ).code,
    ).toBe('UNAUTHORIZED');

    // A server catalogued before machine identifiers were stored, moved to the address of one catalogued
    // already: the app refused this, the CLI did not (issue 11). Both refuse now.
    const legacyApp = addLegacyServer(app.catalog, join(app.dir, 'config'));
    addLegacyServerToCli();
    const moved = await expectSameRefusal(
      ['server', 'update', 'Legacy', '--url', app.sim.url],
      app.fail('servers:update', { id: legacyApp, url: app.sim.url }),
    );
    expect(moved).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already in the catalog as "Home"/) as string });

    // Changes that pass: deactivate, a checked token, a new address of the same server.
    expect((await cli(['server', 'update', 'Home', '--inactive'])).code).toBe(0);
    await app.ok('servers:update', { id: appServerId, active: false });
    await expectSameCatalogs();
    expect((await cli(['server', 'update', 'Home', '--token', app.sim.token, '--url', `${app.sim.url}/`])).code).toBe(0);
    await app.ok('servers:update', { id: appServerId, token: app.sim.token, url: `${app.sim.url}/` });
    await expectSameCatalogs();

    // Test: ok in both; an unknown server is NOT_FOUND / exit 2 in both.
    expect((await cli(['server', 'test', 'Home'])).code).toBe(0);
    expect(await app.ok('servers:test', { id: appServerId })).toMatchObject({ ok: true, machineIdentifier: app.sim.machineIdentifier });
    expect((await cli(['server', 'test', '9999'])).code).toBe(EXIT_FOR[(await app.fail('servers:test', { id: 9999 })).code]);

    expect((await cli(['server', 'remove', 'Legacy', '--yes'])).code).toBe(0);
    expect(await app.ok('servers:remove', { id: legacyApp })).toEqual({ removed: true });
    await expectSameCatalogs();
  });

  it('library enable and disable, and path mappings: the same libraries, mappings and resolved files', async () => {
    const appLibraries = await app.ok('libraries:list', { serverId: appServerId });
    const byTitle = (title: string): number => {
      const found = appLibraries.find((library) => library.title === title);
      if (found === undefined) throw new Error(`no library ${title}`);
      return found.id;
    };

    expect((await cli(['library', 'disable', '--server', 'Home', '--library', 'Kids Movies'])).code).toBe(0);
    await app.ok('libraries:setEnabled', { libraryId: byTitle('Kids Movies'), enabled: false });
    await expectSameCatalogs();
    // Music is listed disabled; enabling it works alike on both faces (then off again: the syncs below are TV's).
    expect((await cli(['library', 'enable', '--server', 'Home', '--library', 'Music'])).code).toBe(0);
    await app.ok('libraries:setEnabled', { libraryId: byTitle('Music'), enabled: true });
    await expectSameCatalogs();
    expect((await cli(['library', 'disable', '--server', 'Home', '--library', 'Music'])).code).toBe(0);
    await app.ok('libraries:setEnabled', { libraryId: byTitle('Music'), enabled: false });

    // Sync both, so that mappings have files to re-resolve.
    expect((await cli(['sync'])).code).toBe(0);
    const finished = app.nextEvent('sync:finished');
    await app.ok('sync:start', {});
    expect((await finished).report.ok).toBe(true);
    await expectSameCatalogs();

    const added = await app.ok('mappings:add', {
      serverId: appServerId,
      libraryId: null,
      plexPrefix: '/data/media/movies',
      localPrefix: '/mnt/movies',
    });
    expect(
      (await cli(['mapping', 'add', '--server', 'Home', '--plex-path', '/data/media/movies', '--local-path', '/mnt/movies'])).code,
    ).toBe(0);
    await expectSameCatalogs();
    // The same prefix again: a conflict in both (the CLI names the command that changes the existing one).
    expect(
      (
        await expectSameRefusal(
          ['mapping', 'add', '--server', 'Home', '--plex-path', '/data/media/movies/', '--local-path', '/x'],
          app.fail('mappings:add', { serverId: appServerId, libraryId: null, plexPrefix: '/data/media/movies/', localPrefix: '/x' }),
          false,
        )
      ).code,
    ).toBe('CONFLICT');
    const relative = await expectSameRefusal(
      ['mapping', 'add', '--server', 'Home', '--plex-path', '/data/media/tv', '--local-path', 'relative/tv'],
      app.fail('mappings:add', { serverId: appServerId, libraryId: null, plexPrefix: '/data/media/tv', localPrefix: 'relative/tv' }),
    );
    expect(relative.code).toBe('INVALID_INPUT');

    await app.ok('mappings:update', { id: added.id, localPrefix: '/mnt/nas/movies', libraryId: byTitle('Movies') });
    expect((await cli(['mapping', 'update', String(added.id), '--local-path', '/mnt/nas/movies', '--library', 'Movies'])).code).toBe(0);
    await expectSameCatalogs();

    expect(await app.ok('mappings:remove', { id: added.id })).toEqual({ removed: true });
    expect((await cli(['mapping', 'remove', String(added.id)])).code).toBe(0);
    await expectSameCatalogs();
  });

  it('sync and import show: the same items, files and library states; the same refusals', async () => {
    const show = app.sim.library.items('2', 'show')[0];
    if (show === undefined) throw new Error('the sim has no show');

    const found = await app.ok('discovery:search', { serverId: appServerId, title: show.title });
    const listed = await cli(['discover', '--server', 'Home', '--json', show.title]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual(found);

    expect(await app.ok('discovery:import', { serverId: appServerId, ratingKey: show.ratingKey })).toMatchObject({ outcome: 'ok' });
    expect((await cli(['import-show', '--server', 'Home', show.ratingKey])).code).toBe(0);
    await expectSameCatalogs();
    expect(
      (
        await expectSameRefusal(
          ['import-show', '--server', '9999', '1'],
          app.fail('discovery:import', { serverId: 9999, ratingKey: '1' }),
          false,
        )
      ).code,
    ).toBe('NOT_FOUND');

    // One library, then everything.
    const tv = (await app.ok('libraries:list', { serverId: appServerId })).find((library) => library.title === 'TV Shows');
    if (tv === undefined) throw new Error('no TV Shows');
    let finished = app.nextEvent('sync:finished');
    await app.ok('sync:start', { libraryId: tv.id });
    expect((await finished).report.ok).toBe(true);
    expect((await cli(['sync', '--server', 'Home', '--library', 'TV Shows'])).code).toBe(0);
    await expectSameCatalogs();

    finished = app.nextEvent('sync:finished');
    await app.ok('sync:start', { serverId: appServerId, full: true });
    expect((await finished).report.ok).toBe(true);
    expect((await cli(['sync', '--server', 'Home', '--full'])).code).toBe(0);
    await expectSameCatalogs();
  });

  /** A server row without machine identifier (catalogued by an old version), at an address nobody serves. */
  function addLegacyServer(catalog: Catalog, configDir: string): number {
    const secrets = openKeyFileSecretStore(configDir);
    const server = addServer(catalog, secrets, {
      name: 'Legacy',
      url: 'http://127.0.0.1:9',
      machineIdentifier: null,
      token: app.sim.token,
    });
    return server.id;
  }

  function addLegacyServerToCli(): void {
    const catalog = openCatalog(env.MARQUEE_DB ?? '');
    try {
      addLegacyServer(catalog, env.MARQUEE_CONFIG_DIR ?? '');
    } finally {
      catalog.close();
    }
  }
});

/** The catalog without its row ids and clock times, which differ between two catalogs by nature. */
function catalogState(catalog: Catalog): unknown {
  const servers = listServers(catalog);
  const serverNames = new Map(servers.map((server) => [server.id, server.name]));
  const libraries = listLibraries(catalog);
  const libraryTitles = new Map(libraries.map((library) => [library.id, library.title]));
  return {
    servers: servers.map(({ id: _id, lastSyncAt, ...server }) => ({ ...server, synced: lastSyncAt !== null })),
    libraries: libraries.map(({ id: _id, serverId: _serverId, lastSyncAt, lastFullSyncAt, ...library }) => ({
      ...library,
      synced: lastSyncAt !== null,
      fullySynced: lastFullSyncAt !== null,
    })),
    mappings: listMappings(catalog).map(({ id: _id, serverId, libraryId, ...mapping }) => ({
      ...mapping,
      server: serverNames.get(serverId),
      library: libraryId === null ? null : libraryTitles.get(libraryId),
    })),
    items: [...exportRows(catalog)].map((row) => {
      const { id: _id, ...rest } = row as unknown as Record<string, unknown>;
      return rest;
    }),
  };
}
