// The preview server: the built renderer in a plain browser, backed by the real handlers. Bound to
// 127.0.0.1; every bridge call needs the random access key printed with the URL, so another local user or a
// web page the user visits cannot drive the catalog. Same CSP as the Electron build, and no inline script:
// the bridge client is a same-origin file.
//
//   GET  /?key=…               the app (index.html with the bridge client's <script> added)
//   GET  /__bridge/client.js   the bridge client (installs window.marquee)
//   POST /__bridge/invoke      {name, input} → IpcResult, through dispatch()    header x-marquee-key
//   GET  /__bridge/events      Server-Sent Events, one per service event        ?key=… (EventSource has no headers)
//   GET  /__artwork/KEY/ID/ROLE/WxH   an item's poster or background from the ArtworkService (404, empty, otherwise)
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArtworkPath } from '../../shared/artwork.js';
import type { IpcResult } from '../../shared/ipc.js';
import { CONTENT_SECURITY_POLICY } from '../../main/app/csp.js';
import type { AppService } from '../../main/app/service.js';
import { dispatch } from '../../main/ipc/dispatch.js';
import {
  ARTWORK_PATH_PREFIX,
  BRIDGE_CLIENT_PATH,
  BRIDGE_EVENTS_PATH,
  BRIDGE_INVOKE_PATH,
  BRIDGE_KEY_HEADER,
  BRIDGE_KEY_PARAM,
} from './bridge-paths.js';

export interface PreviewServerOptions {
  service: AppService;
  /** A renderer build (out/renderer). */
  rendererDir: string;
  /** Default 0: any free port. */
  port?: number;
  /** Default: 32 random bytes, base64url. */
  accessKey?: string;
  log?: (message: string) => void;
}

export interface PreviewServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The app's URL with the access key: what a browser opens. */
  url: string;
  accessKey: string;
  port: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_BODY_BYTES = 1024 * 1024;
const SSE_HEARTBEAT_MS = 15_000;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  // The page URL carries the access key: never let it out in a Referer.
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const { service } = options;
  const log = options.log ?? (() => {});
  const accessKey = options.accessKey ?? randomBytes(32).toString('base64url');
  const expectedKey = Buffer.from(accessKey, 'utf8');
  const rendererDir = normalize(options.rendererDir);
  const clientScript = await bundleBridgeClient();
  const streams = new Set<ServerResponse>();
  let port = 0;

  const keyMatches = (given: string | null | undefined): boolean => {
    if (typeof given !== 'string') return false;
    const buffer = Buffer.from(given, 'utf8');
    return buffer.length === expectedKey.length && timingSafeEqual(buffer, expectedKey);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends its own Host.
    if (!isLocalHost(req.headers.host, port)) return send(res, 403, 'text/plain; charset=utf-8', 'Forbidden host.');
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const path = url.pathname;

    if (path === BRIDGE_INVOKE_PATH) {
      if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'Use POST.', { allow: 'POST' });
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${HOST}:${port}` && origin !== `http://localhost:${port}`) {
        return sendResult(res, 403, refusal('Requests from other origins are refused.'));
      }
      if (!keyMatches(headerValue(req.headers[BRIDGE_KEY_HEADER]))) return sendResult(res, 403, refusal('Wrong or missing access key.'));
      if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
        return sendResult(res, 415, refusal('Send the request as application/json.'));
      }
      const body = await readBody(req);
      if (body === null) return sendResult(res, 413, refusal(`The request is larger than ${MAX_BODY_BYTES} bytes.`));
      let message: unknown;
      try {
        message = JSON.parse(body);
      } catch {
        return sendResult(res, 400, invalid('The request body is not JSON.'));
      }
      if (typeof message !== 'object' || message === null || Array.isArray(message)) {
        return sendResult(res, 400, invalid('The request body must be an object {name, input}.'));
      }
      const { name, input } = message as { name?: unknown; input?: unknown };
      const result = await dispatch(service, name, input, {
        onUnexpectedError: (request, text) => log(`Request ${request} failed: ${text}`),
      });
      return sendResult(res, 200, result);
    }

    if (path === BRIDGE_EVENTS_PATH) {
      if (req.method !== 'GET') return send(res, 405, 'text/plain; charset=utf-8', 'Use GET.', { allow: 'GET' });
      if (!keyMatches(url.searchParams.get(BRIDGE_KEY_PARAM)))
        return send(res, 403, 'text/plain; charset=utf-8', 'Wrong or missing access key.');
      return openEventStream(req, res);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed.', { allow: 'GET, HEAD' });
    if (path.startsWith(ARTWORK_PATH_PREFIX)) return serveArtwork(path.slice(ARTWORK_PATH_PREFIX.length), res);
    if (path === BRIDGE_CLIENT_PATH)
      return send(res, 200, CONTENT_TYPES['.js'] ?? 'text/javascript', clientScript, { 'cache-control': 'no-store' });
    return serveStatic(path, res);
  };

  /**
   * `KEY/ID/ROLE/WxH`: the image from the same ArtworkService as the app's `marquee-image://`. A wrong or missing
   * key, a malformed request and a missing image all answer the same empty 404: nothing to learn by probing, and
   * the page shows its placeholder.
   */
  const serveArtwork = async (rest: string, res: ServerResponse): Promise<void> => {
    const slash = rest.indexOf('/');
    const request = slash < 0 ? null : parseArtworkPath(rest.slice(slash + 1));
    if (slash < 0 || !keyMatches(decodeKey(rest.slice(0, slash))) || request === null || service.artwork === null) {
      return send(res, 404, 'text/plain; charset=utf-8', '');
    }
    const image = await service.artwork.get(request);
    if (image === null) return send(res, 404, 'text/plain; charset=utf-8', '');
    return send(res, 200, image.contentType, image.bytes, { 'cache-control': 'private, max-age=3600' });
  };

  const openEventStream = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    streams.add(res);
    const unsubscribe = service.events.onAny((event, payload) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), SSE_HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      unsubscribe();
      clearInterval(heartbeat);
      streams.delete(res);
    });
  };

  const serveStatic = async (path: string, res: ServerResponse): Promise<void> => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return send(res, 400, 'text/plain; charset=utf-8', 'Bad path.');
    }
    if (decoded.includes('\0')) return send(res, 400, 'text/plain; charset=utf-8', 'Bad path.');
    // A route of the single-page app (no file extension) gets index.html.
    const wantsPage = decoded === '/' || decoded === '/index.html' || extname(decoded) === '';
    const file = wantsPage ? join(rendererDir, 'index.html') : normalize(join(rendererDir, decoded));
    if (file !== rendererDir && !file.startsWith(rendererDir + sep)) return send(res, 403, 'text/plain; charset=utf-8', 'Forbidden path.');
    try {
      const info = await stat(file);
      if (!info.isFile()) return send(res, 404, 'text/plain; charset=utf-8', 'Not found.');
      const contents = await readFile(file);
      if (wantsPage) {
        return send(res, 200, CONTENT_TYPES['.html'] ?? 'text/html', injectBridge(contents.toString('utf8')), {
          'cache-control': 'no-store',
        });
      }
      return send(res, 200, CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', contents);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        // Browsers ask for an icon on their own; a missing one is not an error of the app.
        if (decoded === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
        return send(res, 404, 'text/plain; charset=utf-8', 'Not found.');
      }
      throw error;
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`Preview server error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error.');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${HOST}:${port}`;

  return {
    origin,
    url: `${origin}/?${BRIDGE_KEY_PARAM}=${encodeURIComponent(accessKey)}`,
    accessKey,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const stream of streams) stream.end();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The bridge client's <script> before </head>: a classic script, so it runs before the app's module script. */
export function injectBridge(html: string): string {
  const tag = `<script src="${BRIDGE_CLIENT_PATH}"></script>`;
  return html.includes('</head>') ? html.replace('</head>', `${tag}\n</head>`) : `${tag}\n${html}`;
}

function isLocalHost(host: string | undefined, port: number): boolean {
  return host === `${HOST}:${port}` || host === `localhost:${port}`;
}

function decodeKey(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function refusal(message: string): IpcResult<never> {
  return { ok: false, error: { code: 'FAILED', message } };
}

function invalid(message: string): IpcResult<never> {
  return { ok: false, error: { code: 'INVALID_INPUT', message } };
}

/** The body as text, or null when it exceeds the limit. */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...extra });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function sendResult(res: ServerResponse, status: number, result: IpcResult<unknown>): void {
  send(res, status, CONTENT_TYPES['.json'] ?? 'application/json', JSON.stringify(result), { 'cache-control': 'no-store' });
}

let bundledClient: Promise<string> | undefined;

/** Bundles bridge-client.ts (and the shared/ipc.ts it imports) into one classic script, once per process. */
function bundleBridgeClient(): Promise<string> {
  bundledClient ??= (async () => {
    const { build } = await import('vite');
    const entry = fileURLToPath(new URL('./bridge-client.ts', import.meta.url));
    const output = await build({
      configFile: false,
      logLevel: 'silent',
      build: {
        write: false,
        minify: false,
        target: 'es2022',
        lib: { entry, formats: ['iife'], name: 'marqueeBridge', fileName: () => 'bridge-client.js' },
      },
    });
    const results = Array.isArray(output) ? output : [output];
    for (const result of results) {
      if (!('output' in result)) continue;
      const chunk = result.output.find((item) => item.type === 'chunk' && item.isEntry);
      if (chunk !== undefined && chunk.type === 'chunk') return chunk.code;
    }
    throw new Error('The bridge client could not be bundled.');
  })();
  return bundledClient;
}
