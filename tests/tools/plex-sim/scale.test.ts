import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { createSimLibrary } from '../../../tools/plex-sim/library.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/server.js';
import { get, paged, parseJsonContainer, parseXml } from './test-helpers.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function snapshot(sim: PlexSim): Promise<string[]> {
  const paths = [
    '/identity',
    '/library/sections',
    paged('/library/sections/1/all?type=1&includeGuids=1', 0, 50),
    paged('/library/sections/2/all?type=4&includeGuids=1&sort=id', 0, 200),
    paged('/library/sections/2/all?type=2', 0, 20),
    '/library/metadata/1000,1001,1040',
  ];
  const bodies: string[] = [];
  for (const path of paths) {
    bodies.push((await get(sim, path)).text, (await get(sim, path, { json: true })).text);
  }
  return bodies;
}

describe('determinism', () => {
  it('gives the same bytes for the same seed, and different ones for another seed', async () => {
    const [a, b, c] = await Promise.all([startPlexSim({ seed: 21 }), startPlexSim({ seed: 21 }), startPlexSim({ seed: 22 })]);
    try {
      expect([a.token, a.machineIdentifier]).toEqual([b.token, b.machineIdentifier]);
      const [first, second, other] = await Promise.all([snapshot(a), snapshot(b), snapshot(c)]);
      expect(second).toEqual(first);
      expect(other).not.toEqual(first);
      // Mutations are deterministic too.
      for (const sim of [a, b]) {
        sim.library.touchEpisodes(0.2);
        sim.library.addEpisode(sim.library.items('2', 'show')[0]?.ratingKey ?? '', 1);
      }
      expect(await snapshot(b)).toEqual(await snapshot(a));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});

describe('scale', () => {
  it('generates 10k movies, 2k shows and 100k episodes, and serves a page of 1000 from the end', async () => {
    const started = performance.now();
    const sim = await startPlexSim({ seed: 42, library: { movies: 10_000, shows: 2_000, episodes: 100_000 } });
    try {
      const generatedMs = performance.now() - started;
      expect(sim.library.items('1', 'movie')).toHaveLength(10_000);
      expect(sim.library.items('2', 'show')).toHaveLength(2_000);
      expect(sim.library.items('2', 'episode')).toHaveLength(100_000);
      const seasonSizes = sim.library
        .items('2', 'season')
        .filter((s) => s.index !== 0)
        .map((s) => s.children.length);
      expect(Math.max(...seasonSizes)).toBeLessThanOrEqual(27);

      const path = paged('/library/sections/2/all?type=4&includeGuids=1&sort=id', 99_000, 1000);
      const json = parseJsonContainer((await get(sim, path, { json: true })).text);
      expect([json['size'], json['totalSize'], json['offset']]).toEqual([1000, 100_000, 99_000]);
      const xml = parseXml((await get(sim, path)).text);
      expect(xml['size']).toBe('1000');
      // Generous bound: this only guards against pathologies, not a performance target.
      expect(generatedMs).toBeLessThan(30_000);
    } finally {
      await sim.close();
    }
  }, 120_000);

  it('spreads episodes over shows exactly, with specials and seasons of about 10–24', () => {
    const lib = createSimLibrary({ seed: 4, movies: 0, shows: 37, episodes: 1234 });
    expect(lib.items('2', 'episode')).toHaveLength(1234);
    expect(lib.items('2', 'show')).toHaveLength(37);
    expect(lib.items('1', 'movie')).toHaveLength(0);
    expect(lib.items('2', 'season').some((s) => s.index === 0)).toBe(true);
    for (const show of lib.items('2', 'show')) expect(lib.leafCount(show)).toBeGreaterThan(0);
  });
});

describe('cli', () => {
  it('prints one JSON line once listening, serves, and exits on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        `${ROOT}node_modules/tsx/dist/cli.mjs`,
        'tools/plex-sim/cli.ts',
        '--seed',
        '8',
        '--movies',
        '12',
        '--shows',
        '2',
        '--episodes',
        '30',
        '--token',
        'cli-token',
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`exited early with ${String(code)}`)));
        createInterface({ input: child.stdout }).once('line', resolve);
      });
      const info = JSON.parse(line) as { url: string; token: string; machineIdentifier: string; controlKey: string };
      expect(info.token).toBe('cli-token');
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.controlKey).toMatch(/^[0-9a-f]{32}$/);
      const res = await fetch(`${info.url}/library/sections/1/all?type=1&X-Plex-Container-Size=0`, {
        headers: { 'X-Plex-Token': 'cli-token', Accept: 'application/json' },
      });
      expect(parseJsonContainer(await res.text())['totalSize']).toBe(12);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
