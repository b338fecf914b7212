#!/usr/bin/env node
// The `marquee` executable: the real process handed to runCli. The exit code is set, never forced, so
// stdout is fully written before Node exits (a piped export must arrive complete).

// better-sqlite3 13 needs Node 22. An older Node (the system's, running node_modules/.bin/marquee or this file
// directly) hands the command to the project's pinned Node 22 when there is one, and otherwise says plainly
// what is missing instead of crashing inside a native module.
const nodeMajor = Number(process.versions.node.split('.')[0]);
// Nothing below may run on this Node: exit with the pinned one's code (or 1 when there is none).
if (nodeMajor < 22) process.exit(await runOnPinnedNode());

/** Runs this same file with the same arguments on node_modules/.bin/node; resolves to its exit code. */
async function runOnPinnedNode(): Promise<number> {
  const { existsSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  // dist/main/cli/marquee.js → the project's root. MARQUEE_PINNED_NODE_TRIED stops a loop should it be old too.
  const pinned = fileURLToPath(new URL('../../../node_modules/.bin/node', import.meta.url));
  if (!existsSync(pinned) || process.env.MARQUEE_PINNED_NODE_TRIED === '1') {
    // Through npx this means npm skipped the `node` package's install script (package.json allowScripts
    // approves it; an older npm or --ignore-scripts may still skip it).
    process.stderr.write(
      `marquee: Node ${process.versions.node} is too old; Node 22 or newer is needed. In the project, \`npx marquee\` runs the ` +
        'pinned Node 22 (node_modules/.bin/node); if that file is missing, its install script was skipped: `npm rebuild node`.\n',
    );
    return 1;
  }
  const { spawn } = await import('node:child_process');
  const child = spawn(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, MARQUEE_PINNED_NODE_TRIED: '1' },
  });
  // Ctrl-C on a terminal reaches both processes (one process group): the child stops cleanly, this one waits.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', () => resolve({ code: 1, signal: null }));
    child.once('exit', (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal }));
  });
  return code ?? (signal === 'SIGINT' ? 130 : 1);
}

// `marquee --version` alone (scripts ask it to check the install) needs nothing of the 2 MB bundle below.
const onlyArgument = process.argv.length === 3 ? process.argv[2] : undefined;
if (onlyArgument === '--version' || onlyArgument === '-V') {
  const { APP_VERSION } = await import('../app-info.js');
  // Written before exiting: pipes are asynchronous on some platforms.
  await new Promise((resolve) => process.stdout.write(`${APP_VERSION}\n`, resolve));
  process.exit(0);
}

// The built run-cli.js is one bundle of the whole CLI (tools/build/bundle-cli.ts); V8's compile cache (in the
// temp directory) spares recompiling it on every run. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { runCli } = await import('./run-cli.js');

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  // First Ctrl-C: stop cleanly (the catalog stays consistent). Second: the user insists.
  if (interrupts === 1) {
    controller.abort();
    return;
  }
  if (process.stderr.isTTY) process.stderr.write('\u001b[?25h\n');
  process.exit(130);
});
// A reader that goes away (`marquee export | head`) must not crash the process; runCli stops writing.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

/** A y/N question on the terminal (stderr, so stdout stays the command's output); Ctrl-C cancels it. */
async function confirmOnTerminal(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^\s*y(es)?\s*$/i.test(await prompt.question(question, { signal: controller.signal }));
  } finally {
    prompt.close();
  }
}

// SIGTERM (systemd, Docker) stops a command that listens for it (`marquee watch`) cleanly; any other command, or
// a second SIGTERM, ends at once with 143 as before.
const { EventEmitter } = await import('node:events');
const termination = new AbortController();
process.on('SIGTERM', () => {
  if (termination.signal.aborted || EventEmitter.getEventListeners(termination.signal, 'abort').length === 0) process.exit(143);
  termination.abort();
});

const onTerminal = process.stdin.isTTY === true && process.stderr.isTTY === true;
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  isTTY: process.stderr.isTTY === true,
  signal: controller.signal,
  terminate: termination.signal,
  ...(onTerminal ? { confirm: confirmOnTerminal } : {}),
});
