// Part of `npm run build`: replaces tsc's dist/main/cli/run-cli.js with one bundled file holding the whole CLI
// and its dependencies (but better-sqlite3, a native module). Node then reads one file instead of resolving and
// compiling some 400 modules: `marquee --version` drops from about 0.3 s to 0.1 s, and every command gains as much.
// marquee.js itself stays unbundled and tiny: it must run (and say "too old") even on an old Node.
import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

const shared: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  sourcemap: true,
  external: ['better-sqlite3'],
  // CommonJS dependencies (commander, cli-progress…) call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __marqueeCreateRequire } from 'node:module'; const require = __marqueeCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
};

// The sync's writer thread (main/sync/page-writer-entry.ts), where the CLI looks for it: next to its bundle.
await build({ ...shared, entryPoints: ['main/sync/page-writer-entry.ts'], outfile: 'dist/main/cli/page-writer-worker.js' });

await build({ ...shared, entryPoints: ['main/cli/run-cli.ts'], outfile: 'dist/main/cli/run-cli.js', allowOverwrite: true });
