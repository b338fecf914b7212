// The checks every screen of the e2e tests goes through: at each size (and theme), a screenshot, the layout
// checker and axe; then, for screens that take the keyboard, Tab through them looking for a focus stop without
// a visible focus ring.
import type { Page } from 'playwright-core';
import { formatAxeViolations, seriousAxeViolations } from './axe.js';
import type { E2E } from './harness.js';
import { findLayoutProblems, formatLayoutProblems } from './layout-check.js';

export interface Size {
  width: number;
  height: number;
}

/** The two sizes most tests check: the smallest supported window and a common one. */
export const SMALL_AND_COMMON: readonly Size[] = [
  { width: 900, height: 600 },
  { width: 1440, height: 900 },
];

/** Lets a resize or theme change reach layout and paint. */
const SETTLE = `new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))`;

export interface LayoutCheck {
  sizes: readonly Size[];
  /** The screenshot's name at a size (and theme). */
  label: (size: Size, theme: 'light' | 'dark' | undefined) => string;
  /** Each size in each of these colour schemes; absent: the page as it is. */
  themes?: readonly ('light' | 'dark')[];
  /** Whether axe runs at this width (it is slow-ish); absent: at every size. */
  axeAt?: (width: number) => boolean;
}

/** Screenshots, layout and axe at every size (and theme); then back to 1440×900 (and light). Returns the failures. */
export async function checkLayouts(e2e: E2E, check: LayoutCheck): Promise<string[]> {
  const { page } = e2e;
  const failures: string[] = [];
  for (const theme of check.themes ?? [undefined]) {
    if (theme !== undefined) await page.emulateMedia({ colorScheme: theme });
    for (const size of check.sizes) {
      await page.setViewportSize(size);
      await page.evaluate(SETTLE);
      const label = check.label(size, theme);
      await e2e.screenshot(label);
      const problems = await findLayoutProblems(page);
      if (problems.length > 0) failures.push(`${label}:\n${formatLayoutProblems(problems)}`);
      if (check.axeAt?.(size.width) ?? true) {
        const violations = await seriousAxeViolations(page);
        if (violations.length > 0) failures.push(`${label} (axe):\n${formatAxeViolations(violations)}`);
      }
    }
  }
  if (check.themes !== undefined) await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1440, height: 900 });
  return failures;
}

/** The focused element, and whether it shows a focus indicator (outline or box-shadow); null on the body. */
const FOCUS_RING_PROBE = `(() => {
  const element = document.activeElement;
  if (element === null || element === document.body) return null;
  const style = getComputedStyle(element);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  const name = element.tagName.toLowerCase() + (element.getAttribute('data-testid') ? '[data-testid=' + element.getAttribute('data-testid') + ']' : '') + ' "' + (element.textContent || element.getAttribute('aria-label') || '').trim().slice(0, 40) + '"';
  return { name, ring };
})()`;

/** Presses Tab `presses` times and names every element that took the focus without a visible focus indicator. */
export async function focusStopsWithoutRing(page: Page, presses: number): Promise<Set<string>> {
  const withoutRing = new Set<string>();
  for (let press = 0; press < presses; press += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<{ name: string; ring: boolean } | null>(FOCUS_RING_PROBE);
    if (focused !== null && !focused.ring) withoutRing.add(focused.name);
  }
  return withoutRing;
}
