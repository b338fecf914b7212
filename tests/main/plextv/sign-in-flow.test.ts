// The whole engine path of "Sign in with Plex", end to end over real HTTP and a real SQLite catalog:
// PIN → approved → user → resources → probe each server's connections → choose → store. No token may show up
// in anything printed or in any explanation or error.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  accountToken,
  addAccountServer,
  listAccountServers,
  listServerConnections,
  recordConnectionProbe,
  saveSignedInAccount,
} from '../../../main/catalog/accounts.js';
import type { Catalog } from '../../../main/catalog/database.js';
import { serverToken } from '../../../main/catalog/servers.js';
import { accountServerFor, PlexTvClient, probeConnections } from '../../../main/plextv/index.js';
import { openKeyFileSecretStore } from '../../../main/secrets/key-file-store.js';
import { ACCOUNT_TOKEN, HOME_ID, HOME_TOKEN, SHARED_TOKEN, startAccountWorld, type AccountWorld } from '../../tools/plextv-sim/fixtures.js';
import { openAccountsCatalog } from '../catalog/accounts-catalog.js';
import { tempDir } from '../catalog/fixtures.js';

const TOKENS = [ACCOUNT_TOKEN, HOME_TOKEN, SHARED_TOKEN];

describe('Sign in with Plex, engine path', () => {
  let world: AccountWorld;
  let temp: { dir: string; cleanup(): void };
  let catalog: Catalog;
  const printed: string[] = [];

  beforeAll(async () => {
    world = await startAccountWorld({ approveAfterPolls: 2 });
    temp = tempDir();
    catalog = openAccountsCatalog(temp.dir);
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
    }
  });
  afterEach(() => {
    for (const text of printed) for (const token of TOKENS) expect(text).not.toContain(token);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    catalog.close();
    temp.cleanup();
    await world.close();
  });

  it('signs in, discovers the servers, chooses the local connection and explains every refusal', async () => {
    const secrets = openKeyFileSecretStore(join(temp.dir, 'config'));
    const plextv = new PlexTvClient({ clientIdentifier: 'marquee-e2e', baseUrl: world.plextv.url });

    const pin = await plextv.createPin();
    const outcome = await plextv.waitForPin(pin, { sleep: async () => {} });
    expect(outcome.outcome).toBe('approved');
    if (outcome.outcome !== 'approved') return;

    const user = await plextv.getUser(outcome.authToken);
    const account = saveSignedInAccount(
      catalog,
      secrets,
      { uuid: user.uuid, plexId: user.id, username: user.username, email: user.email, avatarUrl: user.avatarUrl },
      outcome.authToken,
    );
    expect(account.username).toBe('marquee-user');

    const servers = await plextv.getResources(accountToken(catalog, secrets, account.id) ?? '');
    expect(servers.map((server) => [server.name, server.owned])).toEqual([
      ['Home', true],
      ['Friend', false],
    ]);
    const membership = accountServerFor(servers, HOME_ID);
    expect(membership.member).toBe(true);
    expect(accountServerFor(servers, 'f'.repeat(40)).member).toBe(false);
    if (!membership.member) return;
    const home = membership.server;

    const choice = await probeConnections(home.machineIdentifier, home.connections, {
      timeoutMs: 1500,
      ca: [world.targets.certificatePem],
    });
    const c = world.targets.connections;
    expect(choice.chosen).toMatchObject({ kind: 'local', connection: { uri: c.works.uri } });
    expect(choice.warning).toBeNull();
    const reasons = new Map(choice.results.flatMap((result) => (result.ok ? [] : [[result.connection.uri, result]])));
    expect(reasons.get(c.refuses.uri)?.failure.code).toBe('REFUSED');
    expect(reasons.get(c.hangs.uri)?.failure.code).toBe('TIMEOUT');
    expect(reasons.get(c.tlsMismatch.uri)?.failure.code).toBe('CERT_NAME_MISMATCH');
    expect(reasons.get(c.otherServer.uri)?.failure.code).toBe('OTHER_SERVER');
    for (const result of reasons.values()) console.warn(`${result.connection.uri}: ${result.explanation}`);

    if (choice.chosen === null || home.accessToken === null) throw new Error('no connection chosen');
    const stored = addAccountServer(catalog, secrets, {
      accountId: account.id,
      name: home.name,
      machineIdentifier: home.machineIdentifier,
      owned: home.owned,
      token: home.accessToken,
      connections: home.connections,
      chosen: { uri: choice.chosen.connection.uri, latencyMs: choice.chosen.latencyMs },
    });
    recordConnectionProbe(
      catalog,
      stored.id,
      choice.results.map((result) =>
        result.ok
          ? { uri: result.connection.uri, ok: true, latencyMs: result.latencyMs }
          : { uri: result.connection.uri, ok: false, failureCode: result.failure.code },
      ),
      { uri: choice.chosen.connection.uri, latencyMs: choice.chosen.latencyMs },
    );
    expect(serverToken(catalog, secrets, stored.id)).toBe(HOME_TOKEN);
    expect(listAccountServers(catalog, account.id)[0]).toMatchObject({
      name: 'Home',
      owned: true,
      connectionUri: c.works.uri,
      needsSignIn: false,
    });
    expect(listServerConnections(catalog, stored.id).find((connection) => connection.uri === c.otherServer.uri)?.lastFailureCode).toBe(
      'OTHER_SERVER',
    );

    // The server really is reachable with its own token on the chosen connection.
    const library = await fetch(`${c.works.uri}/library/sections`, { headers: { 'X-Plex-Token': HOME_TOKEN } });
    expect(library.status).toBe(200);

    catalog.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const everything = JSON.stringify(
      ['accounts', 'servers', 'server_connections'].flatMap((table) => catalog.sqlite.prepare(`SELECT * FROM ${table}`).all()),
    );
    for (const token of TOKENS) expect(everything).not.toContain(token);
    expect(printed.length).toBeGreaterThan(0);
  });

  it('a revoked account token ends in a typed "sign in again" error that names no token', async () => {
    world.plextv.revokeToken(ACCOUNT_TOKEN);
    const plextv = new PlexTvClient({ clientIdentifier: 'marquee-e2e', baseUrl: world.plextv.url });
    const error = await plextv.getResources(ACCOUNT_TOKEN).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', needsSignIn: true });
    console.error(String(error), (error as Error).stack);
  });
});
