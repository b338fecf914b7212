// Servers in the real app: a refused token is shown next to the form and saves nothing; the right token
// adds the server; test connection and edit work on the saved one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLEX_SIM_VERSION } from '../../tools/plex-sim/server.js';
import { type E2E, isFocused, startE2E } from './harness.js';

describe('e2e: servers', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('shows a refused token next to the form, keeps name and URL, and clears the token', async () => {
    const { page, sim } = e2e;
    await page.getByRole('heading', { level: 1, name: 'Servers' }).waitFor();
    // The first screen offers "Sign in with Plex" first; the address form is the advanced path.
    await page.getByRole('button', { name: 'Add a server by address and token' }).click();
    const form = page.getByTestId('add-server-form');
    await form.getByLabel('Name').fill('Sim');
    await form.getByLabel('URL').fill(sim.url);
    await form.getByLabel('Token').fill('not-the-token');
    await form.getByRole('button', { name: 'Test and add server' }).click();

    const error = page.getByTestId('add-server-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/refused the token/);
    expect(await error.textContent()).not.toContain('not-the-token');
    expect(await form.getByLabel('Name').inputValue()).toBe('Sim');
    expect(await form.getByLabel('URL').inputValue()).toBe(sim.url);
    expect(await form.getByLabel('Token').inputValue()).toBe('');
    expect(await form.getByLabel('Token').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('server-row').count()).toBe(0);
    expect(await e2e.call('servers:list', {})).toEqual({ ok: true, value: [] });
    await e2e.screenshot('servers-wrong-token');
  }, 60_000);

  it('adds the server with the right token and tests its connection', async () => {
    const { page, sim } = e2e;
    const form = page.getByTestId('add-server-form');
    await form.getByLabel('Token').fill(sim.token);
    await form.getByRole('button', { name: 'Test and add server' }).click();

    const row = page.locator('[data-testid="server-row"][data-server-name="Sim"]');
    await row.waitFor();
    await page.getByTestId('add-server-success').waitFor();
    expect(await page.getByTestId('add-server-error').count()).toBe(0);
    expect(await form.getByLabel('Token').inputValue()).toBe('');
    expect(await form.getByLabel('Name').inputValue()).toBe('');

    await row.getByRole('button', { name: 'Test connection to Sim' }).click();
    await row.getByTestId('connection-ok').waitFor();
    expect(await row.getByTestId('connection-ok').textContent()).toContain(PLEX_SIM_VERSION);
    // The page never received the token back.
    expect(await page.content()).not.toContain(sim.token);
    await e2e.screenshot('servers-added');
  }, 60_000);

  it('edits the server in a dialog that Escape closes', async () => {
    const { page } = e2e;
    const edit = page.getByRole('button', { name: 'Edit Sim' });
    await edit.click();
    const dialog = page.getByRole('dialog', { name: 'Edit Sim' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Focus went back to the button that opened it.
    expect(await isFocused(edit)).toBe(true);

    await edit.click();
    await dialog.getByLabel('Name').fill('Simulated');
    await e2e.screenshot('servers-edit-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid="server-row"][data-server-name="Simulated"]').waitFor();
    const listed = await e2e.call('servers:list', {});
    expect(listed.ok && listed.value.map((server) => server.name)).toEqual(['Simulated']);
    expect(e2e.pageErrors).toEqual([]);
  }, 60_000);
});
