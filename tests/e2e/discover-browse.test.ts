// Discovery and browsing in the real app: find one show on the server, import it on its own (with its
// own progress and report), then browse to one of its episodes and read its file paths, Plex and local.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, startE2E } from './harness.js';

const SHOW = 'Breaking Bad';
const PLEX_ROOT = 'D:\\Media\\TV Shows';
const LOCAL_ROOT = '/mnt/tv';

describe('e2e: discover a show, import it, browse its episodes', () => {
  let e2e: E2E;
  let episodeFile: string;

  beforeAll(async () => {
    e2e = await startE2E({ addServer: true });
    const show = e2e.sim.library.items('2', 'show').find((item) => item.title === SHOW);
    const episode = e2e.sim.library
      .items('2', 'episode')
      .find((item) => item.grandparentKey === show?.ratingKey && item.title === 'Dead Reckoning');
    episodeFile = episode?.media[0]?.parts[0]?.file ?? '';
    expect(episodeFile.startsWith(`${PLEX_ROOT}\\`)).toBe(true);
    const mapped = await e2e.call('mappings:add', {
      serverId: e2e.serverId ?? 0,
      libraryId: null,
      plexPrefix: PLEX_ROOT,
      localPrefix: LOCAL_ROOT,
    });
    expect(mapped.ok).toBe(true);
    // Listing the show's episodes takes a moment, so the import's own progress can be seen.
    e2e.sim.addFault({ kind: 'delay', ms: 700, match: /\/library\/metadata\/\d+\/(allLeaves|children)/ });
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('finds the show with what tells look-alikes apart', async () => {
    const { page } = e2e;
    await page.getByTestId('nav-discover').click();
    const form = page.getByTestId('discover-form');
    await form.getByLabel('Title').fill('Breaking');
    await form.getByLabel('Year').fill('2008');
    await form.getByRole('button', { name: 'Search' }).click();
    const card = page.locator(`[data-testid="discover-candidate"][data-title="${SHOW}"]`);
    await card.waitFor();
    const text = await card.textContent();
    expect(text).toContain('(2008)');
    expect(text).toContain('TV Shows');
    expect(text).toContain('tt0903747');
    expect(text).toContain('81189');
    expect(text).toMatch(/7 seasons · 100 episodes/);
    expect(await card.getByTestId('in-catalog-badge').count()).toBe(0);
    await e2e.screenshot('discover-results');
  }, 60_000);

  it('imports it with its own progress and report', async () => {
    const { page } = e2e;
    const card = page.locator(`[data-testid="discover-candidate"][data-title="${SHOW}"]`);
    await card.getByRole('button', { name: `Import ${SHOW}` }).click();
    const progress = card.getByTestId('import-progress');
    await progress.waitFor();
    // The seasons are listed before the (delayed) episodes: the bar shows a count meanwhile.
    await expect
      .poll(async () => Number((await progress.locator('progress').getAttribute('data-value')) || 0), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await e2e.screenshot('discover-importing');
    const report = card.getByTestId('import-report');
    await report.waitFor({ timeout: 60_000 });
    expect(await report.getAttribute('data-outcome')).toBe('ok');
    expect(await report.textContent()).toMatch(/^Imported into TV Shows: [\d,]+ added/);
    await card.getByTestId('in-catalog-badge').waitFor();
    await e2e.screenshot('discover-imported');
  }, 60_000);

  it('browses to an imported episode and shows its Plex and local paths', async () => {
    const { page } = e2e;
    await page.getByTestId('nav-browse').click();
    await page.getByRole('radio', { name: 'Shows' }).check();
    await page.getByLabel('Search').fill('break');
    const list = page.getByRole('listbox', { name: 'Shows' });
    await expect.poll(() => page.getByTestId('browse-count').textContent()).toBe('1 show');
    await list.getByRole('option', { name: new RegExp(SHOW) }).click();

    const seasons = page.getByTestId('browse-seasons');
    await seasons.getByText('Season 1', { exact: false }).first().waitFor();
    await seasons.getByRole('button', { name: /S01E01 Dead Reckoning/ }).click();

    const details = page.locator('[data-testid="browse-item"][data-kind="episode"]');
    await details.waitFor();
    expect(await details.getByRole('heading').first().textContent()).toContain('Dead Reckoning');
    const file = details.getByTestId('browse-file').first();
    expect(await file.getByTestId('browse-file-plex').textContent()).toBe(episodeFile);
    expect(await file.getByTestId('browse-file-local').textContent()).toBe(
      `${LOCAL_ROOT}/${episodeFile.slice(PLEX_ROOT.length + 1).replaceAll('\\', '/')}`,
    );
    expect(await file.getAttribute('data-mapped')).toBe('true');
    await e2e.screenshot('browse-episode');
    await page.emulateMedia({ colorScheme: 'dark' });
    await e2e.screenshot('browse-episode-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(e2e.pageErrors).toEqual([]);
  }, 60_000);
});
