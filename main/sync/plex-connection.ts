// Builds the Plex client for a catalogued server: its decrypted token, this installation's identifier.
import type { ServerSummary } from '../../shared/domain.js';
import type { Catalog } from '../catalog/database.js';
import { serverToken } from '../catalog/servers.js';
import { clientIdentifier as catalogClientIdentifier } from '../catalog/settings.js';
import { PlexClient, type PlexClientOptions } from '../plex/client.js';
import {
  PlexAbortedError,
  PlexBadResponseError,
  PlexHttpError,
  PlexNotFoundError,
  PlexTimeoutError,
  PlexUnauthorizedError,
  PlexUrlPathError,
} from '../plex/errors.js';
import type { PlexIdentity, PlexSection } from '../plex/model.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { APP_NAME, APP_VERSION } from '../app-info.js';

export type ClientFactory = (options: PlexClientOptions) => PlexClient;

export interface ConnectionDeps {
  catalog: Catalog;
  secrets: SecretStore;
  /** Tests shorten timeouts and backoff through this; production uses the defaults. */
  clientOptions?: Partial<PlexClientOptions>;
}

export function connectToServer(deps: ConnectionDeps, server: ServerSummary, extra: Partial<PlexClientOptions> = {}): PlexClient {
  const token = serverToken(deps.catalog, deps.secrets, server.id);
  const clientIdentifier = catalogClientIdentifier(deps.catalog);
  return new PlexClient({
    baseUrl: server.url,
    token,
    serverName: server.name,
    clientIdentifier,
    product: APP_NAME,
    version: APP_VERSION,
    ...deps.clientOptions,
    ...extra,
  });
}

/**
 * Why the server now answering at a catalogued address is not the catalogued one (null when it is, or when
 * the catalog never learnt its identifier): its items must not be mixed into the other server's.
 */
export function serverMismatch(server: Pick<ServerSummary, 'name' | 'url' | 'machineIdentifier'>, identity: PlexIdentity): string | null {
  if (server.machineIdentifier === null || identity.machineIdentifier === server.machineIdentifier) return null;
  return (
    `The server at ${server.url} is another Plex server ("${identity.machineIdentifier}") than the one catalogued as ` +
    `"${server.name}" ("${server.machineIdentifier}"). Add it as a new server instead.`
  );
}

/** How long an interactive check (server add/update/test, the app's buttons) may take in all. */
export interface ProbeBudget {
  /** The whole check, retries and the URL-path check included. */
  totalMs: number;
  /** At most this many retries per request. */
  maxRetries: number;
}

export const INTERACTIVE_BUDGET: ProbeBudget = { totalMs: 10_000, maxRetries: 1 };

/**
 * Checks a server before it is saved: /identity (answers without a token, so it only proves a Plex server is
 * there), then an authenticated call (proves the token works). A client of its own, closed afterwards.
 * Interactive: the whole check ends within `budget.totalMs` (a PlexTimeoutError naming the budget), with at most
 * one retry per request, each request getting at most half the budget. A URL with a path (Plex Web's
 * `http://host:32400/web`) that fails while the bare address answers as a Plex server is a PlexUrlPathError.
 */
export async function probeServer(
  options: PlexClientOptions,
  budget: ProbeBudget = INTERACTIVE_BUDGET,
  /** Runs on the identity before the token is sent anywhere; throw to stop (e.g. another server answers). */
  verifyIdentity: (identity: PlexIdentity) => void = () => undefined,
): Promise<{ identity: PlexIdentity; sections: PlexSection[] }> {
  const deadline = AbortSignal.timeout(budget.totalMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const clientOptions: PlexClientOptions = {
    product: APP_NAME,
    version: APP_VERSION,
    ...options,
    timeoutMs: Math.min(options.timeoutMs ?? budget.totalMs, budget.totalMs / 2),
    retries: Math.min(options.retries ?? budget.maxRetries, budget.maxRetries),
    retryMaxMs: Math.min(options.retryMaxMs ?? 500, 500),
    signal,
  };
  try {
    return await identityAndSections(clientOptions, verifyIdentity);
  } catch (error) {
    if (error instanceof PlexAbortedError && deadline.aborted && options.signal?.aborted !== true) {
      throw new PlexTimeoutError({ serverName: error.serverName, url: error.url, timeoutMs: budget.totalMs, cause: error });
    }
    throw (await pathProblem(clientOptions, error)) ?? error;
  }
}

/**
 * probeServer for a catalogued server (`server test`): its stored token and this installation's identifier,
 * the same 10 s budget. `verifyIdentity` (typically a serverMismatch check) runs before the token is sent.
 */
export async function probeCataloguedServer(
  deps: ConnectionDeps,
  server: ServerSummary,
  extra: Partial<PlexClientOptions> = {},
  verifyIdentity: (identity: PlexIdentity) => void = () => undefined,
  budget: ProbeBudget = INTERACTIVE_BUDGET,
): Promise<{ identity: PlexIdentity; sections: PlexSection[] }> {
  const token = serverToken(deps.catalog, deps.secrets, server.id);
  const clientIdentifier = catalogClientIdentifier(deps.catalog);
  return probeServer(
    { baseUrl: server.url, token, serverName: server.name, clientIdentifier, ...deps.clientOptions, ...extra },
    budget,
    verifyIdentity,
  );
}

async function identityAndSections(
  options: PlexClientOptions,
  verifyIdentity: (identity: PlexIdentity) => void,
): Promise<{ identity: PlexIdentity; sections: PlexSection[] }> {
  const client = new PlexClient(options);
  try {
    const identity = await client.identity();
    verifyIdentity(identity);
    return { identity, sections: await client.sections() };
  } finally {
    client.close();
  }
}

/**
 * When the URL has a path and the server answered it as an unknown path (real PMS: 401 with an HTML page; or
 * 404, or a Plex Web page instead of XML), asks the bare address's /identity once: if a Plex server answers
 * there, the path is the problem, not the token.
 */
async function pathProblem(options: PlexClientOptions, error: unknown): Promise<PlexUrlPathError | null> {
  const answeredOddly =
    error instanceof PlexUnauthorizedError ||
    error instanceof PlexNotFoundError ||
    error instanceof PlexBadResponseError ||
    error instanceof PlexHttpError;
  if (!answeredOddly) return null;
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    return null;
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '') return null;
  const bare = new PlexClient({ ...options, baseUrl: url.origin, retries: 0 });
  try {
    await bare.identity();
  } catch {
    return null;
  } finally {
    bare.close();
  }
  return new PlexUrlPathError({
    serverName: options.serverName,
    url: url.origin + path,
    path,
    suggestedUrl: url.origin,
    secrets: [options.token],
    cause: error,
  });
}
