// The title index (items_fts: migration 0008, filled per page since 0010) against the items it indexes.
// Marquee's item writer adds every item it inserts; a writer that does not (an older Marquee still running
// while this one upgraded the catalog, a tool writing to `items` itself) leaves items no search finds, and a
// later deletion of such an item would feed the index a removal it never saw. A sync therefore ends with a
// cheap check (two counts, a few milliseconds on 150,000 items) and rebuilds the index from `items` when the
// counts differ (about a second on 150,000 items), in one write transaction.
import { type Catalog, writeTransaction } from './database.js';

/** How many items the index missed (or held beyond the items) before a rebuild; 0 when it was complete. */
export function repairTitleIndex(catalog: Catalog): number {
  return writeTransaction(catalog, () => {
    const counts = catalog.sqlite
      .prepare('SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM items_fts_docsize) AS indexed')
      .get() as { items: number; indexed: number };
    if (counts.items === counts.indexed) return 0;
    catalog.sqlite.exec(`INSERT INTO items_fts (items_fts) VALUES ('rebuild')`);
    return Math.abs(counts.items - counts.indexed);
  });
}
