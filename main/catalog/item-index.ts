// What the sync engine needs to know about a library's catalogued items: counts and rating keys.
import type BetterSqlite3 from 'better-sqlite3';
import type { ItemKind } from '../../shared/domain.js';

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
}
