// Browse (issue 10) in the real app: the poster grid, filters and search narrowing it, the compact list (a
// remembered toggle), and the details of a film that is in two libraries of one server and on a second server:
// its technical line and "also in". Each state is checked by the layout checker and axe at 900×600 and
// 1440×900, with screenshots (tests/artifacts/screenshots/browse-*.png).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlexSim, type PlexSim } from '../../tools/plex-sim/index.js';
import { type E2E, startE2E } from './harness.js';
import { checkLayouts, SMALL_AND_COMMON } from './page-checks.js';

/** The same film (same GUIDs) in Movies and Kids Movies on Home, and in Movies on Office. */
const DUNE = {
  title: 'Dune Duplicated',
  year: 2021,
  guid: 'plex://movie/5d776b59ad5437001f79c6f8',
  guids: ['imdb://tt1160419', 'tmdb://438631'],
};

describe('e2e: browse the catalog (grid, filters, details with "also in")', () => {
  let e2e: E2E;
  let office: PlexSim;

  /** Screenshots and checks the page at both sizes; returns what failed. */
  async function checkAtSizes(name: string): Promise<string> {
    const failures = await checkLayouts(e2e, {
      sizes: SMALL_AND_COMMON,
      label: (size) => `browse-${name}-${size.width}x${size.height}`,
    });
    return failures.join('\n\n');
  }

  const count = async (): Promise<number> => {
    const status = e2e.page.locator('[data-testid="browse-count"][aria-busy="false"]');
    return Number(((await status.textContent()) ?? '').replace(/\D/g, ''));
  };

  beforeAll(async () => {
    e2e = await startE2E({
      addServer: { name: 'Home' },
      viewport: { width: 1440, height: 900 },
      sim: { seed: 5, library: { movies: 150, shows: 6, episodes: 90 } },
    });
    e2e.sim.library.addMovie('1', { ...DUNE, file: '/data/media/movies/Dune (2021)/Dune.mkv', size: 62_491_774_976 });
    e2e.sim.library.addMovie('3', { ...DUNE, file: 'D:\\Media\\Kids Movies\\Dune (2021)\\Dune.mkv' });
    office = await startPlexSim({
      seed: 9,
      machineIdentifier: 'office-machine-0001',
      friendlyName: 'Office',
      library: { movies: 20, shows: 0, episodes: 0 },
    });
    office.library.addMovie('1', { ...DUNE, file: '/data/media/movies/Dune.mkv' });
    const added = await e2e.call('servers:add', { name: 'Office', url: office.url, token: office.token });
    expect(added.ok).toBe(true);
    // Home's movies are mapped; Office's and the Kids library's files stay unmapped.
    const mapped = await e2e.call('mappings:add', {
      serverId: e2e.serverId ?? 0,
      libraryId: null,
      plexPrefix: '/data/media/movies',
      localPrefix: '/mnt/movies',
    });
    expect(mapped.ok).toBe(true);
    const finished = new Promise<boolean>((resolve) => {
      const off = e2e.service.events.on('sync:finished', (event) => {
        off();
        resolve(event.report.ok);
      });
    });
    expect((await e2e.call('sync:start', {})).ok).toBe(true);
    expect(await finished).toBe(true);
    await e2e.page.reload();
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
    await office?.close();
  });

  it('shows a poster grid of the catalog, virtualized, with artwork tiles', async () => {
    const { page } = e2e;
    await page.getByTestId('nav-browse').click();
    const grid = page.getByRole('listbox', { name: 'Movies' });
    await grid.getByTestId('artwork').first().waitFor();
    expect(await page.getByTestId('browse-grid').count()).toBe(1);
    const total = await count();
    expect(total).toBeGreaterThan(150);
    // Only the tiles in view (plus a row or two) exist.
    expect(await grid.getByTestId('browse-row').count()).toBeLessThan(total);
    expect(await grid.getByTestId('artwork').count()).toBeGreaterThan(4);
    expect(await checkAtSizes('grid')).toBe('');
  }, 120_000);

  it('narrows the results with filters and a prefix search that folds case', async () => {
    const { page } = e2e;
    const total = await count();
    // Kinds come from the catalog: shows, episodes and "All" beside movies.
    await page.getByRole('radio', { name: 'Shows' }).check();
    await expect.poll(() => page.getByTestId('browse-count').textContent()).toMatch(/^\d+ shows$/);
    await page.getByRole('radio', { name: 'All' }).check();
    await expect.poll(count).toBeGreaterThan(total);
    expect(await page.getByTestId('browse-count').textContent()).toMatch(/ titles$/);
    await page.getByRole('radio', { name: 'Movies' }).check();
    await expect.poll(count).toBe(total);
    const filters = page.getByTestId('browse-filters');
    await filters.getByLabel('Library').selectOption({ label: 'Kids Movies (Home)' });
    await expect.poll(count).toBeLessThan(total);
    const kids = await count();
    expect(kids).toBeGreaterThan(0);
    await filters.getByLabel('Library').selectOption({ label: 'Any' });
    await expect.poll(count).toBe(total);

    const catalogTotal = async (filter: { serverId?: number; unmapped?: boolean }): Promise<number> => {
      const answer = await e2e.call('browse:search', { kind: 'movie', ...filter, offset: 0, limit: 1 });
      return answer.ok ? answer.value.total : -1;
    };
    await filters.getByLabel('Server').selectOption({ label: 'Office' });
    await expect.poll(count).toBeLessThan(total);
    expect(await count()).toBe(await catalogTotal({ serverId: (e2e.serverId ?? 0) + 1 }));
    await filters.getByLabel('Server').selectOption({ label: 'Any' });

    // Office and the Kids library have no mapping, nor Home's second movie folder.
    await page.getByTestId('browse-unmapped').check();
    await expect.poll(count).toBeLessThan(total);
    expect(await count()).toBe(await catalogTotal({ unmapped: true }));
    expect(await count()).toBeGreaterThan(kids);
    await page.getByTestId('browse-unmapped').uncheck();

    const genre = await filters.getByLabel('Genre').locator('option').nth(1).textContent();
    await filters.getByLabel('Genre').selectOption({ label: genre ?? '' });
    await expect.poll(count).toBeLessThan(total);
    await e2e.screenshot('browse-filtered');
    await page.getByTestId('browse-clear-filters').click();
    await expect.poll(count).toBe(total);

    await page.getByTestId('browse-search').fill('DUNE dupl');
    await expect.poll(count).toBe(3);
    expect(await page.getByTestId('browse-row').count()).toBe(3);
    expect(await checkAtSizes('search')).toBe('');
  }, 120_000);

  it('shows the details: poster, metadata, the technical line and "also in"', async () => {
    const { page } = e2e;
    await page.getByTestId('browse-filters').getByLabel('Server').selectOption({ label: 'Home' });
    await page.getByTestId('browse-filters').getByLabel('Library').selectOption({ label: 'Movies (Home)' });
    await expect.poll(count).toBe(1);
    await page.getByRole('option', { name: /Dune Duplicated/ }).click();
    const details = page.locator('[data-testid="browse-item"][data-kind="movie"]');
    await details.getByTestId('browse-also-in').waitFor();
    expect(await details.getByTestId('browse-also-in').textContent()).toBe('also in Kids Movies (Home), Movies (Office)');
    expect(await details.getByTestId('artwork').count()).toBe(1);
    const line = (await details.getByTestId('browse-technical-line').first().textContent()) ?? '';
    // Video, audio and the file's size, as the formatter writes them (renderer/format.ts, unit-tested there).
    expect(line).toMatch(/^(\d+p|SD)\b.* · .* · 58\.2 GB$/);
    expect(await details.getByTestId('browse-file-local').first().textContent()).toBe('/mnt/movies/Dune (2021)/Dune.mkv');
    expect(await details.getByTestId('fact-group').textContent()).toBe('movie:imdb:tt1160419');
    expect(await checkAtSizes('details')).toBe('');
    // Each copy opens its own details, which name the others.
    await details.getByRole('button', { name: 'Movies (Office)' }).click();
    await expect.poll(() => details.getByTestId('fact-library').textContent()).toBe('Movies · Office');
    expect(await details.getByTestId('browse-also-in').textContent()).toBe('also in Kids Movies (Home), Movies (Home)');
    expect(await details.getByTestId('browse-file').first().getAttribute('data-mapped')).toBe('false');
    expect(e2e.pageErrors).toEqual([]);
  }, 120_000);

  it('switches to the compact list, remembers it, and works by keyboard', async () => {
    const { page } = e2e;
    await page.getByTestId('browse-clear-filters').click();
    await page.getByTestId('browse-search').fill('');
    await page.getByRole('radio', { name: 'List' }).check();
    await page.getByTestId('browse-list').waitFor();
    await page.reload();
    await page.getByTestId('nav-browse').click();
    const list = page.getByTestId('browse-list');
    await list.getByTestId('browse-row').first().waitFor();
    expect(await page.getByRole('radio', { name: 'List' }).isChecked()).toBe(true);
    await list.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('browse-item').waitFor();
    expect(await list.locator('[aria-posinset="2"]').getAttribute('aria-selected')).toBe('true');
    expect(await checkAtSizes('list')).toBe('');

    // Back to posters; the grid takes arrows across and down.
    await page.getByRole('radio', { name: 'Posters' }).check();
    const grid = page.getByTestId('browse-grid');
    await grid.getByTestId('browse-row').first().waitFor();
    const columns = Number(await grid.getAttribute('data-columns'));
    await grid.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => grid.locator(`[aria-posinset="${columns + 2}"]`).getAttribute('aria-selected')).toBe('true');
    expect(e2e.pageErrors).toEqual([]);
  }, 120_000);
});
