// Plex webhooks as a second source for `marquee watch` (issue 9, optional; a Plex Pass feature). Plex POSTs
// multipart/form-data with a `payload` field holding JSON (support.plex.tv/articles/115002267687-webhooks; the
// fields as influxdata/telegraf plugins/inputs/webhooks/plex/README.md reads them, and a recorded payload in
// tacoded/plex-webhook sample-payload.md, where librarySectionID is a number):
//
//   {"event":"library.new","user":true,"owner":true,"Account":{…},"Server":{"title":"Office","uuid":"<machine id>"},
//    "Metadata":{"librarySectionType":"show","ratingKey":"28841","librarySectionID":2,"type":"episode",…}}
//
// Events: library.new and library.on.deck, media.play/pause/resume/stop/scrobble/rate, admin.database.*,
// device.new, playback.started. Only library.new changes the catalog: its item goes through the same batched
// fetch as the socket's events. The others are counted and ignored.
//
// The listener is local and unauthenticated by Plex: the secret is the URL's path (generated, stored as a hash,
// shown once). Anything else gets 404 with no body; bodies are capped.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Plex's webhook bodies are a few KB, plus a poster thumbnail on some media.* events. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export interface WebhookEvent {
  event: string;
  /** Server.uuid: the machine identifier of the server that sent it. */
  serverId: string | null;
  ratingKey: string | null;
  sectionId: string | null;
}

export interface WebhookListenerOptions {
  port: number;
  /** Default '0.0.0.0': Plex usually runs on another machine. */
  host?: string;
  /** sha256 (hex) of the secret path segment. */
  secretHash: string;
  onEvent: (event: WebhookEvent) => void;
  /** A request with the secret that was not a usable webhook (for the watch's log). */
  onRejected?: (reason: string) => void;
}

export class WebhookPayloadError extends Error {
  readonly code = 'WEBHOOK_PAYLOAD';
}

/** A new secret for the URL path: 32 random bytes, URL-safe. */
export function newWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashWebhookSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The decoded `payload` field, or a WebhookPayloadError saying why not. */
export function decodeWebhookPayload(text: string): WebhookEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new WebhookPayloadError('the payload is not JSON');
  }
  if (!isObject(value) || typeof value.event !== 'string') throw new WebhookPayloadError('the payload has no event');
  const server = isObject(value.Server) ? value.Server : {};
  const metadata = isObject(value.Metadata) ? value.Metadata : {};
  return {
    event: value.event.slice(0, 100),
    serverId: idText(server.uuid),
    ratingKey: idText(metadata.ratingKey),
    sectionId: idText(metadata.librarySectionID),
  };
}

export class WebhookListener {
  private server: Server | null = null;

  constructor(private readonly options: WebhookListenerOptions) {}

  /** Listens; resolves with the port (0 asks the system for one). */
  async start(): Promise<number> {
    const server = createServer((request, response) => void this.handle(request, response));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host ?? '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!this.hasSecret(request.url ?? '') || request.method !== 'POST') return finish(response, 404, request);
    let body: Buffer;
    try {
      body = await readCapped(request, MAX_WEBHOOK_BODY_BYTES);
    } catch {
      this.options.onRejected?.(`a webhook body over ${MAX_WEBHOOK_BODY_BYTES} bytes`);
      return finish(response, 413, request);
    }
    try {
      const event = decodeWebhookPayload(await payloadField(body, request.headers['content-type'] ?? ''));
      finish(response, 200, request);
      this.options.onEvent(event);
    } catch (error) {
      this.options.onRejected?.(error instanceof WebhookPayloadError ? error.message : 'an unreadable webhook body');
      finish(response, 400, request);
    }
  }

  /** The path is exactly `/<secret>` (a query is ignored); compared by hash, in constant time. */
  private hasSecret(url: string): boolean {
    const path = url.split('?')[0] ?? '';
    if (!/^\/[A-Za-z0-9_-]{16,128}$/.test(path)) return false;
    const given = Buffer.from(hashWebhookSecret(path.slice(1)), 'hex');
    const expected = Buffer.from(this.options.secretHash, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** The `payload` field of a multipart (or urlencoded) form, through the platform's own form parser. */
async function payloadField(body: Buffer, contentType: string): Promise<string> {
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(contentType))
    throw new WebhookPayloadError('not a form (Plex posts multipart/form-data)');
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new WebhookPayloadError('the form cannot be read');
  }
  const payload = form.get('payload');
  if (typeof payload !== 'string') throw new WebhookPayloadError('the form has no payload field');
  return payload;
}

function readCapped(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? '0');
    if (declared > limit) return reject(new Error('too large'));
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        reject(new Error('too large'));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** An empty answer; a request whose body was not read is cut after it (no reading megabytes for nothing). */
function finish(response: ServerResponse, status: number, request: IncomingMessage): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'Content-Length': '0', Connection: 'close' });
  response.end();
  if (!request.complete) request.resume();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Ids come as numbers or strings (librarySectionID is a number in recorded payloads). */
function idText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && /^[A-Za-z0-9._-]{1,100}$/.test(value)) return value;
  return null;
}
