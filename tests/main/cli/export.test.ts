import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/run-cli.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { capture, cliSandbox, type CliSandbox } from './harness.js';

const HEAD = ['id', 'server', 'machineIdentifier', 'library', 'type', 'ratingKey', 'title', 'year', 'guids'];
// Issue 10's fields, appended after the original ones (the format only ever grows at the end).
const DETAILS = [
  'summary',
  'tagline',
  'contentRating',
  'studio',
  'originalTitle',
  'titleSort',
  'criticRating',
  'criticRatingImage',
  'audienceRating',
  'audienceRatingImage',
  'genres',
  'labels',
  'collections',
  'countries',
  'directors',
  'writers',
  'actors',
];
const KEY_ORDER: Record<string, string[]> = {
  movie: [...HEAD, 'files', 'addedAt', 'updatedAt', ...DETAILS, 'edition', 'versions', 'groupId'],
  show: [...HEAD, 'addedAt', 'updatedAt', ...DETAILS, 'groupId'],
  episode: [...HEAD, 'show', 'season', 'episode', 'files', 'addedAt', 'updatedAt', ...DETAILS, 'versions', 'groupId'],
};

describe('marquee export', () => {
  let sim: PlexSim;
  let box: CliSandbox;
  let expectedRows: number;

  beforeAll(async () => {
    // Big enough for several megabytes of output: far more than any stream buffers.
    sim = await startPlexSim({ library: { movies: 2500, shows: 40, episodes: 6000 } });
    box = cliSandbox();
    expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token])).code).toBe(0);
    expect((await box.run(['sync'])).code).toBe(0);
    const movies = sim.library.items('1', 'movie').length + sim.library.items('3', 'movie').length;
    const shows = sim.library.items('2', 'show').length;
    const episodes = sim.library.items('2', 'episode').length;
    expectedRows = movies + shows + episodes;
  }, 60_000);

  afterAll(async () => {
    await sim.close();
    box.cleanup();
  });

  it('prints one JSON object per line for every movie, show and episode, keys in the documented order', async () => {
    const exported = await box.run(['export', '--jsonl']);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toBe('');
    expect(exported.stdout.endsWith('\n')).toBe(true);
    const rows = exported.stdout
      .slice(0, -1)
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows).toHaveLength(expectedRows);
    const seen = new Set<string>();
    for (const row of rows) {
      const type = String(row.type);
      seen.add(type);
      expect(Object.keys(row), type).toEqual(KEY_ORDER[type]);
      expect(row.server).toBe('Home');
      expect(row.machineIdentifier).toBe(sim.machineIdentifier);
    }
    expect([...seen].sort()).toEqual(['episode', 'movie', 'show']);
    // The default is the same JSON Lines.
    expect((await box.run(['export'])).stdout).toBe(exported.stdout);
  });

  it('respects backpressure: a slow reader gets every row, and runCli returns only once it has them', async () => {
    let received = '';
    let maxBuffered = 0;
    const stream = new Writable({
      highWaterMark: 16 * 1024,
      write(this: Writable, chunk: Buffer, _encoding, callback) {
        maxBuffered = Math.max(maxBuffered, this.writableLength);
        received += chunk.toString('utf8');
        // A reader slower than the producer: each chunk is taken on a later turn of the event loop.
        setImmediate(callback);
      },
    });
    const stderr = capture();
    const code = await runCli(['export'], { stdout: stream, stderr: stderr.stream, env: box.env, isTTY: false });
    expect(code).toBe(0);
    // Complete the moment runCli returns: nothing left queued in the stream.
    expect(stream.writableLength).toBe(0);
    const lines = received.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(expectedRows);
    expect(received.length).toBeGreaterThan(2_000_000);
    // Never more than about one chunk waiting in the stream: the producer waited for 'drain'.
    expect(maxBuffered).toBeLessThan(200 * 1024);
  });

  it('stops quietly when the reader goes away (EPIPE), as with `marquee export | head`', async () => {
    let chunks = 0;
    const stream = new Writable({
      write(_chunk: Buffer, _encoding, callback) {
        chunks += 1;
        if (chunks === 1) {
          callback();
          return;
        }
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32, syscall: 'write' }));
      },
    });
    const stderr = capture();
    const code = await runCli(['export'], { stdout: stream, stderr: stderr.stream, env: box.env, isTTY: false });
    await new Promise((resolve) => setImmediate(resolve));
    expect(code).toBe(0);
    expect(stderr.text()).toBe('');
    expect(chunks).toBe(2);
  });

  it('stops at Ctrl-C with exit 130', async () => {
    const controller = new AbortController();
    const stdout = capture((text) => {
      if (text.length > 0) controller.abort();
    });
    const stderr = capture();
    const code = await runCli(['export'], {
      stdout: stdout.stream,
      stderr: stderr.stream,
      env: box.env,
      isTTY: false,
      signal: controller.signal,
    });
    expect(code).toBe(130);
  });
});
