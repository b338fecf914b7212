// marquee watch and marquee plex scan | refresh, in-process against the simulated server with a real catalog.
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

async function prepared(): Promise<{ sim: PlexSim; box: CliSandbox; movies: string }> {
  sim = await startPlexSim({ seed: 4, library: { movies: 12, shows: 2, episodes: 10 } });
  box = cliSandbox();
  expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url], { env: { MARQUEE_TOKEN: sim.token } })).code).toBe(0);
  expect((await box.run(['sync'])).code).toBe(0);
  const movies = sim.library.sections().find((section) => section.type === 'movie')?.key ?? '';
  return { sim, box, movies };
}

/** Starts `marquee watch` in-process; returns its output so far and how to stop it. */
function watch(sandbox: CliSandbox, args: string[]) {
  const stdout = capture();
  const stderr = capture();
  const interrupt = new AbortController();
  const terminate = new AbortController();
  const done = runCli(['watch', ...args], {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: { ...sandbox.env, MARQUEE_WATCH_BATCH_MS: '20' },
    isTTY: false,
    signal: interrupt.signal,
    terminate: terminate.signal,
  });
  return { stdout, stderr, interrupt, terminate, done };
}

describe('marquee watch', () => {
  it('prints one JSON line per change and stops with 0 on SIGTERM', async () => {
    const { sim, box, movies } = await prepared();
    const running = watch(box, ['--json']);
    await until(() => running.stdout.text().includes('"reason":"connected"'), 'the catch-up sync');
    sim.library.addMovie(movies, { title: 'Seen By Watch' });
    await until(() => running.stdout.text().includes('Seen By Watch'), 'the change line');
    running.terminate.abort();
    expect(await running.done).toBe(0);
    const lines = running.stdout
      .text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; mode?: string; change?: string; item?: { title: string } });
    expect(lines).toContainEqual(expect.objectContaining({ type: 'mode', mode: 'live' }));
    expect(lines).toContainEqual(
      expect.objectContaining({ type: 'change', change: 'added', item: { kind: 'movie', title: 'Seen By Watch' } }),
    );
    expect(running.stdout.text() + running.stderr.text()).not.toContain(sim.token);
  });

  it('prints text lines and stops with 130 on Ctrl-C; an unknown server is a usage error', async () => {
    const { sim, box, movies } = await prepared();
    const running = watch(box, ['--server', 'Home']);
    await until(() => running.stdout.text().includes('connected sync'), 'the catch-up sync');
    sim.library.addMovie(movies, { title: 'Plain Text Movie' });
    await until(() => running.stdout.text().includes('added movie "Plain Text Movie"'), 'the change line');
    running.interrupt.abort();
    expect(await running.done).toBe(130);
    const unknown = await box.run(['watch', '--server', 'Nope']);
    expect(unknown.code).toBe(2);
  });
});

describe('marquee plex', () => {
  it('scan starts a scan of the library (with a folder), refresh refreshes an item; watch applies the results', async () => {
    const { sim, box, movies } = await prepared();
    const running = watch(box, ['--json']);
    await until(() => running.stdout.text().includes('"reason":"connected"'), 'the catch-up sync');
    sim.notifications.stageForScan(movies, () => sim.library.addMovie(movies, { title: 'Dropped In Folder' }));
    const scan = await box.run(['plex', 'scan', '--server', 'Home', '--library', movies, '--path', '/media/new']);
    expect(scan.code).toBe(0);
    expect(scan.stdout).toContain('Plex is scanning');
    expect(
      sim.requests.some((request) => request.path === `/library/sections/${movies}/refresh` && request.query.path === '/media/new'),
    ).toBe(true);
    await until(() => running.stdout.text().includes('Dropped In Folder'), 'the scanned movie applied');
    const key = sim.library.items(movies, 'movie')[0]?.ratingKey ?? '';
    const refresh = await box.run(['plex', 'refresh', '--server', 'Home', key]);
    expect(refresh.code).toBe(0);
    expect(sim.requests).toContainEqual(expect.objectContaining({ method: 'PUT', path: `/library/metadata/${key}/refresh`, status: 200 }));
    expect((await box.run(['plex', 'refresh', '--server', 'Home', 'abc'])).code).toBe(2);
    expect((await box.run(['plex', 'scan', '--server', 'Home', '--library', 'No Such'])).code).toBe(2);
    const missing = await box.run(['plex', 'refresh', '--server', 'Home', '999999']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).not.toContain(sim.token);
    running.terminate.abort();
    expect(await running.done).toBe(0);
  });
});
