// Which files the CLI treats as a catalog, and how: another application's database is refused untouched, a
// missing file is named (only a writing command creates one, and says so), a read-only copy can be read.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MARQUEE_APPLICATION_ID } from '../../../main/catalog/catalog-file.js';
import { openCatalog } from '../../../main/catalog/database.js';
import { defaultMigrationsDir, loadMigrations } from '../../../main/catalog/migrate.js';
import { addServer } from '../../../main/catalog/servers.js';
import { openKeyFileSecretStore } from '../../../main/secrets/key-file-store.js';
import { insertItem, insertLibrary } from '../catalog/fixtures.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { cliSandbox, runIn, type CliSandbox } from './harness.js';

const READING = [['server', 'list'], ['library', 'list'], ['mapping', 'list'], ['export']] as const;

let sim: PlexSim;
let box: CliSandbox;

beforeAll(async () => {
  sim = await startPlexSim({ seed: 3, library: { movies: 40, shows: 3, episodes: 20 } });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  box = cliSandbox();
});
afterEach(() => {
  // chmod'ed folders must be writable again to be removed.
  for (const entry of readdirSync(box.dir)) chmodSync(join(box.dir, entry), 0o755);
  box.cleanup();
});

function pragmas(file: string): { applicationId: number; userVersion: number; journal: string } {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return {
      applicationId: db.pragma('application_id', { simple: true }) as number,
      userVersion: db.pragma('user_version', { simple: true }) as number,
      journal: db.pragma('journal_mode', { simple: true }) as string,
    };
  } finally {
    db.close();
  }
}

/** A browser's history file, as Firefox leaves it: its own tables, user_version 74, rollback journal. */
function browserDatabase(file: string): Buffer {
  const db = new BetterSqlite3(file);
  db.exec("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('https://example.org');");
  db.pragma('user_version = 74');
  db.close();
  return readFileSync(file);
}

async function catalogWithItems(): Promise<void> {
  expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token])).code).toBe(0);
  expect((await box.run(['sync'])).code).toBe(0);
  expect(
    (await box.run(['mapping', 'add', '--server', 'Home', '--plex-path', '/data/media/movies', '--local-path', '/mnt/movies'])).code,
  ).toBe(0);
}

describe("someone else's database", () => {
  it('is refused by reading and writing commands, and left byte for byte as it was', async () => {
    const places = join(box.dir, 'places.sqlite');
    const before = browserDatabase(places);
    for (const argv of [...READING, ['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token], ['sync']]) {
      const result = await box.run(['--db', places, ...argv]);
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.stderr).toContain(`${places} is not a Marquee catalog (it holds other tables: moz_places)`);
    }
    expect(readFileSync(places).equals(before)).toBe(true);
    expect(pragmas(places)).toEqual({ applicationId: 0, userVersion: 74, journal: 'delete' });
    expect(existsSync(`${places}-wal`)).toBe(false);
  });

  it("is refused when it carries another application's id, and when it is not SQLite at all", async () => {
    const other = join(box.dir, 'other.sqlite');
    const db = new BetterSqlite3(other);
    db.pragma('application_id = 1234');
    db.exec('CREATE TABLE servers (id INTEGER)');
    db.close();
    expect((await box.run(['--db', other, 'server', 'remove', 'Home'])).stderr).toContain(
      'is not a Marquee catalog (its application id is 0x4d2)',
    );
    const text = join(box.dir, 'notes.sqlite');
    writeFileSync(text, 'shopping list\n'.repeat(200));
    const result = await box.run(['--db', text, 'server', 'list']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not a Marquee catalog');
    expect(readFileSync(text, 'utf8')).toBe('shopping list\n'.repeat(200));
  });

  it('recognises a catalog from before the application id by its tables, reads it as is and stamps it on a write', async () => {
    // What an older Marquee left: schema version 1 (its only migration), items, no application id.
    const legacy = openCatalog(box.db, { migrations: loadMigrations(defaultMigrationsDir()).slice(0, 1) });
    const secrets = openKeyFileSecretStore(box.configDir);
    const server = addServer(legacy, secrets, { name: 'Home', url: sim.url, token: sim.token, machineIdentifier: null });
    // Items as version 1 stored them: today's sync writes the columns of later migrations, so it cannot fill a
    // version-1 catalog (and never has to: writing commands migrate first).
    const library = insertLibrary(legacy, server.id, '1', 'Movies');
    for (let n = 1; n <= 50; n++)
      insertItem(legacy, { serverId: server.id, libraryId: library, kind: 'movie', ratingKey: String(n), title: `Movie ${n}` });
    legacy.sqlite.pragma('application_id = 0');
    legacy.close();

    const listed = await box.run(['server', 'list', '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toHaveLength(1);
    expect((await box.run(['export'])).stdout.split('\n').length).toBeGreaterThan(40);
    // Reading migrated and stamped nothing.
    expect(pragmas(box.db)).toMatchObject({ applicationId: 0, userVersion: 1 });

    expect((await box.run(['mapping', 'add', '--server', 'Home', '--plex-path', '/data/media/tv', '--local-path', '/mnt/tv'])).code).toBe(
      0,
    );
    expect(pragmas(box.db)).toMatchObject({
      applicationId: MARQUEE_APPLICATION_ID,
      userVersion: loadMigrations(defaultMigrationsDir()).length,
      journal: 'wal',
    });
  });
});

describe('a catalog file that does not exist', () => {
  it('is named by every reading command (exit 2) and not created', async () => {
    const typo = join(box.dir, 'no-such-folder', 'catalog.sqlite');
    for (const argv of [...READING, ['mapping', 'resolve', '--server', 'Home', '/data/x.mkv']]) {
      const result = await box.run(['--db', typo, ...argv]);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toContain(`There is no catalog at ${typo}`);
    }
    expect(existsSync(join(box.dir, 'no-such-folder'))).toBe(false);
  });

  it('is created by a writing command, which says so on stderr', async () => {
    const fresh = join(box.dir, 'new-folder', 'catalog.sqlite');
    const added = await box.run(['--db', fresh, 'server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token]);
    expect(added.code).toBe(0);
    expect(added.stderr).toBe(`marquee: created a new catalog at ${fresh}\n`);
    expect(pragmas(fresh).applicationId).toBe(MARQUEE_APPLICATION_ID);
    // Only the first time.
    expect((await box.run(['--db', fresh, 'server', 'remove', 'Home', '--yes'])).stderr).toBe('');
  });
});

describe('a read-only catalog', () => {
  /**
   * Tests run as root, which the kernel lets write through any mode bits. What this proves: Marquee itself
   * treats a file or folder without write bits as read-only (it never attempts the write: bytes and mtime
   * unchanged, no -wal or -shm appear), reads through SQLite's read-only mode (and, in a read-only folder
   * where SQLite could not create the WAL index, from an in-memory copy), and a writing command names the file
   * and why. That a non-root user's EACCES takes the same path follows from access(2), checked first.
   */
  async function readOnlyCopy(folderReadOnly: boolean): Promise<{ file: string; bytes: Buffer; outputs: string[] }> {
    await catalogWithItems();
    const outputs = await Promise.all(READING.map(async (argv) => (await box.run([...argv])).stdout));
    const folder = join(box.dir, 'backup');
    mkdirSync(folder);
    const file = join(folder, 'catalog.sqlite');
    copyFileSync(box.db, file);
    expect(readFileSync(file)[18]).toBe(2); // a WAL catalog
    chmodSync(file, 0o444);
    if (folderReadOnly) chmodSync(folder, 0o555);
    return { file, bytes: readFileSync(file), outputs };
  }

  for (const folderReadOnly of [false, true]) {
    it(`serves every reading command${folderReadOnly ? ' in a read-only folder' : ''}, and refuses a write naming the file`, async () => {
      const { file, bytes, outputs } = await readOnlyCopy(folderReadOnly);
      for (const [index, argv] of READING.entries()) {
        const result = await runIn(['--db', file, ...argv], { MARQUEE_CONFIG_DIR: box.configDir });
        expect(result.stderr, argv.join(' ')).toBe('');
        expect(result.code).toBe(0);
        expect(result.stdout).toBe(outputs[index]);
      }
      const write = await runIn(['--db', file, 'mapping', 'add', '--server', 'Home', '--plex-path', '/x', '--local-path', '/y'], {
        MARQUEE_CONFIG_DIR: box.configDir,
      });
      expect(write.code).toBe(1);
      expect(write.stderr).toBe(`marquee: The catalog ${file} cannot be written: the file is read-only.\n`);
      expect(readFileSync(file).equals(bytes)).toBe(true);
      if (folderReadOnly) expect(readdirSync(join(box.dir, 'backup'))).toEqual(['catalog.sqlite']);
    });
  }

  it('refuses a write when only its folder is read-only (WAL needs its files next to the catalog)', async () => {
    await catalogWithItems();
    const folder = join(box.dir, 'locked');
    mkdirSync(folder);
    const file = join(folder, 'catalog.sqlite');
    copyFileSync(box.db, file);
    chmodSync(folder, 0o555);
    const result = await runIn(['--db', file, 'server', 'remove', 'Home'], { MARQUEE_CONFIG_DIR: box.configDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The catalog ${file} cannot be written: its folder ${folder} is read-only`);
  });

  it('is opened by openCatalog read-only without writing', () => {
    const file = join(box.dir, 'c.sqlite');
    openCatalog(file).close();
    chmodSync(file, 0o444);
    expect(() => openCatalog(file)).toThrowError(/cannot be written: the file is read-only/);
    const reader = openCatalog(file, { access: 'read' });
    expect(reader.sqlite.readonly).toBe(true);
    reader.close();
  });
});
