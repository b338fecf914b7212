// Music in Browse (the real app): a simulator with a Music and an Audiobooks library, both enabled in the
// Libraries screen as a user would (music libraries are listed disabled when new), then synced. The Artist kind
// opens an artist's panel (albums and their tracks); a track shows its details below (file, technical line); an
// album from the Album kind opens its artist's panel; an audiobook author reads "Author" with the book's ASIN.
// Each state is checked by the layout checker and axe at 900×600 and 1440×900, with screenshots
// (tests/artifacts/screenshots/music-*.png).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, startE2E } from './harness.js';
import { checkLayouts, SMALL_AND_COMMON } from './page-checks.js';

/** One book of known ASIN by an author of its own: the generated ones may lack an ASIN (one in five). */
const BOOK = { author: 'Ada Narrator', title: 'The Known Book', asin: 'B0KNOWN123' } as const;

describe('e2e: browse music (artists, albums, tracks) and audiobooks', () => {
  let e2e: E2E;

  /** Screenshots and checks the page at both sizes; returns what failed. */
  async function checkAtSizes(name: string): Promise<string> {
    const failures = await checkLayouts(e2e, {
      sizes: SMALL_AND_COMMON,
      label: (size) => `music-${name}-${size.width}x${size.height}`,
    });
    return failures.join('\n\n');
  }

  const count = async (): Promise<number> => {
    const status = e2e.page.locator('[data-testid="browse-count"][aria-busy="false"]');
    return Number(((await status.textContent()) ?? '').replace(/\D/g, ''));
  };

  const libraryRow = (title: string) => e2e.page.locator(`[data-testid="library-row"][data-library-title="${title}"]`);

  beforeAll(async () => {
    e2e = await startE2E({
      addServer: { name: 'Home' },
      viewport: { width: 1440, height: 900 },
      sim: { seed: 7, library: { movies: 12, shows: 2, episodes: 10, artists: 4, albums: 8, tracks: 60, audiobooks: 5 } },
    });
    const author = e2e.sim.library.addArtist('5', { title: BOOK.author });
    const book = e2e.sim.library.addAlbum(author, {
      title: BOOK.title,
      guid: `com.plexapp.agents.audnexus://${BOOK.asin}_us?lang=en`,
    });
    e2e.sim.library.addTrack(book, { title: `${BOOK.title} - Part 1`, file: '/data/media/audiobooks/Ada Narrator/Part 1.m4b' });
    e2e.sim.library.addTrack(book, { title: `${BOOK.title} - Part 2`, file: '/data/media/audiobooks/Ada Narrator/Part 2.m4b' });
    await e2e.page.reload();
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('enables the music libraries in the Libraries screen and syncs them', async () => {
    const { page } = e2e;
    await page.getByTestId('nav-libraries').click();
    for (const title of ['Music', 'Audiobooks']) {
      const enable = libraryRow(title).getByRole('checkbox', { name: `Enable ${title}` });
      await enable.waitFor();
      expect(await enable.isChecked()).toBe(false);
      await enable.check();
      await expect.poll(() => enable.isChecked()).toBe(true);
    }
    const listed = await e2e.call('libraries:list', {});
    expect(listed.ok && listed.value.filter((library) => library.enabled).map((library) => library.title)).toEqual(
      expect.arrayContaining(['Music', 'Audiobooks']),
    );
    const finished = new Promise<boolean>((resolve) => {
      const off = e2e.service.events.on('sync:finished', (event) => {
        off();
        resolve(event.report.ok);
      });
    });
    expect((await e2e.call('sync:start', {})).ok).toBe(true);
    expect(await finished).toBe(true);
    const tracks = e2e.sim.library.items('4', 'track').length;
    await expect.poll(() => libraryRow('Music').getByTestId('library-counts').textContent()).toMatch(new RegExp(`${tracks} tracks`));
  }, 120_000);

  it('opens an artist from the Artist kind: its albums and tracks', async () => {
    const { page } = e2e;
    await page.getByTestId('nav-browse').click();
    await page.getByTestId('browse-kind-artist').check();
    await expect.poll(() => page.getByTestId('browse-count').textContent()).toMatch(/^\d+ artists?$/);
    const simArtists = e2e.sim.library.items('4', 'artist').length + e2e.sim.library.items('5', 'artist').length;
    await expect.poll(count).toBe(simArtists);

    await page.getByTestId('browse-search').fill('Daft');
    await expect.poll(count).toBe(1);
    await page.getByRole('option', { name: /Daft Punk/ }).click();
    const panel = page.getByTestId('browse-artist');
    await panel.waitFor();
    expect(await panel.getByRole('heading', { level: 2 }).textContent()).toBe('Daft Punk');
    expect(await panel.getAttribute('data-audiobooks')).toBe('false');
    const simArtist = e2e.sim.library.items('4', 'artist').find((item) => item.title === 'Daft Punk');
    const simAlbums = e2e.sim.library.items('4', 'album').filter((album) => album.parentKey === simArtist?.ratingKey);
    expect(simAlbums.length).toBeGreaterThan(0);
    await expect.poll(() => panel.getByTestId('browse-album').count()).toBe(simAlbums.length);
    const simTracks = e2e.sim.library.items('4', 'track').filter((track) => track.grandparentKey === simArtist?.ratingKey);
    expect(await panel.getByTestId('browse-track').count()).toBe(simTracks.length);
    // The artist's own details below the panel.
    await page.locator('[data-testid="browse-item"][data-kind="artist"]').waitFor();
    expect(await checkAtSizes('artist')).toBe('');
  }, 120_000);

  it('shows a chosen track’s details below: its file and technical line', async () => {
    const { page } = e2e;
    const panel = page.getByTestId('browse-artist');
    const track = panel.getByTestId('browse-track').first();
    await track.click();
    await expect.poll(() => track.getAttribute('aria-pressed')).toBe('true');
    const details = page.locator('[data-testid="browse-item"][data-kind="track"][aria-busy="false"]');
    await details.waitFor();
    const title = (await details.getByRole('heading', { level: 2 }).textContent()) ?? '';
    expect((await track.textContent()) ?? '').toContain(title.replace(/ \(\d{4}\)$/, ''));
    const plexPath = (await details.getByTestId('browse-file-plex').first().textContent()) ?? '';
    expect(plexPath).toMatch(/^\/data\/media\/music\/.+\.\w+$/);
    const line = (await details.getByTestId('browse-technical-line').first().textContent()) ?? '';
    expect(line).not.toBe('');
    expect(line).not.toBe('Unknown format');
    expect(await checkAtSizes('track')).toBe('');
    expect(e2e.pageErrors).toEqual([]);
  }, 120_000);

  it('opens an album from the Album kind in its artist’s panel', async () => {
    const { page } = e2e;
    await page.getByTestId('browse-search').fill('');
    await page.getByTestId('browse-kind-album').check();
    await expect.poll(() => page.getByTestId('browse-count').textContent()).toMatch(/^\d+ albums?$/);
    const album = e2e.sim.library.items('4', 'album')[0];
    const artist = e2e.sim.library.get(album?.parentKey ?? '');
    expect(album).toBeDefined();
    await page.getByTestId('browse-search').fill(album?.title ?? '');
    await page
      .getByRole('option', { name: new RegExp(escapeRegExp(album?.title ?? '')) })
      .first()
      .click();
    const panel = page.getByTestId('browse-artist');
    await expect.poll(() => panel.getByRole('heading', { level: 2 }).textContent()).toBe(artist?.title);
    await expect
      .poll(() =>
        panel
          .getByTestId('browse-album')
          .filter({ hasText: album?.title ?? '' })
          .count(),
      )
      .toBeGreaterThan(0);
    await page.locator('[data-testid="browse-item"][data-kind="album"]').waitFor();
    expect(await checkAtSizes('album')).toBe('');
  }, 120_000);

  it('shows an audiobook author as "Author" with the book’s ASIN', async () => {
    const { page } = e2e;
    await page.getByTestId('browse-kind-artist').check();
    await page.getByTestId('browse-search').fill(BOOK.author);
    await expect.poll(count).toBe(1);
    await page.getByRole('option', { name: new RegExp(BOOK.author) }).click();
    const panel = page.getByTestId('browse-artist');
    await expect.poll(() => panel.getByRole('heading', { level: 2 }).textContent()).toBe(`Author · ${BOOK.author}`);
    expect(await panel.getAttribute('data-audiobooks')).toBe('true');
    const book = panel.getByTestId('browse-album');
    expect(await book.count()).toBe(1);
    expect(await book.locator('summary').textContent()).toContain(`ASIN ${BOOK.asin}`);
    expect(await book.getByTestId('browse-track').count()).toBe(2);
    expect(await checkAtSizes('audiobook')).toBe('');
    expect(e2e.pageErrors).toEqual([]);
  }, 120_000);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
