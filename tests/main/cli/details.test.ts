// marquee details and the watch's background pass, in-process against the simulated server with a real catalog.
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/run-cli.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { capture, cliSandbox, type CliSandbox } from './harness.js';
import { until } from '../live/fixtures.js';

let sim: PlexSim | undefined;
let box: CliSandbox | undefined;

afterEach(async () => {
  await sim?.close();
  box?.cleanup();
  sim = undefined;
  box = undefined;
});

async function prepared(): Promise<{ sim: PlexSim; box: CliSandbox }> {
  sim = await startPlexSim({ seed: 8, library: { movies: 30, shows: 2, episodes: 16 } });
  box = cliSandbox();
  expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url], { env: { MARQUEE_TOKEN: sim.token } })).code).toBe(0);
  expect((await box.run(['sync'])).code).toBe(0);
  sim.resetRequests();
  return { sim, box };
}

/** Items detailed at their current fingerprint, read from the catalog file as another program would. */
function detailed(file: string): { done: number; withLanguages: number } {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const done = db
      .prepare('SELECT count(*) AS n FROM item_details d JOIN items i ON i.id = d.item_id AND i.fingerprint = d.fingerprint')
      .get() as {
      n: number;
    };
    const languages = db.prepare('SELECT count(*) AS n FROM media_versions WHERE audio_languages IS NOT NULL').get() as { n: number };
    return { done: done.n, withLanguages: languages.n };
  } finally {
    db.close();
  }
}

function detailRequests(server: PlexSim): number {
  return server.requests.filter((request) => request.query.excludeElements !== undefined).length;
}

describe('marquee details', () => {
  it('is off by default, says what it costs, and --enable / --disable switch the background pass', async () => {
    const { box } = await prepared();
    const status = await box.run(['details', '--status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('Detail pass in the background (watch, app): off');
    expect(status.stdout).toMatch(/Home: 0 of 51 items detailed/);
    expect(status.stdout).toContain(
      'About 1 request per 20 items (~5,000 requests for 100,000 episodes): ~3 requests for the 51 items left',
    );
    expect((await box.run(['details', '--enable'])).stdout).toContain('background (watch, app): on');
    expect((await box.run(['details', '--disable'])).stdout).toContain('background (watch, app): off');
    expect((await box.run(['details', '--enable', '--disable'])).code).toBe(2);
    expect((await box.run(['details', '--interval-ms', '5'])).code).toBe(2);
  });

  it('runs one pass within the limit, then the rest; the JSON report tells the counts', async () => {
    const { sim, box } = await prepared();
    const first = await box.run(['details', '--limit', '25', '--interval-ms', '100']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Home: done: 25 items detailed');
    expect(first.stderr).toContain('Home: 0 of 51 items detailed');
    expect(detailRequests(sim)).toBe(2);
    expect(detailed(box.db).done).toBe(25);
    const rest = await box.run(['details', '--json']);
    expect(rest.code).toBe(0);
    const report = JSON.parse(rest.stdout) as { ok: boolean; servers: { detailed: number; done: number; total: number }[] };
    expect(report).toMatchObject({ ok: true, servers: [{ detailed: 26, done: 51, total: 51 }] });
    expect(rest.stdout + rest.stderr + first.stdout + first.stderr).not.toContain(sim.token);
  });

  it('stops cleanly on Ctrl-C with 130, and the next run resumes where it stopped', async () => {
    const { sim, box } = await prepared();
    const interrupt = new AbortController();
    const running = box.run(['details', '--interval-ms', '60000'], { signal: interrupt.signal });
    // The first batch is written at once; the second waits a minute for its turn: Ctrl-C lands there.
    await until(() => detailed(box.db).done > 0, 'the first batch');
    interrupt.abort();
    const cancelled = await running;
    expect(cancelled.code).toBe(130);
    expect(cancelled.stdout).toContain('Home: cancelled: 20 items detailed');
    const firstRequests = detailRequests(sim);
    expect(firstRequests).toBe(1);
    const resumed = await box.run(['details', '--interval-ms', '100']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('Home: done: 31 items detailed');
    expect(detailRequests(sim)).toBe(firstRequests + 2);
  });

  it('fails with 1 and keeps the catalog when Plex refuses the token', async () => {
    const { sim, box } = await prepared();
    sim.addFault({ match: /^\/library\/metadata\//, kind: 'status', status: 401 });
    const failed = await box.run(['details']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('nothing was removed');
    expect(failed.stdout + failed.stderr).not.toContain(sim.token);
    const listed = await box.run(['export', '--jsonl']);
    expect(listed.stdout.trim().split('\n').length).toBeGreaterThan(40);
  });
});

/** Starts `marquee watch` in-process; returns its output so far and how to stop it. */
function watch(sandbox: CliSandbox) {
  const stdout = capture();
  const stderr = capture();
  const terminate = new AbortController();
  const done = runCli(['watch'], {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: { ...sandbox.env, MARQUEE_WATCH_BATCH_MS: '20' },
    isTTY: false,
    terminate: terminate.signal,
  });
  return { stdout, stderr, terminate, done };
}

describe('marquee watch and the detail pass', () => {
  it('runs the pass after its own live jobs when the setting is on', async () => {
    const { box } = await prepared();
    expect((await box.run(['details', '--enable', '--interval-ms', '100'])).code).toBe(0);
    const running = watch(box);
    await until(() => running.stdout.text().includes('details done'), 'the background pass');
    expect(running.stdout.text()).toContain('the background detail pass is on');
    expect(running.stdout.text()).toContain('Home: details done: 51 items detailed, 51 of 51 done, 3 requests');
    // The catch-up sync went first: the pass waits for the live catalog's jobs.
    const text = running.stdout.text();
    expect(text.indexOf('connected sync')).toBeLessThan(text.indexOf('details done'));
    running.terminate.abort();
    expect(await running.done).toBe(0);
    expect(detailed(box.db)).toMatchObject({ done: 51 });
  });

  it('leaves it alone when the setting is off (the default)', async () => {
    const { sim, box } = await prepared();
    const running = watch(box);
    await until(() => running.stdout.text().includes('connected sync'), 'the catch-up sync');
    running.terminate.abort();
    expect(await running.done).toBe(0);
    expect(running.stdout.text()).not.toContain('details');
    expect(detailRequests(sim)).toBe(0);
    expect(detailed(box.db).done).toBe(0);
  });
});
