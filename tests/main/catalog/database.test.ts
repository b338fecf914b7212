import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCatalog, transaction } from '../../../main/catalog/database.js';
import { defaultMigrationsDir, loadMigrations, MigrationError } from '../../../main/catalog/migrate.js';
import { tempDir } from './fixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function scratch(): string {
  const { dir, cleanup } = tempDir('marquee-db-');
  cleanups.push(cleanup);
  return dir;
}

describe('openCatalog', () => {
  it('creates parent directories and turns on WAL, foreign keys, NORMAL sync and a busy timeout', () => {
    const file = join(scratch(), 'nested', 'deeper', 'catalog.sqlite');
    const catalog = openCatalog(file);
    try {
      expect(existsSync(file)).toBe(true);
      expect(catalog.file).toBe(file);
      expect(catalog.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(catalog.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(catalog.sqlite.pragma('synchronous', { simple: true })).toBe(1);
      expect(catalog.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      catalog.close();
    }
  });

  it('enforces foreign keys', () => {
    const catalog = openCatalog(join(scratch(), 'catalog.sqlite'));
    try {
      expect(() =>
        catalog.sqlite.prepare("INSERT INTO libraries (server_id, section_key, title, type) VALUES (42, '1', 'x', 'movie')").run(),
      ).toThrowError(/FOREIGN KEY/);
    } finally {
      catalog.close();
    }
  });

  it('shares one handle between Kysely and prepared statements', async () => {
    const catalog = openCatalog(join(scratch(), 'catalog.sqlite'));
    try {
      catalog.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('a', '1')").run();
      const row = await catalog.db.selectFrom('settings').selectAll().where('key', '=', 'a').executeTakeFirst();
      expect(row).toEqual({ key: 'a', value: '1' });
    } finally {
      catalog.close();
    }
  });

  it('transaction() commits, and rolls back on a throw', () => {
    const catalog = openCatalog(join(scratch(), 'catalog.sqlite'));
    try {
      const insert = catalog.sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
      expect(transaction(catalog, () => insert.run('kept', 'x').changes)).toBe(1);
      expect(() =>
        transaction(catalog, () => {
          insert.run('lost', 'x');
          throw new Error('boom');
        }),
      ).toThrowError('boom');
      const keys = catalog.sqlite.prepare('SELECT key FROM settings ORDER BY key').all();
      expect(keys).toEqual([{ key: 'kept' }]);
    } finally {
      catalog.close();
    }
  });

  it('opens read-only without writing, and refuses an outdated catalog read-only', () => {
    const dir = scratch();
    const file = join(dir, 'catalog.sqlite');
    openCatalog(file).close();
    const readonly = openCatalog(file, { readonly: true });
    expect(readonly.sqlite.readonly).toBe(true);
    expect(() => readonly.sqlite.prepare("INSERT INTO settings VALUES ('a', 'b')").run()).toThrowError(/readonly/);
    readonly.close();

    expect(() => openCatalog(join(dir, 'absent.sqlite'), { readonly: true })).toThrowError();
    expect(() =>
      openCatalog(file, {
        readonly: true,
        // One more migration than the file has: the catalog is outdated.
        migrations: [
          ...loadMigrations(defaultMigrationsDir()),
          { version: loadMigrations(defaultMigrationsDir()).length + 1, name: 'next', sql: '' },
        ],
      }),
    ).toThrowError(MigrationError);
  });

  it('close() is idempotent', () => {
    const catalog = openCatalog(join(scratch(), 'catalog.sqlite'));
    catalog.close();
    catalog.close();
    expect(catalog.sqlite.open).toBe(false);
  });
});
