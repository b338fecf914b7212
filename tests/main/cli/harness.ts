// Runs the CLI in-process (runCli with captured streams), against a temp catalog and key directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../main/cli/run-cli.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliSandbox {
  dir: string;
  db: string;
  configDir: string;
  env: Record<string, string | undefined>;
  run(argv: string[], options?: RunOptions): Promise<CliResult>;
  cleanup(): void;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  isTTY?: boolean;
  signal?: AbortSignal;
  /** Called with every chunk written to stderr (e.g. to abort once a sync has started). */
  onStderr?: (text: string) => void;
  /** Answers the CLI's yes/no questions, as a person on a terminal would; absent: no terminal. */
  confirm?: (question: string) => Promise<boolean>;
}

/** A capturing stream: everything written is kept as text, and it never holds back (no backpressure). */
export function capture(onData?: (text: string) => void): { stream: PassThrough; text(): string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    chunks.push(text);
    onData?.(text);
  });
  return { stream, text: () => chunks.join('') };
}

export async function runIn(argv: string[], env: Record<string, string | undefined>, options: RunOptions = {}): Promise<CliResult> {
  const stdout = capture();
  const stderr = capture(options.onStderr);
  const code = await runCli(argv, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: { ...env, ...options.env },
    isTTY: options.isTTY ?? false,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.confirm !== undefined ? { confirm: options.confirm } : {}),
  });
  // PassThrough delivers 'data' asynchronously: let it catch up.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

export function cliSandbox(): CliSandbox {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-cli-'));
  const db = join(dir, 'catalog.sqlite');
  const configDir = join(dir, 'config');
  // No retries: a fault or an unreachable server fails at once instead of after seconds of backoff.
  const env = { MARQUEE_DB: db, MARQUEE_CONFIG_DIR: configDir, MARQUEE_PLEX_RETRIES: '0' };
  return {
    dir,
    db,
    configDir,
    env,
    run: (argv, options) => runIn(argv, env, options),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
