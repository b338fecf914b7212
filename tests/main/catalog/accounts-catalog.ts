// A catalog with the plex_accounts migration applied. Until 0002–0004 are merged the migration waits in
// migrations/pending/ (the runner refuses gaps), so tests append it after whatever migrations/ holds; once it has
// moved into migrations/ this uses the directory as is.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Catalog, openCatalog } from '../../../main/catalog/database.js';
import { defaultMigrationsDir, loadMigrations, type Migration } from '../../../main/catalog/migrate.js';

const PENDING = fileURLToPath(new URL('../../../migrations/pending/0005_plex_accounts.sql', import.meta.url));

export function accountsMigrations(): Migration[] {
  const migrations = loadMigrations(defaultMigrationsDir());
  if (migrations.some((migration) => migration.name === 'plex_accounts')) return migrations;
  return [...migrations, { version: migrations.length + 1, name: 'plex_accounts', sql: readFileSync(PENDING, 'utf8') }];
}

export function openAccountsCatalog(dir: string): Catalog {
  return openCatalog(join(dir, 'catalog.sqlite'), { migrations: accountsMigrations() });
}
