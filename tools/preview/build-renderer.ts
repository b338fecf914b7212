// Makes sure out/renderer holds a build (the preview server and the e2e harness serve it). Builds with the
// app's own electron-vite config, once: concurrent callers (parallel test files) wait on a lock directory
// instead of building twice.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from tools/preview/. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RENDERER_OUT_DIR = join(REPO_ROOT, 'out', 'renderer');
export const ELECTRON_VITE_CONFIG = join(REPO_ROOT, 'main', 'electron', 'electron.vite.config.ts');

export interface EnsureBuiltOptions {
  /** Rebuild even when a build exists. */
  force?: boolean;
  /** Rebuild when a source of the page (renderer/, shared/, the build config) is newer than the build. Default true. */
  rebuildIfStale?: boolean;
  log?: (message: string) => void;
  /** Give up waiting for another process's build after this long. Default 5 minutes. */
  timeoutMs?: number;
}

const LOCK_DIR = join(REPO_ROOT, 'out', '.build-lock');
const POLL_MS = 250;

export function rendererIsBuilt(): boolean {
  return existsSync(join(RENDERER_OUT_DIR, 'index.html'));
}

/** What the built page is made of: editing any of these makes the build stale. */
const PAGE_SOURCES = [
  join(REPO_ROOT, 'renderer'),
  join(REPO_ROOT, 'shared'),
  ELECTRON_VITE_CONFIG,
  join(REPO_ROOT, 'main', 'app', 'csp.ts'),
];

/** Whether the build is missing or older than a source of the page. */
export function rendererIsStale(): boolean {
  let built: number;
  try {
    built = statSync(join(RENDERER_OUT_DIR, 'index.html')).mtimeMs;
  } catch {
    return true;
  }
  return PAGE_SOURCES.some((source) => newestMtime(source) > built);
}

function newestMtime(path: string): number {
  let info;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Returns the renderer's output directory once it holds a build. */
export async function ensureRendererBuilt(options: EnsureBuiltOptions = {}): Promise<string> {
  const log = options.log ?? (() => {});
  const force = options.force === true;
  const needsBuild = (): boolean => force || (options.rebuildIfStale === false ? !rendererIsBuilt() : rendererIsStale());
  if (!needsBuild() && !existsSync(LOCK_DIR)) return RENDERER_OUT_DIR;
  const deadline = Date.now() + (options.timeoutMs ?? 5 * 60_000);
  // Whoever holds the lock builds; the others wait for it, then find the build fresh and skip theirs.
  while (!tryLock()) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting for another build of the app (lock ${LOCK_DIR}).`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    if (needsBuild()) {
      log('Building the app (electron-vite build)…');
      await runElectronViteBuild();
    }
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
  if (!rendererIsBuilt()) throw new Error(`The build did not produce ${join(RENDERER_OUT_DIR, 'index.html')}.`);
  return RENDERER_OUT_DIR;
}

/** mkdir is atomic: whoever creates the directory holds the lock. A lock left by a dead process is taken over. */
function tryLock(): boolean {
  mkdirSync(join(REPO_ROOT, 'out'), { recursive: true });
  try {
    mkdirSync(LOCK_DIR);
    writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (lockOwnerIsGone()) {
      rmSync(LOCK_DIR, { recursive: true, force: true });
      return tryLock();
    }
    return false;
  }
}

function lockOwnerIsGone(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8'));
  } catch {
    // Just created, pid not written yet: treat as alive.
    return false;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function runElectronViteBuild(): Promise<void> {
  const cli = join(REPO_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  return new Promise((resolve, reject) => {
    // The Node running us (22, pinned by the `node` devDependency) runs the build too.
    const child = spawn(process.execPath, [cli, 'build', '-c', ELECTRON_VITE_CONFIG], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`electron-vite build failed (exit code ${code}):\n${output}`));
    });
  });
}
