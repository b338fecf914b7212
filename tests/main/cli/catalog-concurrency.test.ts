// One catalog, several real processes: a sync spawned as its own `marquee` process is held mid-way by the
// simulator (a paused listing page) while other processes try to edit mappings and to sync. Edits and the
// second sync are refused naming the running sync; once it ends, a mapping applies to every file.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { cliSandbox, type CliSandbox } from './harness.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `marquee ARGS` as a process of its own (the CLI from source through tsx), on the sandbox's catalog. */
function spawnMarquee(box: CliSandbox, args: string[]): { pid: number; done: Promise<Finished> } {
  const child = spawn(tsx, ['main/cli/marquee.ts', ...args], {
    cwd: root,
    // A paused page must not time out while the test works: the simulator answers when told to.
    env: { ...process.env, ...box.env, MARQUEE_PLEX_TIMEOUT_MS: '600000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<Finished>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { pid: child.pid ?? -1, done };
}

function query<T>(file: string, sql: string): T {
  const reader = new BetterSqlite3(file, { readonly: true });
  try {
    return reader.prepare(sql).get() as T;
  } finally {
    reader.close();
  }
}

/** 'gone', or the process's state letter in /proc (Linux). */
function processState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return 'gone';
  }
}

const MOVIES = '/data/media/movies';
const BUSY_SYNC = /^marquee: A sync of every active server by marquee \(pid \d+, started \d\d:\d\d:\d\d UTC\) is running: /m;

describe('a sync in another process', () => {
  let sim: PlexSim;
  let box: CliSandbox;

  beforeEach(async () => {
    sim = await startPlexSim({ seed: 5, library: { movies: 2500, shows: 3, episodes: 30 } });
    box = cliSandbox();
    expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token])).code).toBe(0);
  });

  afterEach(async () => {
    sim.resumePaused();
    await sim.close();
    box.cleanup();
  });

  it('refuses mapping edits and a second sync naming it, and every file is mapped in the end', async () => {
    // The movie listing's second page waits: the sync has written its first page and holds the job lock.
    sim.addFault({ match: /\/library\/sections\/1\/all\?.*X-Plex-Container-Start=1000\b/, kind: 'pause', times: 1 });
    const sync = spawnMarquee(box, ['sync']);
    await expect.poll(() => sim.pausedCount(), { timeout: 60_000, interval: 50 }).toBe(1);
    await expect
      .poll(() => query<{ n: number }>(box.db, "SELECT count(*) AS n FROM items WHERE kind = 'movie'").n, { timeout: 30_000, interval: 50 })
      .toBeGreaterThan(0);

    // A second process: its mapping would miss the pages still to come, so it is refused.
    const mappingElsewhere = await spawnMarquee(box, [
      'mapping',
      'add',
      '--server',
      'Home',
      '--plex-path',
      MOVIES,
      '--local-path',
      '/mnt/movies',
    ]).done;
    expect(mappingElsewhere.code).toBe(1);
    expect(mappingElsewhere.stderr).toMatch(BUSY_SYNC);
    expect(mappingElsewhere.stderr).toContain('path mappings cannot change until it ends');
    expect(mappingElsewhere.stderr).toContain('try again when it ends');
    expect(mappingElsewhere.stderr).not.toContain('database is locked');

    // This process too (runCli in-process: another pid than the sync's), and a second sync.
    const mappingHere = await box.run(['mapping', 'add', '--server', 'Home', '--plex-path', MOVIES, '--local-path', '/mnt/movies']);
    expect(mappingHere.code).toBe(1);
    expect(mappingHere.stderr).toMatch(BUSY_SYNC);
    const secondSync = await box.run(['sync']);
    expect(secondSync.code).toBe(1);
    expect(secondSync.stderr).toMatch(BUSY_SYNC);
    expect(secondSync.stderr).toContain('another job cannot start');
    const serverEdit = await box.run(['server', 'update', 'Home', '--inactive']);
    expect(serverEdit.code).toBe(1);
    expect(serverEdit.stderr).toMatch(BUSY_SYNC);
    const libraryEdit = await box.run(['library', 'disable', '--server', 'Home', '--library', 'Movies']);
    expect(libraryEdit.code).toBe(1);
    expect(libraryEdit.stderr).toMatch(BUSY_SYNC);
    // Reading goes on.
    expect((await box.run(['mapping', 'list', '--json'])).stdout).toBe('[]\n');
    expect(query<{ n: number }>(box.db, 'SELECT count(*) AS n FROM path_mappings').n).toBe(0);

    sim.resumePaused();
    const synced = await sync.done;
    expect(synced.stderr).not.toContain('marquee:');
    expect(synced.code).toBe(0);
    expect(query<{ n: number }>(box.db, 'SELECT count(*) AS n FROM job_lock').n).toBe(0);

    // Once the sync is over the same edit is applied, to every file.
    const mapped = await box.run(['mapping', 'add', '--server', 'Home', '--plex-path', MOVIES, '--local-path', '/mnt/movies']);
    expect(mapped.code).toBe(0);
    const movieFiles = query<{ total: number; unmapped: number }>(
      box.db,
      `SELECT count(*) AS total, sum(mapped = 0) AS unmapped FROM media_files WHERE plex_path LIKE '${MOVIES}/%'`,
    );
    expect(movieFiles.total).toBeGreaterThan(1000);
    expect(movieFiles.unmapped).toBe(0);
  }, 120_000);

  it('takes over the lock of a sync process that was killed', async () => {
    sim.addFault({ match: /\/library\/sections\/1\/all\?.*X-Plex-Container-Start=1000\b/, kind: 'pause', times: 1 });
    const sync = spawnMarquee(box, ['sync']);
    await expect
      .poll(() => query<{ n: number }>(box.db, 'SELECT count(*) AS n FROM job_lock').n, { timeout: 60_000, interval: 50 })
      .toBe(1);
    await expect.poll(() => sim.pausedCount(), { timeout: 60_000, interval: 50 }).toBe(1);
    // tsx runs the CLI in a child process of its own: kill the process named in the lock row.
    const holder = query<{ pid: number }>(box.db, 'SELECT pid FROM job_lock').pid;
    process.kill(holder, 'SIGKILL');
    if (holder !== sync.pid) process.kill(sync.pid, 'SIGKILL');
    await sync.done;
    // SIGKILL is delivered asynchronously: wait until the kernel reports the holder dead (gone, or a zombie).
    await expect.poll(() => processState(holder), { timeout: 10_000, interval: 20 }).toMatch(/^(gone|Z)$/);
    sim.resumePaused();
    // The dead holder's row is still there; the next sync takes it over instead of waiting for it.
    expect(query<{ n: number }>(box.db, 'SELECT count(*) AS n FROM job_lock').n).toBe(1);
    const next = await box.run(['sync']);
    expect(next.stderr).not.toContain('marquee:');
    expect(next.code).toBe(0);
    expect(query<{ n: number }>(box.db, 'SELECT count(*) AS n FROM job_lock').n).toBe(0);
  }, 120_000);
});
