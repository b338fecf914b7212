#!/usr/bin/env node
// The `marquee` executable: the real process handed to runCli. The exit code is set, never forced, so
// stdout is fully written before Node exits (a piped export must arrive complete).

// better-sqlite3 13 needs Node 22: say so plainly instead of crashing inside a native module.
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 22) {
  // Through npx this only happens when node_modules/.bin/node is missing: npm skipped the `node` package's
  // install script (package.json allowScripts approves it; an older npm or --ignore-scripts may not run it).
  process.stderr.write(
    `marquee: Node ${process.versions.node} is too old; Node 22 or newer is needed. In the project, \`npx marquee\` runs the ` +
      'pinned Node 22 (node_modules/.bin/node); if that file is missing, its install script was skipped: `npm rebuild node`.\n',
  );
  process.exit(1);
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

const onTerminal = process.stdin.isTTY === true && process.stderr.isTTY === true;
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  isTTY: process.stderr.isTTY === true,
  signal: controller.signal,
  ...(onTerminal ? { confirm: confirmOnTerminal } : {}),
});
