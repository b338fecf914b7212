// The layout checker must be able to fail: each kind of breakage it looks for, drawn on purpose, is found;
// sound layouts (and deliberate ellipsis with a title) pass. Then a broken style on a real screen.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, startE2E } from './harness.js';
import { findLayoutProblems, type LayoutProblem } from './layout-check.js';

async function problemsIn(page: Page, body: string): Promise<LayoutProblem['kind'][]> {
  await page.setContent(`<!doctype html><html><body style="margin:0;font:16px sans-serif">${body}</body></html>`);
  return (await findLayoutProblems(page)).map((problem) => problem.kind);
}

describe('e2e: the layout checker', () => {
  let e2e: E2E;
  let scratch: Page;

  beforeAll(async () => {
    e2e = await startE2E({ sync: true, sim: { library: { movies: 50, shows: 5, episodes: 80 } } });
    scratch = await e2e.context.newPage();
    await scratch.setViewportSize({ width: 800, height: 600 });
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('passes sound layouts, hidden text and deliberate ellipsis', async () => {
    expect(await problemsIn(scratch, '<p>One paragraph.</p><p>Another one, below it.</p>')).toEqual([]);
    expect(
      await problemsIn(
        scratch,
        '<div style="width:80px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis" title="A very long title indeed">A very long title indeed</div>',
      ),
    ).toEqual([]);
    expect(
      await problemsIn(
        scratch,
        '<span style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)">screen readers only</span><p>Shown</p>',
      ),
    ).toEqual([]);
    expect(
      await problemsIn(scratch, '<details><summary>Notes</summary><p style="margin-top:-1.2em">inside a closed details</p></details>'),
    ).toEqual([]);
    expect(
      await problemsIn(
        scratch,
        '<div style="height:40px;overflow:auto"><p>row 1</p><p>row 2</p><p>row 3 scrolled out of view</p></div><p>below</p>',
      ),
    ).toEqual([]);
  });

  it('finds text clipped by a hidden overflow, and ellipsis without a title', async () => {
    expect(
      await problemsIn(scratch, '<div style="width:80px;overflow:hidden;white-space:nowrap">A very long title indeed</div>'),
    ).toContain('clipped');
    expect(
      await problemsIn(
        scratch,
        '<div style="width:80px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis">A very long title indeed</div>',
      ),
    ).toContain('clipped');
    expect(await problemsIn(scratch, '<div style="height:12px;overflow:hidden">Cut in half</div>')).toContain('clipped');
  });

  it('finds text spilling out of its box', async () => {
    expect(await problemsIn(scratch, '<button style="width:40px;white-space:nowrap">Test connection</button>')).toContain('overflowing');
  });

  it('finds words broken one letter per line', async () => {
    expect(
      await problemsIn(
        scratch,
        '<table style="table-layout:fixed;width:300px"><tr><td style="width:280px">wide</td><td style="overflow-wrap:anywhere">just now</td></tr></table>',
      ),
    ).toContain('broken-words');
  });

  it('finds overlapping text', async () => {
    expect(
      await problemsIn(
        scratch,
        '<div style="position:relative"><span>Last sync</span><span style="position:absolute;left:20px;top:0">Unmapped files</span></div>',
      ),
    ).toContain('overlapping');
  });

  it('finds a table wider than its scrolling wrapper, unless scrolling is allowed there', async () => {
    const table = '<table style="width:900px"><tr><td>Name</td><td>Actions</td></tr></table>';
    expect(await problemsIn(scratch, `<div style="width:300px;overflow-x:auto">${table}</div>`)).toContain('scrolls-horizontally');
    expect(await problemsIn(scratch, `<div style="width:300px;overflow-x:auto" data-scroll-x="allowed">${table}</div>`)).not.toContain(
      'scrolls-horizontally',
    );
  });

  it('catches a deliberately broken style on a real screen', async () => {
    const { page } = e2e;
    await page.setViewportSize({ width: 900, height: 600 });
    await page.getByTestId('nav-libraries').click();
    await page.getByTestId('library-row').first().waitFor();
    expect(await findLayoutProblems(page)).toEqual([]);
    // The old bug, reintroduced through the CSSOM (the page's CSP allows no injected stylesheet): a fixed
    // table layout with a narrow "last sync" column whose text may break anywhere.
    await page.evaluate(`(() => {
      const table = document.querySelector('[data-testid="server-libraries"] table');
      table.style.tableLayout = 'fixed';
      const cols = table.querySelectorAll('col');
      cols[0].style.width = '30%';
      cols[2].style.width = '30%';
      for (const cell of table.querySelectorAll('[data-testid="library-last-sync"]')) cell.parentElement.style.overflowWrap = 'anywhere';
      for (const cell of table.querySelectorAll('[data-testid="library-last-sync"] span')) cell.style.whiteSpace = 'normal';
    })()`);
    const kinds = new Set((await findLayoutProblems(page)).map((problem) => problem.kind));
    expect(kinds.has('broken-words') || kinds.has('overlapping') || kinds.has('overflowing')).toBe(true);
    await e2e.screenshot('layout-checker-broken-libraries');
  }, 60_000);
});
