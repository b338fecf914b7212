// Answers no client should trust: gzip bombs, endless bodies, an http server behind an https:// URL, tokens that
// cannot be sent. Real HTTP against the simulated Plex server (and a bare node:http server where PMS has no say).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PlexClient, type PlexClientOptions, type PlexRetryInfo } from '../../../main/plex/client.js';
import { PlexError, PlexResponseTooLargeError, PlexWrongProtocolError } from '../../../main/plex/errors.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';

const MiB = 1024 * 1024;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sim(): Promise<PlexSim> {
  const started = await startPlexSim({ library: { movies: 20, shows: 2, episodes: 20 } });
  cleanups.push(() => started.close());
  return started;
}

function client(baseUrl: string, token: string, options: Partial<PlexClientOptions> = {}): PlexClient {
  const created = new PlexClient({
    baseUrl,
    token,
    serverName: 'Home',
    clientIdentifier: 'test',
    retries: 3,
    retryBaseMs: 1,
    retryMaxMs: 5,
    timeoutMs: 20_000,
    ...options,
  });
  cleanups.push(() => created.close());
  return created;
}

async function failure(promise: Promise<unknown>): Promise<PlexError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PlexError);
    return error as PlexError;
  }
  throw new Error('expected the request to fail');
}

/** Peak resident memory of this process while `work` runs, sampled as it goes. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T | Error; peak: number }> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const result = await work().catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    return { result, peak: Math.max(peak, process.memoryUsage.rss()) };
  } finally {
    clearInterval(sampler);
  }
}

describe('answers too large to hold', () => {
  it('refuses a gzip bomb past the cap at once, without retrying, naming the URL and the limit', async () => {
    const plex = await sim();
    plex.addFault({ match: /\/library\/sections$/, kind: 'gzipBomb', bytes: 64 * MiB });
    const error = await failure(client(plex.url, plex.token, { maxResponseBytes: 2 * MiB }).sections());
    expect(error).toBeInstanceOf(PlexResponseTooLargeError);
    expect(error.code).toBe('RESPONSE_TOO_LARGE');
    expect((error as PlexResponseTooLargeError).limitBytes).toBe(2 * MiB);
    expect(error.message).toContain(`${plex.url}/library/sections`);
    expect(error.message).toContain('2 MB');
    expect(plex.requests.filter((r) => r.path === '/library/sections')).toHaveLength(1);
  });

  it('refuses a body that never ends', async () => {
    const plex = await sim();
    plex.addFault({ match: /\/all/, kind: 'endlessBody' });
    const api = client(plex.url, plex.token, { maxResponseBytes: MiB });
    const error = await failure(api.container('/library/sections/1/all', { type: 1 }, { start: 0, size: 50 }));
    expect(error).toBeInstanceOf(PlexResponseTooLargeError);
    expect(plex.requests).toHaveLength(1);
  });

  it('refuses an announced Content-Length past the cap before reading the body', async () => {
    let bodyBytesWritten = 0;
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(3 * 1024 * MiB) });
      res.write('{"MediaContainer":{', () => {
        bodyBytesWritten += 19;
      });
      // Never more: a client that waits for the body would time out instead of failing at once.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const { port } = server.address() as AddressInfo;
    const error = await failure(client(`http://127.0.0.1:${port}`, 'tok', { maxResponseBytes: MiB }).sections());
    expect(error).toBeInstanceOf(PlexResponseTooLargeError);
    expect(bodyBytesWritten).toBeLessThan(MiB);
  });

  it('streams under the default cap: a 3 GiB bomb fails without the process ever holding much more than the cap', async () => {
    const plex = await sim();
    plex.addFault({ match: /\/library\/sections$/, kind: 'gzipBomb', bytes: 3 * 1024 * MiB });
    const api = client(plex.url, plex.token);
    const { result, peak } = await peakRss(() => api.sections());
    expect(result).toBeInstanceOf(PlexResponseTooLargeError);
    expect((result as PlexResponseTooLargeError).limitBytes).toBe(256 * MiB);
    expect(peak).toBeLessThan(600 * MiB);
  }, 60_000);
});

describe('https to an http server', () => {
  it('says the server speaks http, not https, and does not retry', async () => {
    const plex = await sim();
    const httpsUrl = plex.url.replace('http:', 'https:');
    const error = await failure(client(httpsUrl, plex.token).identity());
    expect(error).toBeInstanceOf(PlexWrongProtocolError);
    expect(error.code).toBe('WRONG_PROTOCOL');
    expect(error.message).toContain('speaks http, not https');
    expect((error as PlexWrongProtocolError).suggestedUrl).toBe(plex.url);
    expect(error.attempts).toBe(1);
  });
});

describe('what the client tells and learns', () => {
  it('refuses a token that cannot be sent as a header when built, not as a network error later', () => {
    expect(() => new PlexClient({ baseUrl: 'http://127.0.0.1:1', token: 'tök en', serverName: 'Home', clientIdentifier: 'x' })).toThrow(
      TypeError,
    );
  });

  it('sends a hostile device name readable and keeps the server clock of the last answer', async () => {
    const plex = await sim();
    const api = client(plex.url, plex.token, { deviceName: 'Ana’s 北京 Mac' });
    expect(api.lastServerDate).toBeNull();
    await api.sections();
    expect(plex.requests[0]?.deviceName).toBe("Ana's %E5%8C%97%E4%BA%AC Mac");
    expect(api.lastServerDate).toBeTypeOf('number');
    expect(Math.abs((api.lastServerDate ?? 0) - Date.now() / 1000)).toBeLessThan(120);
  });

  it('announces each retry with its attempt number and reason', async () => {
    const plex = await sim();
    plex.addFault({ match: /\/library\/sections$/, kind: 'status', status: 503, times: 2 });
    const retries: PlexRetryInfo[] = [];
    await client(plex.url, plex.token, { onRetry: (info) => retries.push(info) }).sections();
    expect(retries.map((r) => [r.attempt, r.maxAttempts, r.reason, r.path])).toEqual([
      [2, 4, 'answered 503', '/library/sections'],
      [3, 4, 'answered 503', '/library/sections'],
    ]);
  });
});
