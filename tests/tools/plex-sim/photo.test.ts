// The simulated photo transcoder over HTTP: token required, generated PNGs per item and role, 404 for what is
// not an item's image, the slow / failing / missing options, and its request counters.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { colourOf, type PlexSim, startPlexSim } from '../../../tools/plex-sim/index.js';

let sim: PlexSim | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function transcode(server: PlexSim, source: string, token: string | false = server.token): Promise<Response> {
  const query = new URLSearchParams({ url: source, width: '240', height: '360', minSize: '1', upscale: '1' });
  return fetch(`${server.url}/photo/:/transcode?${query.toString()}`, token === false ? {} : { headers: { 'X-Plex-Token': token } });
}

function movies(server: PlexSim) {
  const section = server.library.sections().find((candidate) => candidate.type === 'movie');
  return section === undefined ? [] : server.library.items(section.key, 'movie');
}

/** The first pixel of a PNG the simulator made (8-bit RGB, no filter): the IDAT stream inflated. */
async function firstPixel(png: Buffer): Promise<number[]> {
  const { inflateSync } = await import('node:zlib');
  const idat = png.indexOf('IDAT');
  const length = png.readUInt32BE(idat - 4);
  const raw = inflateSync(png.subarray(idat + 4, idat + 4 + length));
  return [...raw.subarray(1, 4)];
}

describe('plex-sim photo transcoder', () => {
  it("serves an item's thumb and art as small PNGs of the item's colours, with the token only", async () => {
    sim = await startPlexSim({ library: { movies: 3, shows: 1, episodes: 2 } });
    const movie = movies(sim)[0];
    const key = movie?.ratingKey ?? '';
    const thumb = await transcode(sim, `/library/metadata/${key}/thumb`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await thumb.arrayBuffer());
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(await firstPixel(bytes)).toEqual(colourOf(`${key}/thumb`));
    // The stamped form Plex's own thumb attributes use.
    const art = await transcode(sim, `/library/metadata/${key}/art/${movie?.addedAt}`);
    expect(await firstPixel(Buffer.from(await art.arrayBuffer()))).toEqual(colourOf(`${key}/art`));

    expect((await transcode(sim, `/library/metadata/${key}/thumb`, false)).status).toBe(401);
    expect((await transcode(sim, `/library/metadata/${key}/thumb`, 'wrong')).status).toBe(401);
    expect((await transcode(sim, '/library/metadata/987654/thumb')).status).toBe(404);
    expect((await transcode(sim, 'http://example.com/poster.jpg')).status).toBe(404);
    const server = sim;
    // The server counts an answer done when its response closes, a moment after the client has it.
    await vi.waitFor(() => expect(server.photoStats()).toEqual({ requests: 6, inFlight: 0, peakInFlight: 1 }));
    expect(sim.requests.filter((request) => request.path === '/photo/:/transcode')).toHaveLength(6);
  });

  it('fails every transcode with `photo.failing`, and 404s the keys of `photo.missing`', async () => {
    sim = await startPlexSim({ library: { movies: 2, shows: 0, episodes: 0 }, photo: { failing: true } });
    const key = movies(sim)[0]?.ratingKey ?? '';
    expect((await transcode(sim, `/library/metadata/${key}/thumb`)).status).toBe(500);
    await sim.close();
    sim = await startPlexSim({ library: { movies: 2, shows: 0, episodes: 0 }, photo: { missing: [key] } });
    expect((await transcode(sim, `/library/metadata/${key}/thumb`)).status).toBe(404);
  });

  it('answers late with `photo.delayMs`', async () => {
    sim = await startPlexSim({ library: { movies: 3, shows: 0, episodes: 0 }, photo: { delayMs: 100 } });
    const keys = movies(sim).map((movie) => movie.ratingKey);
    const server = sim;
    const answers = await Promise.all(keys.map((key) => transcode(server, `/library/metadata/${key}/thumb`)));
    expect(answers.map((answer) => answer.status)).toEqual(keys.map(() => 200));
    await vi.waitFor(() => expect(server.photoStats()).toMatchObject({ requests: keys.length, inFlight: 0 }));
  });
});
