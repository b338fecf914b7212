// Sync in the real app, against a simulated server large enough (and slowed down enough) for progress to
// be seen: "Sync all" moves both bars to the per-library report; a full sync can be cancelled; the synced
// movies scroll in a virtualized list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, outcomesOf, startE2E } from './harness.js';

const LIBRARY = { movies: 3000, shows: 30, episodes: 4000 };

/**
 * Records every value the two progress bars take (and the current library's name) from inside the page,
 * so the test sees the steps however fast they go. Plain script text: the tests' tsconfig has no DOM types.
 */
const RECORD_PROGRESS = `(() => {
  const seen = (window.__progressSeen = []);
  const read = () => {
    const bar = (id) => document.querySelector('[data-testid="' + id + '"] progress');
    const libraries = bar('sync-progress-libraries');
    const items = bar('sync-progress-items');
    if (libraries === null || items === null) return;
    const entry = {
      libraries: libraries.getAttribute('data-value'),
      librariesMax: libraries.getAttribute('data-max'),
      items: items.getAttribute('data-value'),
      itemsMax: items.getAttribute('data-max'),
      library: document.querySelector('[data-testid="sync-current-library"]')?.textContent ?? null,
    };
    const last = seen[seen.length - 1];
    if (last === undefined || JSON.stringify(last) !== JSON.stringify(entry)) seen.push(entry);
  };
  new MutationObserver(read).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
})()`;

interface Seen {
  libraries: string;
  librariesMax: string;
  items: string;
  itemsMax: string;
  library: string | null;
}

describe('e2e: sync', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({ sim: { library: LIBRARY }, addServer: true });
    // Every listing page takes a moment, as on a real server over the network: progress has time to show.
    e2e.sim.addFault({ kind: 'delay', ms: 250, match: /\/library\/sections\/\d+\/all/ });
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('syncs everything with one click: both bars advance, then the report', async () => {
    const { page } = e2e;
    await page.getByTestId('nav-sync').click();
    await page.getByRole('heading', { level: 1, name: 'Sync' }).waitFor();
    await page.evaluate(RECORD_PROGRESS);
    await page.getByRole('button', { name: 'Sync all' }).click();

    const items = page.getByTestId('sync-progress-items').locator('progress');
    await expect.poll(async () => Number((await items.getAttribute('data-value')) || 0), { timeout: 30_000 }).toBeGreaterThan(0);
    await e2e.screenshot('sync-progress');

    const report = page.getByTestId('sync-report');
    await report.waitFor({ timeout: 60_000 });
    await e2e.screenshot('sync-report');
    await page.emulateMedia({ colorScheme: 'dark' });
    await e2e.screenshot('sync-report-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    const seen = await page.evaluate<Seen[]>('window.__progressSeen');
    const libraryValues = new Set(seen.map((entry) => entry.libraries).filter((value) => value !== ''));
    const itemValues = new Set(seen.map((entry) => entry.items).filter((value) => value !== ''));
    // Movies, TV Shows and Kids Movies: the library bar counted them off one by one.
    expect(seen.every((entry) => entry.librariesMax === '' || entry.librariesMax === '3')).toBe(true);
    expect([...libraryValues]).toEqual(expect.arrayContaining(['0', '1', '2']));
    expect(itemValues.size).toBeGreaterThanOrEqual(3);
    expect(seen.map((entry) => entry.library)).toEqual(expect.arrayContaining(['Sim · Movies', 'Sim · TV Shows', 'Sim · Kids Movies']));

    const rows = report.getByTestId('sync-report-row');
    expect(await rows.count()).toBe(3);
    expect(await outcomesOf(rows)).toEqual(['ok', 'ok', 'ok']);
    const movies = rows.filter({ hasText: /^Movies/ });
    expect(await movies.locator('td.num').first().textContent()).toBe('3,000');
    expect(await page.getByTestId('sync-report-headline').textContent()).toMatch(/^3 libraries synced: /);
    // The bars are gone; "Sync all" is back.
    expect(await page.getByTestId('sync-progress').count()).toBe(0);
    await page.getByRole('button', { name: 'Sync all' }).waitFor();
  }, 120_000);

  it('cancels a full sync', async () => {
    const { page } = e2e;
    await page.getByLabel('Full sync').check();
    await page.getByRole('button', { name: 'Sync all' }).click();
    const items = page.getByTestId('sync-progress-items').locator('progress');
    await expect.poll(async () => Number((await items.getAttribute('data-value')) || 0), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Cancel sync' }).click();
    await page.getByRole('heading', { name: 'Last sync (cancelled)' }).waitFor({ timeout: 30_000 });
    const outcomes = await outcomesOf(page.getByTestId('sync-report-row'));
    expect(outcomes).toContain('cancelled');
    expect(outcomes).not.toContain('failed');
    await e2e.screenshot('sync-cancelled');
    const state = await e2e.call('sync:state', {});
    expect(state.ok && state.value).toMatchObject({ running: false, lastCancelled: true });
  }, 120_000);

  it('lists the synced movies in a virtualized list', async () => {
    const { page } = e2e;
    await page.getByTestId('nav-browse').click();
    const count = page.getByTestId('browse-count');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toMatch(/^3,\d{3} movies$/);
    const list = page.getByRole('listbox', { name: 'Movies' });
    await list.getByTestId('browse-row').first().waitFor();
    // Only the rows in view (plus a few) exist.
    expect(await list.getByTestId('browse-row').count()).toBeLessThan(60);

    // Keyboard: End goes to the last movie, which is fetched and shown.
    await list.focus();
    await page.keyboard.press('End');
    const total = Number((await count.textContent())?.replace(/\D/g, ''));
    const last = list.locator(`[aria-posinset="${total}"]`);
    await expect.poll(() => last.getAttribute('data-loaded'), { timeout: 10_000 }).toBe('true');
    expect(await list.getByTestId('browse-row').count()).toBeLessThan(60);
    await page.keyboard.press('Enter');
    await page.getByTestId('browse-item').waitFor();
    expect(await last.getAttribute('aria-selected')).toBe('true');
    await e2e.screenshot('browse-movies-end');
    expect(e2e.pageErrors).toEqual([]);
  }, 60_000);
});
