// Sign in with Plex, for both faces (CLI and app): PIN sign-in, the account, the account's servers with the
// connection each would use, adding them, and a server's connections. Tokens stay inside: no result carries one
// (the account token and each server's access token go straight to the secret store).
import type { ServerSummary } from '../../shared/domain.js';
import {
  accountToken,
  addAccountServer,
  listAccounts,
  listAccountServers,
  listServerConnections,
  recordConnectionProbe,
  refreshAccountServerTokens,
  replaceServerConnections,
  requireAccountServer,
  saveSignedInAccount,
  signOut as forgetAccountToken,
  type AccountSummary,
  type ProbeRecord,
  type StoredConnection,
} from '../catalog/accounts.js';
import { upsertSections } from '../catalog/libraries.js';
import { listServers, requireServer } from '../catalog/servers.js';
import { clientIdentifier as catalogClientIdentifier } from '../catalog/settings.js';
import { PlexError } from '../plex/errors.js';
import type { PlexIdentity } from '../plex/model.js';
import {
  accountServerFor,
  connectionKind,
  ownershipNote,
  PLEX_AUTH_APP_URL,
  PLEX_TV_URL,
  PlexTvClient,
  PlexTvError,
  probeConnection,
  probeConnections,
  reprobeServer,
  type ConnectionChoice,
  type ConnectionKind,
  type PlexPin,
  type PlexTvConnection,
  type PlexTvServer,
  type ProbeOptions,
  type ProbeResult,
} from '../plextv/index.js';
import { probeServer } from '../sync/plex-connection.js';
import { APP_NAME, APP_VERSION } from '../app-info.js';
import { inTurn, type UseCaseDeps } from './deps.js';
import { UseCaseError } from './errors.js';

/** What the account use cases need beyond every use case's dependencies. */
export interface AccountDeps extends UseCaseDeps {
  /** plex.tv's address: https://plex.tv unless a test or development setting says otherwise (plexTvUrlFromEnv). */
  plexTvUrl?: string;
  /** X-Plex-Client-Identifier; default this installation's, kept in the catalog's settings. */
  clientIdentifier?: string;
  /** Opens a page in the user's browser (CLI: xdg-open/open/start; app: the allow-listed external opener). */
  openUrl?: (url: string) => Promise<boolean>;
  /** Waits between PIN polls; tests pass one that returns at once. Must end early when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /** Between PIN polls. Default 1000 (Plex's guidance: about once a second). */
  pollIntervalMs?: number;
  /** Connection probes: timeout, and for tests extra trusted certificates or a name resolver. */
  probe?: Omit<ProbeOptions, 'signal'>;
}

/** A sign-in under way: the code the user confirms and the page where they do it. Carries no secret. */
export interface SignIn {
  pin: PlexPin;
  code: string;
  authUrl: string;
  /** Epoch ms after which the code is no longer accepted. */
  expiresAt: number;
}

export interface AccountView {
  username: string;
  email: string | null;
  avatarUrl: string | null;
  /** Unix seconds. */
  signedInAt: number | null;
}

export type SignInResult =
  | { outcome: 'approved'; account: AccountView; refreshedServers: string[]; refreshFailure: string | null }
  | { outcome: 'expired' }
  | { outcome: 'cancelled' };

export interface AccountInfo {
  signedIn: boolean;
  account: AccountView | null;
  servers: {
    name: string;
    owned: boolean | null;
    needsSignIn: boolean;
    connectionUri: string | null;
    connectionLatencyMs: number | null;
  }[];
}

export interface ConnectionView {
  uri: string;
  kind: ConnectionKind;
  protocol: 'http' | 'https';
  /** null when not probed (yet). */
  ok: boolean | null;
  latencyMs: number | null;
  failureCode: string | null;
  /** What went wrong and what to do, for people; null when it answered. */
  explanation: string | null;
}

export interface DiscoveredServer {
  /** The server's machineIdentifier (plex.tv's clientIdentifier): what addDiscoveredServers takes. */
  id: string;
  name: string;
  owned: boolean;
  /** For shared servers: why local paths cannot be mapped. */
  ownershipNote: string | null;
  publicAddressMatches: boolean;
  /** The name it has in the catalog already, or null. */
  cataloguedAs: string | null;
  chosen: { uri: string; kind: ConnectionKind; latencyMs: number } | null;
  /** Set when only the relay answers (slow, capped). */
  warning: string | null;
  connections: ConnectionView[];
}

export interface AddedServer {
  id: number;
  name: string;
  owned: boolean;
  connectionUri: string;
  libraries: number;
}

export interface AddDiscoveredResult {
  added: AddedServer[];
  /** Servers not added, each with why (already catalogued, no answering connection, unknown id…). */
  refused: { id: string; name: string; reason: string }[];
}

export interface ServerConnectionsResult {
  server: string;
  chosenUri: string | null;
  /** True when a different connection than before is now used. */
  switched: boolean;
  warning: string | null;
  connections: ConnectionView[];
}

function plexTvClient(deps: AccountDeps): PlexTvClient {
  const clientIdentifier = deps.clientIdentifier ?? catalogClientIdentifier(deps.catalog);
  return new PlexTvClient({
    clientIdentifier,
    product: APP_NAME,
    version: APP_VERSION,
    baseUrl: deps.plexTvUrl ?? PLEX_TV_URL,
    ...(deps.clock ? { now: deps.clock } : {}),
  });
}

function nowSeconds(deps: AccountDeps): number {
  return Math.floor((deps.clock ?? Date.now)() / 1000);
}

/** plex.tv failures in use-case terms: a refused or expired account token means "sign in again". */
function fromPlexTv(error: unknown): unknown {
  if (error instanceof PlexTvError && error.needsSignIn) {
    return new UseCaseError('UNAUTHORIZED', 'plex.tv no longer accepts this sign-in: sign in with Plex again.', { cause: error });
  }
  if (error instanceof PlexTvError && error.code === 'ABORTED') return new UseCaseError('CANCELLED', 'Cancelled.', { cause: error });
  if (error instanceof PlexTvError) return new UseCaseError('FAILED', error.message, { cause: error });
  return error;
}

async function callPlexTv<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw fromPlexTv(error);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Signing in and out

/** Asks plex.tv for a PIN: the code to confirm and the page to confirm it on. */
export async function startSignIn(deps: AccountDeps, options: { signal?: AbortSignal } = {}): Promise<SignIn> {
  const client = plexTvClient(deps);
  const pin = await callPlexTv(() => client.createPin(options.signal));
  return { pin, code: pin.code, authUrl: client.authUrl(pin), expiresAt: pin.expiresAtMs };
}

/**
 * Opens the sign-in page through deps.openUrl; only Plex's own https page is ever handed to it. False when
 * there is no opener or it failed: the caller shows the URL instead.
 */
export async function openSignInPage(deps: AccountDeps, signIn: SignIn): Promise<boolean> {
  if (deps.openUrl === undefined || !signIn.authUrl.startsWith(`${PLEX_AUTH_APP_URL}#`)) return false;
  try {
    return await deps.openUrl(signIn.authUrl);
  } catch {
    return false;
  }
}

/**
 * Polls the PIN about once a second until the user approves it, it expires, or `signal` cancels. Approved:
 * the account token goes to the secret store, the account (username, email, avatar) is fetched and kept, any
 * other signed-in account is signed out (one account at a time), and every catalogued server of this account
 * gets its fresh token and connections from plex.tv and leaves the "sign in again" state.
 */
export async function waitForSignIn(
  deps: AccountDeps,
  signIn: SignIn,
  options: { signal?: AbortSignal; onTick?: (tick: { polls: number; secondsLeft: number }) => void } = {},
): Promise<SignInResult> {
  const client = plexTvClient(deps);
  const outcome = await callPlexTv(() =>
    client.waitForPin(signIn.pin, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onTick ? { onTick: options.onTick } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(deps.pollIntervalMs !== undefined ? { intervalMs: deps.pollIntervalMs } : {}),
    }),
  );
  if (outcome.outcome !== 'approved') return { outcome: outcome.outcome };
  const token = outcome.authToken;
  const user = await callPlexTv(() => client.getUser(token, options.signal));
  const now = nowSeconds(deps);
  const account = saveSignedInAccount(
    deps.catalog,
    deps.secrets,
    { uuid: user.uuid, plexId: user.id, username: user.username, email: user.email, avatarUrl: user.avatarUrl },
    token,
    now,
  );
  for (const other of listAccounts(deps.catalog)) {
    if (other.id !== account.id && other.signedIn) forgetAccountToken(deps.catalog, other.id);
  }
  let refreshedServers: string[] = [];
  let refreshFailure: string | null = null;
  try {
    refreshedServers = await refreshAccountServers(deps, client, account.id, token, options.signal);
  } catch (error) {
    // Signed in all the same; the servers keep their previous tokens until the next sign-in or discovery.
    if (!(error instanceof PlexTvError)) throw error;
    refreshFailure = `Signed in, but the account's servers could not be refreshed: ${error.message}`;
  }
  return { outcome: 'approved', account: accountView(account), refreshedServers, refreshFailure };
}

/** Fresh tokens and connection lists for the account's catalogued servers; returns the names refreshed. */
async function refreshAccountServers(
  deps: AccountDeps,
  client: PlexTvClient,
  accountId: number,
  token: string,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const resources = await client.getResources(token, signal);
  const byId = new Map(resources.map((resource) => [resource.machineIdentifier, resource]));
  const tokens = new Map(
    resources.flatMap((resource) => (resource.accessToken === null ? [] : [[resource.machineIdentifier, resource.accessToken] as const])),
  );
  const refreshed = new Set(refreshAccountServerTokens(deps.catalog, deps.secrets, accountId, tokens));
  const servers = listAccountServers(deps.catalog, accountId);
  for (const server of servers) {
    const resource = server.machineIdentifier === null ? undefined : byId.get(server.machineIdentifier);
    if (resource !== undefined && resource.connections.length > 0)
      replaceServerConnections(deps.catalog, server.id, resource.connections.map(storedConnection));
  }
  return servers.filter((server) => refreshed.has(server.id)).map((server) => server.name);
}

/** Forgets the account token. The account's servers keep their own tokens and data. */
export function signOut(deps: AccountDeps): { wasSignedIn: boolean; username: string | null } {
  const account = currentAccount(deps);
  if (account === null) return { wasSignedIn: false, username: null };
  forgetAccountToken(deps.catalog, account.id);
  return { wasSignedIn: true, username: account.username };
}

export function accountInfo(deps: AccountDeps): AccountInfo {
  const account = currentAccount(deps);
  const servers = listAccountServers(deps.catalog).filter((server) => server.accountId !== null);
  return {
    signedIn: account !== null,
    account: account === null ? null : accountView(account),
    servers: servers.map((server) => ({
      name: server.name,
      owned: server.owned,
      needsSignIn: server.needsSignIn,
      connectionUri: server.connectionUri,
      connectionLatencyMs: server.connectionLatencyMs,
    })),
  };
}

/** The signed-in account (the latest sign-in), or null. */
function currentAccount(deps: AccountDeps): AccountSummary | null {
  const signedIn = listAccounts(deps.catalog).filter((account) => account.signedIn);
  signedIn.sort((a, b) => (b.signedInAt ?? 0) - (a.signedInAt ?? 0));
  return signedIn[0] ?? null;
}

function requireSignedIn(deps: AccountDeps): { account: AccountSummary; token: string } {
  const account = currentAccount(deps);
  const token = account === null ? null : accountToken(deps.catalog, deps.secrets, account.id);
  if (account === null || token === null)
    throw new UseCaseError('UNAUTHORIZED', 'Not signed in with Plex: sign in first (`marquee login`).');
  return { account, token };
}

function accountView(account: AccountSummary): AccountView {
  return { username: account.username, email: account.email, avatarUrl: account.avatarUrl, signedInAt: account.signedInAt };
}

// ---------------------------------------------------------------------------------------------------------
// Discovering and adding servers

async function accountResources(
  deps: AccountDeps,
  signal: AbortSignal | undefined,
): Promise<{ account: AccountSummary; servers: PlexTvServer[] }> {
  const { account, token } = requireSignedIn(deps);
  const client = plexTvClient(deps);
  return { account, servers: await callPlexTv(() => client.getResources(token, signal)) };
}

function probeOptions(deps: AccountDeps, signal: AbortSignal | undefined): ProbeOptions {
  return { ...deps.probe, ...(signal ? { signal } : {}) };
}

/** The account's servers (owned and shared), each with every connection probed in parallel and the one chosen. */
export async function discoverServers(deps: AccountDeps, options: { signal?: AbortSignal } = {}): Promise<DiscoveredServer[]> {
  const { servers } = await accountResources(deps, options.signal);
  const catalogued = new Map(
    listServers(deps.catalog).flatMap((server) =>
      server.machineIdentifier === null ? [] : [[server.machineIdentifier, server.name] as const],
    ),
  );
  return Promise.all(
    servers.map(async (server) => {
      const choice = await probeConnections(server.machineIdentifier, server.connections, probeOptions(deps, options.signal));
      return discoveredView(server, choice, catalogued.get(server.machineIdentifier) ?? null);
    }),
  );
}

function discoveredView(server: PlexTvServer, choice: ConnectionChoice, cataloguedAs: string | null): DiscoveredServer {
  return {
    id: server.machineIdentifier,
    name: server.name,
    owned: server.owned,
    ownershipNote: ownershipNote(server),
    publicAddressMatches: server.publicAddressMatches,
    cataloguedAs,
    chosen:
      choice.chosen === null ? null : { uri: choice.chosen.connection.uri, kind: choice.chosen.kind, latencyMs: choice.chosen.latencyMs },
    warning: choice.warning,
    connections: choice.results.map(connectionView),
  };
}

function connectionView(result: ProbeResult): ConnectionView {
  const base = { uri: result.connection.uri, kind: connectionKind(result.connection), protocol: result.connection.protocol };
  return result.ok
    ? { ...base, ok: true, latencyMs: result.latencyMs, failureCode: null, explanation: null }
    : { ...base, ok: false, latencyMs: null, failureCode: result.failure.code, explanation: result.explanation };
}

/**
 * Adds the account's servers with these ids (machineIdentifiers), each with its own access token, its
 * connections and the chosen one, its owned flag, and its libraries (like `server add`). Each is checked on
 * its own: one already catalogued, without a token, or with no answering connection is refused with why, and
 * the others are added. `discovered` (from discoverServers) saves probing the connections again.
 */
export async function addDiscoveredServers(
  deps: AccountDeps,
  ids: readonly string[],
  options: { signal?: AbortSignal; discovered?: readonly DiscoveredServer[] } = {},
): Promise<AddDiscoveredResult> {
  if (ids.length === 0) throw new UseCaseError('INVALID_INPUT', 'Name at least one server to add.');
  const { account, servers } = await accountResources(deps, options.signal);
  const result: AddDiscoveredResult = { added: [], refused: [] };
  for (const id of ids) {
    const server = servers.find((candidate) => candidate.machineIdentifier === id);
    if (server === undefined) {
      result.refused.push({ id, name: id, reason: 'plex.tv does not list this server for the signed-in account.' });
      continue;
    }
    const outcome = await addOneServer(
      deps,
      account.id,
      server,
      options.discovered?.find((entry) => entry.id === id),
      options.signal,
    );
    if ('reason' in outcome) result.refused.push({ id, name: server.name, reason: outcome.reason });
    else result.added.push(outcome);
  }
  return result;
}

async function addOneServer(
  deps: AccountDeps,
  accountId: number,
  server: PlexTvServer,
  discovered: DiscoveredServer | undefined,
  signal: AbortSignal | undefined,
): Promise<AddedServer | { reason: string }> {
  const known = listServers(deps.catalog);
  const same = known.find((entry) => entry.machineIdentifier === server.machineIdentifier);
  if (same !== undefined) return { reason: `It is already in the catalog as "${same.name}"; nothing was added.` };
  if (known.some((entry) => entry.name.toLocaleLowerCase() === server.name.toLocaleLowerCase())) {
    return { reason: `Another server is already called "${server.name}"; rename that one first.` };
  }
  if (server.accessToken === null) return { reason: 'plex.tv sent no access token for it; the owner may have to share it again.' };
  const probes =
    discovered?.chosen != null ? null : await probeConnections(server.machineIdentifier, server.connections, probeOptions(deps, signal));
  const chosen =
    discovered?.chosen ??
    (probes?.chosen ? { uri: probes.chosen.connection.uri, kind: probes.chosen.kind, latencyMs: probes.chosen.latencyMs } : null);
  if (chosen === null)
    return { reason: 'None of its connections answered as this server; nothing was added (see `marquee server discover` for why).' };
  const token = server.accessToken;
  let sections;
  try {
    ({ sections } = await probeServer(
      {
        baseUrl: chosen.uri,
        token,
        serverName: server.name,
        clientIdentifier: catalogClientIdentifier(deps.catalog),
        ...deps.clientOptions,
        ...(signal ? { signal } : {}),
      },
      undefined,
      (identity: PlexIdentity) => {
        // Checked before the token is sent: the answer must come from the server plex.tv listed.
        if (identity.machineIdentifier !== server.machineIdentifier)
          throw new UseCaseError('CONFLICT', `The server at ${chosen.uri} is another Plex server.`);
      },
    ));
  } catch (error) {
    if (error instanceof PlexError || error instanceof UseCaseError) return { reason: `${error.message}; nothing was added.` };
    throw error;
  }
  const now = nowSeconds(deps);
  // A server edit like any other: in its turn in the job queue (between two pages of a running sync).
  const stored = await inTurn(deps, 'add a server', () => {
    const added = addAccountServer(
      deps.catalog,
      deps.secrets,
      {
        accountId,
        name: server.name,
        machineIdentifier: server.machineIdentifier,
        owned: server.owned,
        token,
        connections: server.connections.map(storedConnection),
        chosen: { uri: chosen.uri, latencyMs: chosen.latencyMs },
      },
      now,
    );
    if (probes !== null)
      recordConnectionProbe(deps.catalog, added.id, probes.results.map(probeRecord), { uri: chosen.uri, latencyMs: chosen.latencyMs }, now);
    upsertSections(deps.catalog, added.id, sections, now);
    return added;
  });
  return { id: stored.id, name: stored.name, owned: server.owned, connectionUri: chosen.uri, libraries: sections.length };
}

function storedConnection(connection: PlexTvConnection): StoredConnection {
  return { ...connection };
}

function probeRecord(result: ProbeResult): ProbeRecord {
  return result.ok
    ? { uri: result.connection.uri, ok: true, latencyMs: result.latencyMs }
    : { uri: result.connection.uri, ok: false, failureCode: result.failure.code };
}

// ---------------------------------------------------------------------------------------------------------
// A server's connections

/**
 * A catalogued server's known connections, probed now, the best one chosen (or `use`, when it answers as the
 * server). Servers added by address have none: they have one URL, changed with `server update --url`.
 */
export async function serverConnections(
  deps: AccountDeps,
  name: string,
  options: { use?: string; signal?: AbortSignal } = {},
): Promise<ServerConnectionsResult> {
  const server = requireServer(deps.catalog, name);
  const known = listServerConnections(deps.catalog, server.id);
  if (known.length === 0) {
    throw new UseCaseError(
      'INVALID_INPUT',
      `The server "${server.name}" was added by address, not through a Plex account: it has no other connections to choose from.`,
    );
  }
  if (options.use !== undefined) return useConnection(deps, server, known, options.use, options.signal);
  const reprobe = await reprobeServer(deps.catalog, server.id, { ...probeOptions(deps, options.signal), now: deps.clock ?? Date.now });
  return {
    server: server.name,
    chosenUri: reprobe.chosen?.connection.uri ?? reprobe.previousUri,
    switched: reprobe.switched,
    warning: reprobe.warning,
    connections: reprobe.results.map(connectionView),
  };
}

async function useConnection(
  deps: AccountDeps,
  server: ServerSummary,
  known: readonly StoredConnection[],
  uri: string,
  signal: AbortSignal | undefined,
): Promise<ServerConnectionsResult> {
  const wanted = uri.trim().replace(/\/+$/, '');
  const connection = known.find((entry) => entry.uri === wanted);
  if (connection === undefined) {
    throw new UseCaseError(
      'INVALID_INPUT',
      `"${wanted}" is not a connection of "${server.name}"; known: ${known.map((entry) => entry.uri).join(', ')}.`,
    );
  }
  const account = requireAccountServer(deps.catalog, server.id);
  if (account.machineIdentifier === null)
    throw new UseCaseError('FAILED', `The server "${server.name}" has no known machine identifier, so no answer can be trusted.`);
  const result = await probeConnection(account.machineIdentifier, connection, probeOptions(deps, signal));
  if (!result.ok) throw new UseCaseError('FAILED', `${wanted} does not work now: ${result.explanation} The connection was not changed.`);
  recordConnectionProbe(deps.catalog, server.id, [probeRecord(result)], { uri: wanted, latencyMs: result.latencyMs }, nowSeconds(deps));
  return {
    server: server.name,
    chosenUri: wanted,
    switched: account.connectionUri !== wanted,
    warning: null,
    connections: [connectionView(result)],
  };
}

// ---------------------------------------------------------------------------------------------------------
// The security check of adding a server by address (issue 8, item 4)

export type AccountMembershipCheck =
  { status: 'not-signed-in' } | { status: 'member'; owned: boolean } | { status: 'not-member'; reason: string };

/**
 * While signed in, a server added by URL must be one of the account's servers: its machineIdentifier (from
 * /identity, which needs no token) must be among the account's resources. Returns a verifier that runs on
 * the identity before the pasted token is sent and throws a CONFLICT UseCaseError for a foreign server, and
 * what plex.tv said. Not signed in: everything passes (the advanced path is unchanged).
 */
export async function accountMembershipVerifier(
  deps: AccountDeps,
  options: { signal?: AbortSignal } = {},
): Promise<(identity: Pick<PlexIdentity, 'machineIdentifier'>) => AccountMembershipCheck> {
  const account = currentAccount(deps);
  if (account === null) return () => ({ status: 'not-signed-in' });
  const { servers } = await accountResources(deps, options.signal);
  return (identity) => {
    const membership = accountServerFor(servers, identity.machineIdentifier);
    if (!membership.member) throw new UseCaseError('CONFLICT', membership.reason);
    return { status: 'member', owned: membership.server.owned };
  };
}
