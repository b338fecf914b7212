// The plumbing end to end: built page → bridge client → preview server → dispatch → real handlers, and the
// events stream back. The renderer's own tests build on tests/e2e/harness.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcResult, MarqueeBridge, RequestOutput } from '../../shared/ipc.js';
import { type E2E, startE2E } from './harness.js';

/** The page's `window.marquee`, typed without the DOM library. */
type PageScope = { marquee: MarqueeBridge; __events?: string[] };

describe('e2e smoke: the preview bridge in Chromium', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({ addServer: true, secretWarning: 'Tokens use the key file in this test.' });
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('exposes window.marquee and answers app:info through the bridge', async () => {
    const result = await e2e.page.evaluate(() => (globalThis as unknown as PageScope).marquee.invoke('app:info', {}));
    expect(result).toEqual({
      ok: true,
      value: {
        version: expect.stringMatching(/^\d+\.\d+\.\d+/) as string,
        secretStorage: { kind: 'key-file', warning: 'Tokens use the key file in this test.' },
      },
    } satisfies IpcResult<RequestOutput<'app:info'>> | object);
    // window.marquee cannot be replaced by page scripts (as with contextBridge).
    const replaced = await e2e.page.evaluate(() => {
      const scope = globalThis as unknown as { marquee: unknown };
      try {
        scope.marquee = null;
      } catch {
        // strict-mode pages throw; either way it must stay
      }
      return scope.marquee !== null;
    });
    expect(replaced).toBe(true);
  });

  it('returns failures as envelopes, not exceptions', async () => {
    const result = await e2e.page.evaluate(() => (globalThis as unknown as PageScope).marquee.invoke('servers:remove', { id: -5 }));
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('streams service events to the page', async () => {
    await e2e.page.evaluate(() => {
      const scope = globalThis as unknown as PageScope;
      scope.__events = [];
      scope.marquee.on('sync:finished', (payload) => scope.__events?.push(`finished:${String(payload.report.ok)}`));
    });
    const started = await e2e.page.evaluate(() => (globalThis as unknown as PageScope).marquee.invoke('sync:start', {}));
    expect(started.ok).toBe(true);
    await e2e.page.waitForFunction(() => ((globalThis as unknown as PageScope).__events ?? []).length > 0, undefined, { timeout: 30_000 });
    expect(await e2e.page.evaluate(() => (globalThis as unknown as PageScope).__events)).toEqual(['finished:true']);
  });

  it('refuses bridge calls without the access key', async () => {
    const response = await fetch(`${e2e.baseUrl}/__bridge/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'servers:list', input: {} }),
    });
    expect(response.status).toBe(403);
  });

  it('loads the page without script errors or CSP violations', async () => {
    await e2e.screenshot('smoke');
    expect(e2e.pageErrors).toEqual([]);
  });
});
