// The small things of "First contact": each a message that says what to do next.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { cliSandbox, type CliSandbox } from './harness.js';

describe('first contact: small things', () => {
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

  it('import-show with a non-numeric key: one usage line, no request', async () => {
    const before = sim.requests.length;
    const result = await box.run(['import-show', '--server', 'Home', 'abc']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.match(/A rating key is a number/g)).toHaveLength(1);
    expect(sim.requests.length).toBe(before);
  });

  it('import-show with an unknown key: said once, no table, pointing at discover', async () => {
    const result = await box.run(['import-show', '--server', 'Home', '999999']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'marquee: Item 999999 on "Home" is not a show. Find a show\'s rating key with `marquee discover --server Home TITLE`.\n',
    );
  });

  it('mapping add for an existing prefix points to mapping update, which changes it', async () => {
    const added = await box.run(['mapping', 'add', '--server', 'Home', '--plex-path', '/data/media', '--local-path', '/mnt/a']);
    expect(added.code).toBe(0);
    const id = /Added mapping (\d+)/.exec(added.stdout)?.[1];
    expect(id).toBeDefined();
    const again = await box.run(['mapping', 'add', '--server', 'Home', '--plex-path', '/data/media/', '--local-path', '/mnt/b']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      `Mapping ${id} already maps /data/media → /mnt/a here; change it with \`marquee mapping update ${id} --local-path PREFIX\`.`,
    );
    const updated = await box.run(['mapping', 'update', String(id), '--local-path', '/mnt/b']);
    expect(updated.code).toBe(0);
    expect(updated.stdout).toMatch(new RegExp(`^Updated mapping ${id}: /data/media → /mnt/b; \\d+ files? of the server re-resolved`));
    const listed = JSON.parse((await box.run(['mapping', 'list', '--json'])).stdout) as {
      id: number;
      localPrefix: string;
      libraryTitle: string | null;
    }[];
    expect(listed).toMatchObject([{ id: Number(id), localPrefix: '/mnt/b', libraryTitle: null }]);
    const scoped = await box.run(['mapping', 'update', String(id), '--library', 'Movies']);
    expect(scoped.code).toBe(0);
    expect((JSON.parse((await box.run(['mapping', 'list', '--json'])).stdout) as { libraryTitle: string }[])[0]?.libraryTitle).toBe(
      'Movies',
    );
    expect((await box.run(['mapping', 'update', String(id)])).code).toBe(2);
    expect((await box.run(['mapping', 'update', '999', '--local-path', '/x'])).code).toBe(2);
    expect((await box.run(['mapping', 'remove', String(id)])).code).toBe(0);
  });

  it("library list shows each library's folders", async () => {
    const listed = await box.run(['library', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(/\sFOLDERS$/);
    const folders = (JSON.parse((await box.run(['library', 'list', '--json'])).stdout) as { title: string; locations: string[] }[]).find(
      (library) => library.title === 'Movies',
    )?.locations;
    expect(folders?.length).toBeGreaterThan(0);
    expect(listed.stdout).toMatch(new RegExp(`Movies .*${(folders?.[0] ?? '').replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}`));
  });

  it('a token this key cannot decrypt names the likeliest cause and the fix', async () => {
    const otherConfig = join(box.dir, 'other-config');
    const tested = await box.run(['server', 'test', 'Home'], { env: { MARQUEE_CONFIG_DIR: otherConfig } });
    expect(tested.code).toBe(1);
    expect(tested.stderr).toContain('cannot be decrypted');
    expect(tested.stderr).toContain(`The key in ${otherConfig} (MARQUEE_CONFIG_DIR) is not the one that encrypted it`);
    expect(tested.stderr).toContain('`marquee server update NAME --token`');
    const synced = await box.run(['sync'], { env: { MARQUEE_CONFIG_DIR: otherConfig } });
    expect(synced.code).toBe(1);
    expect(synced.stdout).toContain('most likely the server was added with another MARQUEE_CONFIG_DIR');
    expect(synced.stdout).toContain('`marquee server update Home --token`');
  });

  it('refuses a token with a line break or control character before any request, without echoing it', async () => {
    const before = sim.requests.length;
    for (const bad of [`${sim.token}\r\nX-Injected: 1`, `abc\u0007def`, 'tökén']) {
      const added = await box.run(['server', 'add', '--name', 'Other', '--url', sim.url, '--token', bad]);
      expect(added.code).toBe(2);
      expect(added.stderr).toContain('printable ASCII characters only');
      expect(added.stderr).not.toContain('X-Injected');
      const updated = await box.run(['server', 'update', 'Home', '--token'], { env: { MARQUEE_TOKEN: bad } });
      expect(updated.code).toBe(2);
    }
    expect((await box.run(['server', 'add', '--name', 'Other', '--url', sim.url, '--token', 'x'.repeat(513)])).code).toBe(2);
    expect(sim.requests.length).toBe(before);
  });
});
