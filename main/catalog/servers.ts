// Plex servers known to this catalog. Tokens are stored only as the secret store's ciphertext.
import type { ServerSummary } from '../../shared/domain.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { type Catalog, queryAll, queryFirst, runQuery } from './database.js';
import { CatalogConflictError, CatalogNotFoundError, CatalogValidationError, isUniqueConstraintError } from './errors.js';
import { editTransaction } from './job-lock.js';
import type { ServerRow, ServerUpdate } from './schema.js';

/** A server to add, as the user gave it (name and token are trimmed here). */
export interface ServerToAdd {
  name: string;
  url: string;
  machineIdentifier: string | null;
  token: string;
}

export interface ServerPatch {
  name?: string;
  url?: string;
  token?: string;
  active?: boolean;
  machineIdentifier?: string | null;
}

/** `http(s)://host[:port][/path]` without trailing slash; anything else is refused. */
export function normalizeServerUrl(url: string): string {
  const text = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new CatalogValidationError(`"${url}" is not a URL; expected something like http://192.168.1.10:32400.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CatalogValidationError(`The server URL must start with http:// or https://, not ${parsed.protocol}//.`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new CatalogValidationError('The server URL must not contain a user name or password; the token is given separately.');
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new CatalogValidationError('The server URL must not contain a query (?…) or fragment (#…); the token is given separately.');
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

function normalizeName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new CatalogValidationError('A server needs a name.');
  return trimmed;
}

function normalizeToken(token: string): string {
  const trimmed = token.trim();
  if (trimmed === '') throw new CatalogValidationError('The Plex token is empty.');
  return trimmed;
}

function duplicateName(name: string, cause: unknown): CatalogConflictError {
  return new CatalogConflictError(`A server called "${name}" already exists; choose another name.`, { cause });
}

export function toServerSummary(row: ServerRow): ServerSummary {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    machineIdentifier: row.machine_identifier,
    active: row.active === 1,
    lastSyncAt: row.last_sync_at,
  };
}

/** Why server edits wait for a running job: it works from the server list, URLs and tokens it read at its start. */
const SERVERS_LOCKED = 'servers cannot be added, changed or removed until it ends';

export function addServer(
  catalog: Catalog,
  secrets: SecretStore,
  server: ServerToAdd,
  now: number = Math.floor(Date.now() / 1000),
): ServerSummary {
  const name = normalizeName(server.name);
  const values = {
    name,
    url: normalizeServerUrl(server.url),
    machine_identifier: server.machineIdentifier,
    token_ciphertext: secrets.encrypt(normalizeToken(server.token)),
    created_at: now,
  };
  try {
    const row = editTransaction(catalog, SERVERS_LOCKED, () =>
      queryFirst(catalog, catalog.db.insertInto('servers').values(values).returningAll()),
    );
    if (row === undefined) throw new Error('The server could not be stored.');
    return toServerSummary(row);
  } catch (error) {
    if (isUniqueConstraintError(error)) throw duplicateName(name, error);
    throw error;
  }
}

export function listServers(catalog: Catalog): ServerSummary[] {
  const rows = queryAll(catalog, catalog.db.selectFrom('servers').selectAll().orderBy('name').orderBy('id'));
  return rows.map(toServerSummary);
}

export function getServer(catalog: Catalog, serverId: number): ServerSummary | null {
  const row = queryFirst(catalog, catalog.db.selectFrom('servers').selectAll().where('id', '=', serverId));
  return row === undefined ? null : toServerSummary(row);
}

/** By name (case-insensitive), else by numeric id. */
export function findServer(catalog: Catalog, nameOrId: string | number): ServerSummary | null {
  if (typeof nameOrId === 'number') return getServer(catalog, nameOrId);
  const text = nameOrId.trim();
  // The name column is COLLATE NOCASE: `=` compares case-insensitively.
  const byName = queryFirst(catalog, catalog.db.selectFrom('servers').selectAll().where('name', '=', text));
  if (byName !== undefined) return toServerSummary(byName);
  return /^\d+$/.test(text) ? getServer(catalog, Number(text)) : null;
}

/** Like findServer, but a missing server is a CatalogNotFoundError naming the known ones. */
export function requireServer(catalog: Catalog, nameOrId: string | number): ServerSummary {
  const server = findServer(catalog, nameOrId);
  if (server !== null) return server;
  const names = listServers(catalog).map((s) => `"${s.name}"`);
  const known = names.length === 0 ? 'No server has been added yet.' : `Known servers: ${names.join(', ')}.`;
  throw new CatalogNotFoundError(`There is no server "${nameOrId}". ${known}`);
}

/** Removes the server with its libraries, items and mappings. False when it did not exist. */
export function removeServer(catalog: Catalog, serverId: number): boolean {
  const result = editTransaction(catalog, SERVERS_LOCKED, () =>
    runQuery(catalog, catalog.db.deleteFrom('servers').where('id', '=', serverId)),
  );
  return result.changes > 0;
}

export function updateServer(catalog: Catalog, secrets: SecretStore, serverId: number, patch: ServerPatch): ServerSummary {
  const update: ServerUpdate = {};
  if (patch.name !== undefined) update.name = normalizeName(patch.name);
  if (patch.url !== undefined) update.url = normalizeServerUrl(patch.url);
  if (patch.token !== undefined) update.token_ciphertext = secrets.encrypt(normalizeToken(patch.token));
  if (patch.active !== undefined) update.active = patch.active ? 1 : 0;
  if (patch.machineIdentifier !== undefined) update.machine_identifier = patch.machineIdentifier;
  if (Object.keys(update).length === 0) {
    const current = getServer(catalog, serverId);
    if (current === null) throw new CatalogNotFoundError(`There is no server with id ${serverId}.`);
    return current;
  }
  let row: ServerRow | undefined;
  try {
    row = editTransaction(catalog, SERVERS_LOCKED, () =>
      queryFirst(catalog, catalog.db.updateTable('servers').set(update).where('id', '=', serverId).returningAll()),
    );
  } catch (error) {
    if (isUniqueConstraintError(error) && update.name !== undefined) throw duplicateName(update.name, error);
    throw error;
  }
  if (row === undefined) throw new CatalogNotFoundError(`There is no server with id ${serverId}.`);
  return toServerSummary(row);
}

/** The server's token in clear, for the Plex client. SecretStoreError when the key changed since. */
export function serverToken(catalog: Catalog, secrets: SecretStore, serverId: number): string {
  const row = queryFirst(catalog, catalog.db.selectFrom('servers').select(['name', 'token_ciphertext']).where('id', '=', serverId));
  if (row === undefined) throw new CatalogNotFoundError(`There is no server with id ${serverId}.`);
  if (row.token_ciphertext === null) {
    throw new CatalogNotFoundError(`The server "${row.name}" has no token stored; enter its token again.`);
  }
  return secrets.decrypt(row.token_ciphertext);
}

export function markServerSynced(catalog: Catalog, serverId: number, at: number): void {
  runQuery(catalog, catalog.db.updateTable('servers').set({ last_sync_at: at }).where('id', '=', serverId));
}

/** Every distinct stored token ciphertext (the worker runner decrypts them on the main thread). */
export function storedTokenCiphertexts(catalog: Catalog): string[] {
  const rows = queryAll(
    catalog,
    catalog.db.selectFrom('servers').select('token_ciphertext').distinct().where('token_ciphertext', 'is not', null),
  );
  return rows.flatMap((row) => (row.token_ciphertext === null ? [] : [row.token_ciphertext]));
}
