import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../main/catalog/database.js';
import { CatalogConflictError, CatalogNotFoundError, CatalogValidationError } from '../../../main/catalog/errors.js';
import {
  addServer,
  findServer,
  listServers,
  markServerSynced,
  normalizeServerUrl,
  removeServer,
  requireServer,
  serverToken,
  updateServer,
} from '../../../main/catalog/servers.js';
import { type KeyFileSecretStore, openKeyFileSecretStore } from '../../../main/secrets/key-file-store.js';
import { SecretStoreError } from '../../../main/secrets/secret-store.js';
import { type TempCatalog, insertLibrary, tempCatalog } from './fixtures.js';

let temp: TempCatalog;
let secrets: KeyFileSecretStore;
beforeEach(() => {
  temp = tempCatalog();
  secrets = openKeyFileSecretStore(join(temp.dir, 'config'));
});
afterEach(() => temp.cleanup());

const TOKEN = 'SuperSecretPlexToken42';

describe('servers', () => {
  it('never stores the token in clear', () => {
    const { catalog } = temp;
    const server = addServer(catalog, secrets, {
      name: 'Home',
      url: 'http://192.168.1.10:32400/',
      machineIdentifier: 'abc',
      token: TOKEN,
    });
    const second = 'AnotherTokenValue99';
    updateServer(catalog, secrets, server.id, { token: second });
    updateServer(catalog, secrets, server.id, { token: TOKEN });

    const row = catalog.sqlite.prepare('SELECT token_ciphertext FROM servers WHERE id = ?').get(server.id) as {
      token_ciphertext: string;
    };
    expect(row.token_ciphertext).toMatch(/^v1:/);
    expect(row.token_ciphertext).not.toContain(TOKEN);
    expect(serverToken(catalog, secrets, server.id)).toBe(TOKEN);

    // Everything that reached the disk: the database file, and the WAL until it is checkpointed.
    for (const suffix of ['', '-wal']) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(catalog.file + suffix);
      } catch {
        continue;
      }
      expect(bytes.includes(Buffer.from(TOKEN))).toBe(false);
      expect(bytes.includes(Buffer.from(second))).toBe(false);
    }
    catalog.close();
    const bytes = readFileSync(catalog.file);
    expect(bytes.includes(Buffer.from(TOKEN))).toBe(false);
    expect(bytes.includes(Buffer.from(second))).toBe(false);
  });

  it('normalizes URLs and refuses anything but http(s)', () => {
    expect(normalizeServerUrl(' http://Plex.LOCAL:32400/ ')).toBe('http://plex.local:32400');
    expect(normalizeServerUrl('https://example.com/plex//')).toBe('https://example.com/plex');
    expect(normalizeServerUrl('http://[::1]:32400')).toBe('http://[::1]:32400');
    for (const bad of ['ftp://host', 'plex.local:32400', '', 'http://user:pw@host', 'http://host/?X-Plex-Token=abc']) {
      expect(() => normalizeServerUrl(bad)).toThrowError(CatalogValidationError);
    }
  });

  it('lists, finds by name (any case) or id, updates and removes', () => {
    const { catalog } = temp;
    const home = addServer(catalog, secrets, { name: 'Home', url: 'http://a:32400', machineIdentifier: 'm1', token: TOKEN });
    const cabin = addServer(catalog, secrets, { name: 'Cabin', url: 'https://b', machineIdentifier: null, token: TOKEN });
    expect(home).toEqual({ id: home.id, name: 'Home', url: 'http://a:32400', machineIdentifier: 'm1', active: true, lastSyncAt: null });
    expect(listServers(catalog).map((s) => s.name)).toEqual(['Cabin', 'Home']);

    expect(findServer(catalog, 'home')).toEqual(home);
    expect(findServer(catalog, String(cabin.id))).toEqual(cabin);
    expect(findServer(catalog, cabin.id)).toEqual(cabin);
    expect(findServer(catalog, 'nowhere')).toBeNull();
    expect(() => requireServer(catalog, 'nowhere')).toThrowError(/Known servers: "Cabin", "Home"/);

    const updated = updateServer(catalog, secrets, cabin.id, { name: 'Lake', url: 'http://c:1/', active: false, machineIdentifier: 'm2' });
    expect(updated).toMatchObject({ name: 'Lake', url: 'http://c:1', active: false, machineIdentifier: 'm2' });
    expect(updateServer(catalog, secrets, cabin.id, {})).toEqual(updated);
    expect(() => updateServer(catalog, secrets, 999, { name: 'x' })).toThrowError(CatalogNotFoundError);

    markServerSynced(catalog, home.id, 1234);
    expect(findServer(catalog, home.id)?.lastSyncAt).toBe(1234);

    insertLibrary(catalog, home.id, '1', 'Movies');
    expect(removeServer(catalog, home.id)).toBe(true);
    expect(removeServer(catalog, home.id)).toBe(false);
    expect(catalog.sqlite.prepare('SELECT count(*) AS n FROM libraries').get()).toEqual({ n: 0 });
  });

  it('refuses duplicate names, case-insensitively, on add and rename', () => {
    const { catalog } = temp;
    addServer(catalog, secrets, { name: 'Home', url: 'http://a', machineIdentifier: null, token: TOKEN });
    const other = addServer(catalog, secrets, { name: 'Other', url: 'http://b', machineIdentifier: null, token: TOKEN });
    expect(() => addServer(catalog, secrets, { name: 'HOME', url: 'http://c', machineIdentifier: null, token: TOKEN })).toThrowError(
      CatalogConflictError,
    );
    expect(() => updateServer(catalog, secrets, other.id, { name: 'home' })).toThrowError(/already exists/);
    expect(() => addServer(catalog, secrets, { name: '  ', url: 'http://c', machineIdentifier: null, token: TOKEN })).toThrowError(
      CatalogValidationError,
    );
    expect(() => addServer(catalog, secrets, { name: 'X', url: 'http://c', machineIdentifier: null, token: ' ' })).toThrowError(
      CatalogValidationError,
    );
  });

  it('reports a token encrypted with another key as unreadable', () => {
    const { catalog } = temp;
    const server = addServer(catalog, secrets, { name: 'Home', url: 'http://a', machineIdentifier: null, token: TOKEN });
    const otherKey = openKeyFileSecretStore(join(temp.dir, 'other-config'));
    expect(() => serverToken(catalog, otherKey, server.id)).toThrowError(SecretStoreError);
    expect(() => serverToken(catalog, secrets, 999)).toThrowError(CatalogNotFoundError);
  });

  it('keeps its data across re-open', () => {
    const server = addServer(temp.catalog, secrets, { name: 'Home', url: 'http://a', machineIdentifier: null, token: TOKEN });
    temp.catalog.close();
    const reopened = openCatalog(temp.catalog.file);
    try {
      expect(serverToken(reopened, openKeyFileSecretStore(join(temp.dir, 'config')), server.id)).toBe(TOKEN);
    } finally {
      reopened.close();
    }
  });
});
