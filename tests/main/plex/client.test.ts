import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlexClient, type PlexClientOptions, type PlexRequestInfo, type PlexRetryInfo } from '../../../main/plex/client.js';
import {
  PlexAbortedError,
  PlexBadResponseError,
  PlexError,
  PlexHttpError,
  PlexNetworkError,
  PlexNotFoundError,
  PlexTimeoutError,
  PlexUnauthorizedError,
} from '../../../main/plex/errors.js';
import { startPlexSim, type PlexSim, type PlexSimOptions } from '../../../tools/plex-sim/index.js';

const TOKEN = 'tok-9f8e7d6c5b4a-SECRET';

// ---- a tiny scriptable HTTP server ---------------------------------------------------------------

interface Seen {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, seen: Seen, index: number) => void;

interface TestServer {
  url: string;
  requests: Seen[];
  /** Resolves once the server has received a request matching the predicate (already or later). */
  received(predicate: (seen: Seen) => boolean): Promise<Seen>;
  /** Resolves once a request matching the predicate was closed by the client before its response ended. */
  abandoned(predicate: (seen: Seen) => boolean): Promise<void>;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handler: Handler): Promise<TestServer> {
  const requests: Seen[] = [];
  const receivedWaiters: { predicate: (seen: Seen) => boolean; resolve: (seen: Seen) => void }[] = [];
  const abandonedList: Seen[] = [];
  const abandonedWaiters: { predicate: (seen: Seen) => boolean; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    const seen: Seen = { method: req.method ?? '', url: new URL(req.url ?? '/', 'http://test'), headers: req.headers };
    requests.push(seen);
    res.on('close', () => {
      if (res.writableFinished) return;
      abandonedList.push(seen);
      for (const waiter of abandonedWaiters.filter((w) => w.predicate(seen))) waiter.resolve();
    });
    for (const waiter of receivedWaiters.filter((w) => w.predicate(seen))) waiter.resolve(seen);
    handler(req, res, seen, requests.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  cleanups.push(close);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    received: (predicate) => {
      const found = requests.find(predicate);
      return found ? Promise.resolve(found) : new Promise((resolve) => receivedWaiters.push({ predicate, resolve }));
    },
    abandoned: (predicate) =>
      abandonedList.some(predicate) ? Promise.resolve() : new Promise((resolve) => abandonedWaiters.push({ predicate, resolve })),
    close,
  };
}

function client(url: string, options: Partial<PlexClientOptions> = {}): PlexClient {
  const created = new PlexClient({
    baseUrl: url,
    token: TOKEN,
    serverName: 'Home',
    clientIdentifier: 'marquee-test-client',
    retries: 3,
    retryBaseMs: 1,
    timeoutMs: 5_000,
    ...options,
  });
  cleanups.push(() => created.close());
  return created;
}

// ---- bodies --------------------------------------------------------------------------------------

function movie(n: number): Record<string, unknown> {
  return { ratingKey: String(n), key: `/library/metadata/${n}`, type: 'movie', title: `Movie ${n}`, year: 2000 + (n % 20) };
}

function json(res: http.ServerResponse, body: unknown, status = 200, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function moviesPage(start: number, count: number, total: number): unknown {
  const metadata = Array.from({ length: Math.max(0, count) }, (_, i) => movie(start + i));
  return { MediaContainer: { size: metadata.length, totalSize: total, offset: start, Metadata: metadata } };
}

/** Serves a `total`-item listing honouring X-Plex-Container-Start/Size (capped at `cap` per page). */
function listingHandler(total: number, cap = Infinity): Handler {
  return (_req, res, seen) => {
    const start = Number(seen.url.searchParams.get('X-Plex-Container-Start') ?? '0');
    const size = Math.min(cap, Number(seen.url.searchParams.get('X-Plex-Container-Size') ?? '50'));
    json(res, moviesPage(start, Math.min(size, total - start), total));
  };
}

function status(
  code: number,
  body = '<html><head><title>Error</title></head><body>nope</body></html>',
): (res: http.ServerResponse) => void {
  return (res) => {
    res.writeHead(code, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
}

/** Answers with each step in turn, repeating the last. */
function sequence(...steps: ((res: http.ServerResponse, req: http.IncomingMessage) => void)[]): Handler {
  return (req, res, _seen, index) => {
    const step = steps[Math.min(index, steps.length - 1)];
    step?.(res, req);
  };
}

const ok = (res: http.ServerResponse): void => json(res, moviesPage(0, 2, 2));

function expectNoToken(error: unknown): void {
  expect(error).toBeInstanceOf(PlexError);
  const plexError = error as PlexError;
  expect(plexError.message).not.toContain(TOKEN);
  expect(plexError.stack ?? '').not.toContain(TOKEN);
  expect(plexError.url).not.toContain(TOKEN);
  expect(inspect(plexError, { depth: 20 })).not.toContain(TOKEN);
  expect(JSON.stringify(plexError)).not.toContain(TOKEN);
  let cause: unknown = plexError.cause;
  while (cause instanceof Error) {
    expect(cause.message).not.toContain(TOKEN);
    expect(cause.stack ?? '').not.toContain(TOKEN);
    cause = cause.cause;
  }
}

async function failure(promise: Promise<unknown>): Promise<PlexError> {
  try {
    await promise;
  } catch (error) {
    expectNoToken(error);
    return error as PlexError;
  }
  throw new Error('expected the request to fail');
}

// ---- tests ---------------------------------------------------------------------------------------

describe('PlexClient requests', () => {
  it('sends the token as a header, never in the URL, with the client headers', async () => {
    const server = await serve((_req, res) => json(res, { MediaContainer: { size: 0 } }));
    await client(server.url, { deviceName: 'Test Box', platform: 'Linux', version: '1.2.3' }).container('/library/sections');
    const [seen] = server.requests;
    expect(seen?.url.pathname).toBe('/library/sections');
    expect(seen?.url.search).not.toContain(TOKEN);
    expect(seen?.headers['x-plex-token']).toBe(TOKEN);
    expect(seen?.headers['x-plex-client-identifier']).toBe('marquee-test-client');
    expect(seen?.headers['x-plex-product']).toBe('Marquee');
    expect(seen?.headers['x-plex-version']).toBe('1.2.3');
    expect(seen?.headers['x-plex-platform']).toBe('Linux');
    expect(seen?.headers['x-plex-device-name']).toBe('Test Box');
    expect(seen?.headers.accept).toBe('application/json');
  });

  it('asks for XML when preferJson is false', async () => {
    const server = await serve((_req, res) => json(res, { MediaContainer: { size: 0 } }));
    await client(server.url, { preferJson: false }).container('/library/sections');
    expect(server.requests[0]?.headers.accept).toBe('application/xml');
  });

  it('keeps a path prefix of the base URL and drops a token pasted into it', async () => {
    const server = await serve((_req, res) => json(res, { MediaContainer: { size: 0 } }));
    await client(`${server.url}/plex/?X-Plex-Token=${TOKEN}`).container('/library/sections', { a: 'b c' });
    expect(server.requests[0]?.url.pathname).toBe('/plex/library/sections');
    expect(server.requests[0]?.url.search).toBe('?a=b+c');
  });

  it('refuses absolute or protocol-relative paths, so the token never goes elsewhere', async () => {
    const plex = client('http://127.0.0.1:9');
    await expect(plex.container('http://evil.example/x')).rejects.toThrow(TypeError);
    await expect(plex.container('//evil.example/x')).rejects.toThrow(TypeError);
  });

  it('gets /identity without sending the token', async () => {
    const server = await serve((_req, res) =>
      json(res, { MediaContainer: { size: 0, claimed: true, machineIdentifier: 'abc123', version: '1.41.0.1234' } }),
    );
    const identity = await client(server.url).identity();
    expect(identity.machineIdentifier).toBe('abc123');
    expect(identity.version).toBe('1.41.0.1234');
    expect(server.requests[0]?.url.pathname).toBe('/identity');
    expect(server.requests[0]?.headers['x-plex-token']).toBeUndefined();
  });

  it('decodes XML even when JSON was asked for', async () => {
    const server = await serve((_req, res) => {
      const body =
        '<?xml version="1.0" encoding="UTF-8"?>\n<MediaContainer size="1" totalSize="1" offset="0">' +
        '<Video ratingKey="7" type="movie" title="L&#39;Atalante" year="1934"/></MediaContainer>';
      res.writeHead(200, { 'content-type': 'text/xml;charset=utf-8' });
      res.end(body);
    });
    const container = await client(server.url).container('/library/sections/1/all', { type: 1 }, { start: 0, size: 50 });
    expect(container.items.map((i) => [i.ratingKey, i.title])).toEqual([['7', "L'Atalante"]]);
    expect(container.totalSize).toBe(1);
    expect(server.requests[0]?.url.searchParams.get('X-Plex-Container-Start')).toBe('0');
    expect(server.requests[0]?.url.searchParams.get('X-Plex-Container-Size')).toBe('50');
    expect(server.requests[0]?.url.searchParams.get('type')).toBe('1');
  });

  it('lists sections', async () => {
    const server = await serve((_req, res) =>
      json(res, {
        MediaContainer: {
          size: 1,
          Directory: [{ key: '2', type: 'show', title: 'TV', agent: 'tv.plex.agents.series', Location: [{ id: 1, path: '/tv' }] }],
        },
      }),
    );
    const sections = await client(server.url).sections();
    expect(sections.map((s) => [s.key, s.type, s.title])).toEqual([['2', 'show', 'TV']]);
  });

  it('fetches metadata in batches of at most 100 keys, and a 404 batch is empty', async () => {
    const server = await serve((_req, res, seen) => {
      const keys = seen.url.pathname.replace('/library/metadata/', '').split(',');
      if (keys[0] === '200') {
        status(404)(res);
        return;
      }
      json(res, { MediaContainer: { size: keys.length, Metadata: keys.map((k) => movie(Number(k))) } });
    });
    const keys = Array.from({ length: 250 }, (_, i) => String(i));
    const items = await client(server.url).metadata([...keys, '5']);
    expect(server.requests.map((r) => r.url.pathname.split(',').length)).toEqual([100, 100, 50]);
    expect(items.map((i) => i.ratingKey)).toEqual(keys.slice(0, 200));
    await expect(client(server.url).metadata(['1/../x'])).rejects.toThrow(TypeError);
  });

  it('counts with X-Plex-Container-Size=0', async () => {
    const server = await serve((_req, res) => json(res, { MediaContainer: { size: 0, totalSize: 4321, offset: 0 } }));
    expect(await client(server.url).count('/library/sections/2/all', { type: 4 })).toBe(4321);
    const params = server.requests[0]?.url.searchParams;
    expect(params?.get('X-Plex-Container-Size')).toBe('0');
    expect(params?.get('X-Plex-Container-Start')).toBe('0');
    expect(params?.get('type')).toBe('4');
  });

  it('searches /hubs/search with the query and section', async () => {
    const server = await serve((_req, res) =>
      json(res, { MediaContainer: { size: 1, Hub: [{ type: 'movie', hubIdentifier: 'movie', size: 1, Metadata: [movie(3)] }] } }),
    );
    const items = await client(server.url).search('Movie 3', '1');
    expect(server.requests[0]?.url.pathname).toBe('/hubs/search');
    expect(server.requests[0]?.url.searchParams.get('query')).toBe('Movie 3');
    expect(server.requests[0]?.url.searchParams.get('sectionId')).toBe('1');
    expect(items.map((i) => i.ratingKey)).toEqual(['3']);
  });

  it('reports every attempt to onRequest, without the token', async () => {
    const server = await serve(sequence(status(503), ok));
    const reports: PlexRequestInfo[] = [];
    await client(server.url, { onRequest: (info) => reports.push(info) }).container('/library/sections/1/all', { type: 1 });
    expect(reports.map((r) => [r.path, r.status])).toEqual([
      ['/library/sections/1/all?type=1', 503],
      ['/library/sections/1/all?type=1', 200],
    ]);
    expect(reports.every((r) => r.ms >= 0)).toBe(true);
  });
});

describe('PlexClient retries', () => {
  it.each([500, 502, 503, 429])('retries %i and then succeeds', async (code) => {
    const server = await serve(sequence(status(code), status(code), ok));
    const container = await client(server.url).container('/library/sections/1/all');
    expect(container.items).toHaveLength(2);
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after the configured retries with a PlexHttpError', async () => {
    const server = await serve(sequence(status(500)));
    const error = await failure(client(server.url, { retries: 2 }).container('/library/sections/1/all'));
    expect(error).toBeInstanceOf(PlexHttpError);
    expect(error.code).toBe('HTTP');
    expect(error.status).toBe(500);
    expect(error.attempts).toBe(3);
    expect(error.message).toContain('Plex server "Home" answered 500');
    expect(error.message).toContain('after 3 attempts');
    expect(server.requests).toHaveLength(3);
  });

  it.each([
    [401, PlexUnauthorizedError, 'UNAUTHORIZED'],
    [403, PlexUnauthorizedError, 'UNAUTHORIZED'],
    [404, PlexNotFoundError, 'NOT_FOUND'],
    [400, PlexHttpError, 'HTTP'],
  ] as const)('does not retry %i', async (code, type, errorCode) => {
    const server = await serve(sequence(status(code), ok));
    const error = await failure(client(server.url).container('/library/sections', { type: 1 }));
    expect(error).toBeInstanceOf(type);
    expect(error.code).toBe(errorCode);
    expect(error.status).toBe(code);
    expect(server.requests).toHaveLength(1);
  });

  it('says the token was refused, naming the server and the URL', async () => {
    const server = await serve(
      sequence(status(401, '<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>')),
    );
    const error = await failure(client(server.url).sections());
    expect(error.message).toBe(`Plex server "Home" refused the token (401) at ${server.url}/library/sections`);
    expect(error.serverName).toBe('Home');
    expect(error.url).toBe(`${server.url}/library/sections`);
  });

  it('honours Retry-After on 429, up to the cap', async () => {
    const tooMany =
      (seconds: string) =>
      (res: http.ServerResponse): void => {
        res.setHeader('retry-after', seconds);
        status(429)(res);
      };
    const server = await serve(sequence(tooMany('1'), ok));
    const started = performance.now();
    await client(server.url, { retryBaseMs: 1 }).container('/x');
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.requests).toHaveLength(2);

    const capped = await serve(sequence(tooMany('3600'), ok));
    const cappedStart = performance.now();
    await client(capped.url, { maxRetryAfterMs: 20 }).container('/x');
    expect(performance.now() - cappedStart).toBeLessThan(900);
    expect(capped.requests).toHaveLength(2);
  });

  it('reads Retry-After as seconds or as an HTTP date, and ignores an unreadable one', async () => {
    const tooMany =
      (value: string) =>
      (res: http.ServerResponse): void => {
        res.setHeader('retry-after', value);
        status(503)(res);
      };
    const announcedWait = async (value: string, options: Partial<PlexClientOptions>): Promise<number | undefined> => {
      const server = await serve(sequence(tooMany(value), ok));
      const retries: PlexRetryInfo[] = [];
      await client(server.url, { ...options, onRetry: (info) => retries.push(info) }).container('/x');
      expect(retries.map((r) => [r.attempt, r.maxAttempts, r.reason])).toEqual([[2, 4, 'answered 503']]);
      return retries[0]?.retryInMs;
    };
    // A backoff of at least 30 s would be announced without the header: 0 proves the header won.
    const slowBackoff = { retryBaseMs: 60_000, retryMaxMs: 60_000 };
    expect(await announcedWait('0', slowBackoff)).toBe(0);
    expect(await announcedWait(new Date(Date.now() - 5_000).toUTCString(), slowBackoff)).toBe(0);
    // Longer than the cap: shortened to it rather than given up on.
    expect(await announcedWait('3600', { maxRetryAfterMs: 5 })).toBe(5);
    const unreadable = await announcedWait('soon', { retryBaseMs: 40, retryMaxMs: 40 });
    expect(unreadable).toBeGreaterThanOrEqual(20);
    expect(unreadable).toBeLessThanOrEqual(40);
  });

  it('retries a connection reset and then succeeds', async () => {
    const server = await serve(sequence((res, req) => req.socket.destroy(), ok));
    const container = await client(server.url).container('/x');
    expect(container.items).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
  });

  it('maps a refused connection to PlexNetworkError after retries', async () => {
    const gone = await serve(() => undefined);
    await gone.close();
    const reports: PlexRequestInfo[] = [];
    const error = await failure(client(gone.url, { retries: 2, onRequest: (r) => reports.push(r) }).sections());
    expect(error).toBeInstanceOf(PlexNetworkError);
    expect(error.code).toBe('NETWORK');
    expect((error as PlexNetworkError).reason).toBe('ECONNREFUSED');
    expect(error.message).toBe(`Could not reach Plex server "Home" at ${gone.url}/library/sections (connection refused) after 3 attempts`);
    expect(reports.map((r) => r.status)).toEqual([null, null, null]);
  });

  it('does not retry a port that does not speak HTTP (an SSH server), naming the parser error', async () => {
    const sockets: net.Socket[] = [];
    const ssh = net.createServer((socket) => {
      sockets.push(socket);
      socket.end('SSH-2.0-OpenSSH_9.6\r\n');
    });
    await new Promise<void>((resolve) => ssh.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          ssh.close(() => resolve());
        }),
    );
    const url = `http://127.0.0.1:${(ssh.address() as AddressInfo).port}`;
    const reports: PlexRequestInfo[] = [];
    const error = await failure(client(url, { retries: 3, onRequest: (r) => reports.push(r) }).sections());
    expect(error).toBeInstanceOf(PlexNetworkError);
    expect((error as PlexNetworkError).reason).toMatch(/^HPE_/);
    expect(error.attempts).toBe(1);
    expect(sockets).toHaveLength(1);
    expect(reports.map((r) => r.status)).toEqual([null]);
  });

  it('retries a body cut short (Content-Length mismatch), then throws PlexBadResponseError', async () => {
    const truncated = (res: http.ServerResponse): void => {
      const text = JSON.stringify(moviesPage(0, 50, 50));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.write(text.slice(0, 100));
      setImmediate(() => res.socket?.destroy());
    };
    const recovering = await serve(sequence(truncated, ok));
    expect((await client(recovering.url).container('/x')).items).toHaveLength(2);
    expect(recovering.requests).toHaveLength(2);

    const broken = await serve(sequence(truncated));
    const error = await failure(client(broken.url, { retries: 1 }).container('/x'));
    expect(error).toBeInstanceOf(PlexBadResponseError);
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.attempts).toBe(2);
    expect(broken.requests).toHaveLength(2);
  });

  it('treats a chunked body cut short as a bad response', async () => {
    const server = await serve(
      sequence((res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"MediaContainer":{"size":50,"Metadata":[');
        setImmediate(() => res.socket?.destroy());
      }),
    );
    const error = await failure(client(server.url, { retries: 1 }).container('/x'));
    expect(error).toBeInstanceOf(PlexBadResponseError);
    expect(server.requests).toHaveLength(2);
  });

  it('retries a malformed body, then throws PlexBadResponseError wrapping the decode error', async () => {
    const server = await serve(
      sequence((res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"MediaContainer": {"size": 1, "Metadata": [ {"ratingKey": "1",');
      }),
    );
    const error = await failure(client(server.url, { retries: 1 }).container('/x'));
    expect(error).toBeInstanceOf(PlexBadResponseError);
    expect(error.cause).toBeInstanceOf(Error);
    expect(server.requests).toHaveLength(2);
  });

  it('maps a hang to PlexTimeoutError, retried', async () => {
    const server = await serve(() => undefined);
    const error = await failure(client(server.url, { timeoutMs: 100, retries: 1 }).container('/x'));
    expect(error).toBeInstanceOf(PlexTimeoutError);
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('did not answer within 100 ms');
    expect(server.requests).toHaveLength(2);
  });

  it('times out a body that stalls halfway', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
      res.write('{"MediaContainer":');
    });
    const error = await failure(client(server.url, { timeoutMs: 150, retries: 0 }).container('/x'));
    expect(error).toBeInstanceOf(PlexTimeoutError);
  });

  it('does not follow redirects (the token header would follow them), and names where they point', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:9/elsewhere?X-Plex-Token=${TOKEN}`, 'content-length': 0 });
      res.end();
    });
    const error = await failure(client(server.url).container('/x'));
    expect(error).toBeInstanceOf(PlexBadResponseError);
    expect(error.message).toContain('unexpected status 302 Found, a redirect to http://127.0.0.1:9/elsewhere (not followed)');
    expect(inspect(error, { depth: 10 })).not.toContain(TOKEN);
    expect(server.requests).toHaveLength(1);

    // Same origin too (a proxy adding a slash): not followed, the address named.
    const sameOrigin = await serve((_req, res) => {
      res.writeHead(301, { location: '/x/', 'content-length': 0 });
      res.end();
    });
    const moved = await failure(client(sameOrigin.url).container('/x'));
    expect(moved.message).toContain(`a redirect to ${sameOrigin.url}/x/ (not followed)`);
    expect(sameOrigin.requests).toHaveLength(1);
  });
});

describe('PlexClient cancellation', () => {
  it('aborts an in-flight request promptly', async () => {
    const server = await serve(() => undefined);
    const controller = new AbortController();
    const pending = client(server.url, { signal: controller.signal, timeoutMs: 60_000 }).container('/x');
    await server.received(() => true);
    const started = performance.now();
    controller.abort();
    const error = await failure(pending);
    expect(error).toBeInstanceOf(PlexAbortedError);
    expect(error.code).toBe('ABORTED');
    expect(performance.now() - started).toBeLessThan(1_000);
    await server.abandoned(() => true);
    expect(server.requests).toHaveLength(1);
  });

  it('aborts a pending retry without waiting out the backoff', async () => {
    const server = await serve(sequence(status(503)));
    const controller = new AbortController();
    let started = 0;
    const onRequest = (info: PlexRequestInfo): void => {
      // The 503 is in; the backoff (a minute) starts within this turn. Abort on the next one.
      started = performance.now();
      if (info.status === 503) setImmediate(() => controller.abort());
    };
    const pending = client(server.url, { signal: controller.signal, retryBaseMs: 60_000, onRequest }).container('/x');
    const error = await failure(pending);
    expect(error).toBeInstanceOf(PlexAbortedError);
    expect(error.attempts).toBe(1);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses to start when the signal is already aborted', async () => {
    const server = await serve((_req, res) => ok(res));
    const controller = new AbortController();
    controller.abort();
    await expect(client(server.url, { signal: controller.signal }).container('/x')).rejects.toBeInstanceOf(PlexAbortedError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('PlexClient paging', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('pages through a listing, always sending a size', async () => {
    const server = await serve(listingHandler(1234));
    const keys: string[] = [];
    const totals: (number | null)[] = [];
    for await (const page of client(server.url).pages('/library/sections/1/all', { type: 1, sort: 'id' })) {
      keys.push(...page.items.map((i) => i.ratingKey));
      totals.push(page.totalSize);
    }
    expect(keys).toHaveLength(1234);
    expect(new Set(keys).size).toBe(1234);
    expect(totals).toEqual([1234, 1234, 1234]);
    expect(
      server.requests.map((r) => [r.url.searchParams.get('X-Plex-Container-Start'), r.url.searchParams.get('X-Plex-Container-Size')]),
    ).toEqual([
      ['0', '500'],
      ['500', '500'],
      ['1000', '500'],
    ]);
    expect(server.requests.every((r) => r.url.searchParams.get('sort') === 'id')).toBe(true);
  });

  it('follows a server that returns fewer items than asked', async () => {
    const server = await serve(listingHandler(250, 100));
    const offsets: number[] = [];
    let count = 0;
    for await (const page of client(server.url).pages('/all', {}, { pageSize: 1000 })) {
      offsets.push(page.offset);
      count += page.items.length;
    }
    expect(offsets).toEqual([0, 100, 200]);
    expect(count).toBe(250);
  });

  it('throws PlexBadResponseError when the server ignores X-Plex-Container-Start', async () => {
    const server = await serve((_req, res) => json(res, moviesPage(0, 10, 100)));
    const error = await failure(
      (async () => {
        for await (const _ of client(server.url).pages('/all', {}, { pageSize: 10 })) {
          // consume
        }
      })(),
    );
    expect(error).toBeInstanceOf(PlexBadResponseError);
    expect(error.message).toContain('ignores X-Plex-Container-Start');
    expect(server.requests).toHaveLength(2);
  });

  it('requests page n+1 before the consumer has finished page n', async () => {
    const server = await serve(listingHandler(30));
    const events: string[] = [];
    void server.received((r) => r.url.searchParams.get('X-Plex-Container-Start') === '10').then(() => events.push('server got start=10'));
    for await (const page of client(server.url).pages('/all', {}, { pageSize: 10 })) {
      if (page.offset === 0) {
        // The consumer "works" on page 0 until the server has seen the next request: without the
        // prefetch this would never happen and the test would time out.
        await server.received((r) => r.url.searchParams.get('X-Plex-Container-Start') === '10');
        events.push('consumer finished page 0');
      }
    }
    expect(events).toEqual(['server got start=10', 'consumer finished page 0']);
  });

  it('cancels the prefetched request when the consumer stops early, with no unhandled rejection', async () => {
    const server = await serve((req, res, seen) => {
      if (seen.url.searchParams.get('X-Plex-Container-Start') === '0') listingHandler(100)(req, res, seen, 0);
      // later pages hang until cancelled
    });
    for await (const page of client(server.url).pages('/all', {}, { pageSize: 10 })) {
      expect(page.offset).toBe(0);
      await server.received((r) => r.url.searchParams.get('X-Plex-Container-Start') === '10');
      break;
    }
    await server.abandoned((r) => r.url.searchParams.get('X-Plex-Container-Start') === '10');
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });

  it('stops paging promptly when the signal aborts', async () => {
    const server = await serve((req, res, seen) => {
      if (seen.url.searchParams.get('X-Plex-Container-Start') === '0') listingHandler(100)(req, res, seen, 0);
    });
    const controller = new AbortController();
    const iterator = client(server.url, { timeoutMs: 60_000 }).pages('/all', {}, { pageSize: 10, signal: controller.signal });
    const first = await iterator.next();
    expect(first.done).toBe(false);
    await server.received((r) => r.url.searchParams.get('X-Plex-Container-Start') === '10');
    controller.abort();
    await server.abandoned((r) => r.url.searchParams.get('X-Plex-Container-Start') === '10');
    const error = await failure(iterator.next());
    expect(error).toBeInstanceOf(PlexAbortedError);
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  });

  it('surfaces a failing prefetched page when the consumer asks for it', async () => {
    const server = await serve((req, res, seen) => {
      if (seen.url.searchParams.get('X-Plex-Container-Start') === '0') listingHandler(100)(req, res, seen, 0);
      else status(401)(res);
    });
    // Pages 1 and 2 are both asked ahead (paging.ts): both are refused.
    let refusals = 0;
    let refused: () => void = () => undefined;
    const refusedSeen = new Promise<void>((resolve) => (refused = resolve));
    const plex = client(server.url, { onRequest: (info) => info.status === 401 && ++refusals === 2 && refused() });
    const iterator = plex.pages('/all', {}, { pageSize: 10 });
    await iterator.next();
    // Let the 401s arrive and reject the prefetches while nobody awaits them: they must not count as unhandled.
    await refusedSeen;
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
    const error = await failure(iterator.next());
    expect(error).toBeInstanceOf(PlexUnauthorizedError);
    expect(server.requests).toHaveLength(3);
  });
});

describe('PlexClient against the simulated Plex server', () => {
  async function sim(options: PlexSimOptions = {}): Promise<PlexSim> {
    const started = await startPlexSim({ library: { movies: 30, shows: 6, episodes: 420 }, ...options });
    cleanups.push(() => started.close());
    return started;
  }

  it.each([
    ['JSON', false],
    ['XML', true],
  ])('pages a show section’s episodes (/all?type=4) to the end, matching totalSize (%s)', async (_format, xmlOnly) => {
    const plex = await sim({ xmlOnly });
    const api = client(plex.url, { token: plex.token });
    const identity = await api.identity();
    expect(identity.machineIdentifier).toBe(plex.machineIdentifier);
    const shows = (await api.sections()).find((s) => s.type === 'show');
    expect(shows).toBeDefined();
    const path = `/library/sections/${shows?.key}/all`;
    const query = { type: 4, sort: 'id', includeGuids: 1 };

    const total = await api.count(path, query);
    expect(total).toBe(420);
    const keys: string[] = [];
    const reported = new Set<number | null>();
    for await (const page of api.pages(path, query, { pageSize: 37 })) {
      expect(page.totalSizeChanged).toBe(false);
      reported.add(page.totalSize);
      for (const item of page.items) {
        expect(item.type).toBe('episode');
        keys.push(item.ratingKey);
      }
    }
    expect(reported).toEqual(new Set([total]));
    expect(keys).toHaveLength(total);
    expect(new Set(keys).size).toBe(total);
    const pageRequests = plex.requests.filter((r) => r.path === path && r.query['X-Plex-Container-Size'] === '37');
    expect(pageRequests).toHaveLength(Math.ceil(total / 37));
  });

  it('rides out injected 503s and a truncated page, and refuses a wrong token without retrying', async () => {
    const plex = await sim();
    plex.addFault({ match: /\/all\?.*X-Plex-Container-Start=37&/, kind: 'status', status: 503, times: 2 });
    plex.addFault({ match: /\/all\?.*X-Plex-Container-Start=74&/, kind: 'truncate', times: 1 });
    const api = client(plex.url, { token: plex.token });
    const shows = (await api.sections()).find((s) => s.type === 'show');
    const path = `/library/sections/${shows?.key}/all`;
    let count = 0;
    for await (const page of api.pages(path, { type: 4, sort: 'id' }, { pageSize: 37 })) count += page.items.length;
    expect(count).toBe(420);
    const starts = plex.requests.filter((r) => r.path === path).map((r) => r.query['X-Plex-Container-Start']);
    expect(starts.filter((s) => s === '37')).toHaveLength(3);
    expect(starts.filter((s) => s === '74')).toHaveLength(2);

    plex.resetRequests();
    const error = await failure(client(plex.url, { token: TOKEN }).sections());
    expect(error).toBeInstanceOf(PlexUnauthorizedError);
    expect(plex.requests).toHaveLength(1);
  });
});
