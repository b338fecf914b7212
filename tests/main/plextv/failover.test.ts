// A server that loses its local connection fails over to the remote one, over real HTTP with a real catalog.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccountServer, listAccountServers, listServerConnections, saveSignedInAccount } from '../../../main/catalog/accounts.js';
import type { Catalog } from '../../../main/catalog/database.js';
import { FailoverError, reprobeServer, type PlexTvConnection } from '../../../main/plextv/index.js';
import { openKeyFileSecretStore } from '../../../main/secrets/key-file-store.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { startConnectionTargets, type ConnectionTargets } from '../../../tools/plextv-sim/index.js';
import { HOME_ID, HOME_TOKEN } from '../../tools/plextv-sim/fixtures.js';
import { openAccountsCatalog } from '../catalog/accounts-catalog.js';
import { tempDir } from '../catalog/fixtures.js';

describe('reprobeServer', () => {
  let targets: ConnectionTargets;
  let localServer: PlexSim;
  let temp: { dir: string; cleanup(): void };
  let catalog: Catalog;

  beforeAll(async () => {
    targets = await startConnectionTargets({ machineIdentifier: HOME_ID, token: HOME_TOKEN });
    // The same server on the LAN: its own listener, so the test can take it away.
    localServer = await startPlexSim({ machineIdentifier: HOME_ID, token: HOME_TOKEN });
    temp = tempDir();
    catalog = openAccountsCatalog(temp.dir);
  });
  afterAll(async () => {
    catalog.close();
    temp.cleanup();
    await Promise.all([targets.close(), localServer.close()]);
  });

  it('chooses local while it answers, switches to remote when it stops, and records why', async () => {
    const port = Number(new URL(localServer.url).port);
    const local: PlexTvConnection = {
      protocol: 'http',
      address: '127.0.0.1',
      port,
      uri: localServer.url,
      local: true,
      relay: false,
      ipv6: false,
    };
    const remote: PlexTvConnection = { ...local, port: targets.connections.works.port, uri: targets.connections.works.uri, local: false };
    const secrets = openKeyFileSecretStore(join(temp.dir, 'config'));
    const account = saveSignedInAccount(
      catalog,
      secrets,
      { uuid: 'u', plexId: 1, username: 'alice', email: null, avatarUrl: null },
      'account-token',
    );
    const server = addAccountServer(catalog, secrets, {
      accountId: account.id,
      name: 'Home',
      machineIdentifier: HOME_ID,
      owned: true,
      token: HOME_TOKEN,
      connections: [remote, local],
    });

    const first = await reprobeServer(catalog, server.id, { timeoutMs: 2000 });
    expect(first.chosen?.connection.uri).toBe(local.uri);
    expect(first.switched).toBe(true);

    await localServer.close();
    const second = await reprobeServer(catalog, server.id, { timeoutMs: 2000 });
    expect(second).toMatchObject({ previousUri: local.uri, switched: true, chosen: { kind: 'remote', connection: { uri: remote.uri } } });
    expect(listAccountServers(catalog, account.id)[0]?.connectionUri).toBe(remote.uri);
    expect(listServerConnections(catalog, server.id).find((c) => c.uri === local.uri)?.lastFailureCode).toBe('REFUSED');
  });

  it('refuses to probe a server without a machine identifier', async () => {
    catalog.sqlite
      .prepare("INSERT INTO servers (name, url, machine_identifier, created_at) VALUES ('Anon', 'http://127.0.0.1:9', NULL, 0)")
      .run();
    const id = Number(catalog.sqlite.prepare("SELECT id FROM servers WHERE name = 'Anon'").pluck().get());
    await expect(reprobeServer(catalog, id)).rejects.toBeInstanceOf(FailoverError);
  });
});
