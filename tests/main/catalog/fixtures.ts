// Test helpers: a catalog in a fresh temp dir, and rows inserted with plain SQL (the sync engine's job
// in real life), so repository tests don't depend on the engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Catalog, openCatalog } from '../../../main/catalog/database.js';

export interface TempCatalog {
  dir: string;
  catalog: Catalog;
  cleanup: () => void;
}

export function tempDir(prefix = 'marquee-catalog-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function tempCatalog(): TempCatalog {
  const { dir, cleanup } = tempDir();
  const catalog = openCatalog(join(dir, 'catalog.sqlite'));
  return {
    dir,
    catalog,
    cleanup() {
      catalog.close();
      cleanup();
    },
  };
}

export function insertServer(catalog: Catalog, name: string, machineIdentifier: string | null = `machine-${name}`): number {
  const result = catalog.sqlite
    .prepare('INSERT INTO servers (name, url, machine_identifier, created_at) VALUES (?, ?, ?, 0)')
    .run(name, `http://${name.toLowerCase()}.local:32400`, machineIdentifier);
  return Number(result.lastInsertRowid);
}

export function insertLibrary(catalog: Catalog, serverId: number, sectionKey: string, title: string, type = 'movie'): number {
  const result = catalog.sqlite
    .prepare('INSERT INTO libraries (server_id, section_key, title, type) VALUES (?, ?, ?, ?)')
    .run(serverId, sectionKey, title, type);
  return Number(result.lastInsertRowid);
}

export interface ItemFixture {
  serverId: number;
  libraryId: number;
  kind: 'movie' | 'show' | 'season' | 'episode';
  ratingKey: string;
  title: string;
  year?: number | null;
  guid?: string | null;
  addedAt?: number | null;
  updatedAt?: number | null;
}

/** A catalog from 0008 on has the title index; from 0010 on, no trigger fills it. */
function needsTitleIndexing(catalog: Catalog): boolean {
  const names = catalog.sqlite.prepare("SELECT name FROM sqlite_schema WHERE name IN ('items_fts', 'items_fts_insert')").pluck().all();
  return names.length === 1 && names[0] === 'items_fts';
}

export function insertItem(catalog: Catalog, item: ItemFixture): number {
  const result = catalog.sqlite
    .prepare(
      `INSERT INTO items (server_id, library_id, kind, rating_key, guid, title, year, added_at, updated_at, fingerprint, synced_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'fp', 0)`,
    )
    .run(
      item.serverId,
      item.libraryId,
      item.kind,
      item.ratingKey,
      item.guid ?? null,
      item.title,
      item.year ?? null,
      item.addedAt ?? null,
      item.updatedAt ?? null,
    );
  const id = Number(result.lastInsertRowid);
  // As the ItemWriter does (migration 0010: no insert trigger keeps the title index), on catalogs that have one.
  if (needsTitleIndexing(catalog))
    catalog.sqlite
      .prepare('INSERT INTO items_fts (rowid, title, original_title) SELECT id, title, original_title FROM items WHERE id = ?')
      .run(id);
  if (item.kind === 'movie') catalog.sqlite.prepare('INSERT INTO movies (item_id) VALUES (?)').run(id);
  if (item.kind === 'show') catalog.sqlite.prepare('INSERT INTO shows (item_id) VALUES (?)').run(id);
  return id;
}

export function insertSeason(catalog: Catalog, itemId: number, showId: number, seasonNumber: number | null): void {
  catalog.sqlite.prepare('INSERT INTO seasons (item_id, show_id, season_number) VALUES (?, ?, ?)').run(itemId, showId, seasonNumber);
}

export function insertEpisode(
  catalog: Catalog,
  itemId: number,
  showId: number | null,
  seasonId: number | null,
  seasonNumber: number | null,
  episodeNumber: number | null,
): void {
  catalog.sqlite
    .prepare('INSERT INTO episodes (item_id, show_id, season_id, season_number, episode_number) VALUES (?, ?, ?, ?, ?)')
    .run(itemId, showId, seasonId, seasonNumber, episodeNumber);
}

/** A file as the sync engine would store it before any mapping: local_path = plex_path, unmapped. */
export function insertFile(
  catalog: Catalog,
  itemId: number,
  plexPath: string,
  options: { mediaIndex?: number; partIndex?: number; localPath?: string; mapped?: boolean; size?: number } = {},
): void {
  catalog.sqlite
    .prepare(
      `INSERT INTO media_files (item_id, media_index, part_index, plex_path, local_path, mapped, size, duration_ms, container)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
    )
    .run(
      itemId,
      options.mediaIndex ?? 0,
      options.partIndex ?? 0,
      plexPath,
      options.localPath ?? plexPath,
      options.mapped === true ? 1 : 0,
      options.size ?? null,
    );
}

export function insertExternalId(catalog: Catalog, itemId: number, provider: 'imdb' | 'tmdb' | 'tvdb' | 'plex', value: string): void {
  catalog.sqlite.prepare('INSERT INTO external_ids (item_id, provider, value) VALUES (?, ?, ?)').run(itemId, provider, value);
}

export function filesOf(catalog: Catalog, itemId: number): { plex_path: string; local_path: string; mapped: number }[] {
  return catalog.sqlite
    .prepare('SELECT plex_path, local_path, mapped FROM media_files WHERE item_id = ? ORDER BY media_index, part_index')
    .all(itemId) as { plex_path: string; local_path: string; mapped: number }[];
}
