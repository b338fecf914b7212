// Path mappings in the real app: typing a mapping previews it live against the synced catalog's files
// (how many stay unmapped, sample paths resolved); saving and editing it changes the preview.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, startE2E } from './harness.js';

/** "12 of 40" → { unmapped: 12, files: 40 } */
function parseSummary(text: string | null): { unmapped: number; files: number } | null {
  const match = /([\d,]+) of ([\d,]+)/.exec(text ?? '');
  if (match === null) return null;
  return { unmapped: Number(match[1]?.replaceAll(',', '')), files: Number(match[2]?.replaceAll(',', '')) };
}

describe('e2e: path mappings', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({ sync: true });
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  const summary = async () => parseSummary(await e2e.page.getByTestId('mapping-preview-unmapped').textContent());
  const sampleLocalPaths = async () => e2e.page.locator('[data-testid="mapping-sample"] td:nth-child(2)').allTextContents();

  it('previews a mapping while it is typed', async () => {
    const { page } = e2e;
    await page.getByTestId('nav-mappings').click();
    await page.getByRole('heading', { level: 1, name: 'Path mappings' }).waitFor();
    await page.getByTestId('mapping-preview-unmapped').waitFor();
    const before = await summary();
    expect(before).not.toBeNull();
    expect(before?.files).toBeGreaterThan(0);
    // No mapping yet: every file keeps its Plex path.
    expect(before?.unmapped).toBe(before?.files);
    await e2e.screenshot('mapping-preview-none');

    await page.getByTestId('mapping-plex-prefix').fill('/data/media/movies');
    await page.getByTestId('mapping-local-prefix').fill('/srv/movies');
    await expect.poll(async () => (await summary())?.unmapped, { timeout: 10_000 }).toBeLessThan(before?.unmapped ?? 0);
    await expect.poll(sampleLocalPaths, { timeout: 10_000 }).toContainEqual(expect.stringMatching(/^\/srv\/movies\/.+this mapping$/));
    // Files the mapping does not reach (other folders, other libraries) stay unmapped.
    expect((await summary())?.unmapped).toBeGreaterThan(0);
    await e2e.screenshot('mapping-preview-typing');

    await page.getByRole('button', { name: 'Add mapping' }).click();
    await page.getByTestId('mapping-row').waitFor();
    expect(await page.getByTestId('mapping-row').textContent()).toContain('/srv/movies');
  }, 60_000);

  it('edits the mapping and sees the preview change', async () => {
    const { page } = e2e;
    const afterAdd = await summary();
    await page.getByRole('button', { name: 'Edit mapping /data/media/movies' }).click();
    await page.getByRole('heading', { name: 'Edit mapping' }).waitFor();
    expect(await page.getByTestId('mapping-local-prefix').inputValue()).toBe('/srv/movies');

    await page.getByTestId('mapping-local-prefix').fill('/mnt/nas/movies');
    await expect.poll(sampleLocalPaths, { timeout: 10_000 }).toContainEqual(expect.stringMatching(/^\/mnt\/nas\/movies\/.+this mapping$/));
    expect((await sampleLocalPaths()).some((path) => path.startsWith('/srv/movies/'))).toBe(false);
    // Same files reached: the unmapped count does not move.
    expect(await summary()).toEqual(afterAdd);
    await e2e.screenshot('mapping-preview-editing');

    // Widening the Plex prefix to the whole media folder maps more files.
    await page.getByTestId('mapping-plex-prefix').fill('/data/media');
    await page.getByTestId('mapping-local-prefix').fill('/mnt/nas');
    await expect.poll(async () => (await summary())?.unmapped, { timeout: 10_000 }).toBeLessThanOrEqual(afterAdd?.unmapped ?? 0);
    await page.getByTestId('mapping-plex-prefix').fill('/data/media/movies');
    await page.getByTestId('mapping-local-prefix').fill('/mnt/nas/movies');

    await page.getByRole('button', { name: 'Save mapping' }).click();
    await expect.poll(() => page.getByTestId('mapping-row').textContent()).toContain('/mnt/nas/movies');
    const listed = await e2e.call('mappings:list', {});
    expect(listed.ok && listed.value.map((mapping) => [mapping.plexPrefix, mapping.localPrefix])).toEqual([
      ['/data/media/movies', '/mnt/nas/movies'],
    ]);
    // Back to "add": the preview shows the saved mappings (and stays the same numbers).
    await page.getByRole('heading', { name: 'Add a mapping' }).waitFor();
    await expect.poll(() => page.getByTestId('mapping-preview').getAttribute('aria-busy')).toBe('false');
    expect(await summary()).toEqual(afterAdd);
    await e2e.screenshot('mapping-edited');
    expect(e2e.pageErrors).toEqual([]);
  }, 60_000);
});
