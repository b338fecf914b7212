// Accessibility check with axe-core in the page. Its source is evaluated through the DevTools protocol
// (page.evaluate), which the page's CSP does not govern, so the app keeps its strict CSP under test.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Violations of impact "serious" or "critical" on the page as it is now (WCAG 2.x A and AA rules, best practices). */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const installed = (await page.evaluate('typeof window.axe')) === 'object';
  if (!installed) await page.evaluate(axeSource);
  const violations = await page.evaluate<
    AxeViolation[]
  >(`axe.run(document, { resultTypes: ['violations'] }).then((results) => results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact ?? null,
    help: violation.help,
    targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
  })))`);
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

export function formatAxeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} (${violation.targets.join(', ')})`)
    .join('\n');
}
