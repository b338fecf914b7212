// Plex accounts ("Sign in with Plex") and what they bring: servers found through the account, each with its own
// token, whether the account owns it, the connections plex.tv lists and the one chosen, and the "sign in again"
// state after a 401. Tokens are stored only as the secret store's ciphertext. Knows nothing of plex.tv or HTTP:
// callers pass plain values.
import type { SecretStore } from '../secrets/secret-store.js';
import { addServer, normalizeServerUrl } from './servers.js';
import { type Catalog, queryAll, queryFirst, runQuery, writeTransaction } from './database.js';
import { CatalogNotFoundError, CatalogValidationError } from './errors.js';

export interface AccountUser {
  uuid: string;
  plexId: number | null;
  username: string;
  email: string | null;
  avatarUrl: string | null;
}

export interface AccountSummary extends AccountUser {
  id: number;
  /** False after sign-out (the token is forgotten; the account's servers keep theirs). */
  signedIn: boolean;
  signedInAt: number | null;
}

export interface StoredConnection {
  uri: string;
  protocol: 'http' | 'https';
  address: string;
  port: number;
  local: boolean;
  relay: boolean;
  ipv6: boolean;
}

export interface StoredConnectionState extends StoredConnection {
  lastOkAt: number | null;
  lastLatencyMs: number | null;
  /** Why the latest probe failed (a probe failure code), null when it answered or was never probed. */
  lastFailureCode: string | null;
  lastCheckedAt: number | null;
}

export interface AccountServer {
  id: number;
  name: string;
  machineIdentifier: string | null;
  accountId: number | null;
  /** null for a server added by address and token. */
  owned: boolean | null;
  needsSignIn: boolean;
  connectionUri: string | null;
  connectionLatencyMs: number | null;
}

export interface NewAccountServer {
  accountId: number;
  name: string;
  machineIdentifier: string;
  owned: boolean;
  /** The server's own access token from plex.tv. */
  token: string;
  connections: readonly StoredConnection[];
  /** The chosen connection, when a probe found one; else the server is stored with its first connection. */
  chosen?: { uri: string; latencyMs: number } | undefined;
}

export interface ProbeRecord {
  uri: string;
  ok: boolean;
  latencyMs?: number;
  failureCode?: string;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Stores the account after a sign-in (a second sign-in as the same person updates it). Returns it. */
export function saveSignedInAccount(
  catalog: Catalog,
  secrets: SecretStore,
  user: AccountUser,
  token: string,
  now: number = nowSeconds(),
): AccountSummary {
  if (token.trim() === '') throw new CatalogValidationError('plex.tv handed out an empty account token.');
  const values = {
    plex_id: user.plexId,
    username: user.username,
    email: user.email,
    avatar_url: user.avatarUrl,
    token_ciphertext: secrets.encrypt(token),
    signed_in_at: now,
  };
  runQuery(
    catalog,
    catalog.db
      .insertInto('accounts')
      .values({ plex_uuid: user.uuid, created_at: now, ...values })
      .onConflict((conflict) => conflict.column('plex_uuid').doUpdateSet(values)),
  );
  const account = findAccountByUuid(catalog, user.uuid);
  if (account === null) throw new CatalogNotFoundError(`The account ${user.username} vanished while being saved.`);
  return account;
}

export function listAccounts(catalog: Catalog): AccountSummary[] {
  const rows = queryAll(catalog, catalog.db.selectFrom('accounts').selectAll().orderBy('id'));
  return rows.map(toAccountSummary);
}

export function getAccount(catalog: Catalog, accountId: number): AccountSummary | null {
  const row = queryFirst(catalog, catalog.db.selectFrom('accounts').selectAll().where('id', '=', accountId));
  return row === undefined ? null : toAccountSummary(row);
}

function findAccountByUuid(catalog: Catalog, uuid: string): AccountSummary | null {
  const row = queryFirst(catalog, catalog.db.selectFrom('accounts').selectAll().where('plex_uuid', '=', uuid));
  return row === undefined ? null : toAccountSummary(row);
}

/** The account token in clear, for plex.tv calls; null when signed out. SecretStoreError when the key changed. */
export function accountToken(catalog: Catalog, secrets: SecretStore, accountId: number): string | null {
  const row = queryFirst(catalog, catalog.db.selectFrom('accounts').select('token_ciphertext').where('id', '=', accountId));
  if (row === undefined) throw new CatalogNotFoundError(`There is no account with id ${accountId}.`);
  return row.token_ciphertext === null ? null : secrets.decrypt(row.token_ciphertext);
}

/** Forgets the account token. The account's servers keep their own tokens (and their data). */
export function signOut(catalog: Catalog, accountId: number): void {
  const result = runQuery(
    catalog,
    catalog.db.updateTable('accounts').set({ token_ciphertext: null, signed_in_at: null }).where('id', '=', accountId),
  );
  if (result.changes === 0) throw new CatalogNotFoundError(`There is no account with id ${accountId}.`);
}

/** Adds a server found through the account, with its token, owned flag, connections and chosen connection. */
export function addAccountServer(
  catalog: Catalog,
  secrets: SecretStore,
  server: NewAccountServer,
  now: number = nowSeconds(),
): AccountServer {
  const url = server.chosen?.uri ?? server.connections[0]?.uri;
  if (url === undefined) throw new CatalogValidationError(`plex.tv lists no connection for the server "${server.name}".`);
  const added = addServer(
    catalog,
    secrets,
    { name: server.name, url, machineIdentifier: server.machineIdentifier, token: server.token },
    now,
  );
  runQuery(
    catalog,
    catalog.db
      .updateTable('servers')
      .set({
        account_id: server.accountId,
        owned: server.owned ? 1 : 0,
        connection_uri: server.chosen?.uri ?? null,
        connection_latency_ms: server.chosen?.latencyMs ?? null,
        connection_checked_at: server.chosen === undefined ? null : now,
      })
      .where('id', '=', added.id),
  );
  replaceServerConnections(catalog, added.id, server.connections);
  return requireAccountServer(catalog, added.id);
}

/** Replaces the server's known connections with plex.tv's latest list; probe history of kept ones stays. */
export function replaceServerConnections(catalog: Catalog, serverId: number, connections: readonly StoredConnection[]): void {
  writeTransaction(catalog, () => {
    const uris = connections.map((connection) => normalizeServerUrl(connection.uri));
    let removal = catalog.db.deleteFrom('server_connections').where('server_id', '=', serverId);
    if (uris.length > 0) removal = removal.where('uri', 'not in', uris);
    runQuery(catalog, removal);
    for (const [index, connection] of connections.entries()) {
      const values = {
        protocol: connection.protocol,
        address: connection.address,
        port: connection.port,
        local: flag(connection.local),
        relay: flag(connection.relay),
        ipv6: flag(connection.ipv6),
      };
      runQuery(
        catalog,
        catalog.db
          .insertInto('server_connections')
          .values({ server_id: serverId, uri: uris[index] ?? connection.uri, ...values })
          .onConflict((conflict) => conflict.columns(['server_id', 'uri']).doUpdateSet(values)),
      );
    }
  });
}

export function listServerConnections(catalog: Catalog, serverId: number): StoredConnectionState[] {
  const rows = queryAll(catalog, catalog.db.selectFrom('server_connections').selectAll().where('server_id', '=', serverId).orderBy('id'));
  return rows.map((row) => ({
    uri: row.uri,
    protocol: row.protocol,
    address: row.address,
    port: row.port,
    local: row.local === 1,
    relay: row.relay === 1,
    ipv6: row.ipv6 === 1,
    lastOkAt: row.last_ok_at,
    lastLatencyMs: row.last_latency_ms,
    lastFailureCode: row.last_failure_code,
    lastCheckedAt: row.last_checked_at,
  }));
}

/**
 * Records a probe of the server's connections and the one chosen (null: none answered; the server keeps its
 * previous URL so nothing is lost). The chosen URI also becomes the server's url, which syncs use.
 */
export function recordConnectionProbe(
  catalog: Catalog,
  serverId: number,
  results: readonly ProbeRecord[],
  chosen: { uri: string; latencyMs: number } | null,
  now: number = nowSeconds(),
): void {
  writeTransaction(catalog, () => {
    for (const result of results) {
      runQuery(
        catalog,
        catalog.db
          .updateTable('server_connections')
          .set(
            result.ok
              ? { last_ok_at: now, last_latency_ms: result.latencyMs ?? null, last_failure_code: null, last_checked_at: now }
              : { last_failure_code: result.failureCode ?? 'UNKNOWN', last_checked_at: now },
          )
          .where('server_id', '=', serverId)
          .where('uri', '=', normalizeServerUrl(result.uri)),
      );
    }
    if (chosen === null) {
      runQuery(catalog, catalog.db.updateTable('servers').set({ connection_checked_at: now }).where('id', '=', serverId));
      return;
    }
    const uri = normalizeServerUrl(chosen.uri);
    runQuery(
      catalog,
      catalog.db
        .updateTable('servers')
        .set({ url: uri, connection_uri: uri, connection_latency_ms: chosen.latencyMs, connection_checked_at: now })
        .where('id', '=', serverId),
    );
  });
}

export interface ServerConnectionInfo {
  machineIdentifier: string | null;
  /** The chosen connection, or null when none was chosen yet. */
  connectionUri: string | null;
  connections: StoredConnectionState[];
}

/** What a re-probe needs: who the server must answer as, what was chosen, and every known connection. */
export function serverConnectionInfo(catalog: Catalog, serverId: number): ServerConnectionInfo {
  const row = queryFirst(
    catalog,
    catalog.db.selectFrom('servers').select(['machine_identifier', 'connection_uri']).where('id', '=', serverId),
  );
  if (row === undefined) throw new CatalogNotFoundError(`There is no server with id ${serverId}.`);
  return {
    machineIdentifier: row.machine_identifier,
    connectionUri: row.connection_uri,
    connections: listServerConnections(catalog, serverId),
  };
}

/** After a 401 from the server: keep its data, skip its syncs until the account signs in again. */
export function markNeedsSignIn(catalog: Catalog, serverId: number, now: number = nowSeconds()): void {
  runQuery(
    catalog,
    catalog.db
      .updateTable('servers')
      .set({ needs_signin: 1, needs_signin_since: now })
      .where('id', '=', serverId)
      .where('needs_signin', '=', 0),
  );
}

/**
 * After signing in again: every server of the account that plex.tv still lists gets its fresh token and leaves
 * the "sign in again" state. Returns the ids of the servers updated; servers plex.tv no longer lists are untouched.
 */
export function refreshAccountServerTokens(
  catalog: Catalog,
  secrets: SecretStore,
  accountId: number,
  tokensByMachineIdentifier: ReadonlyMap<string, string>,
): number[] {
  const servers = queryAll(
    catalog,
    catalog.db.selectFrom('servers').select(['id', 'machine_identifier']).where('account_id', '=', accountId),
  );
  const updated: number[] = [];
  writeTransaction(catalog, () => {
    for (const server of servers) {
      const token = server.machine_identifier === null ? undefined : tokensByMachineIdentifier.get(server.machine_identifier);
      if (token === undefined || token.trim() === '') continue;
      runQuery(
        catalog,
        catalog.db
          .updateTable('servers')
          .set({ token_ciphertext: secrets.encrypt(token.trim()), needs_signin: 0, needs_signin_since: null })
          .where('id', '=', server.id),
      );
      updated.push(server.id);
    }
  });
  return updated;
}

export function listAccountServers(catalog: Catalog, accountId?: number): AccountServer[] {
  let query = catalog.db.selectFrom('servers').selectAll().orderBy('name');
  if (accountId !== undefined) query = query.where('account_id', '=', accountId);
  return queryAll(catalog, query).map(toAccountServer);
}

export function requireAccountServer(catalog: Catalog, serverId: number): AccountServer {
  const row = queryFirst(catalog, catalog.db.selectFrom('servers').selectAll().where('id', '=', serverId));
  if (row === undefined) throw new CatalogNotFoundError(`There is no server with id ${serverId}.`);
  return toAccountServer(row);
}

interface AccountRowShape {
  id: number;
  plex_uuid: string;
  plex_id: number | null;
  username: string;
  email: string | null;
  avatar_url: string | null;
  token_ciphertext: string | null;
  signed_in_at: number | null;
}

function toAccountSummary(row: AccountRowShape): AccountSummary {
  return {
    id: row.id,
    uuid: row.plex_uuid,
    plexId: row.plex_id,
    username: row.username,
    email: row.email,
    avatarUrl: row.avatar_url,
    signedIn: row.token_ciphertext !== null,
    signedInAt: row.signed_in_at,
  };
}

interface ServerRowShape {
  id: number;
  name: string;
  machine_identifier: string | null;
  account_id: number | null;
  owned: 0 | 1 | null;
  needs_signin: 0 | 1;
  connection_uri: string | null;
  connection_latency_ms: number | null;
}

/** Tolerates a catalog from before the accounts migration (an old file the engine is pointed at): no account. */
function toAccountServer(row: ServerRowShape): AccountServer {
  return {
    id: row.id,
    name: row.name,
    machineIdentifier: row.machine_identifier,
    accountId: row.account_id ?? null,
    owned: row.owned === null || row.owned === undefined ? null : row.owned === 1,
    needsSignIn: row.needs_signin === 1,
    connectionUri: row.connection_uri ?? null,
    connectionLatencyMs: row.connection_latency_ms ?? null,
  };
}

function flag(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}
