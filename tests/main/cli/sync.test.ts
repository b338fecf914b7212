import BetterSqlite3 from 'better-sqlite3';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/run-cli.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { capture, cliSandbox, type CliSandbox } from './harness.js';

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

interface ReportJson {
  ok: boolean;
  serverErrors: { serverName: string; error: string }[];
  libraries: { serverName: string; libraryTitle: string; mode: string; outcome: string; added: number; removed: number; error?: string }[];
}

describe('marquee sync', () => {
  let sim: PlexSim;
  let box: CliSandbox;

  beforeEach(async () => {
    sim = await startPlexSim();
    box = cliSandbox();
    expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token])).code).toBe(0);
  });

  afterEach(async () => {
    await sim.close();
    box.cleanup();
  });

  it('syncs every enabled library, prints a table per library, and exits 0', async () => {
    const synced = await box.run(['sync']);
    expect(synced.code).toBe(0);
    const lines = synced.stdout.split('\n');
    expect(lines[0]).toMatch(/^SERVER\s+LIBRARY\s+MODE\s+OUTCOME\s+ADDED\s+UPDATED\s+REMOVED\s+UNCHANGED\s+REQUESTS\s+SECONDS$/);
    expect(synced.stdout).toMatch(/Home\s+Movies\s+full\s+ok\s+40\s+0\s+0\s+0\s+\d+\s+[\d.]+/);
    expect(synced.stdout).toMatch(/Home\s+TV Shows\s+full\s+ok\s+\d+/);
    expect(synced.stdout).toContain('3 libraries synced in');
    // Not a TTY: plain progress lines, one per library start and end.
    const progress = synced.stderr.trim().split('\n');
    expect(progress).toHaveLength(6);
    expect(progress[0]).toBe('[1/3] Home / Kids Movies: syncing…');
    expect(progress[1]).toMatch(
      /^\[1\/3\] Home \/ Kids Movies: ok \(full\): 5 added, 0 updated, 0 removed, 0 unchanged; \d+ requests, [\d.]+ s$/,
    );

    const again = await box.run(['sync', '--server', 'Home', '--library', 'Movies']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Home\s+Movies\s+incremental\s+ok/);
    expect(again.stdout).toContain('1 library synced in');
  });

  it('exits 1 when a library fails, naming server and library, and still syncs the others', async () => {
    sim.addFault({ match: /^\/library\/sections\/2\//, kind: 'status', status: 500 });
    const synced = await box.run(['sync']);
    expect(synced.code).toBe(1);
    expect(synced.stdout).toMatch(/Home\s+TV Shows\s+full\s+failed/);
    expect(synced.stdout).toMatch(/Home\s+Movies\s+full\s+ok\s+40/);
    expect(synced.stdout).toMatch(/^Home \/ TV Shows: failed: Plex server "Home" answered 500/m);
    expect(synced.stdout).toContain('2 libraries synced, 1 not in');
    expect(synced.stderr).toMatch(/^\[3\/3\] Home \/ TV Shows: failed: /m);

    const listed = JSON.parse((await box.run(['library', 'list', '--json'])).stdout) as {
      title: string;
      lastSyncStatus: string;
      itemCounts: { movies: number };
    }[];
    const byTitle = new Map(listed.map((library) => [library.title, library]));
    expect(byTitle.get('Movies')).toMatchObject({ lastSyncStatus: 'ok', itemCounts: { movies: 40 } });
    expect(byTitle.get('TV Shows')?.lastSyncStatus).toBe('failed');

    // Once the server recovers, a sync succeeds again.
    sim.clearFaults();
    expect((await box.run(['sync'])).code).toBe(0);
  });

  it('reports an unreachable server by name and exits 1', async () => {
    await sim.close();
    const synced = await box.run(['sync', '--json']);
    expect(synced.code).toBe(1);
    const report = JSON.parse(synced.stdout) as ReportJson;
    expect(report.ok).toBe(false);
    expect(report.serverErrors).toMatchObject([{ serverName: 'Home' }]);
    expect(report.serverErrors[0]?.error).toContain('Could not reach Plex server "Home"');
  });

  it('--json prints only JSON on stdout', async () => {
    sim.addFault({ match: /^\/library\/sections\/3\//, kind: 'status', status: 500 });
    const synced = await box.run(['sync', '--json']);
    expect(synced.code).toBe(1);
    expect(synced.stdout.startsWith('{')).toBe(true);
    const report = JSON.parse(synced.stdout) as ReportJson;
    expect(report.ok).toBe(false);
    expect(report.libraries.map((library) => [library.libraryTitle, library.outcome])).toEqual([
      ['Kids Movies', 'failed'],
      ['Movies', 'ok'],
      ['TV Shows', 'ok'],
    ]);
    // Each library says what changed by kind and by name (filled by the engine).
    for (const library of report.libraries) {
      expect(Object.keys(library)).toEqual(expect.arrayContaining(['counts', 'changes']));
      expect(Object.keys((library as unknown as { counts: object }).counts).sort()).toEqual(['added', 'removed', 'updated']);
    }
    // Progress went to stderr, as lines even on a "terminal": bars are never drawn for --json.
    const tty = await box.run(['sync', '--json'], { isTTY: true });
    expect(() => JSON.parse(tty.stdout) as unknown).not.toThrow();
    expect(tty.stderr).toContain('[1/3] Home / Kids Movies: syncing…');
  });

  it('takes the removal guard from $MARQUEE_MAX_REMOVAL_SHARE, and validates it', async () => {
    expect((await box.run(['sync'])).code).toBe(0);
    const movies = sim.library.items('1', 'movie');
    for (const movie of movies.slice(0, 30)) sim.library.removeItem(movie.ratingKey);

    const guarded = await box.run(['sync', '--full', '--library', 'Movies', '--server', 'Home', '--json']);
    expect(guarded.code).toBe(1);
    const refused = JSON.parse(guarded.stdout) as ReportJson;
    expect(refused.libraries[0]).toMatchObject({ libraryTitle: 'Movies', outcome: 'failed', removed: 0 });

    const allowed = await box.run(['sync', '--full', '--library', 'Movies', '--server', 'Home', '--json'], {
      env: { MARQUEE_MAX_REMOVAL_SHARE: '0.9' },
    });
    expect(allowed.code).toBe(0);
    expect((JSON.parse(allowed.stdout) as ReportJson).libraries[0]).toMatchObject({ outcome: 'ok', removed: 30 });

    for (const bad of ['1.5', '-0.1', 'half', '0x1', 'NaN']) {
      const invalid = await box.run(['sync'], { env: { MARQUEE_MAX_REMOVAL_SHARE: bad } });
      expect(invalid.code, bad).toBe(2);
      expect(invalid.stderr).toContain('$MARQUEE_MAX_REMOVAL_SHARE must be a number from 0 to 1');
      expect(invalid.stdout).toBe('');
    }
  });

  it('takes the full-pass interval from $MARQUEE_FULL_SYNC_INTERVAL_HOURS, and validates it', async () => {
    expect((await box.run(['sync'])).code).toBe(0);
    const modes = async (env: Record<string, string>) =>
      (JSON.parse((await box.run(['sync', '--json'], { env })).stdout) as ReportJson).libraries.map((library) => library.mode);
    expect(await modes({})).toEqual(['incremental', 'incremental', 'incremental']);
    // The last full passes were two hours ago: due every hour, never with 0.
    const db = new BetterSqlite3(box.db);
    db.prepare('UPDATE libraries SET last_full_sync_at = last_full_sync_at - 7200').run();
    db.close();
    expect(await modes({ MARQUEE_FULL_SYNC_INTERVAL_HOURS: '0' })).toEqual(['incremental', 'incremental', 'incremental']);
    expect(await modes({ MARQUEE_FULL_SYNC_INTERVAL_HOURS: '1' })).toEqual(['full', 'full', 'full']);
    expect(await modes({ MARQUEE_FULL_SYNC_INTERVAL_HOURS: '1' })).toEqual(['incremental', 'incremental', 'incremental']);
    const invalid = await box.run(['sync'], { env: { MARQUEE_FULL_SYNC_INTERVAL_HOURS: 'weekly' } });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('$MARQUEE_FULL_SYNC_INTERVAL_HOURS must be a whole number of hours');
  });

  it('stops cleanly on Ctrl-C with exit 130, leaving a catalog the next sync continues from', async () => {
    // The Movies listing hangs until the request is aborted: Ctrl-C comes while it is in flight.
    sim.addFault({ match: /^\/library\/sections\/1\/all/, kind: 'hang' });
    const controller = new AbortController();
    const moviesRequested = (): boolean => sim.requests.some((request) => request.path === '/library/sections/1/all');
    const cancelled = await box.run(['sync'], {
      signal: controller.signal,
      onStderr: (text) => {
        if (text.includes('Home / Movies: syncing')) void waitFor(moviesRequested).then(() => controller.abort());
      },
    });
    expect(cancelled.code).toBe(130);
    expect(cancelled.stderr).toContain('Cancelling');
    expect(cancelled.stdout).toMatch(/Home\s+Kids Movies\s+full\s+ok/);
    expect(cancelled.stdout).toMatch(/Home\s+Movies\s+full\s+cancelled/);
    expect(cancelled.stdout).toMatch(/Home\s+TV Shows\s+\w+\s+cancelled/);

    sim.clearFaults();
    const resumed = await box.run(['sync', '--json']);
    expect(resumed.code).toBe(0);
    const report = JSON.parse(resumed.stdout) as ReportJson;
    expect(report.libraries.find((library) => library.libraryTitle === 'Movies')).toMatchObject({ outcome: 'ok', added: 40 });
  });

  it('draws two progress bars when stderr is a terminal', async () => {
    const stdout = capture();
    const stderr = capture();
    // A stand-in terminal: cli-progress only draws on a stream that says it is a TTY.
    Object.assign(stderr.stream, { isTTY: true, columns: 120, rows: 40 });
    const code = await runCli(['sync'], { stdout: stdout.stream, stderr: stderr.stream, env: box.env, isTTY: true });
    await new Promise((resolve) => setImmediate(resolve));
    expect(code).toBe(0);
    expect(stderr.text()).toContain('Libraries ');
    expect(stderr.text()).toContain('Items ');
    expect(stderr.text()).toMatch(/\[3\/3\] Home \/ TV Shows: ok/);
    expect(stdout.text()).toContain('3 libraries synced');
    expect(stderr.stream).toBeInstanceOf(PassThrough);
  });

  it('names what a first sync added, by kind and by name, in text and in --json', async () => {
    const tv = sim.library.sections().find((section) => section.title === 'TV Shows');
    if (tv === undefined) throw new Error('the simulator has no TV Shows library');
    const shows = sim.library.items(tv.key, 'show').length;
    const seasons = sim.library.items(tv.key, 'season').length;
    const episodes = sim.library.items(tv.key, 'episode').length;
    const synced = await box.run(['sync', '--library', 'Movies']);
    expect(synced.code).toBe(0);
    expect(synced.stdout).toMatch(/^Home \/ Movies: 40 movies added$/m);
    expect(synced.stdout).toMatch(/^ {2}added: .+ and 37 more$/m);

    const json = await box.run(['sync', '--library', 'TV Shows', '--json']);
    const report = JSON.parse(json.stdout) as {
      libraries: { counts: { added: Record<string, number> }; changes: { added: { items: unknown[]; more: number } } }[];
    };
    const library = report.libraries[0];
    expect(library?.counts.added).toEqual({ movie: 0, show: shows, season: seasons, episode: episodes, artist: 0, album: 0, track: 0 });
    expect((library?.changes.added.items.length ?? 0) + (library?.changes.added.more ?? 0)).toBe(shows + seasons + episodes);
  });

  it('is a usage error for an unknown option and for an unknown server', async () => {
    const unknownOption = await box.run(['sync', '--fast']);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toBe("marquee: unknown option '--fast'\n(add --help for additional information)\n");
    const unknownServer = await box.run(['sync', '--server', 'Away']);
    expect(unknownServer.code).toBe(2);
    expect(unknownServer.stderr).toContain('There is no server "Away"');
  });
});

describe("marquee sync with a token that is not the owner's", () => {
  it('keeps the items and says once per library that Plex withheld the file paths', async () => {
    const sim = await startPlexSim({ sharedToken: 'friend-token' });
    const box = cliSandbox();
    try {
      expect((await box.run(['server', 'add', '--name', 'Shared', '--url', sim.url, '--token', 'friend-token'])).code).toBe(0);
      const synced = await box.run(['sync']);
      expect(synced.code).toBe(0);
      const warnings = synced.stdout.split('\n').filter((line) => line.includes('warning: Plex did not share file paths'));
      expect(warnings).toHaveLength(3);
      expect(synced.stdout).toMatch(
        /^Shared \/ Movies: 40 movies added\n(?:.*\n)*? {2}warning: Plex did not share file paths with this account \(use the server owner's token\)$/m,
      );
    } finally {
      await sim.close();
      box.cleanup();
    }
  });
});
