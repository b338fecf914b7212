import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { cliSandbox, type CliSandbox } from './harness.js';

describe('marquee server', () => {
  let sim: PlexSim;
  let box: CliSandbox;

  beforeEach(async () => {
    sim = await startPlexSim();
    box = cliSandbox();
  });

  afterEach(async () => {
    await sim.close();
    box.cleanup();
  });

  it('adds a server after checking it, storing its machine identifier and its libraries', async () => {
    const added = await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token]);
    // The first write creates the catalog, and says so (a --db typo must not go unnoticed).
    expect(added.stderr).toMatch(/^marquee: created a new catalog at .*catalog\.sqlite\n$/);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`Added server "Home" at ${sim.url}`);
    expect(added.stdout).toContain(
      'Music libraries are listed but off: `marquee library enable --server Home --library Music` turns one on.',
    );
    expect(added.stdout).toContain(sim.machineIdentifier);

    const listed = await box.run(['server', 'list', '--json']);
    expect(listed.code).toBe(0);
    const servers = JSON.parse(listed.stdout) as { name: string; url: string; machineIdentifier: string; active: boolean }[];
    expect(servers).toMatchObject([{ name: 'Home', url: sim.url, machineIdentifier: sim.machineIdentifier, active: true }]);

    // The sections were recorded with the server: libraries can be chosen before the first sync.
    const libraries = await box.run(['library', 'list', '--server', 'Home', '--json']);
    expect((JSON.parse(libraries.stdout) as { title: string }[]).map((library) => library.title).sort()).toEqual([
      'Kids Movies',
      'Movies',
      'Music',
      'TV Shows',
    ]);
  });

  it("replaces a token after checking it, keeping the server's items; refuses a wrong one and another server", async () => {
    expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token])).code).toBe(0);
    expect((await box.run(['sync'])).code).toBe(0);
    const before = (await box.run(['export'])).stdout;

    const wrong = await box.run(['server', 'update', 'Home', '--token', 'revoked-token-456']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/refused the token.*nothing was saved/);
    expect(wrong.stdout + wrong.stderr).not.toContain('revoked-token-456');

    const replaced = await box.run(['server', 'update', 'Home', '--token'], { env: { MARQUEE_TOKEN: sim.token } });
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain('a new token (checked)');
    expect((await box.run(['export'])).stdout).toBe(before);
    expect((await box.run(['server', 'test', 'Home'])).code).toBe(0);

    const other = await startPlexSim({ seed: 5, machineIdentifier: 'someone-else' });
    try {
      const moved = await box.run(['server', 'update', 'Home', '--url', other.url, '--token', other.token]);
      expect(moved.code).toBe(1);
      expect(moved.stderr).toMatch(/another Plex server.*Nothing was saved/);
    } finally {
      await other.close();
    }
    const listed = JSON.parse((await box.run(['server', 'list', '--json'])).stdout) as { url: string }[];
    expect(listed[0]?.url).toBe(sim.url);
  });

  it('leaves an inactive server out of sync, and takes it back', async () => {
    expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token])).code).toBe(0);
    expect((await box.run(['server', 'update', 'Home', '--inactive'])).stdout).toContain('inactive');
    const skipped = JSON.parse((await box.run(['sync', '--json'])).stdout) as { libraries: unknown[] };
    expect(skipped.libraries).toEqual([]);
    expect((await box.run(['server', 'update', 'Home', '--active'])).code).toBe(0);
    const synced = JSON.parse((await box.run(['sync', '--json'])).stdout) as { libraries: unknown[] };
    expect(synced.libraries).toHaveLength(3);
    expect((await box.run(['server', 'update', 'Home'])).code).toBe(2);
  });

  it('takes the token from $MARQUEE_TOKEN', async () => {
    const added = await box.run(['server', 'add', '--name', 'Home', '--url', sim.url], { env: { MARQUEE_TOKEN: sim.token } });
    expect(added.code).toBe(0);
    expect(added.stdout + added.stderr).not.toContain(sim.token);
  });

  it('refuses a token the server refuses, says so, and saves nothing', async () => {
    const wrong = 'not-the-right-token-123';
    const added = await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', wrong]);
    expect(added.code).toBe(1);
    expect(added.stderr).toMatch(/^marquee: .*refused the token/m);
    expect(added.stderr).toContain('nothing was saved');
    expect(added.stdout + added.stderr).not.toContain(wrong);
    // Both checks were made: /identity (no token needed) and an authenticated call.
    expect(sim.requests.map((request) => request.path)).toEqual(['/identity', '/library/sections']);

    const listed = await box.run(['server', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });

  it('fails on an unreachable URL and saves nothing', async () => {
    const closed = await startPlexSim();
    const url = closed.url;
    await closed.close();
    const added = await box.run(['server', 'add', '--name', 'Gone', '--url', url, '--token', sim.token]);
    expect(added.code).toBe(1);
    expect(added.stderr).toMatch(/^marquee: Could not reach Plex server "Gone" .*connection refused.*nothing was saved/m);
    expect(added.stderr).not.toContain(sim.token);
    expect(JSON.parse((await box.run(['server', 'list', '--json'])).stdout)).toEqual([]);
  });

  it('is a usage error without a token, or with a URL that is not one', async () => {
    const noToken = await box.run(['server', 'add', '--name', 'Home', '--url', sim.url]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('marquee: No Plex token: pass --token TOKEN or set $MARQUEE_TOKEN.');
    expect(noToken.stderr).toContain('--help');

    const badUrl = await box.run(['server', 'add', '--name', 'Home', '--url', 'ftp://example.org', '--token', sim.token]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('must start with http:// or https://');
    expect(sim.requests).toEqual([]);

    const missingOption = await box.run(['server', 'add', '--url', sim.url]);
    expect(missingOption.code).toBe(2);
    expect(missingOption.stderr).toContain("marquee: required option '--name <name>' not specified");
  });

  it('refuses a blank name or a token no header can carry before any request, creating no catalog', async () => {
    const blank = await box.run(['server', 'add', '--name', '  ', '--url', sim.url, '--token', sim.token]);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toBe('marquee: A server needs a name.\n');

    const broken = await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', 'abc\u0007def']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('printable ASCII characters only');
    expect(broken.stderr).not.toContain('abc');
    expect(sim.requests).toEqual([]);
    expect(existsSync(box.db)).toBe(false);
  });

  it('refuses a second server with the same name or the same machine', async () => {
    expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token])).code).toBe(0);
    const sameName = await box.run(['server', 'add', '--name', 'home', '--url', sim.url, '--token', sim.token]);
    expect(sameName.code).toBe(1);
    expect(sameName.stderr).toContain('A server called "Home" already exists');
    const sameMachine = await box.run(['server', 'add', '--name', 'Again', '--url', sim.url, '--token', sim.token]);
    expect(sameMachine.code).toBe(1);
    expect(sameMachine.stderr).toContain('already in the catalog as "Home"');
  });

  it('never shows or stores the token in clear: not in any output, not in the catalog file', async () => {
    const outputs: string[] = [];
    for (const argv of [
      ['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token],
      ['server', 'list', '--json'],
      ['server', 'list'],
      ['server', 'test', 'Home'],
      ['library', 'list', '--json'],
      ['sync', '--json'],
      ['export'],
    ]) {
      const result = await box.run(argv);
      expect(result.code, argv.join(' ')).toBe(0);
      outputs.push(result.stdout, result.stderr);
    }
    expect(outputs.join('\n')).not.toContain(sim.token);
    // Every file of the catalog (the WAL too, if one was left) and of the config directory.
    const files = [
      ...readdirSync(box.dir)
        .filter((name) => name.startsWith('catalog.sqlite'))
        .map((name) => join(box.dir, name)),
      ...readdirSync(box.configDir).map((name) => join(box.configDir, name)),
    ];
    expect(files.some((file) => file.endsWith('catalog.sqlite'))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(bytes.includes(Buffer.from(sim.token, 'utf8')), file).toBe(false);
    }
  });

  it('tests a server: ok, then a refused token after the server changed it', async () => {
    expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token])).code).toBe(0);
    const ok = await box.run(['server', 'test', 'Home']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Server "Home" at .*: ok \(machine .*token accepted, 4 libraries/);

    sim.addFault({ match: /^\/library\/sections/, kind: 'status', status: 401 });
    const refused = await box.run(['server', 'test', 'Home']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^marquee: Plex server "Home" refused the token \(401\)/);

    const unknown = await box.run(['server', 'test', 'Nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('marquee: There is no server "Nope". Known servers: "Home".\n');
  });

  it('removes a server with everything it had', async () => {
    expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token])).code).toBe(0);
    expect((await box.run(['sync'])).code).toBe(0);
    // Without a terminal to ask on, a script must say --yes; nothing is removed meanwhile.
    const unconfirmed = await box.run(['server', 'remove', 'Home']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(
      /^marquee: Removing the server "Home" with 4 libraries, \d+ items and 0 path mappings needs confirmation: pass --yes\./,
    );
    // On a terminal it asks, naming how many items go; "no" keeps everything.
    const questions: string[] = [];
    const declined = await box.run(['server', 'remove', 'Home'], {
      confirm: (question) => {
        questions.push(question);
        return Promise.resolve(false);
      },
    });
    expect(declined.code).toBe(1);
    expect(declined.stdout).toBe('Nothing was removed.\n');
    expect(questions[0]).toMatch(/^Remove the server "Home" with 4 libraries, (\d+) items and 0 path mappings\? .*\[y\/N\] $/);
    const listed = JSON.parse((await box.run(['library', 'list', '--json'])).stdout) as { itemCounts: Record<string, number> }[];
    const items = listed.reduce((sum, library) => sum + Object.values(library.itemCounts).reduce((a, b) => a + b, 0), 0);
    expect(items).toBeGreaterThan(0);
    expect(questions[0]).toContain(` ${items} items`);
    const removed = await box.run(['server', 'remove', 'Home'], { confirm: () => Promise.resolve(true) });
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('Removed the server "Home"');
    expect((await box.run(['server', 'remove', 'Home', '--yes'])).code).toBe(2);
    expect(JSON.parse((await box.run(['server', 'list', '--json'])).stdout)).toEqual([]);
    expect((await box.run(['export'])).stdout).toBe('');
    expect((await box.run(['server', 'remove', 'Home'])).code).toBe(2);
  });

  it('uses --db over $MARQUEE_DB', async () => {
    const other = join(box.dir, 'other.sqlite');
    expect((await box.run(['--db', other, 'server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token])).code).toBe(0);
    expect(existsSync(other)).toBe(true);
    // $MARQUEE_DB names a catalog nobody created: a reading command says so instead of creating it.
    const elsewhere = await box.run(['server', 'list', '--json']);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain('There is no catalog at');
    expect(JSON.parse((await box.run(['server', 'list', '--json', '--db', other])).stdout)).toHaveLength(1);
  });
});
