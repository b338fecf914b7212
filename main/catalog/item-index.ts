// What the sync engine needs to know about a library's catalogued items: counts and rating keys.
import type BetterSqlite3 from 'better-sqlite3';
import type { ChangedItem, ItemKind, KindCounts } from '../../shared/domain.js';

export interface KeyedItem {
  id: number;
  ratingKey: string;
}

export class LibraryItemIndex {
  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly libraryId: number,
  ) {}

  count(kind: ItemKind): number {
    const row = this.sqlite
      .prepare('SELECT count(*) AS n FROM items WHERE library_id = ? AND kind = ?')
      .get(this.libraryId, kind) as { n: number };
    return row.n;
  }

  countAll(): number {
    const row = this.sqlite.prepare('SELECT count(*) AS n FROM items WHERE library_id = ?').get(this.libraryId) as { n: number };
    return row.n;
  }

  /** Every item of a kind in the library. */
  items(kind: ItemKind): KeyedItem[] {
    return this.sqlite
      .prepare('SELECT id, rating_key AS ratingKey FROM items WHERE library_id = ? AND kind = ?')
      .all(this.libraryId, kind) as KeyedItem[];
  }

  /** Seasons or episodes of one show. */
  childrenOfShow(showId: number, kind: 'season' | 'episode'): KeyedItem[] {
    const table = kind === 'season' ? 'seasons' : 'episodes';
    return this.sqlite
      .prepare(`SELECT i.id, i.rating_key AS ratingKey FROM ${table} c JOIN items i ON i.id = c.item_id WHERE c.show_id = ?`)
      .all(showId) as KeyedItem[];
  }

  /** Catalogued episode count per show rating key. */
  episodeCountsByShow(): Map<string, { showId: number; episodes: number }> {
    const rows = this.sqlite
      .prepare(
        `SELECT s.id AS showId, s.rating_key AS ratingKey, count(e.item_id) AS episodes
         FROM items s LEFT JOIN episodes e ON e.show_id = s.id
         WHERE s.library_id = ? AND s.kind = 'show' GROUP BY s.id`,
      )
      .all(this.libraryId) as { showId: number; ratingKey: string; episodes: number }[];
    return new Map(rows.map((row) => [row.ratingKey, { showId: row.showId, episodes: row.episodes }]));
  }

  /** The catalog id of an item of this server by rating key, in any library. */
  idByRatingKey(serverId: number, ratingKey: string): number | undefined {
    const row = this.sqlite.prepare('SELECT id FROM items WHERE server_id = ? AND rating_key = ?').get(serverId, ratingKey) as
      | { id: number }
      | undefined;
    return row?.id;
  }

  /** Items of each kind in the library. */
  countsByKind(): KindCounts {
    const counts: KindCounts = { movie: 0, show: 0, season: 0, episode: 0 };
    const rows = this.sqlite.prepare('SELECT kind, count(*) AS n FROM items WHERE library_id = ? GROUP BY kind').all(this.libraryId) as { kind: ItemKind; n: number }[];
    for (const row of rows) if (row.kind in counts) counts[row.kind] = row.n;
    return counts;
  }

  /** How a person would name these items (a show's title with season and episode numbers), in the given order. */
  describe(ids: readonly number[]): ChangedItem[] {
    if (ids.length === 0) return [];
    const rows = this.sqlite
      .prepare(
        `SELECT i.id, i.kind, i.title, sh.title AS show, coalesce(e.season_number, se.season_number) AS season, e.episode_number AS episode
         FROM items i LEFT JOIN episodes e ON e.item_id = i.id LEFT JOIN seasons se ON se.item_id = i.id
         LEFT JOIN items sh ON sh.id = coalesce(e.show_id, se.show_id)
         WHERE i.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids)) as { id: number; kind: ItemKind; title: string; show: string | null; season: number | null; episode: number | null }[];
    const byId = new Map(rows.map((row) => [row.id, row]));
    const named: ChangedItem[] = [];
    for (const id of ids) {
      const row = byId.get(id);
      if (row === undefined) continue;
      const item: ChangedItem = { kind: row.kind, title: row.title };
      if (row.show !== null) item.show = row.show;
      if (row.season !== null) item.season = row.season;
      if (row.episode !== null) item.episode = row.episode;
      named.push(item);
    }
    return named;
  }

  /** A season's number by its rating key (null when the catalog has no such season or no number). */
  seasonNumber(serverId: number, seasonRatingKey: string): number | null {
    const row = this.sqlite
      .prepare("SELECT s.season_number AS n FROM items i JOIN seasons s ON s.item_id = i.id WHERE i.server_id = ? AND i.rating_key = ? AND i.kind = 'season'")
      .get(serverId, seasonRatingKey) as { n: number | null } | undefined;
    return row?.n ?? null;
  }
}
