// npm 11 runs a dependency's install scripts only when package.json's allowScripts approves it, and warns
// about every unreviewed one. Each installed package with an install script must be decided on there.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Installed packages (from the lockfile) that npm would run install scripts for. */
function packagesWithInstallScripts(): string[] {
  const lock = readJson<{ packages: Record<string, { hasInstallScript?: boolean }> }>(join(root, 'package-lock.json'));
  const names = new Set<string>();
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/')) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const dir = join(root, path);
    const manifest = existsSync(join(dir, 'package.json')) ? readJson<PackageJson>(join(dir, 'package.json')) : {};
    const scripts = manifest.scripts ?? {};
    // npm's default install script for a package with a binding.gyp and none of its own: node-gyp rebuild.
    const gyp = existsSync(join(dir, 'binding.gyp')) && scripts.install === undefined && scripts.preinstall === undefined;
    if (
      entry.hasInstallScript === true ||
      gyp ||
      ['preinstall', 'install', 'postinstall'].some((script) => scripts[script] !== undefined)
    ) {
      names.add(name);
    }
  }
  return [...names].sort();
}

describe('package.json allowScripts', () => {
  const allow = readJson<PackageJson>(join(root, 'package.json')).allowScripts ?? {};

  it('decides on every dependency that has an install script', () => {
    const undecided = packagesWithInstallScripts().filter((name) => allow[name] === undefined);
    expect(undecided).toEqual([]);
  });

  it('records every install script in package-lock, as a fresh npm install would (so it leaves git status clean)', () => {
    const lock = readJson<{ packages: Record<string, { hasInstallScript?: boolean }> }>(join(root, 'package-lock.json'));
    const unrecorded = packagesWithInstallScripts().filter((name) => lock.packages[`node_modules/${name}`]?.hasInstallScript !== true);
    expect(unrecorded).toEqual([]);
  });

  it('approves the pinned Node (its install script puts node_modules/.bin/node in place) and nothing that need not run', () => {
    expect(allow).toEqual({ node: true, 'better-sqlite3': false, esbuild: false, 'electron-winstaller': false });
  });

  it('needs none of the denied scripts: better-sqlite3 ships prebuilt binaries, esbuild its platform package', () => {
    expect(existsSync(join(root, 'node_modules/better-sqlite3/prebuilds', `${process.platform}-${process.arch}.node`))).toBe(true);
    expect(existsSync(join(root, `node_modules/@esbuild/${process.platform}-${process.arch}/package.json`))).toBe(true);
  });
});
