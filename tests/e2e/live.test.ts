// The live catalog in the app (issue 9), in Chromium over the preview server, which runs the live service as
// the app does: a change made on the simulated server shows in the feed and in Browse without a click on Sync;
// a server whose notification socket is refused says "Polling". Layout, axe and screenshots of the Live screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAxeViolations, seriousAxeViolations } from './axe.js';
import { type E2E, startE2E } from './harness.js';
import { findLayoutProblems, formatLayoutProblems } from './layout-check.js';

const LIVE_OPTIONS = { batchWindowMs: 100, backoffBaseMs: 50, backoffMaxMs: 200 };
const SETTLE = `new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))`;

function movieSection(e2e: E2E): string {
  const section = e2e.sim.library.sections().find((entry) => entry.type === 'movie');
  if (section === undefined) throw new Error('the simulated server has no movie library');
  return section.key;
}

describe('e2e: the live catalog', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({
      sync: true,
      restartAfterSetup: true,
      live: LIVE_OPTIONS,
      sim: { library: { movies: 30, shows: 3, episodes: 20 } },
    });
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('a movie added on the server appears in Browse and in the feed without a sync', async () => {
    const { page, sim } = e2e;
    await page.getByTestId('nav-servers').click();
    await page.locator('[data-testid="live-badge"][data-mode="live"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('nav-browse').click();
    await page.getByTestId('browse-search').fill('Arrived While Watching');
    await page.locator('[data-testid="browse-count"][aria-busy="false"]', { hasText: /^0 movies$/ }).waitFor();
    expect(await page.getByTestId('browse-row').count()).toBe(0);

    sim.library.addMovie(movieSection(e2e), { title: 'Arrived While Watching' });
    await page.getByTestId('browse-row').filter({ hasText: 'Arrived While Watching' }).waitFor({ timeout: 30_000 });
    await e2e.screenshot('live-browse');

    await page.getByTestId('nav-live').click();
    const entry = page.getByTestId('live-change').filter({ hasText: 'Arrived While Watching' });
    await entry.waitFor();
    expect(await entry.getAttribute('data-change')).toBe('added');
    expect(await entry.textContent()).toContain('Movies · Sim');
    await page.getByTestId('nav-servers').click();
    expect(await page.getByTestId('live-last-change').first().textContent()).toMatch(/^last change \d+ s ago$/);
    expect(e2e.pageErrors).toEqual([]);
  }, 90_000);

  it('"Scan files" asks Plex to scan the library; what the scan finds shows in the feed', async () => {
    const { page, sim } = e2e;
    const movies = movieSection(e2e);
    sim.notifications.stageForScan(movies, () => void sim.library.addMovie(movies, { title: 'Found By Scanning' }));
    await page.getByTestId('nav-libraries').click();
    const row = page.locator('[data-testid="library-row"][data-library-title="Movies"]');
    await row.getByTestId('scan-library').click();
    await row.getByTestId('scan-asked').waitFor();
    await page.getByTestId('nav-live').click();
    await page.getByTestId('live-change').filter({ hasText: 'Found By Scanning' }).waitFor({ timeout: 30_000 });
    expect(sim.requests.some((request) => request.path === `/library/sections/${movies}/refresh`)).toBe(true);
  }, 60_000);

  it('"Refresh metadata" on an item asks Plex to refresh it by its rating key', async () => {
    const { page, sim } = e2e;
    await page.getByTestId('nav-browse').click();
    await page.getByTestId('browse-search').fill('Arrived While Watching');
    await page.getByTestId('browse-row').filter({ hasText: 'Arrived While Watching' }).click();
    await page.getByTestId('refresh-metadata').click();
    await page.getByText('Plex is refreshing it').waitFor();
    const ratingKey = await page.getByTestId('fact-rating-key').textContent();
    expect(sim.requests.some((request) => request.path === `/library/metadata/${ratingKey}/refresh`)).toBe(true);
    expect(e2e.pageErrors).toEqual([]);
  }, 60_000);

  it('the Live screen lays out and reads at 900×600 and 1440×900, light and dark', async () => {
    const { page } = e2e;
    await page.getByTestId('nav-live').click();
    await page.getByTestId('live-change').first().waitFor();
    const failures: string[] = [];
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      for (const size of [
        { width: 900, height: 600 },
        { width: 1440, height: 900 },
      ]) {
        await page.setViewportSize(size);
        await page.evaluate(SETTLE);
        const label = `live-${size.width}x${size.height}-${theme}`;
        await e2e.screenshot(label);
        const problems = await findLayoutProblems(page);
        if (problems.length > 0) failures.push(`${label}:\n${formatLayoutProblems(problems)}`);
        const violations = await seriousAxeViolations(page);
        if (violations.length > 0) failures.push(`${label} (axe):\n${formatAxeViolations(violations)}`);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    expect(failures.join('\n\n')).toBe('');
  }, 90_000);

  it('the settings switches are stored in the catalog', async () => {
    const { page } = e2e;
    await page.getByTestId('nav-live').click();
    const tray = page.getByTestId('setting-tray');
    expect(await tray.isChecked()).toBe(false);
    await tray.check();
    await expect
      .poll(async () => e2e.call('settings:get', {}))
      .toEqual({ ok: true, value: { keepRunningInTray: true, startAtLogin: false, artworkCacheMb: 500 } });
    // A reloaded page reads it back from the catalog.
    await page.reload();
    await page.getByTestId('nav-live').click();
    await expect.poll(async () => page.getByTestId('setting-tray').isChecked()).toBe(true);
  }, 60_000);
});

describe('e2e: a server without a notification socket', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({
      addServer: true,
      live: LIVE_OPTIONS,
      sim: { library: { movies: 5, shows: 1, episodes: 3 }, notifications: { refuse: true } },
    });
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('says Polling on the Servers screen and on the Live screen', async () => {
    const { page } = e2e;
    await page.getByTestId('nav-servers').click();
    const badge = page.getByTestId('server-live').getByTestId('live-badge');
    await page.locator('[data-testid="server-live"] [data-testid="live-badge"][data-mode="polling"]').waitFor({ timeout: 30_000 });
    expect(await badge.textContent()).toContain('Polling');
    await page.setViewportSize({ width: 900, height: 600 });
    await e2e.screenshot('live-servers-polling-900x600-light');
    const problems = await findLayoutProblems(page);
    expect(formatLayoutProblems(problems)).toBe(formatLayoutProblems([]));
    await page.getByTestId('nav-live').click();
    await page.locator('[data-testid="live-servers"] [data-mode="polling"]').waitFor();
    expect(e2e.pageErrors).toEqual([]);
  }, 90_000);
});
