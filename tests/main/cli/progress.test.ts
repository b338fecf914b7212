// Progress on stderr: the 'waiting' event, and a terminal left clean after Ctrl-C.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../../shared/domain.js';
import { CliContext } from '../../../main/cli/context.js';
import { createProgress, waitingText } from '../../../main/cli/progress.js';
import { runCli } from '../../../main/cli/run-cli.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { capture, cliSandbox, type CliSandbox } from './harness.js';
import { screenAfter } from './screen.js';

const waiting: SyncProgress = {
  kind: 'waiting',
  index: 1,
  total: 3,
  serverName: 'Home',
  libraryTitle: 'Movies',
  attempt: 2,
  maxAttempts: 4,
  reason: 'Plex answered 503',
  retryInSeconds: 5,
};

function terminal(): ReturnType<typeof capture> {
  const stderr = capture();
  // A stand-in terminal: cli-progress only draws on a stream that says it is a TTY.
  Object.assign(stderr.stream, { isTTY: true, columns: 120, rows: 40 });
  return stderr;
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

describe('progress', () => {
  it('says when the engine waits for Plex: a line without a terminal', async () => {
    expect(waitingText(waiting)).toBe('waiting for Plex… attempt 2 of 4 (retry in 5 s)');
    expect(waitingText({ ...waiting, retryInSeconds: null })).toBe('waiting for Plex… attempt 2 of 4');
    const stderr = capture();
    const ctx = new CliContext({ stdout: capture().stream, stderr: stderr.stream, env: {}, isTTY: false }, () => undefined);
    const progress = createProgress(ctx, { json: false });
    progress.onProgress(waiting);
    progress.stop();
    await ctx.close();
    await settle();
    expect(stderr.text()).toBe('[2/3] Home / Movies: waiting for Plex… attempt 2 of 4 (retry in 5 s): Plex answered 503\n');
  });

  it('says when the engine waits for Plex: on the items bar of a terminal', async () => {
    const stderr = terminal();
    const ctx = new CliContext({ stdout: capture().stream, stderr: stderr.stream, env: {}, isTTY: true }, () => undefined);
    const progress = createProgress(ctx, { json: false });
    progress.onProgress({ kind: 'library-start', index: 1, total: 3, serverName: 'Home', libraryTitle: 'Movies' });
    progress.onProgress(waiting);
    // The bars draw on a timer; stop() draws the last frame before it clears them.
    progress.stop();
    await ctx.close();
    await settle();
    expect(stderr.text()).toMatch(/Items .*waiting for Plex… attempt 2 of 4 \(retry in 5 s\)/);
  });
});

describe('Ctrl-C on a terminal', () => {
  let sim: PlexSim;
  let box: CliSandbox;

  beforeEach(async () => {
    sim = await startPlexSim();
    box = cliSandbox();
    expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token])).code).toBe(0);
  });

  afterEach(async () => {
    await sim.close();
    box.cleanup();
  });

  it('leaves the cancel notice and the cancelled library on lines of their own, without bar remnants', async () => {
    sim.addFault({ match: /^\/library\/sections\/1\/all/, kind: 'hang' });
    const controller = new AbortController();
    const stdout = capture();
    const stderr = terminal();
    const moviesRequested = (): boolean => sim.requests.some((request) => request.path === '/library/sections/1/all');
    const interrupt = (async (): Promise<void> => {
      while (!moviesRequested() || !stderr.text().includes('Items ')) await new Promise((resolve) => setTimeout(resolve, 5));
      // What the terminal does on Ctrl-C: echo ^C where the cursor is (at the end of the bars).
      stderr.stream.write('^C');
      controller.abort();
    })();
    const code = await runCli(['sync'], {
      stdout: stdout.stream,
      stderr: stderr.stream,
      env: box.env,
      isTTY: true,
      signal: controller.signal,
    });
    await interrupt;
    await settle();
    expect(code).toBe(130);
    const screen = screenAfter(stderr.text()).filter((line) => line !== '');
    expect(screen).toContain('Cancelling: stopping after the current step (Ctrl-C again to quit at once)…');
    expect(screen).toContain('[2/3] Home / Movies: cancelled');
    for (const line of screen) expect(line).not.toMatch(/[█░]|\^C|Items|Libraries/);
  });
});
