// Every screen, with data, at every supported size from 800×600 to 1920×1080, light and dark: no text
// clipped, spilling out, broken into letters or overlapping (tests/e2e/layout-check.ts), no serious or
// critical accessibility violation (axe-core), a visible focus ring on everything the keyboard reaches.
// Screenshots: tests/artifacts/screenshots/<screen>-<w>x<h>-<theme>.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeShowsAddedReport } from './fixtures.js';
import { type E2E, startE2E } from './harness.js';
import { checkLayouts, focusStopsWithoutRing } from './page-checks.js';

const SIZES = [
  { width: 800, height: 600 },
  { width: 900, height: 600 },
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
] as const;
const THEMES = ['light', 'dark'] as const;
/** axe is slow-ish: the smallest and a common size cover what changes with the width. */
const AXE_WIDTHS = new Set([800, 1440]);

interface Screen {
  name: string;
  /** Navigates there and waits until its data shows. */
  open(e2e: E2E): Promise<void>;
  /** Leaves it for the next screen (a dialog must be closed first). */
  close?(e2e: E2E): Promise<void>;
}

const SCREENS: Screen[] = [
  {
    name: 'servers',
    async open({ page }) {
      await page.getByTestId('nav-servers').click();
      await page.getByTestId('server-row').first().waitFor();
    },
  },
  {
    // As the app starts: each library's last sync from the catalog.
    name: 'sync',
    async open({ page }) {
      await page.getByTestId('nav-sync').click();
      await page.getByTestId('past-sync-row').first().waitFor();
      // Open every list of named changes.
      for (const summary of await page.locator('[data-testid="sync-report-changes"] details > summary').all()) await summary.click();
    },
  },
  {
    // After a sync in which one library failed with a long message (a URL with its query).
    name: 'sync-report',
    async open({ page, sim }) {
      sim.addFault({ kind: 'status', status: 401, match: /\/library\/sections\/2\/all/, times: 1 });
      await page.getByTestId('nav-sync').click();
      await page.getByTestId('sync-all').click();
      await page.locator('[data-testid="sync-report-row"][data-outcome="failed"]').waitFor({ timeout: 60_000 });
    },
  },
  {
    name: 'libraries',
    async open({ page }) {
      await page.getByTestId('nav-libraries').click();
      await page.getByTestId('library-row').first().waitFor();
    },
  },
  {
    name: 'mappings',
    async open({ page }) {
      await page.getByTestId('nav-mappings').click();
      await page.getByTestId('mapping-row').first().waitFor();
      await page.getByTestId('mapping-sample').first().waitFor();
    },
  },
  {
    name: 'discover',
    async open({ page }) {
      await page.getByTestId('nav-discover').click();
      const form = page.getByTestId('discover-form');
      await form.getByLabel('Title').fill('Breaking');
      await form.getByRole('button', { name: 'Search' }).click();
      await page.getByTestId('discover-candidate').first().waitFor();
    },
  },
  {
    name: 'browse',
    async open({ page }) {
      await page.getByTestId('nav-browse').click();
      await page.getByText('Shows', { exact: true }).click();
      await page.getByTestId('browse-row').first().click();
      await page.getByTestId('browse-episode').first().waitFor();
    },
  },
  {
    // The live catalog's screen; this service does not run it, so each server says "Not live" (tests/e2e/live.test.ts
    // shows it running, with a feed).
    name: 'live',
    async open({ page }) {
      await page.getByTestId('nav-live').click();
      await page.getByTestId('live-servers').waitFor();
    },
  },
  {
    // A dialog: only it is checked while it is open (the page behind is inert).
    name: 'edit-server-dialog',
    async open({ page }) {
      await page.getByTestId('nav-servers').click();
      await page.getByTestId('server-edit').first().click();
      await page.locator('dialog[open]').waitFor();
    },
    async close({ page }) {
      await page.keyboard.press('Escape');
      await page.locator('dialog[open]').waitFor({ state: 'detached' });
    },
  },
];

describe('e2e: every screen at every size, light and dark', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({ sync: true, restartAfterSetup: true, sim: { library: { movies: 400, shows: 20, episodes: 600 } } });
    const mapped = await e2e.call('mappings:add', {
      serverId: e2e.serverId ?? 0,
      libraryId: null,
      plexPrefix: 'D:\\Media\\TV Shows',
      localPrefix: '/mnt/tv',
    });
    expect(mapped.ok).toBe(true);
    // A stored report naming what changed, as the merged engine writes them (the Sync screen lists it).
    storeShowsAddedReport(e2e.catalog, e2e.serverId ?? 0, 'TV Shows');
    // The stores read the mapping and report added behind their back.
    await e2e.page.reload();
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  for (const screen of SCREENS) {
    it(`${screen.name}: lays out, reads and takes the keyboard`, async () => {
      const { page } = e2e;
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.emulateMedia({ colorScheme: 'light' });
      await screen.open(e2e);
      const failures = await checkLayouts(e2e, {
        sizes: SIZES,
        themes: THEMES,
        label: (size, theme) => `${screen.name}-${size.width}x${size.height}-${theme ?? 'light'}`,
        axeAt: (width) => AXE_WIDTHS.has(width),
      });
      const withoutRing = await focusStopsWithoutRing(page, 40);
      await screen.close?.(e2e);
      if (withoutRing.size > 0) failures.push(`${screen.name}: focused without a visible focus ring:\n${[...withoutRing].join('\n')}`);
      expect(failures.join('\n\n')).toBe('');
      expect(e2e.pageErrors).toEqual([]);
    }, 180_000);
  }
});
