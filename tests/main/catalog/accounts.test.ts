// The accounts repository on a real SQLite file: the account and its token, servers added through it, their
// connections and chosen connection, "sign in again", and sign-out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  accountToken,
  addAccountServer,
  listAccountServers,
  listAccounts,
  listServerConnections,
  markNeedsSignIn,
  recordConnectionProbe,
  refreshAccountServerTokens,
  replaceServerConnections,
  saveSignedInAccount,
  signOut,
  type StoredConnection,
} from '../../../main/catalog/accounts.js';
import type { Catalog } from '../../../main/catalog/database.js';
import { addServer, serverToken } from '../../../main/catalog/servers.js';
import { type KeyFileSecretStore, openKeyFileSecretStore } from '../../../main/secrets/key-file-store.js';
import { openAccountsCatalog } from './accounts-catalog.js';
import { tempDir } from './fixtures.js';

const USER = { uuid: 'uuid-1', plexId: 1, username: 'alice', email: 'alice@example.com', avatarUrl: 'https://plex.tv/a.png' };
const ACCOUNT_TOKEN = 'acct-token-secret-1';
const SERVER_TOKEN = 'server-token-secret-2';
const local: StoredConnection = {
  uri: 'http://192.168.1.10:32400',
  protocol: 'http',
  address: '192.168.1.10',
  port: 32400,
  local: true,
  relay: false,
  ipv6: false,
};
const remote: StoredConnection = {
  uri: 'https://203-0-113-7.x.plex.direct:32400',
  protocol: 'https',
  address: '203.0.113.7',
  port: 32400,
  local: false,
  relay: false,
  ipv6: false,
};

let temp: { dir: string; cleanup(): void };
let catalog: Catalog;
let secrets: KeyFileSecretStore;

beforeEach(() => {
  temp = tempDir();
  catalog = openAccountsCatalog(temp.dir);
  secrets = openKeyFileSecretStore(join(temp.dir, 'config'));
});

afterEach(() => {
  catalog.close();
  temp.cleanup();
});

function databaseText(): string {
  catalog.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const rows = ['accounts', 'servers', 'server_connections'].flatMap((table) => catalog.sqlite.prepare(`SELECT * FROM ${table}`).all());
  return JSON.stringify(rows);
}

describe('accounts', () => {
  it('stores the account with its token encrypted, updates it on a second sign-in, and forgets the token on sign-out', () => {
    const account = saveSignedInAccount(catalog, secrets, USER, ACCOUNT_TOKEN, 100);
    expect(account).toMatchObject({ username: 'alice', signedIn: true, signedInAt: 100 });
    expect(accountToken(catalog, secrets, account.id)).toBe(ACCOUNT_TOKEN);
    expect(databaseText()).not.toContain(ACCOUNT_TOKEN);

    const again = saveSignedInAccount(catalog, secrets, { ...USER, username: 'alice2' }, 'acct-token-2', 200);
    expect(again.id).toBe(account.id);
    expect(listAccounts(catalog)).toHaveLength(1);
    expect(accountToken(catalog, secrets, account.id)).toBe('acct-token-2');

    signOut(catalog, account.id);
    expect(accountToken(catalog, secrets, account.id)).toBeNull();
    expect(listAccounts(catalog)[0]?.signedIn).toBe(false);
  });
});

describe('servers of an account', () => {
  it('adds a server with its own token, owned flag, connections and chosen connection', () => {
    const account = saveSignedInAccount(catalog, secrets, USER, ACCOUNT_TOKEN);
    const server = addAccountServer(catalog, secrets, {
      accountId: account.id,
      name: 'Home',
      machineIdentifier: 'm1',
      owned: false,
      token: SERVER_TOKEN,
      connections: [remote, local],
      chosen: { uri: local.uri, latencyMs: 4 },
    });
    expect(server).toMatchObject({
      name: 'Home',
      owned: false,
      needsSignIn: false,
      connectionUri: local.uri,
      connectionLatencyMs: 4,
      accountId: account.id,
    });
    expect(serverToken(catalog, secrets, server.id)).toBe(SERVER_TOKEN);
    expect(listServerConnections(catalog, server.id).map((c) => [c.uri, c.local])).toEqual([
      [remote.uri, false],
      [local.uri, true],
    ]);
    expect(catalog.sqlite.prepare('SELECT url FROM servers WHERE id = ?').pluck().get(server.id)).toBe(local.uri);
    expect(databaseText()).not.toContain(SERVER_TOKEN);
  });

  it('records probes, fails over to another connection, and keeps the URL when none answered', () => {
    const account = saveSignedInAccount(catalog, secrets, USER, ACCOUNT_TOKEN);
    const server = addAccountServer(catalog, secrets, {
      accountId: account.id,
      name: 'Home',
      machineIdentifier: 'm1',
      owned: true,
      token: SERVER_TOKEN,
      connections: [local, remote],
      chosen: { uri: local.uri, latencyMs: 4 },
    });
    recordConnectionProbe(
      catalog,
      server.id,
      [
        { uri: local.uri, ok: false, failureCode: 'TIMEOUT' },
        { uri: remote.uri, ok: true, latencyMs: 80 },
      ],
      { uri: remote.uri, latencyMs: 80 },
      500,
    );
    const states = listServerConnections(catalog, server.id);
    expect(states.map((c) => [c.uri, c.lastFailureCode, c.lastOkAt])).toEqual([
      [local.uri, 'TIMEOUT', null],
      [remote.uri, null, 500],
    ]);
    expect(listAccountServers(catalog, account.id)[0]?.connectionUri).toBe(remote.uri);

    recordConnectionProbe(catalog, server.id, [{ uri: remote.uri, ok: false, failureCode: 'REFUSED' }], null, 600);
    expect(catalog.sqlite.prepare('SELECT url FROM servers WHERE id = ?').pluck().get(server.id)).toBe(remote.uri);
  });

  it("replaces the connection list with plex.tv's latest, keeping probe history of the ones that stay", () => {
    const account = saveSignedInAccount(catalog, secrets, USER, ACCOUNT_TOKEN);
    const server = addAccountServer(catalog, secrets, {
      accountId: account.id,
      name: 'Home',
      machineIdentifier: 'm1',
      owned: true,
      token: SERVER_TOKEN,
      connections: [local, remote],
    });
    recordConnectionProbe(catalog, server.id, [{ uri: local.uri, ok: true, latencyMs: 3 }], { uri: local.uri, latencyMs: 3 }, 700);
    replaceServerConnections(catalog, server.id, [local]);
    expect(listServerConnections(catalog, server.id).map((c) => [c.uri, c.lastOkAt])).toEqual([[local.uri, 700]]);
  });

  it('a 401 marks the server "sign in again"; signing in again refreshes every server of the account and clears it', () => {
    const account = saveSignedInAccount(catalog, secrets, USER, ACCOUNT_TOKEN);
    const home = addAccountServer(catalog, secrets, {
      accountId: account.id,
      name: 'Home',
      machineIdentifier: 'm1',
      owned: true,
      token: 'old-1',
      connections: [local],
    });
    const friend = addAccountServer(catalog, secrets, {
      accountId: account.id,
      name: 'Friend',
      machineIdentifier: 'm2',
      owned: false,
      token: 'old-2',
      connections: [remote],
    });
    const manual = addServer(catalog, secrets, {
      name: 'Manual',
      url: 'http://10.0.0.2:32400',
      machineIdentifier: 'm1-manual',
      token: 'manual-token',
    });
    markNeedsSignIn(catalog, home.id, 900);
    expect(listAccountServers(catalog).map((s) => [s.name, s.needsSignIn, s.owned])).toEqual([
      ['Friend', false, false],
      ['Home', true, true],
      ['Manual', false, null],
    ]);

    const updated = refreshAccountServerTokens(
      catalog,
      secrets,
      account.id,
      new Map([
        ['m1', 'new-1'],
        ['m2', 'new-2'],
      ]),
    );
    expect(updated.sort()).toEqual([home.id, friend.id].sort());
    expect(serverToken(catalog, secrets, home.id)).toBe('new-1');
    expect(serverToken(catalog, secrets, friend.id)).toBe('new-2');
    expect(serverToken(catalog, secrets, manual.id)).toBe('manual-token');
    expect(listAccountServers(catalog, account.id).every((s) => !s.needsSignIn)).toBe(true);

    signOut(catalog, account.id);
    expect(serverToken(catalog, secrets, home.id)).toBe('new-1');
  });
});
