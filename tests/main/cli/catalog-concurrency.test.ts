// One catalog, several real processes, one queue: a sync spawned as its own `marquee` process is held mid-way
// by the simulator (a paused listing page) while other processes edit mappings, sync, list and cancel jobs.
// An edit waits for the sync's next safe point and succeeds, and the pages written after it use the new
// mapping; `--no-wait` refuses; cancelling one of two queued syncs leaves the other to run; a killed owner's
// ticket is reaped.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueJob } from '../../../shared/jobs.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { cliSandbox, type CliSandbox } from './harness.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Spawned {
  pid: number;
  /** What it wrote to stderr so far. */
  stderr(): string;
  done: Promise<Finished>;
}

/** `marquee ARGS` as a process of its own (the CLI from source through tsx), on the sandbox's catalog. */
function spawnMarquee(box: CliSandbox, args: string[]): Spawned {
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
  return { pid: child.pid ?? -1, stderr: () => stderr, done };
}

function query<T>(file: string, sql: string): T {
  const reader = new BetterSqlite3(file, { readonly: true });
  try {
    return reader.prepare(sql).get() as T;
  } finally {
    reader.close();
  }
}

function count(file: string, sql: string): number {
  return query<{ n: number }>(file, sql).n;
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

const NAS_TV = '\\\\NAS\\tv';
const POLL = { timeout: 60_000, interval: 50 };
/** The movie listing's second page (whichever listing the pass makes): the sync has written its first page. */
const SECOND_MOVIE_PAGE = /\/library\/sections\/1\/all\?.*X-Plex-Container-Start=1000\b/;
const WAITING_FOR_SYNC = /^Waiting for a sync of every active server by marquee \(pid \d+, started \d\d:\d\d:\d\d UTC\)…$/m;
const BUSY_SYNC = /^marquee: A sync of every active server by marquee \(pid \d+, started \d\d:\d\d:\d\d UTC\) is running: /m;

describe('a sync in another process', () => {
  let sim: PlexSim;
  let box: CliSandbox;

  beforeEach(async () => {
    sim = await startPlexSim({ seed: 5, library: { movies: 300, shows: 3, episodes: 30 } });
    box = cliSandbox();
    expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token])).code).toBe(0);
  });

  afterEach(async () => {
    sim.resumePaused();
    await sim.close();
    box.cleanup();
  });

  /**
   * A first full sync here, then 2,100 new movies and a new episode: the next sync is an incremental pass of
   * three movie pages, then of the shows. Returns the new episode's rating key.
   */
  async function incrementalOfThreePages(): Promise<string> {
    expect((await box.run(['sync'])).code).toBe(0);
    const sections = sim.library.sections();
    const movies = sections.find((section) => section.type === 'movie');
    if (movies === undefined) throw new Error('no movie section');
    for (let index = 0; index < 2100; index++) sim.library.addMovie(movies.key, { title: `Added Later ${index}` });
    // A show whose files lie under \\NAS\tv (the folder the second edit maps).
    const show = query<{ rating_key: string }>(
      box.db,
      `SELECT s.rating_key FROM items s JOIN episodes e ON e.show_id = s.id JOIN media_files f ON f.item_id = e.item_id
       WHERE f.plex_path LIKE '${NAS_TV}\\%' LIMIT 1`,
    ).rating_key;
    return sim.library.addEpisode(show, 1, { title: 'Added Later Episode' });
  }

  it('an edit from another process waits for the next page, succeeds, and the pages after it use the new mapping', async () => {
    const episode = await incrementalOfThreePages();
    sim.addFault({ match: SECOND_MOVIE_PAGE, kind: 'pause', times: 1 });
    const sync = spawnMarquee(box, ['sync']);
    await expect.poll(() => sim.pausedCount(), POLL).toBe(1);

    const mapping = spawnMarquee(box, ['mapping', 'add', '--server', 'Home', '--plex-path', '/data/media', '--local-path', '/srv/media']);
    // It waits (one line on stderr), queued as an edit, while the sync holds the catalog.
    await expect.poll(() => mapping.stderr(), POLL).toMatch(WAITING_FOR_SYNC);
    const tvMapping = spawnMarquee(box, ['mapping', 'add', '--server', 'Home', '--plex-path', NAS_TV, '--local-path', '/srv/tv']);
    await expect.poll(() => tvMapping.stderr(), POLL).toMatch(WAITING_FOR_SYNC);
    expect(count(box.db, "SELECT count(*) AS n FROM job_queue WHERE kind = 'edit' AND state = 'waiting'")).toBe(2);
    expect(count(box.db, 'SELECT count(*) AS n FROM path_mappings')).toBe(0);

    // The page arrives: before writing it the sync yields, the edits run, the sync resumes with the mappings.
    sim.resumePaused();
    for (const edit of [mapping, tvMapping]) {
      const edited = await edit.done;
      expect(edited.stderr.match(/Waiting for/g)).toHaveLength(1);
      expect(edited.code).toBe(0);
    }
    const synced = await sync.done;
    expect(synced.stderr).not.toContain('marquee:');
    expect(synced.code).toBe(0);
    expect(count(box.db, 'SELECT count(*) AS n FROM job_queue')).toBe(0);

    // Every file is mapped: those written before the edit (re-resolved by it) and after it (the engine read
    // the mappings again), in the movie library and in the shows library that synced after it. An
    // incremental pass re-resolves nothing by itself, so a stale resolver would leave pages unmapped.
    // (The movie library has two folders; only /data/media is mapped.)
    expect(count(box.db, "SELECT count(*) AS n FROM media_files WHERE plex_path LIKE '%Added Later%'")).toBeGreaterThanOrEqual(2100);
    const files = query<{ unmapped: number; added: number }>(
      box.db,
      `SELECT sum(mapped = 0) AS unmapped, sum(plex_path LIKE '%Added Later%') AS added FROM media_files WHERE plex_path LIKE '/data/media/%'`,
    );
    expect(files.added).toBeGreaterThan(500);
    expect(files.unmapped).toBe(0);
    const episodeFiles = query<{ total: number; mapped: number }>(
      box.db,
      `SELECT count(*) AS total, sum(f.mapped) AS mapped FROM media_files f JOIN items i ON i.id = f.item_id WHERE i.rating_key = '${episode}'`,
    );
    expect(episodeFiles.total).toBeGreaterThan(0);
    expect(episodeFiles.mapped).toBe(episodeFiles.total);
  }, 180_000);

  it('--no-wait refuses an edit and a second sync at once, naming the sync (exit 75); reading goes on', async () => {
    sim.addFault({ match: /\/library\/sections\/1\/all\?/, kind: 'pause', times: 1 });
    const sync = spawnMarquee(box, ['sync']);
    await expect.poll(() => sim.pausedCount(), POLL).toBe(1);

    const edit = await box.run(['--no-wait', 'mapping', 'add', '--server', 'Home', '--plex-path', '/data/media', '--local-path', '/srv']);
    expect(edit.code).toBe(75);
    expect(edit.stderr).toMatch(BUSY_SYNC);
    expect(edit.stderr).toContain('change path mappings must wait');
    const second = await box.run(['sync', '--no-wait']);
    expect(second.code).toBe(75);
    expect(second.stderr).toMatch(BUSY_SYNC);
    expect(second.stderr).toContain('another job cannot start');
    expect((await box.run(['mapping', 'list', '--json'])).stdout).toBe('[]\n');
    // Nothing of theirs is left in the queue.
    const listed = JSON.parse((await box.run(['jobs', '--json'])).stdout) as QueueJob[];
    expect(listed.map((job) => [job.kind, job.state])).toEqual([['sync', 'running']]);
    expect(listed[0]?.owner).toMatch(/^marquee CLI, pid \d+$/);

    sim.resumePaused();
    expect((await sync.done).code).toBe(0);
  }, 120_000);

  it('cancelling one of two queued syncs stops that one alone; the other runs', async () => {
    sim.addFault({ match: /\/library\/sections\/1\/all\?/, kind: 'pause', times: 1 });
    const first = spawnMarquee(box, ['sync']);
    await expect.poll(() => sim.pausedCount(), POLL).toBe(1);
    const second = spawnMarquee(box, ['sync']);
    await expect.poll(() => second.stderr(), POLL).toMatch(WAITING_FOR_SYNC);

    const listing = await box.run(['jobs']);
    expect(listing.code).toBe(0);
    expect(listing.stdout).toMatch(/^ID +STATE +JOB +OWNER +SINCE$/m);
    const jobs = JSON.parse((await box.run(['jobs', '--json'])).stdout) as QueueJob[];
    expect(jobs.map((job) => [job.kind, job.state, job.title])).toEqual([
      ['sync', 'running', 'A sync of every active server'],
      ['sync', 'waiting', 'A sync of every active server'],
    ]);
    expect(jobs[0]?.owner).toMatch(/^marquee CLI, pid \d+$/);

    // The running one is asked to stop: its owner sees the flag (heartbeat or next safe point) and aborts.
    const cancelled = await box.run(['jobs', 'cancel', String(jobs[0]?.id)]);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toMatch(/^Asked job \d+ to stop: A sync of every active server \(marquee CLI, pid \d+\)\.$/m);
    const stopped = await first.done;
    expect(stopped.code).toBe(130);
    // The other one was not touched: it runs (the paused page is released for it) and succeeds.
    sim.resumePaused();
    const ran = await second.done;
    expect(ran.stderr).not.toContain('marquee:');
    expect(ran.code).toBe(0);
    expect(count(box.db, 'SELECT count(*) AS n FROM job_queue')).toBe(0);
    expect((await box.run(['jobs', 'cancel', String(jobs[1]?.id)])).code).toBe(2);
  }, 120_000);

  it('reaps the ticket of a sync process that was killed, and the next sync runs', async () => {
    sim.addFault({ match: /\/library\/sections\/1\/all\?/, kind: 'pause', times: 1 });
    const sync = spawnMarquee(box, ['sync']);
    await expect.poll(() => count(box.db, "SELECT count(*) AS n FROM job_queue WHERE state = 'running'"), POLL).toBe(1);
    await expect.poll(() => sim.pausedCount(), POLL).toBe(1);
    // tsx runs the CLI in a child process of its own: kill the process named in the ticket.
    const holder = query<{ pid: number }>(box.db, 'SELECT pid FROM job_queue').pid;
    process.kill(holder, 'SIGKILL');
    if (holder !== sync.pid) process.kill(sync.pid, 'SIGKILL');
    await sync.done;
    // SIGKILL is delivered asynchronously: wait until the kernel reports the holder dead (gone, or a zombie).
    await expect.poll(() => processState(holder), { timeout: 10_000, interval: 20 }).toMatch(/^(gone|Z)$/);
    sim.resumePaused();
    // The dead owner's row is still there; the listing no longer shows it, and the next sync reaps it.
    expect(count(box.db, 'SELECT count(*) AS n FROM job_queue')).toBe(1);
    expect((await box.run(['jobs', '--json'])).stdout).toBe('[]\n');
    const next = await box.run(['sync']);
    expect(next.stderr).not.toContain('marquee:');
    expect(next.code).toBe(0);
    expect(count(box.db, 'SELECT count(*) AS n FROM job_queue')).toBe(0);
  }, 120_000);
});
