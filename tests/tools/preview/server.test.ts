// The preview server over real HTTP: what it serves, and everything it refuses.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../main/app/csp.js';
import { injectBridge, type PreviewServer, startPreviewServer } from '../../../tools/preview/server.js';
import { type AppFixture, startAppFixture } from '../../main/app/fixtures.js';

/** A raw request, so Host and path go out exactly as written. */
function raw(port: number, options: { path: string; method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: options.path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('preview server', () => {
  let app: AppFixture;
  let server: PreviewServer;

  beforeAll(async () => {
    app = await startAppFixture();
    const rendererDir = join(app.dir, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>T</title></head><body></body></html>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(app.dir, 'secret.txt'), 'outside the renderer');
    server = await startPreviewServer({ service: app.service, rendererDir, accessKey: 'test-key' });
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await app.close();
  });

  const invoke = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.origin}/__bridge/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-marquee-key': 'test-key', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('serves the app page with the bridge client and a strict CSP', async () => {
    expect(server.url).toBe(`${server.origin}/?key=test-key`);
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('content-security-policy')).not.toMatch(/unsafe/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('<script src="/__bridge/client.js"></script>\n</head>');
    // Routes of the app get the page too; assets are served as files.
    expect(await (await fetch(`${server.origin}/browse`)).text()).toContain('/__bridge/client.js');
    const asset = await fetch(`${server.origin}/assets/app.js`);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${server.origin}/assets/missing.js`)).status).toBe(404);
  });

  it('serves the bridge client as a classic script', async () => {
    const client = await fetch(`${server.origin}/__bridge/client.js`);
    expect(client.status).toBe(200);
    const code = await client.text();
    expect(code).toMatch(/^\(function\(\) \{/);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).toContain('/__bridge/invoke');
  });

  it('answers a request with the right key through dispatch', async () => {
    const response = await invoke({ name: 'app:info', input: {} });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, value: { secretStorage: { kind: 'key-file' } } });
    expect(await (await invoke({ name: 'servers:remove', input: { id: 'x' } })).json()).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await (await invoke({ name: 'nope', input: {} })).json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses a wrong or missing key, and other origins', async () => {
    expect((await invoke({ name: 'app:info', input: {} }, { 'x-marquee-key': 'wrong' })).status).toBe(403);
    expect((await invoke({ name: 'app:info', input: {} }, { 'x-marquee-key': '' })).status).toBe(403);
    expect((await invoke({ name: 'app:info', input: {} }, { 'x-marquee-key': 'test-key-but-longer' })).status).toBe(403);
    expect((await invoke({ name: 'app:info', input: {} }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await invoke({ name: 'app:info', input: {} }, { origin: server.origin })).status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const response = await raw(server.port, { path: '/', headers: { host: `evil.example:${server.port}` } });
    expect(response.status).toBe(403);
    const bridged = await raw(server.port, {
      path: '/__bridge/invoke',
      method: 'POST',
      headers: { host: 'evil.example', 'content-type': 'application/json', 'x-marquee-key': 'test-key' },
      body: '{"name":"servers:list","input":{}}',
    });
    expect(bridged.status).toBe(403);
  });

  it('refuses malformed bodies', async () => {
    expect((await invoke('{not json')).status).toBe(400);
    expect(await (await invoke('[1,2]')).json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await invoke({ name: 'app:info', input: {} }, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await invoke(JSON.stringify({ name: 'app:info', input: { pad: 'x'.repeat(2 * 1024 * 1024) } }))).status).toBe(413);
    const polluted = await invoke('{"name":"servers:remove","input":{"id":1,"__proto__":{"admin":true}}}');
    expect(await polluted.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await fetch(`${server.origin}/__bridge/invoke`)).status).toBe(405);
    expect((await fetch(`${server.origin}/`, { method: 'DELETE' })).status).toBe(405);
  });

  it('never serves files outside the renderer', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/assets/%00.js']) {
      const response = await raw(server.port, { path });
      expect(response.body, path).not.toContain('outside the renderer');
    }
  });

  it('streams events to holders of the key only', async () => {
    expect((await fetch(`${server.origin}/__bridge/events`)).status).toBe(403);
    expect((await fetch(`${server.origin}/__bridge/events?key=wrong`)).status).toBe(403);

    const controller = new AbortController();
    const stream = await fetch(`${server.origin}/__bridge/events?key=test-key`, { signal: controller.signal });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (stream.body as ReadableStream<Uint8Array> | null)?.getReader();
    if (reader === undefined) throw new Error('no body');
    const decoder = new TextDecoder();
    let received = decoder.decode((await reader.read()).value);
    expect(received).toContain(': connected');

    const report = { startedAt: 1, finishedAt: 2, libraries: [], serverErrors: [], ok: true };
    app.service.events.emit('sync:finished', { runId: 'r-1', report, cancelled: false, error: null, errorCode: null });
    const expected = `event: sync:finished\ndata: ${JSON.stringify({ runId: 'r-1', report, cancelled: false, error: null, errorCode: null })}\n\n`;
    while (!received.includes(expected)) {
      const chunk = await reader.read();
      if (chunk.done) break;
      received += decoder.decode(chunk.value);
    }
    expect(received).toContain(expected);
    controller.abort();
  });

  it('adds the bridge script even to a page without </head>', () => {
    expect(injectBridge('<p>x</p>')).toBe('<script src="/__bridge/client.js"></script>\n<p>x</p>');
  });
});
