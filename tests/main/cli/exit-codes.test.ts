// Exit 2 is a usage error, everywhere: a wrong value or an unknown name on the command line, never "failed".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { cliSandbox, type CliSandbox } from './harness.js';

describe('usage errors exit 2 and name what is valid', () => {
  let sim: PlexSim;
  let box: CliSandbox;

  beforeAll(async () => {
    sim = await startPlexSim();
    box = cliSandbox();
    expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token])).code).toBe(0);
  });

  afterAll(async () => {
    await sim.close();
    box.cleanup();
  });

  it('a server URL without a scheme, or with ftp://, asks nothing of the network', async () => {
    const before = sim.requests.length;
    const bare = await box.run(['server', 'add', '--name', 'Other', '--url', '192.168.1.10:32400', '--token', sim.token]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('has no scheme');
    expect(bare.stderr).toContain('http://192.168.1.10:32400');
    const named = await box.run(['server', 'add', '--name', 'Other', '--url', 'plex.local:32400', '--token', sim.token]);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('e.g. http://plex.local:32400');
    const ftp = await box.run(['server', 'update', 'Home', '--url', 'ftp://example.org']);
    expect(ftp.code).toBe(2);
    expect(ftp.stderr).toContain('must start with http:// or https://');
    expect(sim.requests.length).toBe(before);
  });

  it('a relative mapping path', async () => {
    const relative = await box.run(['mapping', 'add', '--server', 'Home', '--plex-path', 'data/movies', '--local-path', '/mnt/movies']);
    expect(relative.code).toBe(2);
    expect(relative.stderr).toMatch(/^marquee: /);
  });

  it('an unknown server, library or mapping lists the known ones', async () => {
    const server = await box.run(['sync', '--server', 'Nope']);
    expect(server.code).toBe(2);
    expect(server.stderr).toContain('There is no server "Nope"');
    expect(server.stderr).toContain('Home');

    const library = await box.run(['sync', '--library', 'Nope']);
    expect(library.code).toBe(2);
    expect(library.stderr).toContain('There is no library "Nope" on any active server');
    expect(library.stderr).toMatch(/Home: \d+ "Movies"/);
    expect(library.stdout).not.toContain('unreachable');

    const onServer = await box.run(['sync', '--server', 'Home', '--library', 'Nope', '--json']);
    expect(onServer.code).toBe(2);
    expect(onServer.stdout).toBe('');
    expect(onServer.stderr).toContain('There is no library "Nope" on "Home"');

    const enable = await box.run(['library', 'enable', '--server', 'Home', '--library', 'Nope']);
    expect(enable.code).toBe(2);
    expect(enable.stderr).toContain('Its libraries:');

    const mapping = await box.run(['mapping', 'remove', '999']);
    expect(mapping.code).toBe(2);
    expect(mapping.stderr).toContain('There is no path mapping with id 999');

    const test = await box.run(['server', 'test', 'Nope']);
    expect(test.code).toBe(2);
  });

  it('a library that exists but is not a movie, show or music library', async () => {
    const music = await box.run(['library', 'list', '--json']);
    const other = (JSON.parse(music.stdout) as { title: string; type: string }[]).find(
      (library) => library.type !== 'movie' && library.type !== 'show' && library.type !== 'artist',
    );
    if (other === undefined) return;
    const synced = await box.run(['sync', '--library', other.title]);
    expect(synced.code).toBe(2);
    expect(synced.stderr).toContain('only movie, show and music libraries are synced');
  });
});
