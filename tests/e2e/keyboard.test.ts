// Keyboard only: a dialog opened with Enter traps Tab and Shift+Tab, closes on Escape and gives focus
// back to the button that opened it; the whole app is reachable with Tab, each stop with a focus ring
// (checked per screen in layout.test.ts); progress bars have accessible names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAxeViolations, seriousAxeViolations } from './axe.js';
import { type E2E, startE2E } from './harness.js';
import { findLayoutProblems, formatLayoutProblems } from './layout-check.js';

const ACTIVE_IN_DIALOG = `(() => { const dialog = document.querySelector('dialog[open]'); return dialog !== null && dialog.contains(document.activeElement); })()`;
const ACTIVE_TESTID = `document.activeElement?.getAttribute('data-testid') ?? null`;

describe('e2e: keyboard and screen reader', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({ addServer: true });
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('traps focus in a dialog, closes it on Escape and returns focus to its opener', async () => {
    const { page } = e2e;
    await page.getByTestId('nav-servers').click();
    const edit = page.getByTestId('server-edit').first();
    await edit.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    expect(await page.evaluate(ACTIVE_IN_DIALOG)).toBe(true);
    for (let press = 0; press < 12; press += 1) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(ACTIVE_IN_DIALOG)).toBe(true);
    }
    for (let press = 0; press < 12; press += 1) {
      await page.keyboard.press('Shift+Tab');
      expect(await page.evaluate(ACTIVE_IN_DIALOG)).toBe(true);
    }
    await e2e.screenshot('keyboard-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(ACTIVE_TESTID)).toBe('server-edit');
    expect(e2e.pageErrors).toEqual([]);
  });

  it('starts a sync from the keyboard, with named progress bars', async () => {
    const { page } = e2e;
    e2e.sim.addFault({ kind: 'delay', ms: 300, match: /\/library\/sections\/\d+\/all/ });
    await page.getByTestId('nav-sync').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('sync-all').focus();
    await page.keyboard.press('Enter');
    // The bars are labelled "Libraries" and "Items" (what a screen reader announces), and described by their detail line.
    await page.getByRole('progressbar', { name: 'Libraries' }).waitFor();
    const items = page.getByRole('progressbar', { name: 'Items' });
    await expect.poll(async () => Number((await items.getAttribute('data-value')) || 0), { timeout: 30_000 }).toBeGreaterThan(0);
    // The running state, with its rate and time left, also lays out in the smallest window and passes axe.
    await page.setViewportSize({ width: 800, height: 600 });
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    await e2e.screenshot('sync-progress-800x600-light');
    expect(formatLayoutProblems(await findLayoutProblems(page))).toBe('');
    expect(formatAxeViolations(await seriousAxeViolations(page))).toBe('');
    await page.getByTestId('sync-report').waitFor({ timeout: 60_000 });
    expect(e2e.pageErrors).toEqual([]);
  }, 90_000);
});
