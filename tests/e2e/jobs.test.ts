// The jobs panel in the real app (preview server + Chromium): a sync held by "another process" (a second
// catalog connection, as a terminal's `marquee sync` holds it) shows as running with its owner; the app's
// own sync queues behind it and is cancelled alone from the panel; a mapping added meanwhile says
// "Waiting for the sync…" and lands once the other sync ends. Waits on conditions only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../main/catalog/database.js';
import { acquireJobLock, type JobLock } from '../../main/catalog/job-lock.js';
import { formatAxeViolations, seriousAxeViolations } from './axe.js';
import { type E2E, startE2E } from './harness.js';
import { findLayoutProblems, formatLayoutProblems } from './layout-check.js';

describe('e2e: the jobs panel', () => {
  let e2e: E2E;
  let elsewhere: Catalog;
  let cliSync: JobLock;

  beforeAll(async () => {
    e2e = await startE2E({ sim: { library: { movies: 40, shows: 2, episodes: 10 } }, addServer: true });
    elsewhere = openCatalog(e2e.catalog.file);
  }, 180_000);

  afterAll(async () => {
    cliSync?.release();
    elsewhere?.close();
    await e2e?.close();
  });

  it('shows running and waiting jobs with their owner, cancels one alone, and an edit waits for the sync', async () => {
    const { page } = e2e;
    cliSync = acquireJobLock(elsewhere, { kind: 'sync', program: 'marquee', target: 'every active server' });
    await page.getByTestId('nav-sync').click();
    await page.getByRole('heading', { level: 1, name: 'Sync' }).waitFor();
    const rows = page.getByTestId('jobs-row');
    await rows
      .filter({ hasText: `marquee CLI, pid ${process.pid}` })
      .filter({ hasText: 'Running' })
      .waitFor({ timeout: 15_000 });

    // The app's own sync waits its turn behind it.
    await page.getByRole('button', { name: 'Sync all' }).click();
    const appSync = rows.filter({ hasText: 'the Marquee app' });
    await appSync.filter({ hasText: 'Waiting' }).waitFor({ timeout: 15_000 });
    expect(await rows.count()).toBe(2);
    await page
      .getByTestId('sync-progress-libraries')
      .filter({ hasText: `Waiting for a sync of every active server (marquee CLI, pid ${process.pid})…` })
      .waitFor();
    await e2e.screenshot('jobs-panel');
    expect(formatLayoutProblems(await findLayoutProblems(page))).toBe('');
    expect(formatAxeViolations(await seriousAxeViolations(page))).toBe('');

    // Cancel that one: it leaves the queue, the other process's sync runs on.
    await appSync.getByRole('button', { name: /^Cancel: A sync of every active server \(the Marquee app, pid \d+\)$/ }).click();
    await appSync.waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByRole('button', { name: 'Sync all' }).waitFor({ timeout: 15_000 });
    expect(await rows.count()).toBe(1);

    // An edit meanwhile: "Waiting for the sync…", then saved once the sync ends.
    await page.getByTestId('nav-mappings').click();
    await page.getByRole('heading', { level: 1, name: 'Path mappings' }).waitFor();
    await page.getByTestId('mapping-plex-prefix').fill('/data/media/movies');
    await page.getByTestId('mapping-local-prefix').fill('/srv/movies');
    await page.getByRole('button', { name: 'Add mapping' }).click();
    await page.getByRole('button', { name: 'Waiting for the sync…' }).waitFor({ timeout: 15_000 });
    cliSync.release();
    await page.getByTestId('mapping-row').filter({ hasText: '/srv/movies' }).waitFor({ timeout: 15_000 });

    await page.getByTestId('nav-sync').click();
    // Nothing runs or waits any more: the panel is gone.
    await page.getByTestId('jobs-panel').waitFor({ state: 'detached', timeout: 15_000 });
    expect(e2e.pageErrors).toEqual([]);
  }, 150_000);
});
