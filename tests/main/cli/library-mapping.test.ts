import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { cliSandbox, type CliSandbox } from './harness.js';

interface LibraryJson {
  title: string;
  sectionKey: string;
  enabled: boolean;
  itemCounts: { movies: number; shows: number; episodes: number };
}

interface MappingJson {
  id: number;
  serverName: string;
  libraryId: number | null;
  libraryTitle: string | null;
  plexPrefix: string;
  localPrefix: string;
}

describe('marquee library and mapping', () => {
  let sim: PlexSim;
  let box: CliSandbox;

  beforeEach(async () => {
    sim = await startPlexSim();
    box = cliSandbox();
    const added = await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token]);
    expect(added.code).toBe(0);
  });

  afterEach(async () => {
    await sim.close();
    box.cleanup();
  });

  async function libraries(): Promise<Map<string, LibraryJson>> {
    const listed = await box.run(['library', 'list', '--json']);
    expect(listed.code).toBe(0);
    return new Map((JSON.parse(listed.stdout) as LibraryJson[]).map((library) => [library.title, library]));
  }

  it('lists libraries, and enables and disables them by title or key', async () => {
    const table = await box.run(['library', 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^SERVER\s+KEY\s+TITLE\s+TYPE\s+ENABLED/);
    expect(table.stdout).toMatch(/Home\s+2\s+TV Shows\s+show\s+yes/);
    expect(table.stdout).toMatch(/Home\s+4\s+Music\s+artist\s+no/);

    const disabled = await box.run(['library', 'disable', '--server', 'Home', '--library', 'tv shows']);
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toContain('Library "TV Shows" on "Home" disabled');
    expect((await libraries()).get('TV Shows')?.enabled).toBe(false);

    // A disabled library is not synced.
    const synced = await box.run(['sync', '--json']);
    expect(synced.code).toBe(0);
    const titles = (JSON.parse(synced.stdout) as { libraries: { libraryTitle: string }[] }).libraries.map((entry) => entry.libraryTitle);
    expect(titles.sort()).toEqual(['Kids Movies', 'Movies']);

    expect((await box.run(['library', 'enable', '--server', 'Home', '--library', '2'])).code).toBe(0);
    expect((await libraries()).get('TV Shows')?.enabled).toBe(true);

    const music = await box.run(['library', 'enable', '--server', 'Home', '--library', 'Music']);
    expect(music.code).toBe(0);
    expect((await libraries()).get('Music')?.enabled).toBe(true);

    const missing = await box.run(['library', 'enable', '--server', 'Home', '--library', 'Cartoons']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^marquee: There is no library "Cartoons" on "Home"\. Its libraries: .*"TV Shows"/);

    const noServer = await box.run(['library', 'list', '--server', 'Elsewhere']);
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toContain('There is no server "Elsewhere"');
  });

  it('adds, lists, resolves and removes path mappings', async () => {
    expect((await box.run(['sync'])).code).toBe(0);

    const serverWide = await box.run([
      'mapping',
      'add',
      '--server',
      'Home',
      '--plex-path',
      '/data/media/movies',
      '--local-path',
      '/mnt/movies',
    ]);
    expect(serverWide.code).toBe(0);
    expect(serverWide.stdout).toMatch(/^Added mapping 1 for every library of "Home": \/data\/media\/movies → \/mnt\/movies; \d+ files/);

    const forTv = await box.run([
      'mapping',
      'add',
      '--server',
      'Home',
      '--library',
      'TV Shows',
      '--plex-path',
      '\\\\NAS\\tv',
      '--local-path',
      '/mnt/nas/tv',
    ]);
    expect(forTv.code).toBe(0);
    expect(forTv.stdout).toContain('Added mapping 2 for "Home / TV Shows"');

    const listed = await box.run(['mapping', 'list', '--json']);
    expect(listed.code).toBe(0);
    const mappings = JSON.parse(listed.stdout) as MappingJson[];
    expect(mappings).toMatchObject([
      { id: 1, serverName: 'Home', libraryId: null, libraryTitle: null, plexPrefix: '/data/media/movies', localPrefix: '/mnt/movies' },
      { id: 2, serverName: 'Home', libraryTitle: 'TV Shows', plexPrefix: '\\\\NAS\\tv', localPrefix: '/mnt/nas/tv' },
    ]);
    const table = await box.run(['mapping', 'list']);
    expect(table.stdout).toMatch(/1\s+Home\s+\(all\)\s+\/data\/media\/movies\s+\/mnt\/movies/);

    const movie = await box.run(['mapping', 'resolve', '--server', 'Home', '/data/media/movies/Heat (1995)/Heat (1995).mkv']);
    expect(movie).toEqual({ code: 0, stdout: '/mnt/movies/Heat (1995)/Heat (1995).mkv\n', stderr: '' });

    // A path in the TV library's folder gets the library's mapping.
    const episode = await box.run(['mapping', 'resolve', '--server', 'Home', '\\\\NAS\\tv\\Breaking Bad\\Season 01\\S01E01.mkv']);
    expect(episode).toEqual({ code: 0, stdout: '/mnt/nas/tv/Breaking Bad/Season 01/S01E01.mkv\n', stderr: '' });

    const unmapped = await box.run(['mapping', 'resolve', '--server', 'Home', '/elsewhere/file.mkv']);
    expect(unmapped.code).toBe(1);
    expect(unmapped.stdout).toBe('');
    expect(unmapped.stderr).toBe('marquee: No path mapping of "Home" applies to /elsewhere/file.mkv.\n');

    // The export already shows the mapped paths: no resync needed.
    const rows = (await box.run(['export'])).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { files?: { localPath: string; mapped: boolean }[] });
    expect(rows.some((row) => row.files?.some((file) => file.mapped && file.localPath.startsWith('/mnt/nas/tv/')))).toBe(true);

    const duplicate = await box.run(['mapping', 'add', '--server', 'Home', '--plex-path', '/data/media/movies/', '--local-path', '/x']);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/already maps .* change it with `marquee mapping update \d+ --local-path PREFIX`/);

    const relative = await box.run(['mapping', 'add', '--server', 'Home', '--plex-path', 'media', '--local-path', '/x']);
    expect(relative.code).toBe(2);
    expect(relative.stderr).toContain('is not absolute');

    const removed = await box.run(['mapping', 'remove', '1']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/^Removed mapping 1 /);
    expect((await box.run(['mapping', 'resolve', '--server', 'Home', '/data/media/movies/a.mkv'])).code).toBe(1);
    expect((JSON.parse((await box.run(['mapping', 'list', '--json'])).stdout) as MappingJson[]).map((mapping) => mapping.id)).toEqual([2]);

    expect((await box.run(['mapping', 'remove', '1'])).stderr).toContain('There is no path mapping with id 1.');
    const notAnId = await box.run(['mapping', 'remove', 'one']);
    expect(notAnId.code).toBe(2);
    expect(notAnId.stderr).toContain('A mapping id is a positive whole number');
  });
});
