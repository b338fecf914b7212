// Choosing how to reach a server plex.tv listed: probe every connection at once, accept only one that answers as
// that server, prefer local over remote over relay and https over http. The ranking and the explanations are
// pure; probeConnections does the HTTP (GET /identity, which needs no token: a probe never carries one).
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import got, { RequestError, TimeoutError } from 'got';
import { decodeContainer, decodeIdentity, detectFormat, PlexDecodeError } from '../plex/decode.js';
import type { PlexTvConnection } from './model.js';

export type ConnectionKind = 'local' | 'remote' | 'relay';

export type ProbeFailureCode =
  /** A *.plex.direct name that does not resolve: usually the router's DNS-rebinding protection. */
  | 'DNS_REBINDING'
  /** Any other host name that does not resolve. */
  | 'HOST_NOT_FOUND'
  /** The certificate is valid but for another name: typically https to a raw IP address. */
  | 'CERT_NAME_MISMATCH'
  /** The certificate is not trusted (self-signed, expired). */
  | 'CERT_UNTRUSTED'
  | 'REFUSED'
  | 'TIMEOUT'
  | 'UNREACHABLE'
  /** Something answered, but as another Plex server: never trusted. */
  | 'OTHER_SERVER'
  /** Something answered, but not as a Plex server (an error status, not an identity). */
  | 'BAD_ANSWER';

export interface ProbeFailure {
  code: ProbeFailureCode;
  /** The low-level detail (error code or status), for logs and bug reports; never a token. */
  detail: string;
}

export type ProbeResult =
  | { connection: PlexTvConnection; ok: true; latencyMs: number }
  | { connection: PlexTvConnection; ok: false; failure: ProbeFailure; explanation: string };

export interface ConnectionChoice {
  /** The best-ranked connection that answered as the server, or null when none did. */
  chosen: { connection: PlexTvConnection; kind: ConnectionKind; latencyMs: number } | null;
  /** Every connection, best-ranked first, with how its probe went. */
  results: ProbeResult[];
  /** Set when the only working way in is a relay (slow, bandwidth-capped): say so to the user. */
  warning: string | null;
}

export interface ProbeOptions {
  /** Per connection. Default 4000: a LAN answers in milliseconds, a remote one in well under a second. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Name resolution; default the system's. Tests pass one to play a router that blocks plex.direct names. */
  lookup?: LookupFunction;
  /** Extra trusted certificates (PEM); default none beyond the system's (plex.direct certificates are public). */
  ca?: string[];
}

export function connectionKind(connection: PlexTvConnection): ConnectionKind {
  if (connection.relay) return 'relay';
  return connection.local ? 'local' : 'remote';
}

const KIND_ORDER: Record<ConnectionKind, number> = { local: 0, remote: 1, relay: 2 };

/** Best first: local, remote, relay; within each, https before http; then by URI, so the order is stable. */
export function rankConnections(connections: readonly PlexTvConnection[]): PlexTvConnection[] {
  return [...connections].sort(
    (a, b) =>
      KIND_ORDER[connectionKind(a)] - KIND_ORDER[connectionKind(b)] ||
      Number(b.protocol === 'https') - Number(a.protocol === 'https') ||
      (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0),
  );
}

export function isPlexDirect(connection: PlexTvConnection): boolean {
  return hostOf(connection.uri).endsWith('.plex.direct');
}

/** What went wrong with a connection, for people, with what to do about it. */
export function explainProbeFailure(failure: ProbeFailure, connection: PlexTvConnection): string {
  const host = hostOf(connection.uri);
  switch (failure.code) {
    case 'DNS_REBINDING':
      return `${host} does not resolve. Routers with DNS-rebinding protection block *.plex.direct names that point to a local address: use the local http connection, or allow plex.direct in the router's DNS settings (a DNS rebinding exception).`;
    case 'HOST_NOT_FOUND':
      return `The name ${host} does not resolve on this network.`;
    case 'CERT_NAME_MISMATCH':
      return `The server's certificate is not for ${host}. Plex certificates are issued for *.plex.direct names, so https to a raw IP address fails: use the plex.direct address or the http connection.`;
    case 'CERT_UNTRUSTED':
      return `The server's certificate is not trusted (${failure.detail}).`;
    case 'REFUSED':
      return `Nothing accepts connections at ${host}:${connection.port}: the server is off, on another port, or a firewall refuses the connection.`;
    case 'TIMEOUT':
      return `No answer from ${host}:${connection.port} in time: the address is not reachable from this network (a remote address behind a router without port forwarding, or a firewall that drops packets).`;
    case 'UNREACHABLE':
      return `${host} cannot be reached from this network (${failure.detail}).`;
    case 'OTHER_SERVER':
      return `Another Plex server answers at ${host}:${connection.port}, not this one: the address now belongs to a different server, so it is not used.`;
    case 'BAD_ANSWER':
      return `Something answers at ${host}:${connection.port}, but not as a Plex server (${failure.detail}).`;
  }
}

export const RELAY_ONLY_WARNING =
  'Only the Plex relay reaches this server: it works, but it is slow and plex.tv caps its bandwidth. Enabling remote access (port forwarding) on the server, or running Marquee on the same network, gives a direct connection.';

/** Chooses from probe results: the best-ranked connection that answered as the server. Pure. */
export function chooseConnection(results: readonly ProbeResult[]): ConnectionChoice {
  const byRank = new Map(rankConnections(results.map((result) => result.connection)).map((connection, index) => [connection, index]));
  const ordered = [...results].sort((a, b) => (byRank.get(a.connection) ?? 0) - (byRank.get(b.connection) ?? 0));
  const best = ordered.find((result): result is Extract<ProbeResult, { ok: true }> => result.ok);
  const chosen =
    best === undefined ? null : { connection: best.connection, kind: connectionKind(best.connection), latencyMs: best.latencyMs };
  return { chosen, results: ordered, warning: chosen?.kind === 'relay' ? RELAY_ONLY_WARNING : null };
}

/** Probes every connection in parallel and chooses (see chooseConnection). */
export async function probeConnections(
  machineIdentifier: string,
  connections: readonly PlexTvConnection[],
  options: ProbeOptions = {},
): Promise<ConnectionChoice> {
  const results = await Promise.all(connections.map((connection) => probeConnection(machineIdentifier, connection, options)));
  return chooseConnection(results);
}

// A probe asks whether the address answers now: a kept-alive socket from an earlier probe would hide a server
// that went away (it fails with a reset instead of a refusal) and skew the latency. Fresh connections only.
const PROBE_AGENTS = { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) };

/** GET {uri}/identity: ok only when it answers with `machineIdentifier`. */
export async function probeConnection(
  machineIdentifier: string,
  connection: PlexTvConnection,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const started = performance.now();
  const fail = (failure: ProbeFailure): ProbeResult => ({
    connection,
    ok: false,
    failure,
    explanation: explainProbeFailure(failure, connection),
  });
  let status: number;
  let body: string;
  let contentType: string | undefined;
  try {
    const response = await got(`${connection.uri.replace(/\/+$/, '')}/identity`, {
      headers: { accept: 'application/json' },
      timeout: { request: options.timeoutMs ?? 4000 },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: 'text',
      agent: PROBE_AGENTS,
      ...(options.lookup ? { dnsLookup: options.lookup } : {}),
      ...(options.ca ? { https: { certificateAuthority: options.ca } } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    status = response.statusCode;
    body = response.body;
    contentType = response.headers['content-type'];
  } catch (error) {
    // Cancelled by the caller: that says nothing about the connection, so it is not reported as a failure of it.
    if (options.signal?.aborted) throw options.signal.reason;
    return fail(classifyNetworkFailure(error, connection));
  }
  const latencyMs = Math.round(performance.now() - started);
  if (status < 200 || status >= 300) return fail({ code: 'BAD_ANSWER', detail: `HTTP ${status}` });
  let answered: string;
  try {
    answered = decodeIdentity(decodeContainer(body, detectFormat(contentType, body))).machineIdentifier;
  } catch (error) {
    if (!(error instanceof PlexDecodeError)) throw error;
    return fail({ code: 'BAD_ANSWER', detail: error.message });
  }
  if (answered !== machineIdentifier) return fail({ code: 'OTHER_SERVER', detail: `answered as ${answered}` });
  return { connection, ok: true, latencyMs };
}

const CERT_UNTRUSTED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_NOT_YET_VALID',
]);

/** Maps a transport error to a failure code. Exported for unit tests of the mapping. */
export function classifyNetworkFailure(error: unknown, connection: PlexTvConnection): ProbeFailure {
  if (error instanceof TimeoutError) return { code: 'TIMEOUT', detail: 'ETIMEDOUT' };
  const code = errorCode(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { code: isPlexDirect(connection) ? 'DNS_REBINDING' : 'HOST_NOT_FOUND', detail: code };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return { code: 'CERT_NAME_MISMATCH', detail: code };
  if (CERT_UNTRUSTED_CODES.has(code)) return { code: 'CERT_UNTRUSTED', detail: code };
  if (code === 'ECONNREFUSED') return { code: 'REFUSED', detail: code };
  if (code === 'ETIMEDOUT') return { code: 'TIMEOUT', detail: code };
  return { code: 'UNREACHABLE', detail: code };
}

function errorCode(error: unknown): string {
  if (error instanceof RequestError) {
    const own = error.code;
    if (own && own !== 'ERR_GOT_REQUEST_ERROR') return own;
    const causeCode = (error.cause as { code?: unknown } | undefined)?.code;
    if (typeof causeCode === 'string') return causeCode;
    return own ?? error.name;
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}

function hostOf(uri: string): string {
  try {
    return new URL(uri).hostname;
  } catch {
    return uri;
  }
}
