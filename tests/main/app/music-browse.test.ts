// browse:artist through the app's handlers (validation included), on a catalog synced from the simulated server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppFixture, startAppFixture } from './fixtures.js';

describe('app service: browsing music', () => {
  let app: AppFixture;
  let serverId: number;

  beforeEach(async () => {
    app = await startAppFixture({ sim: { seed: 4, library: { movies: 1, shows: 0, episodes: 0, audiobooks: 5 } } });
    serverId = await app.addSimServer();
    for (const library of await app.ok('libraries:list', { serverId })) {
      if (library.type === 'artist') await app.ok('libraries:setEnabled', { libraryId: library.id, enabled: true });
    }
    const finished = app.nextEvent('sync:finished');
    await app.ok('sync:start', { serverId });
    expect((await finished).report.ok).toBe(true);
  });

  afterEach(async () => {
    await app.close();
  });

  function catalogId(ratingKey: string): number {
    const row = app.catalog.sqlite.prepare('SELECT id FROM items WHERE rating_key = ?').get(ratingKey) as { id: number } | undefined;
    if (row === undefined) throw new Error(`${ratingKey} is not in the catalog`);
    return row.id;
  }

  it('lists an artist’s albums with their tracks: number, disc, duration and file', async () => {
    const artist = app.sim.library.items('4', 'artist').find((entry) => entry.children.length > 0);
    if (artist === undefined) throw new Error('no artist with albums');
    const browsed = await app.ok('browse:artist', { artistId: catalogId(artist.ratingKey) });
    expect(browsed).toMatchObject({ title: artist.title, libraryTitle: 'Music' });
    const albums = artist.children.map((key) => app.sim.library.get(key));
    expect(browsed.albums.map((album) => album.title).sort()).toEqual(albums.map((album) => album?.title).sort());
    for (const album of browsed.albums) {
      const simAlbum = albums.find((entry) => entry?.title === album.title);
      expect(album).toMatchObject({ year: simAlbum?.year, audiobook: false, asin: null });
      const tracks = (simAlbum?.children ?? []).map((key) => app.sim.library.get(key));
      expect(
        album.tracks.map((track) => [track.title, track.discNumber, track.trackNumber, track.durationMs, track.file?.plexPath]),
      ).toEqual(tracks.map((track) => [track?.title, track?.disc, track?.index, track?.duration, track?.media[0]?.parts[0]?.file]));
    }
  });

  it('shows an audiobook author with the book and its ASIN', async () => {
    const book = app.sim.library.items('5', 'album').find((entry) => entry.guid.includes('audnexus'));
    if (book?.parentKey === undefined) throw new Error('no audiobook');
    const author = app.sim.library.get(book.parentKey);
    const browsed = await app.ok('browse:artist', { artistId: catalogId(book.parentKey) });
    expect(browsed.title).toBe(author?.title);
    const shown = browsed.albums.find((album) => album.title === book.title);
    expect(shown).toMatchObject({ audiobook: true, asin: /audnexus:\/\/([0-9A-Z]{10})_/.exec(book.guid)?.[1] });
    expect(shown?.tracks).toHaveLength(book.children.length);
  });

  it('answers NOT_FOUND for an item that is not an artist, and refuses a malformed request', async () => {
    const movie = app.sim.library.items('1', 'movie')[0];
    if (movie === undefined) throw new Error('no movie');
    expect((await app.fail('browse:artist', { artistId: catalogId(movie.ratingKey) })).code).toBe('NOT_FOUND');
    expect((await app.fail('browse:artist', { artistId: 999_999 })).code).toBe('NOT_FOUND');
    expect((await app.fail('browse:artist', { artistId: 'x' })).code).toBe('INVALID_INPUT');
    expect((await app.fail('browse:artist', { artistId: 1, extra: true })).code).toBe('INVALID_INPUT');
  });
});
