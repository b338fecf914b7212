import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../main/catalog/database.js';
import {
  CatalogTooNewError,
  type Migration,
  MigrationError,
  defaultMigrationsDir,
  loadMigrations,
  migrate,
  schemaVersion,
} from '../../../main/catalog/migrate.js';
import { tempDir } from './fixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function scratch(): string {
  const { dir, cleanup } = tempDir('marquee-migrate-');
  cleanups.push(cleanup);
  return dir;
}

function tables(sqlite: BetterSqlite3.Database): string[] {
  return (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
    (row) => row.name,
  );
}

const latest = readdirSync(defaultMigrationsDir()).filter((name) => /^\d{4}_.*\.sql$/.test(name)).length;

describe('migrations', () => {
  it('finds the repository migrations from the source tree', () => {
    const migrations = loadMigrations(defaultMigrationsDir());
    expect(migrations.length).toBe(latest);
    expect(migrations[0]).toMatchObject({ version: 1, name: 'initial' });
  });

  it('brings a fresh catalog to the latest version, and re-opening is a no-op', () => {
    const file = join(scratch(), 'catalog.sqlite');
    const first = openCatalog(file);
    expect(schemaVersion(first.sqlite)).toBe(latest);
    expect(tables(first.sqlite)).toEqual(
      expect.arrayContaining(['settings', 'servers', 'libraries', 'path_mappings', 'items', 'media_files', 'external_ids']),
    );
    first.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('kept', 'yes')").run();
    first.close();

    const second = openCatalog(file);
    expect(schemaVersion(second.sqlite)).toBe(latest);
    expect(migrate(second.sqlite)).toEqual({ from: latest, to: latest, applied: [] });
    expect(second.sqlite.prepare("SELECT value FROM settings WHERE key = 'kept'").get()).toEqual({ value: 'yes' });
    second.close();
  });

  it('refuses a catalog written by a newer Marquee', () => {
    const file = join(scratch(), 'catalog.sqlite');
    openCatalog(file).close();
    const raw = new BetterSqlite3(file);
    raw.pragma(`user_version = ${latest + 5}`);
    raw.close();

    let caught: unknown;
    try {
      openCatalog(file);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CatalogTooNewError);
    const error = caught as CatalogTooNewError;
    expect(error.code).toBe('CATALOG_TOO_NEW');
    expect(error.databaseVersion).toBe(latest + 5);
    expect(error.supportedVersion).toBe(latest);
    expect(error.message).toMatch(/newer Marquee/);
  });

  it('rolls a failing migration back completely and keeps the earlier ones', () => {
    const sqlite = new BetterSqlite3(':memory:');
    const migrations: Migration[] = [
      { version: 1, name: 'first', sql: 'CREATE TABLE a (x INTEGER);' },
      {
        version: 2,
        name: 'broken',
        sql: 'CREATE TABLE b (y INTEGER); INSERT INTO a (x) VALUES (1); ALTER TABLE a ADD COLUMN z; SELECT * FROM no_such_table;',
      },
    ];
    expect(() => migrate(sqlite, migrations)).toThrowError(/0002_broken failed and was rolled back/);
    expect(schemaVersion(sqlite)).toBe(1);
    expect(tables(sqlite)).toEqual(['a']);
    expect(sqlite.prepare('SELECT count(*) AS n FROM a').get()).toEqual({ n: 0 });
    expect((sqlite.pragma('table_info(a)') as unknown[]).length).toBe(1);

    // Fixed, it applies on the next run.
    const fixed = [migrations[0] as Migration, { version: 2, name: 'fixed', sql: 'CREATE TABLE b (y INTEGER);' }];
    expect(migrate(sqlite, fixed).applied.map((m) => m.name)).toEqual(['fixed']);
    expect(schemaVersion(sqlite)).toBe(2);
    sqlite.close();
  });

  it('rejects a migration that leaves broken foreign keys', () => {
    const sqlite = new BetterSqlite3(':memory:');
    sqlite.pragma('foreign_keys = ON');
    const migrations: Migration[] = [
      {
        version: 1,
        name: 'orphans',
        sql: 'CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p_id INTEGER REFERENCES p (id)); INSERT INTO c VALUES (7);',
      },
    ];
    expect(() => migrate(sqlite, migrations)).toThrowError(/foreign keys/);
    expect(schemaVersion(sqlite)).toBe(0);
    expect(tables(sqlite)).toEqual([]);
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    sqlite.close();
  });

  it('validates file names: gaps, duplicates, bad names', () => {
    const write = (dir: string, files: string[]): string => {
      mkdirSync(dir, { recursive: true });
      for (const file of files) writeFileSync(join(dir, file), 'SELECT 1;');
      return dir;
    };
    const root = scratch();
    expect(loadMigrations(write(join(root, 'ok'), ['0001_a.sql', '0002_b.sql', 'README.md'])).map((m) => m.version)).toEqual([1, 2]);
    expect(() => loadMigrations(write(join(root, 'gap'), ['0001_a.sql', '0003_c.sql']))).toThrowError(/version 2 is missing/);
    expect(() => loadMigrations(write(join(root, 'dup'), ['0001_a.sql', '0001_b.sql']))).toThrowError(/Two migrations have version 1/);
    expect(() => loadMigrations(write(join(root, 'bad'), ['0001_a.sql', '2_b.sql']))).toThrowError(MigrationError);
    expect(() => loadMigrations(write(join(root, 'zero'), ['0000_a.sql']))).toThrowError(MigrationError);
    expect(() => loadMigrations(join(root, 'absent'))).toThrowError(/does not exist/);
  });

  it('accepts an explicit directory and bundled migrations when opening', () => {
    const dir = scratch();
    const migrationsDir = join(dir, 'm');
    mkdirSync(migrationsDir);
    writeFileSync(join(migrationsDir, '0001_only.sql'), 'CREATE TABLE only_one (x);');
    const fromDir = openCatalog(join(dir, 'a.sqlite'), { migrationsDir });
    expect(tables(fromDir.sqlite)).toEqual(['only_one']);
    fromDir.close();

    const bundled = openCatalog(join(dir, 'b.sqlite'), { migrations: [{ version: 1, name: 'x', sql: 'CREATE TABLE bundled (x);' }] });
    expect(tables(bundled.sqlite)).toEqual(['bundled']);
    expect(schemaVersion(bundled.sqlite)).toBe(1);
    bundled.close();
  });
});
