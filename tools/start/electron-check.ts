// First step of `npm start`: is Electron's binary there? Without it, electron-vite fails with a stack trace
// (and `require('electron')` would try to download it); say once why, and what works instead.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Why Electron cannot start from this electron package folder, or null when its binary is in place. */
export function electronBinaryProblem(electronDir: string, env: Record<string, string | undefined>): string | null {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(join(electronDir, 'package.json'))) return 'the electron package is not installed';
  // path.txt names the executable inside dist/; Electron's own install script writes both.
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary =
    override !== undefined && override !== '' ? join(override, executable || 'electron') : join(electronDir, 'dist', executable);
  if (executable === '' && (override === undefined || override === ''))
    return "Electron's binary was never downloaded (node_modules/electron/path.txt is missing)";
  if (!existsSync(binary)) return `Electron's binary ${binary} is missing`;
  return null;
}

export const PREVIEW_HINT = '`npm run preview -- --db FILE` serves the same app in a browser';

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const problem = electronBinaryProblem(join(root, 'node_modules/electron'), process.env);
  if (problem !== null) {
    process.stderr.write(`npm start: the desktop app cannot start: ${problem}; ${PREVIEW_HINT}.\n`);
    process.exitCode = 1;
  }
}
