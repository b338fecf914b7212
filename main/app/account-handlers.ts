// account:* and servers:connections|useConnection — the app's face of "Sign in with Plex" (issue 8), as thin
// adapters over main/usecases/account.ts. One sign-in at a time: `account:startSignIn` answers with the code at
// once and waits for plex.tv's approval in the background, telling the renderer through `account:signin`
// events. Nothing here hands a token to the renderer: results carry names, codes, URIs and probe outcomes only.
import type {
  AccountInfo,
  AccountServerView,
  AddServersResult,
  ConnectionView,
  DiscoveredServerView,
  IpcErrorCode,
  RequestInput,
  RequestName,
  RequestOutput,
  ServerConnectionsView,
  SignInEvent,
  SignInStarted,
} from '../../shared/ipc.js';
import {
  listAccountServers,
  listServerConnections,
  recordConnectionProbe,
  requireAccountServer,
  type ProbeRecord,
  type StoredConnectionState,
} from '../catalog/accounts.js';
import { getServer } from '../catalog/servers.js';
import {
  connectionKind,
  explainProbeFailure,
  FailoverError,
  rankConnections,
  RELAY_ONLY_WARNING,
  type ProbeFailureCode,
  type ProbeOptions,
} from '../plextv/index.js';
import {
  accountInfo,
  accountMembershipVerifier,
  addDiscoveredServers,
  discoverServers,
  openSignInPage,
  serverConnections,
  signOut,
  startSignIn,
  waitForSignIn,
  type AccountDeps,
  type ConnectionView as UseCaseConnectionView,
  type DiscoveredServer,
  type SignIn,
} from '../usecases/account.js';
import type { PlexIdentity } from '../plex/model.js';
import type { UseCaseDeps } from '../usecases/deps.js';
import { UseCaseError } from '../usecases/errors.js';
import { AppError, toIpcFailure } from './errors.js';
import type { AppEvents } from './events.js';
import type { ExternalOpener } from './external-opener.js';

/** What the composition root decides about signing in (Electron, the preview server, the tests). */
export interface AccountOptions {
  /** plex.tv's address; default https://plex.tv. Anything else is a test/development setting (plexTvUrlFromEnv). */
  plexTvUrl?: string;
  /** Opens Plex's sign-in page in the user's browser: the allow-listed opener (see external-opener.ts). */
  openExternal?: ExternalOpener;
  /** Connection probes: timeout; tests add trusted certificates. */
  probe?: Omit<ProbeOptions, 'signal'>;
  /** Between PIN polls; default 1000 (Plex's guidance). */
  pollIntervalMs?: number;
}

export interface AccountHandlerContext {
  usecases: UseCaseDeps;
  options: AccountOptions;
  events: AppEvents;
  /** Throws BUSY while a job holds the catalog. */
  assertIdle: (action: string) => void;
}

export type AccountRequestName =
  | 'account:startSignIn'
  | 'account:openSignInPage'
  | 'account:cancelSignIn'
  | 'account:info'
  | 'account:signOut'
  | 'account:discover'
  | 'account:addServers'
  | 'servers:connections'
  | 'servers:useConnection';

type Handler<N extends RequestName> = (input: RequestInput<N>) => Promise<RequestOutput<N>>;
export type AccountHandlers = { [N in AccountRequestName]: Handler<N> };

interface PendingSignIn {
  signIn: SignIn;
  started: SignInStarted;
  controller: AbortController;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A sign-in event without its PIN id (added when it is sent). */
type SignInOutcome = DistributiveOmit<SignInEvent, 'pinId'>;

export interface AccountFace {
  handlers: AccountHandlers;
  /**
   * For `servers:add` (issue 8, the security check): while signed in, a check to run on the server's identity
   * before its token is sent, refusing (CONFLICT) a server that is not among the account's. Signed out: none.
   */
  membershipCheck(): Promise<(identity: PlexIdentity) => void>;
  close(): void;
}

export function accountHandlers(context: AccountHandlerContext): AccountFace {
  const { usecases, options, events, assertIdle } = context;
  const deps: AccountDeps = {
    ...usecases,
    ...(options.plexTvUrl !== undefined ? { plexTvUrl: options.plexTvUrl } : {}),
    ...(options.openExternal !== undefined ? { openUrl: options.openExternal } : {}),
    ...(options.probe !== undefined ? { probe: options.probe } : {}),
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
  };
  const { catalog } = usecases;
  let pending: PendingSignIn | null = null;
  // What the user saw when choosing: adding them then does not probe every connection a second time.
  let lastDiscovery: DiscoveredServer[] = [];

  async function waitInBackground(entry: PendingSignIn): Promise<void> {
    const emit = (outcome: SignInOutcome): void => events.emit('account:signin', { pinId: entry.started.pinId, ...outcome });
    let outcome: SignInOutcome;
    try {
      const result = await waitForSignIn(deps, entry.signIn, {
        signal: entry.controller.signal,
        onTick: (tick) => {
          if (!entry.controller.signal.aborted) emit({ state: 'waiting', secondsLeft: tick.secondsLeft });
        },
      });
      outcome =
        result.outcome === 'approved'
          ? { state: 'approved', account: result.account, refreshedServers: result.refreshedServers, refreshFailure: result.refreshFailure }
          : { state: result.outcome };
    } catch (error) {
      outcome = entry.controller.signal.aborted
        ? { state: 'cancelled' }
        : { state: 'failed', message: toIpcFailure(asAppError(error)).message };
    }
    if (pending === entry) pending = null;
    emit(outcome);
  }

  function cancelPending(): void {
    pending?.controller.abort();
    pending = null;
  }

  function storedConnectionsView(serverId: number, switched: boolean): ServerConnectionsView {
    const known = listServerConnections(catalog, serverId);
    if (known.length === 0) {
      throw new AppError(
        'INVALID_INPUT',
        'This server was added by address, not through a Plex account: it has one URL, changed with Edit.',
      );
    }
    const server = requireAccountServer(catalog, serverId);
    const byUri = new Map(known.map((connection) => [connection.uri, connection]));
    const ranked = rankConnections(known).flatMap((connection) => byUri.get(connection.uri) ?? []);
    const chosen = ranked.find((connection) => connection.uri === server.connectionUri);
    return {
      serverId,
      chosenUri: server.connectionUri,
      switched,
      warning: chosen !== undefined && connectionKind(chosen) === 'relay' ? RELAY_ONLY_WARNING : null,
      connections: ranked.map(storedConnectionView),
    };
  }

  // addDiscoveredServers skips probing when given the discovery (the user chose from it); its probe outcomes are
  // then what the Servers screen shows for each connection until the next probe.
  function recordDiscoveryProbes(serverId: number, discovered: DiscoveredServer | undefined): void {
    if (discovered === undefined || discovered.chosen === null) return;
    const results: ProbeRecord[] = discovered.connections.flatMap((connection) =>
      connection.ok === null
        ? []
        : [
            connection.ok
              ? { uri: connection.uri, ok: true, latencyMs: connection.latencyMs ?? 0 }
              : { uri: connection.uri, ok: false, failureCode: connection.failureCode ?? 'UNKNOWN' },
          ],
    );
    recordConnectionProbe(
      catalog,
      serverId,
      results,
      { uri: discovered.chosen.uri, latencyMs: discovered.chosen.latencyMs },
      nowSeconds(usecases),
    );
  }

  function requireServerName(serverId: number): string {
    const server = getServer(catalog, serverId);
    if (server === null) throw new AppError('NOT_FOUND', `There is no server with id ${serverId}; it may have been removed.`);
    return server.name;
  }

  const handlers: AccountHandlers = {
    'account:startSignIn': adapt(async () => {
      assertIdle('sign in');
      cancelPending();
      const signIn = await startSignIn(deps);
      const started: SignInStarted = { pinId: signIn.pin.id, code: signIn.code, authUrl: signIn.authUrl, expiresAt: signIn.expiresAt };
      const entry: PendingSignIn = { signIn, started, controller: new AbortController() };
      pending = entry;
      void waitInBackground(entry);
      return started;
    }),

    'account:openSignInPage': adapt(async ({ pinId }) => {
      if (pending?.started.pinId !== pinId) throw new AppError('NOT_FOUND', 'That sign-in is no longer under way: start a new one.');
      return { opened: await openSignInPage(deps, pending.signIn) };
    }),

    'account:cancelSignIn': adapt(({ pinId }) => {
      if (pending?.started.pinId !== pinId) return { cancelled: false };
      cancelPending();
      return { cancelled: true };
    }),

    'account:info': adapt((): AccountInfo => {
      const info = accountInfo(deps);
      const servers: AccountServerView[] = [];
      for (const server of listAccountServers(catalog)) {
        if (server.accountId === null) continue;
        const connection = listServerConnections(catalog, server.id).find((entry) => entry.uri === server.connectionUri);
        servers.push({
          serverId: server.id,
          name: server.name,
          owned: server.owned,
          needsSignIn: server.needsSignIn,
          connectionUri: server.connectionUri,
          connectionKind: connection === undefined ? null : connectionKind(connection),
          connectionLatencyMs: server.connectionLatencyMs,
        });
      }
      return { signedIn: info.signedIn, account: info.account, pendingSignIn: pending?.started ?? null, servers };
    }),

    'account:signOut': adapt(() => {
      assertIdle('sign out');
      cancelPending();
      return signOut(deps);
    }),

    'account:discover': adapt(async (): Promise<DiscoveredServerView[]> => {
      lastDiscovery = await discoverServers(deps);
      return lastDiscovery.map(discoveredView);
    }),

    'account:addServers': adapt(async ({ ids }): Promise<AddServersResult> => {
      assertIdle('add servers');
      const result = await addDiscoveredServers(deps, ids, { discovered: lastDiscovery });
      for (const server of result.added) {
        const { machineIdentifier } = requireAccountServer(catalog, server.id);
        recordDiscoveryProbes(
          server.id,
          lastDiscovery.find((entry) => entry.id === machineIdentifier),
        );
      }
      return {
        added: result.added.map((server) => ({
          serverId: server.id,
          name: server.name,
          owned: server.owned,
          connectionUri: server.connectionUri,
          libraries: server.libraries,
        })),
        refused: result.refused,
      };
    }),

    'servers:connections': adapt(async ({ id, probe }) => {
      const name = requireServerName(id);
      if (probe !== true) return storedConnectionsView(id, false);
      assertIdle('probe the connections');
      const result = await serverConnections(deps, name);
      return {
        serverId: id,
        chosenUri: result.chosenUri,
        switched: result.switched,
        warning: result.warning,
        connections: result.connections.map(connectionView),
      };
    }),

    'servers:useConnection': adapt(async ({ id, uri }) => {
      const name = requireServerName(id);
      assertIdle('change the connection');
      const result = await serverConnections(deps, name, { use: uri });
      return storedConnectionsView(id, result.switched);
    }),
  };

  return {
    handlers,
    async membershipCheck() {
      let verify: Awaited<ReturnType<typeof accountMembershipVerifier>>;
      try {
        verify = await accountMembershipVerifier(deps);
      } catch (error) {
        throw asAppError(error);
      }
      return (identity: PlexIdentity) => {
        try {
          verify(identity);
        } catch (error) {
          throw asAppError(error);
        }
      };
    },
    close: cancelPending,
  };
}

/** Runs a handler and turns the use cases' typed failures into the contract's vocabulary. */
function adapt<I, O>(handler: (input: I) => O | Promise<O>): (input: I) => Promise<O> {
  return async (input) => {
    try {
      return await handler(input);
    } catch (error) {
      throw asAppError(error);
    }
  };
}

const USE_CASE_CODES: Record<UseCaseError['code'], IpcErrorCode> = {
  INVALID_INPUT: 'INVALID_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  BUSY: 'BUSY',
  UNAUTHORIZED: 'UNAUTHORIZED',
  CANCELLED: 'FAILED',
  FAILED: 'FAILED',
};

/** Use-case and failover errors are written for people: keep their words, give them the contract's code. */
function asAppError(error: unknown): unknown {
  if (error instanceof UseCaseError) return new AppError(USE_CASE_CODES[error.code], error.message, { cause: error });
  if (error instanceof FailoverError) return new AppError('FAILED', error.message, { cause: error });
  return error;
}

function nowSeconds(deps: UseCaseDeps): number {
  return Math.floor((deps.clock ?? Date.now)() / 1000);
}

function discoveredView(server: DiscoveredServer): DiscoveredServerView {
  return {
    id: server.id,
    name: server.name,
    owned: server.owned,
    ownershipNote: server.ownershipNote,
    cataloguedAs: server.cataloguedAs,
    chosen: server.chosen,
    warning: server.warning,
    connections: server.connections.map(connectionView),
  };
}

function connectionView(connection: UseCaseConnectionView): ConnectionView {
  return { ...connection };
}

const PROBE_FAILURE_CODES: ReadonlySet<string> = new Set<ProbeFailureCode>([
  'DNS_REBINDING',
  'HOST_NOT_FOUND',
  'CERT_NAME_MISMATCH',
  'CERT_UNTRUSTED',
  'REFUSED',
  'TIMEOUT',
  'UNREACHABLE',
  'OTHER_SERVER',
  'BAD_ANSWER',
]);

function isProbeFailureCode(code: string): code is ProbeFailureCode {
  return PROBE_FAILURE_CODES.has(code);
}

/** A connection as its latest probe left it in the catalog. */
function storedConnectionView(connection: StoredConnectionState): ConnectionView {
  const failureCode = connection.lastFailureCode;
  const ok = connection.lastCheckedAt === null ? null : failureCode === null;
  return {
    uri: connection.uri,
    kind: connectionKind(connection),
    protocol: connection.protocol,
    ok,
    latencyMs: ok === true ? connection.lastLatencyMs : null,
    failureCode,
    explanation:
      failureCode === null
        ? null
        : isProbeFailureCode(failureCode)
          ? explainProbeFailure({ code: failureCode, detail: failureCode }, connection)
          : `The last probe failed (${failureCode}).`,
  };
}
