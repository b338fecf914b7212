// Music and audiobook sections of the simulator, over HTTP: the same endpoints, paging and filters as TV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/server.js';
import { elements, get, jsonArray, paged, parseJsonContainer, parseXml, ratingKeys, type JsonObject } from './test-helpers.js';

let sim: PlexSim;

beforeAll(async () => {
  sim = await startPlexSim({ seed: 5, library: { movies: 2, shows: 1, episodes: 2, artists: 6, albums: 20, tracks: 300, audiobooks: 9 } });
});

afterAll(async () => {
  await sim.close();
});

async function json(path: string): Promise<JsonObject> {
  const res = await get(sim, path, { json: true });
  expect(res.status).toBe(200);
  return parseJsonContainer(res.text);
}

describe('music sections', () => {
  it('lists artists, albums and tracks by type, paged, with the counts the engine asks for', async () => {
    const artists = await json(paged('/library/sections/4/all?type=8&sort=id', 0, 100));
    expect(ratingKeys(artists)).toHaveLength(6);
    const albums = await json(paged('/library/sections/4/all?type=9&sort=id', 0, 100));
    expect(albums['totalSize']).toBe(20);
    const page = await json(paged('/library/sections/4/all?type=10&sort=id&includeGuids=1', 100, 50));
    expect(page['totalSize']).toBe(300);
    expect(page['offset']).toBe(100);
    expect(jsonArray(page, 'Metadata')).toHaveLength(50);
    const count = await json(paged('/library/sections/4/all?type=10&sort=id', 0, 0));
    expect(count['totalSize']).toBe(300);
  });

  it('gives tracks their album, artist, disc, number and a file under the album folder', async () => {
    const page = await json(paged('/library/sections/4/all?type=10&sort=id', 0, 300));
    const tracks = jsonArray(page, 'Metadata');
    const track = tracks[0] ?? {};
    expect(track['type']).toBe('track');
    const album = sim.library.get(String(track['parentRatingKey']));
    const artist = sim.library.get(String(track['grandparentRatingKey']));
    expect(album?.type).toBe('album');
    expect(artist?.type).toBe('artist');
    expect(track['parentTitle']).toBe(album?.title);
    expect(track['grandparentTitle']).toBe(artist?.title);
    expect(track['index']).toBe(1);
    expect(track['parentIndex']).toBe(1);
    const media = jsonArray(track, 'Media')[0] ?? {};
    const part = jsonArray(media, 'Part')[0] ?? {};
    expect(String(part['file'])).toMatch(/^\/data\/media\/music\/.+\/01 - .+\.(flac|mp3|m4a)$/);
    expect(media['videoCodec']).toBeUndefined();
    // Albums of more than 12 tracks span two discs.
    expect(tracks.some((t) => t['parentIndex'] === 2)).toBe(true);
  });

  it('serves an artist’s albums under /children and its tracks under /allLeaves, in XML too', async () => {
    const artist = sim.library.items('4', 'artist')[0];
    if (artist === undefined) throw new Error('no artist');
    const albums = await json(`/library/metadata/${artist.ratingKey}/children?excludeAllLeaves=1`);
    expect(ratingKeys(albums)).toEqual([...artist.children]);
    const tracks = await get(sim, `/library/metadata/${artist.ratingKey}/allLeaves`);
    const xml = parseXml(tracks.text);
    const expected = artist.children.flatMap((album) => sim.library.get(album)?.children ?? []);
    // Tracks are <Track> elements in XML, as on a real server.
    const trackElements = xml['Track'];
    const list = Array.isArray(trackElements) ? trackElements : trackElements === undefined ? [] : [trackElements];
    expect(list.map((t) => String((t as Record<string, unknown>)['ratingKey']))).toEqual(expected);
    expect(elements(xml, 'Video')).toHaveLength(0);
  });

  it('scopes date filters by level (album.updatedAt, track.addedAt)', async () => {
    const albums = sim.library.items('4', 'album');
    const cut = [...albums].map((a) => a.updatedAt ?? 0).sort((a, b) => a - b)[10] ?? 0;
    const changed = ratingKeys(await json(paged(`/library/sections/4/all?type=9&album.updatedAt>>=${cut}`, 0, 100)));
    expect(changed.sort()).toEqual(
      albums
        .filter((a) => a.updatedAt !== undefined && a.updatedAt > cut)
        .map((a) => a.ratingKey)
        .sort(),
    );
    const album = sim.library.items('4', 'album')[0];
    if (album === undefined) throw new Error('no album');
    const added = sim.library.addTrack(album.ratingKey, { title: 'Bonus Track' });
    const recent = ratingKeys(await json(paged(`/library/sections/4/all?type=10&track.addedAt>>=${sim.library.now() - 5}`, 0, 100)));
    expect(recent).toEqual([added]);
  });
});

describe('audiobooks', () => {
  it('is a music section whose albums are books with an ASIN in the Audnexus GUID, their parentTitle the author', async () => {
    const sections = await json('/library/sections');
    const books = jsonArray(sections, 'Directory').find((section) => section['title'] === 'Audiobooks');
    expect(books?.['type']).toBe('artist');
    const albums = jsonArray(await json(paged('/library/sections/5/all?type=9&includeGuids=1', 0, 100)), 'Metadata');
    expect(albums).toHaveLength(9);
    const matched = albums.filter((album) => String(album['guid']).startsWith('com.plexapp.agents.audnexus://'));
    expect(matched.length).toBeGreaterThan(0);
    for (const book of matched) expect(String(book['guid'])).toMatch(/^com\.plexapp\.agents\.audnexus:\/\/B0[0-9A-Z]{8}_us\?lang=en$/);
    const author = sim.library.get(String(matched[0]?.['parentRatingKey']));
    expect(matched[0]?.['parentTitle']).toBe(author?.title);
  });

  it('is only made when asked for', async () => {
    const plain = await startPlexSim({ seed: 5, library: { movies: 1, shows: 0, episodes: 0 } });
    try {
      expect(plain.library.sections().map((section) => section.title)).not.toContain('Audiobooks');
    } finally {
      await plain.close();
    }
  });
});
