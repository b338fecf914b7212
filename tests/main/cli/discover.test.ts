import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { cliSandbox, type CliSandbox } from './harness.js';

interface CandidateJson {
  serverName: string;
  ratingKey: string;
  title: string;
  year: number | null;
  libraryTitle: string;
  episodeCount: number | null;
  externalIds: Record<string, string>;
  inCatalog: boolean;
}

describe('marquee discover and import-show', () => {
  let sim: PlexSim;
  let box: CliSandbox;

  beforeEach(async () => {
    sim = await startPlexSim();
    box = cliSandbox();
    expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token])).code).toBe(0);
    // The show library is not synced: discovery is how its shows get in.
    expect((await box.run(['library', 'disable', '--server', 'Home', '--library', 'TV Shows'])).code).toBe(0);
  });

  afterEach(async () => {
    await sim.close();
    box.cleanup();
  });

  async function discover(argv: string[]): Promise<CandidateJson[]> {
    const found = await box.run(['discover', '--server', 'Home', ...argv, '--json']);
    expect(found.stderr).toBe('');
    expect(found.code).toBe(0);
    return JSON.parse(found.stdout) as CandidateJson[];
  }

  it('finds a show by title and year, then imports it with its episodes', async () => {
    const candidates = await discover(['Breaking Bad', '--year', '2008']);
    expect(candidates).toHaveLength(1);
    const show = candidates[0];
    expect(show).toMatchObject({ serverName: 'Home', title: 'Breaking Bad', year: 2008, libraryTitle: 'TV Shows', inCatalog: false });
    expect(show?.externalIds.imdb).toBe('tt0903747');
    expect(await discover(['Breaking Bad', '--year', '1999'])).toEqual([]);

    const imported = await box.run(['import-show', '--server', 'Home', show?.ratingKey ?? '']);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/Home\s+TV Shows\s+full\s+ok\s+\d+/);
    expect(imported.stderr).toContain('[1/1] Home / Breaking Bad: syncing…');

    const rows = (await box.run(['export', '--jsonl'])).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; show?: string; title: string });
    const episodes = rows.filter((row) => row.type === 'episode' && row.show === 'Breaking Bad');
    expect(episodes.length).toBe(show?.episodeCount);
    expect(rows.filter((row) => row.type === 'show').map((row) => row.title)).toEqual(['Breaking Bad']);

    expect((await discover(['breaking', '--year', '2008']))[0]?.inCatalog).toBe(true);
  });

  it('prints a table with the command to import, and says when nothing matches', async () => {
    const table = await box.run(['discover', '--server', 'Home', 'Breaking Bad']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^RATING KEY\s+TITLE\s+YEAR\s+LIBRARY/);
    expect(table.stdout).toMatch(/\d+\s+Breaking Bad\s+2008\s+TV Shows/);
    expect(table.stdout).toMatch(/Import one with: marquee import-show --server Home \d+/);

    const none = await box.run(['discover', '--server', 'Home', 'Nothing Like This']);
    expect(none).toMatchObject({ code: 0, stdout: 'No show on "Home" matches "Nothing Like This".\n' });

    const badYear = await box.run(['discover', '--server', 'Home', 'Breaking Bad', '--year', 'soon']);
    expect(badYear.code).toBe(2);
    expect(badYear.stderr).toContain('A year has four digits');
  });

  it('fails (exit 1) on a rating key that is not a show', async () => {
    const movie = sim.library.items('1', 'movie')[0];
    const imported = await box.run(['import-show', '--server', 'Home', movie?.ratingKey ?? '']);
    expect(imported.code).toBe(1);
    expect(imported.stdout).toBe('');
    expect(imported.stderr).toMatch(
      /^marquee: Item \d+ on "Home" is not a show\. Find a show's rating key with `marquee discover --server Home TITLE`\.\n$/,
    );
    const badKey = await box.run(['import-show', '--server', 'Home', '1,2']);
    expect(badKey.code).toBe(2);
  });
});
