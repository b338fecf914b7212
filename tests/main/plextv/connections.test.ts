// Connection choice: pure ranking and explanations, then probing over HTTP against the simulated targets.
import type { LookupFunction } from 'node:net';
import { lookup as systemLookup } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chooseConnection,
  explainProbeFailure,
  probeConnection,
  probeConnections,
  rankConnections,
  RELAY_ONLY_WARNING,
  type PlexTvConnection,
  type ProbeFailureCode,
} from '../../../main/plextv/index.js';
import { startConnectionTargets, type ConnectionTargets } from '../../../tools/plextv-sim/index.js';
import { HOME_ID } from '../../tools/plextv-sim/fixtures.js';

function connection(uri: string, flags: Partial<PlexTvConnection> = {}): PlexTvConnection {
  const url = new URL(uri);
  return {
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    address: url.hostname,
    port: Number(url.port || 32400),
    uri,
    local: false,
    relay: false,
    ipv6: false,
    ...flags,
  };
}

const localHttp = connection('http://192.168.1.10:32400', { local: true });
const localHttps = connection('https://192-168-1-10.abc.plex.direct:32400', { local: true });
const remoteHttps = connection('https://203-0-113-7.abc.plex.direct:32400');
const remoteHttp = connection('http://203.0.113.7:32400');
const relay = connection('https://198-51-100-1.abc.plex.direct:8443', { relay: true });

describe('rankConnections', () => {
  it('puts local before remote before relay, https before http, then orders by URI', () => {
    const ranked = rankConnections([relay, remoteHttp, localHttp, remoteHttps, localHttps]);
    expect(ranked).toEqual([localHttps, localHttp, remoteHttps, remoteHttp, relay]);
    const twin = connection('http://192.168.1.9:32400', { local: true });
    expect(rankConnections([localHttp, twin])).toEqual(rankConnections([twin, localHttp]));
  });
});

describe('chooseConnection', () => {
  it('takes the best-ranked connection that answered, not the fastest', () => {
    const choice = chooseConnection([
      { connection: remoteHttp, ok: true, latencyMs: 3 },
      { connection: localHttp, ok: true, latencyMs: 40 },
      { connection: localHttps, ok: false, failure: { code: 'DNS_REBINDING', detail: 'ENOTFOUND' }, explanation: '' },
    ]);
    expect(choice.chosen).toEqual({ connection: localHttp, kind: 'local', latencyMs: 40 });
    expect(choice.results.map((result) => result.connection)).toEqual([localHttps, localHttp, remoteHttp]);
    expect(choice.warning).toBeNull();
  });

  it('warns when only the relay works, and chooses nothing when nothing works', () => {
    const refused = { code: 'REFUSED' as const, detail: 'ECONNREFUSED' };
    const relayOnly = chooseConnection([
      { connection: localHttp, ok: false, failure: refused, explanation: '' },
      { connection: relay, ok: true, latencyMs: 300 },
    ]);
    expect(relayOnly.chosen?.kind).toBe('relay');
    expect(relayOnly.warning).toBe(RELAY_ONLY_WARNING);
    expect(RELAY_ONLY_WARNING).toMatch(/slow/);
    expect(RELAY_ONLY_WARNING).toMatch(/bandwidth/);
    expect(chooseConnection([{ connection: localHttp, ok: false, failure: refused, explanation: '' }]).chosen).toBeNull();
  });
});

describe('explainProbeFailure', () => {
  const cases: [ProbeFailureCode, PlexTvConnection, RegExp][] = [
    ['DNS_REBINDING', localHttps, /DNS-rebinding protection.*local http connection.*DNS rebinding exception/s],
    ['CERT_NAME_MISMATCH', connection('https://192.168.1.10:32400', { local: true }), /raw IP address/],
    ['REFUSED', localHttp, /192\.168\.1\.10:32400.*refuses/],
    ['TIMEOUT', remoteHttp, /No answer.*not reachable/s],
    ['OTHER_SERVER', localHttp, /Another Plex server.*not used/s],
    ['HOST_NOT_FOUND', connection('http://nas.lan:32400'), /nas\.lan does not resolve/],
  ];
  it.each(cases)('explains %s for people', (code, target, expected) => {
    expect(explainProbeFailure({ code, detail: 'x' }, target)).toMatch(expected);
  });
});

describe('probeConnections over HTTP', () => {
  let targets: ConnectionTargets;
  beforeAll(async () => {
    targets = await startConnectionTargets({ machineIdentifier: HOME_ID });
  });
  afterAll(async () => {
    await targets.close();
  });

  const asPlex = (c: ConnectionTargets['connections'][keyof ConnectionTargets['connections']]): PlexTvConnection => ({
    protocol: c.protocol,
    address: c.address,
    port: c.port,
    uri: c.uri,
    local: c.local,
    relay: c.relay,
    ipv6: c.IPv6,
  });

  it('accepts the working one and says why each other one is refused', async () => {
    const c = targets.connections;
    const all = [c.relay, c.hangs, c.refuses, c.otherServer, c.tlsMismatch, c.works].map(asPlex);
    const choice = await probeConnections(HOME_ID, all, { timeoutMs: 1500, ca: [targets.certificatePem] });
    expect(choice.chosen?.connection.uri).toBe(c.works.uri);
    expect(choice.chosen?.kind).toBe('local');
    const failures = Object.fromEntries(choice.results.map((result) => [result.connection.uri, result.ok ? 'ok' : result.failure.code]));
    expect(failures).toEqual({
      [c.works.uri]: 'ok',
      [c.relay.uri]: 'ok',
      [c.refuses.uri]: 'REFUSED',
      [c.hangs.uri]: 'TIMEOUT',
      [c.otherServer.uri]: 'OTHER_SERVER',
      [c.tlsMismatch.uri]: 'CERT_NAME_MISMATCH',
    });
  });

  it('without the test certificate trusted, the https one is refused as untrusted', async () => {
    const result = await probeConnection(HOME_ID, asPlex(targets.connections.tlsMismatch), { timeoutMs: 2000 });
    expect(result.ok ? 'ok' : result.failure.code).toBe('CERT_UNTRUSTED');
  });

  it('a cancelled probe rejects instead of blaming the connection', async () => {
    const controller = new AbortController();
    const pending = probeConnections(HOME_ID, [asPlex(targets.connections.hangs)], { timeoutMs: 30_000, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('falls back to the relay when it is the only way in, with the warning', async () => {
    const c = targets.connections;
    const choice = await probeConnections(HOME_ID, [c.refuses, c.relay].map(asPlex), { timeoutMs: 2000 });
    expect(choice.chosen?.kind).toBe('relay');
    expect(choice.warning).toBe(RELAY_ONLY_WARNING);
  });

  it('explains a plex.direct name that the router will not resolve (DNS-rebinding protection)', async () => {
    // A resolver like a router with rebinding protection: *.plex.direct names pointing home get no answer.
    const rebindingRouter: LookupFunction = (hostname, options, callback) => {
      if (hostname.endsWith('.plex.direct')) {
        callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
        return;
      }
      systemLookup(hostname, options, callback);
    };
    const port = targets.connections.works.port;
    const plexDirect = connection(`https://127-0-0-1.${'a'.repeat(32)}.plex.direct:${port}`, { local: true });
    const result = await probeConnection(HOME_ID, plexDirect, { timeoutMs: 2000, lookup: rebindingRouter });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.code).toBe('DNS_REBINDING');
    expect(result.explanation).toMatch(/DNS-rebinding protection/);
  });
});
