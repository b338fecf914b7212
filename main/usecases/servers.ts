// Adding, changing, testing and removing a Plex server: the one implementation behind `marquee server …` and
// the app's server requests. Names, URLs and tokens are trimmed and checked here, once; every check that
// talks to Plex runs before anything is saved.
import type { NewServer, ServerSummary } from '../../shared/domain.js';
import { listLibraries, upsertSections } from '../catalog/libraries.js';
import { listMappings } from '../catalog/mappings.js';
import * as servers from '../catalog/servers.js';
import { clientIdentifier } from '../catalog/settings.js';
import type { PlexClientOptions } from '../plex/client.js';
import type { PlexIdentity, PlexSection } from '../plex/model.js';
import { probeServer, serverMismatch } from '../sync/plex-connection.js';
import { inTurn, nowSeconds, type UseCaseDeps } from './deps.js';
import { UseCaseError } from './errors.js';

/** A server as each face names it: the app by id, the CLI by what the user typed (a name, or an id). */
export type ServerRef = { id: number } | { nameOrId: string };

/** The app's schema rule (main/ipc/validators.ts), applied to both faces: at most 512 printable ASCII characters. */
export const TOKEN_MAX_LENGTH = 512;

/** Adding or testing a server is interactive: one retry, then say what went wrong (probeServer caps the rest). */
const INTERACTIVE_RETRIES = 1;

export interface ServerChange {
  name?: string;
  url?: string;
  token?: string;
  active?: boolean;
}

export interface AddedServer {
  server: ServerSummary;
  identity: PlexIdentity;
  sections: PlexSection[];
}

export type ServerTest =
  | { ok: true; server: ServerSummary; identity: PlexIdentity; sections: PlexSection[]; milliseconds: number }
  /** Another Plex server answers at the address: the token was not sent to it. */
  | { ok: false; server: ServerSummary; identity: PlexIdentity; problem: string };

export interface ServerRemoval {
  server: ServerSummary;
  libraries: number;
  items: number;
  mappings: number;
}

/** The server, or NOT_FOUND (by id) / the catalog's error naming the known servers (by name). */
export function requireServer(deps: UseCaseDeps, ref: ServerRef): ServerSummary {
  if ('nameOrId' in ref) return servers.requireServer(deps.catalog, ref.nameOrId);
  const server = servers.getServer(deps.catalog, ref.id);
  if (server === null) throw new UseCaseError('NOT_FOUND', `There is no server with id ${ref.id}; it may have been removed.`);
  return server;
}

export function listServers(deps: UseCaseDeps): ServerSummary[] {
  return servers.listServers(deps.catalog);
}

/**
 * Checks the server answers, is not catalogued yet and accepts the token; then stores it with its libraries.
 * `identityCheck`, asked once the input is valid, may refuse the server by its identity before the token is
 * sent to it (signed in with Plex: it must be one of the account's servers, see accountMembershipVerifier).
 */
export async function addServer(
  deps: UseCaseDeps,
  input: NewServer,
  options: { identityCheck?: () => Promise<(identity: PlexIdentity) => void> } = {},
): Promise<AddedServer> {
  const name = serverName(input.name);
  const token = plexToken(input.token);
  const url = serverUrl(input.url);
  const known = servers.listServers(deps.catalog);
  const taken = known.find((server) => server.name.toLocaleLowerCase() === name.toLocaleLowerCase());
  if (taken !== undefined) throw new UseCaseError('CONFLICT', `A server called "${taken.name}" already exists; choose another name.`);

  const verifyIdentity = options.identityCheck === undefined ? undefined : await options.identityCheck();
  const { identity, sections } = await probe(deps, url, token, name, verifyIdentity);
  // The same server twice would import every item twice.
  const twin = serverWithMachine(deps, identity.machineIdentifier, null);
  if (twin !== undefined) {
    throw new UseCaseError(
      'CONFLICT',
      `This Plex server (machine ${identity.machineIdentifier}) is already in the catalog as "${twin.name}"; nothing was saved. Edit that one instead.`,
    );
  }
  const server = await inTurn(deps, 'add a server', () => {
    const added = servers.addServer(
      deps.catalog,
      deps.secrets,
      { name, url, token, machineIdentifier: identity.machineIdentifier },
      nowSeconds(deps),
    );
    // The libraries appear at once, so they can be chosen (and mapped) before the first sync.
    upsertSections(deps.catalog, added.id, sections, nowSeconds(deps));
    return added;
  });
  return { server, identity, sections };
}

/**
 * A new URL or token is checked like an added server and must lead to the same Plex server, not to another
 * catalogued one; the items are kept. An unchanged URL (an edit form sends it back with a rename) is not probed.
 */
export async function updateServer(deps: UseCaseDeps, ref: ServerRef, change: ServerChange): Promise<ServerSummary> {
  const server = requireServer(deps, ref);
  const name = change.name === undefined ? undefined : serverName(change.name);
  const url = change.url === undefined ? server.url : serverUrl(change.url);
  const token = change.token === undefined ? undefined : plexToken(change.token);
  if (url !== server.url || token !== undefined) {
    const probeToken = token ?? servers.serverToken(deps.catalog, deps.secrets, server.id);
    const { identity } = await probe(deps, url, probeToken, name ?? server.name);
    const mismatch = serverMismatch({ ...server, url }, identity);
    if (mismatch !== null) throw new UseCaseError('CONFLICT', `${mismatch} Nothing was saved.`);
    const twin = serverWithMachine(deps, identity.machineIdentifier, server.id);
    if (twin !== undefined) {
      throw new UseCaseError(
        'CONFLICT',
        `This Plex server (machine ${identity.machineIdentifier}) is already in the catalog as "${twin.name}"; nothing was saved.`,
      );
    }
  }
  return inTurn(deps, 'change a server', () =>
    servers.updateServer(deps.catalog, deps.secrets, server.id, {
      ...(name !== undefined ? { name } : {}),
      ...(change.url !== undefined ? { url } : {}),
      ...(token !== undefined ? { token } : {}),
      ...(change.active !== undefined ? { active: change.active } : {}),
    }),
  );
}

/**
 * Whether the catalogued server answers at its URL, is the one catalogued and accepts its token. The identity
 * is checked before the token is sent: a different server at the address never sees it. Plex failures throw.
 */
export async function testServer(deps: UseCaseDeps, ref: ServerRef): Promise<ServerTest> {
  const server = requireServer(deps, ref);
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const token = servers.serverToken(deps.catalog, deps.secrets, server.id);
  let other: { identity: PlexIdentity; problem: string } | undefined;
  try {
    const { identity, sections } = await probe(deps, server.url, token, server.name, (answering) => {
      const problem = serverMismatch(server, answering);
      if (problem !== null) {
        other = { identity: answering, problem };
        throw new UseCaseError('CONFLICT', problem);
      }
    });
    return { ok: true, server, identity, sections, milliseconds: clock() - started };
  } catch (error) {
    if (other !== undefined) return { ok: false, server, ...other };
    throw error;
  }
}

/** What removing the server takes with it, for a confirmation question. */
export function describeServerRemoval(deps: UseCaseDeps, ref: ServerRef): ServerRemoval {
  const server = requireServer(deps, ref);
  const libraries = listLibraries(deps.catalog, { serverId: server.id });
  const items = libraries.reduce((sum, { itemCounts: c }) => sum + c.movies + c.shows + c.seasons + c.episodes, 0);
  const mappings = listMappings(deps.catalog, { serverId: server.id }).length;
  return { server, libraries: libraries.length, items, mappings };
}

/** Removes the server with its libraries, items and mappings; false when there was none. */
export function removeServer(deps: UseCaseDeps, serverId: number): Promise<boolean> {
  return inTurn(deps, 'remove a server', () => servers.removeServer(deps.catalog, serverId));
}

// ---- input ------------------------------------------------------------------------------------------------

export function serverName(text: string): string {
  const name = text.trim();
  if (name === '') throw new UseCaseError('INVALID_INPUT', 'A server needs a name.');
  return name;
}

/**
 * The token, trimmed; refused before any request when a header could not carry it: a CR/LF or other control
 * character could split the X-Plex-Token header. The token itself is never echoed.
 */
export function plexToken(text: string): string {
  const token = text.trim();
  if (token === '') throw new UseCaseError('INVALID_INPUT', 'The Plex token is empty.');
  if (token.length > TOKEN_MAX_LENGTH) {
    throw new UseCaseError('INVALID_INPUT', `The Plex token is longer than ${TOKEN_MAX_LENGTH} characters; check what was pasted.`);
  }
  if (!/^[\x20-\x7e]*$/.test(token)) {
    throw new UseCaseError(
      'INVALID_INPUT',
      'The Plex token may hold printable ASCII characters only (no line breaks or control characters); check what was pasted.',
    );
  }
  return token;
}

/**
 * The URL as the catalog stores it. Without a scheme (`192.168.1.10:32400`, `plex.local:32400`, which URL
 * parsing would take for a scheme) the message says what to type instead.
 */
export function serverUrl(text: string): string {
  const trimmed = text.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new UseCaseError(
      'INVALID_INPUT',
      `"${trimmed}" has no scheme; the server URL starts with http:// or https://, e.g. http://${trimmed}`,
    );
  }
  return servers.normalizeServerUrl(trimmed);
}

// ---- Plex ---------------------------------------------------------------------------------------------------

/** Identity (no token) then an authenticated listing, within the interactive budget; nothing is saved. */
async function probe(
  deps: UseCaseDeps,
  url: string,
  token: string,
  serverName: string,
  verifyIdentity?: (identity: PlexIdentity) => void,
): Promise<{ identity: PlexIdentity; sections: PlexSection[] }> {
  const options: PlexClientOptions = {
    baseUrl: url,
    token,
    serverName,
    clientIdentifier: clientIdentifier(deps.catalog),
    retries: INTERACTIVE_RETRIES,
    ...deps.clientOptions,
  };
  return probeServer(options, undefined, verifyIdentity);
}

function serverWithMachine(deps: UseCaseDeps, machineIdentifier: string, exceptId: number | null): ServerSummary | undefined {
  return servers.listServers(deps.catalog).find((server) => server.machineIdentifier === machineIdentifier && server.id !== exceptId);
}
