// Text from a Plex server reaches the terminal only through the CLI's writer, which lets no control character
// but newline and tab pass: a hostile server cannot clear the screen, retitle the window or set the clipboard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { cliSandbox, type CliResult, type CliSandbox } from './harness.js';

/** Screen clear, window title (OSC 0, BEL-terminated), clipboard write (OSC 52), and a C1 CSI. */
const HOSTILE = '\u001b[2J\u001b]0;owned\u0007\u001b]52;c;ZWNobyBvd25lZA==\u0007\u009b31mred\r';

/** ESC, BEL, CR and every other C0 control but newline and tab, DEL, and the C1 range (as characters). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

function expectSafe(result: CliResult): void {
  expect(result.stdout).not.toMatch(CONTROL);
  expect(result.stderr).not.toMatch(CONTROL);
  // Bytes too: nothing in the C1 range sneaks through as raw bytes of another encoding.
  for (const text of [result.stdout, result.stderr]) {
    const bytes = Buffer.from(text, 'utf8');
    expect(bytes.includes(0x1b)).toBe(false);
    expect(bytes.includes(0x07)).toBe(false);
  }
}

describe('terminal safety: escape codes from a hostile server never reach the terminal', () => {
  let sim: PlexSim;
  let box: CliSandbox;
  let movieKey: string;

  beforeAll(async () => {
    sim = await startPlexSim({ friendlyName: `Evil${HOSTILE}`, version: `1.0${HOSTILE}` });
    const movies = sim.library.sections().find((section) => section.type === 'movie');
    if (movies === undefined) throw new Error('the simulator has no movie library');
    const first = sim.library.items(movies.key, 'movie')[0];
    if (first === undefined) throw new Error('no movie');
    movieKey = first.ratingKey;
    sim.library.editItem(movieKey, { title: `Heat${HOSTILE}` });
    const shows = sim.library.sections().find((section) => section.type === 'show');
    if (shows !== undefined) sim.library.addShow(shows.key, { title: `Show${HOSTILE}` });
    box = cliSandbox();
  });

  afterAll(async () => {
    await sim.close();
    box.cleanup();
  });

  it('in every command, on stdout and stderr, with and without a terminal', async () => {
    const added = await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token]);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Plex 1.0?[2J?]0;owned?');
    expectSafe(added);
    expectSafe(await box.run(['server', 'test', 'Home']));
    expectSafe(await box.run(['server', 'list']));
    const synced = await box.run(['sync']);
    expect(synced.code).toBe(0);
    expectSafe(synced);
    expectSafe(await box.run(['sync', '--full'], { isTTY: true }).then((result) => ({ ...result, stderr: '' })));
    expectSafe(await box.run(['library', 'list']));
    const found = await box.run(['discover', '--server', 'Home', 'Show']);
    expect(found.stdout).toContain('Show?[2J');
    expectSafe(found);
    expectSafe(await box.run(['export']));
    expectSafe(await box.run(['sync', '--json']));
  });

  it('JSON keeps the text, escaped: the same value once parsed', async () => {
    const exported = await box.run(['export']);
    expectSafe(exported);
    const rows = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { title: string });
    expect(rows.map((row) => row.title)).toContain(`Heat${HOSTILE}`);
    const listed = await box.run(['discover', '--server', 'Home', 'Show', '--json']);
    expectSafe(listed);
    expect((JSON.parse(listed.stdout) as { title: string }[]).map((candidate) => candidate.title)).toContain(`Show${HOSTILE}`);
  });

  it("in the bars of a terminal: only the bars' own codes, never the server's", async () => {
    const synced = await box.run(['sync', '--full'], { isTTY: true });
    expect(synced.stdout).not.toMatch(CONTROL);
    expect(synced.stderr).not.toContain('\u0007');
    expect(synced.stderr).not.toContain('\u001b]');
    expect(synced.stderr).not.toContain('\u001b[2J');
    expect(synced.stderr).not.toContain('\u009b');
  });

  it('in a machine identifier, whether accepted or refused', async () => {
    const other = await startPlexSim({ machineIdentifier: `m${HOSTILE}` });
    try {
      const added = await box.run(['server', 'add', '--name', 'Other', '--url', other.url, '--token', other.token]);
      expectSafe(added);
      if (added.code === 0) {
        expectSafe(await box.run(['server', 'test', 'Other']));
        expectSafe(await box.run(['server', 'list']));
        expectSafe(await box.run(['server', 'list', '--json']));
        // The same address now answers as another machine: the mismatch message names both.
        const moved = await box.run(['server', 'update', 'Home', '--url', other.url]);
        expect(moved.code).not.toBe(0);
        expectSafe(moved);
      }
    } finally {
      await other.close();
    }
  });

  it('in error bodies the server sends back', async () => {
    sim.addFault({ match: /^\/library\/sections\/\d+\/all/, kind: 'status', status: 500, body: `<html>${HOSTILE}</html>` });
    sim.addFault({ match: /^\/library\/sections$/, kind: 'status', status: 401, body: `denied${HOSTILE}` });
    try {
      const synced = await box.run(['sync']);
      expect(synced.code).toBe(1);
      expectSafe(synced);
      const tested = await box.run(['server', 'test', 'Home']);
      expect(tested.code).toBe(1);
      expectSafe(tested);
      const added = await box.run(['server', 'add', '--name', 'Again', '--url', sim.url, '--token', sim.token]);
      expect(added.code).toBe(1);
      expectSafe(added);
    } finally {
      sim.clearFaults();
    }
  });
});
