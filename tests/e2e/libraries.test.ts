// Libraries in the real app: counts and last sync per library, enable/disable, a per-library sync, and a
// refused token leading from the failed library straight to the server's token field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, isFocused, startE2E } from './harness.js';

describe('e2e: libraries', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({ sync: true });
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  const row = (title: string) => e2e.page.locator(`[data-testid="library-row"][data-library-title="${title}"]`);

  it('lists each library with its counts, last sync and unmapped files', async () => {
    const { page } = e2e;
    await page.getByTestId('nav-libraries').click();
    await row('Movies').waitFor();
    const movieCount = e2e.sim.library.items('1', 'movie').length;
    expect(await row('Movies').getByTestId('library-counts').textContent()).toBe(`${movieCount} movies`);
    const shows = e2e.sim.library.items('2', 'show').length;
    const episodes = e2e.sim.library.items('2', 'episode').length;
    expect(await row('TV Shows').getByTestId('library-counts').textContent()).toBe(`${shows} shows, ${episodes} episodes`);
    expect(await row('Movies').getByTestId('library-last-sync').textContent()).toMatch(/just now\s*OK/);
    // Music is synced once enabled; a new music library is listed disabled.
    expect(await row('Music').getByRole('checkbox').isChecked()).toBe(false);
    expect(await row('Music').getByRole('checkbox').isDisabled()).toBe(false);
    // Nothing is mapped yet: the unmapped files lead to the mappings.
    await row('Movies')
      .getByRole('button', { name: /files? of Movies unmapped/ })
      .waitFor();
    await e2e.screenshot('libraries');
  }, 60_000);

  it('disables a library', async () => {
    await row('Kids Movies').getByRole('checkbox', { name: 'Enable Kids Movies' }).uncheck();
    await expect
      .poll(async () => {
        const listed = await e2e.call('libraries:list', {});
        return listed.ok ? listed.value.find((library) => library.title === 'Kids Movies')?.enabled : undefined;
      })
      .toBe(false);
    expect(await row('Kids Movies').getByRole('checkbox').isChecked()).toBe(false);
  }, 60_000);

  it('shows a refused token on the library and leads to the server to replace it', async () => {
    const { page, sim } = e2e;
    sim.addFault({ kind: 'status', status: 401, match: /\/library\/sections\/1\/all/ });
    await row('Movies').getByRole('button', { name: 'Sync Movies' }).click();
    const lastSync = row('Movies').getByTestId('library-last-sync');
    await expect.poll(() => lastSync.textContent(), { timeout: 30_000 }).toMatch(/Failed.*refused the token/);
    await e2e.screenshot('libraries-token-refused');

    await row('Movies')
      .getByRole('button', { name: /Token refused — edit server/ })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Edit Sim' });
    await dialog.waitFor();
    const token = dialog.getByLabel('New token');
    expect(await isFocused(token)).toBe(true);
    await e2e.screenshot('edit-server-from-error');

    sim.clearFaults();
    await token.fill(sim.token);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('nav-libraries').click();
    await row('Movies').getByRole('button', { name: 'Sync Movies' }).click();
    await expect.poll(() => row('Movies').getByTestId('library-last-sync').textContent(), { timeout: 30_000 }).toMatch(/OK/);
    expect(e2e.pageErrors).toEqual([]);
  }, 90_000);
});
