// Artwork in the real app: open an item in Browse, its poster loads (fetched by the main side from the simulated
// Plex server's photo transcoder, served to the page through the preview's keyed image route), and no request
// the page makes carries the Plex token: not in a URL, not in a header, not in a body, not in an answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Request, Response } from 'playwright-core';
import { type E2E, startE2E } from './harness.js';

interface SeenRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

describe('e2e: artwork', () => {
  let e2e: E2E;
  const requests: SeenRequest[] = [];
  const answers: Promise<string>[] = [];

  beforeAll(async () => {
    e2e = await startE2E({ sync: true, sim: { library: { movies: 12, shows: 2, episodes: 6 } } });
    const record = async (request: Request): Promise<void> => {
      requests.push({ url: request.url(), headers: await request.allHeaders(), body: request.postData() ?? '' });
    };
    const readAnswer = (response: Response): void => {
      // The event stream never ends; every other answer (bridge results, scripts, the page) is read whole.
      if ((response.headers()['content-type'] ?? '').startsWith('text/event-stream')) return;
      answers.push(response.text().catch(() => ''));
    };
    e2e.context.on('request', (request) => void record(request));
    e2e.context.on('response', readAnswer);
    // From a fresh load, so every request of the page is seen.
    await e2e.page.reload();
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it("shows an item's poster, loaded through the keyed image route", async () => {
    const { page } = e2e;
    await page.getByTestId('nav-browse').click();
    const list = page.getByRole('listbox', { name: 'Movies' });
    await list.getByRole('option').first().click();
    const details = page.getByTestId('browse-item');
    await details.waitFor();
    const artwork = details.getByTestId('artwork');
    await expect.poll(() => artwork.getAttribute('data-state'), { timeout: 20_000 }).toBe('loaded');
    const image = artwork.locator('img');
    expect(await image.evaluate((element) => (element as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    expect(new URL((await image.getAttribute('src')) ?? '', e2e.baseUrl).pathname).toMatch(/^\/__artwork\/[^/]+\/\d+\/poster\/\d+x\d+$/);
    // The main side asked Plex's transcoder for it.
    expect(e2e.sim.requests.some((request) => request.path === '/photo/:/transcode' && request.status === 200)).toBe(true);
    await e2e.screenshot('artwork-details');
    expect(e2e.pageErrors).toEqual([]);
  }, 60_000);

  it("sets the artwork cache's size on the Live screen", async () => {
    const { page } = e2e;
    await page.getByTestId('nav-live').click();
    const field = page.getByTestId('setting-artwork-cache');
    await expect.poll(() => field.inputValue()).toBe('500');
    await field.fill('5');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await field.fill('250');
    await field.press('Enter');
    await expect.poll(() => e2e.call('settings:get', {})).toMatchObject({ ok: true, value: { artworkCacheMb: 250 } });
    expect(e2e.pageErrors).toEqual([]);
  }, 60_000);

  it('never lets the token reach the page: no request or answer carries it', async () => {
    const token = e2e.sim.token;
    expect(requests.some((request) => request.url.includes('/__artwork/'))).toBe(true);
    for (const request of requests) {
      expect(request.url).not.toContain(token);
      expect(request.url.toLowerCase()).not.toContain('x-plex-token');
      expect(Object.keys(request.headers).map((name) => name.toLowerCase())).not.toContain('x-plex-token');
      for (const value of Object.values(request.headers)) expect(value).not.toContain(token);
      expect(request.body).not.toContain(token);
    }
    for (const answer of await Promise.all(answers)) expect(answer).not.toContain(token);
  });
});
