// A real sync in a process whose host name (the default X-Plex-Device-Name) is Cyrillic, Chinese and has a
// typographic apostrophe: `unshare --uts` gives the child its own host name. Skipped where that is not permitted
// (not root, no user namespaces) or python3 (which sets the name without hostname(1)'s validation) is missing.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openCatalog } from '../../../main/catalog/database.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { addSimServer, catalogView, createTestCatalog, simView, type TestCatalog } from './fixtures.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const HOST_NAME = 'Ана’s 北京';
const SET_HOST_NAME_AND_EXEC = 'import os, socket, sys; socket.sethostname(sys.argv[1]); os.execvp(sys.argv[2], sys.argv[2:])';

function canUnshare(): boolean {
  const probe = spawnSync('unshare', ['--uts', 'python3', '-c', SET_HOST_NAME_AND_EXEC, HOST_NAME, 'true'], { stdio: 'ignore' });
  return probe.status === 0;
}

let sim: PlexSim;
let test: TestCatalog;

beforeEach(async () => {
  sim = await startPlexSim({ seed: 5, library: { movies: 40, shows: 3, episodes: 30 } });
  test = createTestCatalog();
  addSimServer(test, sim);
  test.catalog.close();
});

afterEach(async () => {
  test.cleanup();
  await sim.close();
});

it.skipIf(!canUnshare())(
  'syncs everything from a computer named in Cyrillic and Chinese with a typographic apostrophe',
  async () => {
    const child = spawn(
      'unshare',
      [
        '--uts',
        'python3',
        '-c',
        SET_HOST_NAME_AND_EXEC,
        HOST_NAME,
        join(root, 'node_modules/.bin/tsx'),
        'tests/main/sync/hostname-sync-process.ts',
        test.file,
        join(test.dir, 'config'),
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const result = JSON.parse(output) as { ok: boolean; hostname: string; errors: string[] };
    expect(result.hostname).toBe(HOST_NAME);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(new Set(sim.requests.map((request) => request.deviceName))).toEqual(new Set(["Ana's %E5%8C%97%E4%BA%AC"]));

    const reopened = openCatalog(test.file);
    try {
      expect(catalogView(reopened)).toEqual(simView(sim));
    } finally {
      reopened.close();
    }
  },
  60_000,
);
