// What a sync changed, by kind and by name, in the real report of a real sync (the rendering itself is
// unit-tested on constructed reports in tests/renderer/format.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGED_ITEMS_LIMIT } from '../../shared/domain.js';
import { type E2E, startE2E } from './harness.js';

describe('e2e: a report says what changed, by kind and by name', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({ addServer: true, sim: { library: { movies: 60, shows: 6, episodes: 90 } } });
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('counts the first sync by kind and names the first items, then "and N more"', async () => {
    const { page } = e2e;
    await page.getByTestId('nav-sync').click();
    await page.getByTestId('sync-all').click();
    const report = page.getByTestId('sync-report');
    await report.waitFor({ timeout: 60_000 });
    const headlines = await report.getByTestId('sync-change-headline').allTextContents();
    expect(headlines).toContain('60 movies added');
    expect(headlines.some((headline) => /^6 shows, \d+ seasons, 90 episodes added$/.test(headline))).toBe(true);

    const movies = report.locator('[data-testid="sync-report-changes"][data-library="Movies"]');
    await movies.locator('li[data-change="added"] summary').click();
    expect(await movies.locator('.change-names > li:not([data-testid])').count()).toBe(CHANGED_ITEMS_LIMIT);
    expect(await movies.getByTestId('sync-change-more').textContent()).toBe(`and ${60 - CHANGED_ITEMS_LIMIT} more`);
    await e2e.screenshot('sync-changes');
    expect(e2e.pageErrors).toEqual([]);
  }, 90_000);
});
