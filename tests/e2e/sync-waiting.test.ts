// A slow Plex server in the real app: listing pages bigger than the server serves hang (simulator option
// `pageLimit`), the client gives up on each after a short timeout and retries, and the Sync screen says so
// ("Waiting for Plex… attempt 2 of 3") instead of showing a rate of 0 items/s. Waits on conditions only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, startE2E } from './harness.js';

describe('e2e: sync with a slow server', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({
      sim: { library: { movies: 150, shows: 2, episodes: 20 }, pageLimit: { maxItems: 100, answer: 'hang' } },
      addServer: true,
      // Short enough for the test, long enough for the waiting line to be seen between attempts.
      clientOptions: { retries: 2, timeoutMs: 1_000, retryBaseMs: 1_500, retryMaxMs: 3_000 },
    });
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('shows "Waiting for Plex… attempt N of M" while the engine retries', async () => {
    const { page } = e2e;
    await page.getByTestId('nav-sync').click();
    await page.getByRole('heading', { level: 1, name: 'Sync' }).waitFor();
    await page.getByRole('button', { name: 'Sync all' }).click();

    // Waits for the line itself, with its text: it shows only between an attempt and the next.
    await page
      .getByTestId('sync-waiting')
      .filter({ hasText: /Waiting for Plex… attempt \d+ of \d+/ })
      .waitFor({ timeout: 30_000 });
    await e2e.screenshot('sync-waiting');

    // However the retries end, the run ends with a report and the page saw no error.
    await page.getByTestId('sync-report').waitFor({ timeout: 90_000 });
    expect(e2e.pageErrors).toEqual([]);
  }, 150_000);
});
