// What the sync engine needs to know about a library's catalogued items: counts and rating keys.
import { sql } from 'kysely';
import type { ChangedItem, ItemKind, KindCounts } from '../../shared/domain.js';
import { type Catalog, queryAll, queryFirst } from './database.js';
import type { KindHierarchy } from './item-input.js';

export interface KeyedItem {
  id: number;
  ratingKey: string;
}

export class LibraryItemIndex {
  constructor(
    private readonly catalog: Catalog,
    private readonly libraryId: number,
  ) {}

  private get db() {
    return this.catalog.db;
  }

  count(kind: ItemKind): number {
    const row = queryFirst(
      this.catalog,
      this.db
        .selectFrom('items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('library_id', '=', this.libraryId)
        .where('kind', '=', kind),
    );
    return row?.n ?? 0;
  }

  countAll(): number {
    const row = queryFirst(
      this.catalog,
      this.db
        .selectFrom('items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('library_id', '=', this.libraryId),
    );
    return row?.n ?? 0;
  }

  /** Every item of a kind in the library. */
  items(kind: ItemKind): KeyedItem[] {
    return queryAll(
      this.catalog,
      this.db
        .selectFrom('items')
        .select(['id', 'rating_key as ratingKey'])
        .where('library_id', '=', this.libraryId)
        .where('kind', '=', kind),
    );
  }

  /** Seasons or episodes of one show; albums or tracks of one artist. */
  childrenOfShow(showId: number, kind: 'season' | 'episode' | 'album' | 'track'): KeyedItem[] {
    const children =
      kind === 'season'
        ? this.db.selectFrom('seasons').select('item_id').where('show_id', '=', showId)
        : kind === 'episode'
          ? this.db.selectFrom('episodes').select('item_id').where('show_id', '=', showId)
          : kind === 'album'
            ? this.db.selectFrom('albums').select('item_id').where('artist_id', '=', showId)
            : this.db.selectFrom('tracks').select('item_id').where('artist_id', '=', showId);
    return queryAll(this.catalog, this.db.selectFrom('items').select(['id', 'rating_key as ratingKey']).where('id', 'in', children));
  }

  /** Catalogued episode count per show rating key (tracks per artist in a music hierarchy). */
  episodeCountsByShow(
    hierarchy: KindHierarchy = { top: 'show', middle: 'season', leaf: 'episode' },
  ): Map<string, { showId: number; episodes: number }> {
    const leaves =
      hierarchy.leaf === 'episode'
        ? this.db.selectFrom('episodes').select(['show_id as parent_id', 'item_id'])
        : this.db.selectFrom('tracks').select(['artist_id as parent_id', 'item_id']);
    const rows = queryAll(
      this.catalog,
      this.db
        .selectFrom('items as s')
        .leftJoin(leaves.as('e'), 'e.parent_id', 's.id')
        .select((eb) => ['s.id as showId', 's.rating_key as ratingKey', eb.fn.count<number>('e.item_id').as('episodes')])
        .where('s.library_id', '=', this.libraryId)
        .where('s.kind', '=', hierarchy.top)
        .groupBy('s.id'),
    );
    return new Map(rows.map((row) => [row.ratingKey, { showId: row.showId, episodes: row.episodes }]));
  }

  /** The catalog id of an item of this server by rating key, in any library. */
  idByRatingKey(serverId: number, ratingKey: string): number | undefined {
    return LibraryItemIndex.find(this.catalog, serverId, ratingKey);
  }

  /** Items of each kind in the library. */
  countsByKind(): KindCounts {
    const counts: KindCounts = { movie: 0, show: 0, season: 0, episode: 0, artist: 0, album: 0, track: 0 };
    const rows = queryAll(
      this.catalog,
      this.db
        .selectFrom('items')
        .select((eb) => ['kind', eb.fn.countAll<number>().as('n')])
        .where('library_id', '=', this.libraryId)
        .groupBy('kind'),
    );
    for (const row of rows) if (row.kind in counts) counts[row.kind] = row.n;
    return counts;
  }

  /** How a person would name these items (a show's title with season and episode numbers), in the given order. */
  describe(ids: readonly number[]): ChangedItem[] {
    if (ids.length === 0) return [];
    const rows = queryAll(
      this.catalog,
      this.db
        .selectFrom('items as i')
        .leftJoin('episodes as e', 'e.item_id', 'i.id')
        .leftJoin('seasons as se', 'se.item_id', 'i.id')
        .leftJoin('tracks as t', 't.item_id', 'i.id')
        .leftJoin('albums as al', 'al.item_id', 'i.id')
        .leftJoin('items as sh', (join) => join.on(sql`sh.id`, '=', sql`coalesce(e.show_id, se.show_id, t.artist_id, al.artist_id)`))
        .select([
          'i.id',
          'i.kind',
          'i.title',
          'sh.title as show',
          sql<number | null>`coalesce(e.episode_number, t.track_number)`.as('episode'),
          sql<number | null>`coalesce(e.season_number, se.season_number, t.disc_number)`.as('season'),
        ])
        .where('i.id', 'in', sql<number>`(SELECT value FROM json_each(${JSON.stringify(ids)}))`),
    );
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
    const row = queryFirst(
      this.catalog,
      this.db
        .selectFrom('items as i')
        .innerJoin('seasons as s', 's.item_id', 'i.id')
        .select('s.season_number as n')
        .where('i.server_id', '=', serverId)
        .where('i.rating_key', '=', seasonRatingKey)
        .where('i.kind', '=', 'season'),
    );
    return row?.n ?? null;
  }

  /** Whether the server's catalog holds an item with this rating key (in any library). */
  static has(catalog: Catalog, serverId: number, ratingKey: string): boolean {
    return LibraryItemIndex.find(catalog, serverId, ratingKey) !== undefined;
  }

  private static find(catalog: Catalog, serverId: number, ratingKey: string): number | undefined {
    const query = catalog.db.selectFrom('items').select('id').where('server_id', '=', serverId).where('rating_key', '=', ratingKey);
    return queryFirst(catalog, query)?.id;
  }
}
