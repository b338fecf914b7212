// `npm run bench`: a benchmark, not a test. One run, figures as ratios of the same run's floor.
// Library: 10,000 movies, 2,000 shows, 100,000 episodes on the simulated Plex server (its own process).
// Override with BENCH_MOVIES / BENCH_SHOWS / BENCH_EPISODES / BENCH_PAGE_SIZE for a quicker look.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { PhaseResult } from './run-phase.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');
const size = {
  movies: Number(process.env.BENCH_MOVIES ?? 10_000),
  shows: Number(process.env.BENCH_SHOWS ?? 2_000),
  episodes: Number(process.env.BENCH_EPISODES ?? 100_000),
};
const pageSize = Number(process.env.BENCH_PAGE_SIZE ?? 1000);

interface SimInfo {
  url: string;
  token: string;
  controlKey: string;
}

async function startSim() {
  const child = spawn(tsx, ['tools/plex-sim/cli.ts', '--seed', '42', '--movies', String(size.movies), '--shows', String(size.shows), '--episodes', String(size.episodes)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const info = await new Promise<SimInfo>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`simulated server exited with ${code}`)));
    lines.once('line', (line) => resolve(JSON.parse(line) as SimInfo));
  });
  return { info, stop: () => child.kill('SIGTERM') };
}

async function phase(args: string[]): Promise<PhaseResult> {
  const child = spawn(tsx, ['tools/bench/run-phase.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`phase ${args[0]} failed (${code})`);
  return JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as PhaseResult;
}

async function mutate(sim: SimInfo, op: string, args: unknown[]): Promise<unknown> {
  const response = await fetch(`${sim.url}/__sim/mutate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sim-control': sim.controlKey },
    body: JSON.stringify({ op, args }),
  });
  if (!response.ok) throw new Error(`mutation ${op} failed: ${response.status}`);
  return ((await response.json()) as { result: unknown }).result;
}

function row(label: string, value: string, target = '') {
  console.log(`${label.padEnd(44)} ${value.padStart(14)}   ${target}`);
}

const work = mkdtempSync(join(tmpdir(), 'marquee-bench-'));
const sim = await startSim();
try {
  const { url, token } = sim.info;
  console.log(`Library: ${size.movies} movies, ${size.shows} shows, ${size.episodes} episodes; page size ${pageSize}\n`);
  const floor = await phase(['floor', url, token, String(pageSize)]);
  const db = join(work, 'catalog.sqlite');
  const config = join(work, 'config');
  const full = await phase(['sync', url, token, String(pageSize), db, config]);
  const noChange = await phase(['sync', url, token, String(pageSize), db, config]);
  const touched = await mutate(sim.info, 'touchEpisodes', [0.01]);
  const onePercent = await phase(['sync', url, token, String(pageSize), db, config]);

  const maxRequestsPerLibrary = Math.max(...(noChange.perLibrary ?? []).map((l) => l.requests));
  const ratio = full.seconds / floor.seconds;
  const noChangeShare = noChange.seconds / full.seconds;
  const peak = Math.max(full.maxRssMb, noChange.maxRssMb, onePercent.maxRssMb);
  row('floor: fetch + parse of the listing pages', `${floor.seconds.toFixed(2)} s`, `${floor.items} items, ${floor.requests} requests`);
  row('full sync', `${full.seconds.toFixed(2)} s`, `${Math.round(full.items / full.seconds)} items/s, ${full.requests} requests`);
  row('full sync / floor', `${ratio.toFixed(2)}x`, `target <= 1.5x  ${ratio <= 1.5 ? 'ok' : 'MISSED'}`);
  row('no-change resync', `${noChange.seconds.toFixed(3)} s`, `${(noChangeShare * 100).toFixed(2)}% of full (target <= 5%)  ${noChangeShare <= 0.05 ? 'ok' : 'MISSED'}`);
  row('no-change resync requests per library (max)', String(maxRequestsPerLibrary), `target <= 3  ${maxRequestsPerLibrary <= 3 ? 'ok' : 'MISSED'} (+2 per server: identity, sections)`);
  row(`resync after ${String(touched)} episodes (1%) changed`, `${onePercent.seconds.toFixed(2)} s`, `${onePercent.requests} requests, ${(onePercent.perLibrary ?? []).map((l) => `${l.library}: ${l.updated} updated`).join(', ')}`);
  row('peak RSS (largest phase)', `${peak} MB`, `target <= 400 MB  ${peak <= 400 ? 'ok' : 'MISSED'} (floor ${floor.maxRssMb} MB, full ${full.maxRssMb} MB)`);
  console.log('\nper library (no-change resync):');
  for (const l of noChange.perLibrary ?? []) console.log(`  ${l.library}: ${l.mode}, ${l.requests} requests, ${l.seconds.toFixed(3)} s`);
} finally {
  sim.stop();
  rmSync(work, { recursive: true, force: true });
}
