// The built executable, spawned for real: stdout to a file and into a closed pipe, Ctrl-C as a signal.
// Runs only when the build exists (`npm run build`; or $MARQUEE_BIN pointing at a built marquee.js).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { cliSandbox, type CliSandbox } from './harness.js';

const repo = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const bin = process.env.MARQUEE_BIN ?? join(repo, 'dist/main/cli/marquee.js');

interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runBin(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  options: { stdout?: number; onStderr?: (text: string, child: ReturnType<typeof spawn>) => void } = {},
): Promise<Spawned> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      options.onStderr?.(stderr, child);
    });
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

describe.skipIf(!existsSync(bin))('the built marquee executable', () => {
  let sim: PlexSim;
  let box: CliSandbox;
  let expectedRows: number;

  beforeAll(async () => {
    sim = await startPlexSim({ library: { movies: 3000, shows: 40, episodes: 8000 } });
    box = cliSandbox();
    const added = await runBin(process.execPath, [bin, 'server', 'add', '--name', 'Home', '--url', sim.url], {
      ...box.env,
      MARQUEE_TOKEN: sim.token,
    });
    expect(added.stderr).toMatch(/^marquee: created a new catalog at .*\n$/);
    expect(added.code).toBe(0);
    const synced = await runBin(process.execPath, [bin, 'sync'], box.env);
    expect(synced.code).toBe(0);
    expectedRows = (await box.run(['export'])).stdout.split('\n').length - 1;
  }, 120_000);

  afterAll(async () => {
    await sim.close();
    box.cleanup();
  });

  it('starts with a shebang and prints its version', async () => {
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    const version = await runBin(process.execPath, [bin, '--version'], box.env);
    expect(version).toMatchObject({ code: 0, stderr: '' });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it.skipIf(!existsSync('/usr/bin/node'))('on an older system Node, runs on the pinned Node 22, or says what to run', async () => {
    const version = await runBin('/usr/bin/node', ['--version'], {});
    if (Number(/^v(\d+)/.exec(version.stdout)?.[1] ?? 22) >= 22) return;
    const handedOver = await runBin('/usr/bin/node', [bin, 'server', 'list', '--json'], box.env);
    expect(handedOver).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(handedOver.stdout)).toMatchObject([{ name: 'Home' }]);
    // As if node_modules/.bin/node were missing (or too old itself): a plain message, exit 1.
    const result = await runBin('/usr/bin/node', [bin, '--version'], { ...box.env, MARQUEE_PINNED_NODE_TRIED: '1' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^marquee: Node \d+\.\d+\.\d+ is too old; Node 22 or newer is needed\. .*`npx marquee`.*`npm rebuild node`\.\n$/,
    );
  });

  it('writes a complete export to a file before exiting', async () => {
    const file = join(box.dir, 'export.jsonl');
    const fd = openSync(file, 'w');
    let result: Spawned;
    try {
      result = await runBin(process.execPath, [bin, 'export'], box.env, { stdout: fd });
    } finally {
      closeSync(fd);
    }
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n').length - 1).toBe(expectedRows);
  });

  it('does not crash when the reader closes the pipe early (`marquee export | head`)', async () => {
    const script = '"$0" "$1" export 2>"$2" | head -n 3 >/dev/null; echo "${PIPESTATUS[0]}"';
    const errFile = join(box.dir, 'head.err');
    const result = await runBin('bash', ['-c', script, process.execPath, bin, errFile], box.env);
    expect(result.stdout.trim()).toBe('0');
    expect(readFileSync(errFile, 'utf8')).toBe('');
  });

  it('exits 130 on Ctrl-C during a sync, after stopping cleanly', async () => {
    sim.addFault({ match: /^\/library\/sections\/1\/all/, kind: 'hang' });
    let interrupted = false;
    const result = await runBin(process.execPath, [bin, 'sync', '--full'], box.env, {
      onStderr: (text, child) => {
        // Movies is the second library; its listing hangs until the interrupt.
        if (!interrupted && text.includes('Home / Movies: syncing')) {
          interrupted = true;
          child.kill('SIGINT');
        }
      },
    });
    sim.clearFaults();
    expect(result.signal).toBeNull();
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Cancelling');
    expect(result.stdout).toMatch(/Home\s+Movies\s+full\s+cancelled/);
    expect((await runBin(process.execPath, [bin, 'sync'], box.env)).code).toBe(0);
  });
});
