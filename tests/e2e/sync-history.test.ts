// The Sync screen of an app started on a catalog synced earlier: each library's last sync (time, outcome,
// numbers) from the catalog, not "no sync has run"; then a failing library's report with its remedy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeShowsAddedReport } from './fixtures.js';
import { type E2E, outcomesOf, startE2E } from './harness.js';

describe('e2e: the Sync screen on start', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({ sync: true, restartAfterSetup: true, sim: { library: { movies: 60, shows: 6, episodes: 90 } } });
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it("shows each library's last sync from the catalog", async () => {
    const { page } = e2e;
    await page.getByTestId('nav-sync').click();
    const rows = page.getByTestId('past-sync-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(3);
    expect(await outcomesOf(rows)).toEqual(['ok', 'ok', 'ok']);
    const movies = rows.filter({ hasText: /^Movies/ });
    expect(await movies.getByTestId('past-sync-when').textContent()).toBe('just now');
    // Added on that first sync: every movie of the library.
    expect(await movies.locator('td.num').first().textContent()).toBe('60');
    expect(await page.getByText('No sync has run since the app started.').count()).toBe(0);
    expect(await page.getByTestId('sync-report').count()).toBe(0);
    await e2e.screenshot('sync-history');
    expect(e2e.pageErrors).toEqual([]);
  }, 60_000);

  it('shows what a stored report changed, by kind and by name', async () => {
    const { page } = e2e;
    storeShowsAddedReport(e2e.catalog, e2e.serverId ?? 0, 'TV Shows');
    await page.reload();
    await page.getByTestId('nav-sync').click();
    const changes = page.locator('[data-testid="sync-report-changes"][data-library="TV Shows"]');
    await changes.waitFor();
    expect(await changes.getByTestId('sync-change-headline').allTextContents()).toEqual([
      '8 shows, 12 seasons, 150 episodes added',
      '2 episodes removed',
    ]);
    await changes.locator('li[data-change="added"] summary').click();
    const names = changes.locator('li[data-change="added"] .change-names > li');
    expect(await names.first().textContent()).toBe('The Show With A Long Name · S01E01 · A rather long episode title, number 1');
    expect(await changes.locator('li[data-change="added"]').getByTestId('sync-change-more').textContent()).toBe('and 150 more');
    await e2e.screenshot('sync-history-changes');
    expect(e2e.pageErrors).toEqual([]);
  }, 60_000);

  it('then shows the new report, with what fixes a refused token', async () => {
    const { page } = e2e;
    e2e.sim.addFault({ kind: 'status', status: 401, match: /\/library\/sections\/2\/all/ });
    await page.getByTestId('sync-all').click();
    const report = page.getByTestId('sync-report');
    await report.waitFor({ timeout: 60_000 });
    const shows = report.getByTestId('sync-report-row').filter({ hasText: /^TV Shows/ });
    expect(await shows.getAttribute('data-outcome')).toBe('failed');
    await shows.getByTestId('remedy-edit-server').waitFor();
    await e2e.screenshot('sync-history-then-failed');
    // The catalog's record follows: the next start shows the failure with its error.
    const history = await e2e.call('sync:history', {});
    expect(history.ok && history.value.find((entry) => entry.libraryTitle === 'TV Shows')).toMatchObject({
      outcome: 'failed',
      error: expect.stringMatching(/token|401/i) as string,
    });
    expect(e2e.pageErrors).toEqual([]);
  }, 90_000);
});
