// Multi-row INSERTs: rows queued during a transaction go to SQLite in statements of `batchSize` rows, which
// costs a fraction of one statement per row. Table and columns are checked against the catalog schema.
import type BetterSqlite3 from 'better-sqlite3';
import type { Catalog, SqlValue } from './database.js';
import type { CatalogSchema } from './schema.js';

export class BatchInsert<T extends keyof CatalogSchema> {
  /**
   * The rows queued, flat: one value per column, in the order of `columns`. Callers push to it directly
   * (`queue.push(a, b, c)`): an add(...row) with a rest parameter allocated an array for each of a full sync's
   * 1.4 million rows.
   */
  readonly queue: SqlValue[] = [];
  private readonly many: BetterSqlite3.Statement;
  private readonly one: BetterSqlite3.Statement;

  constructor(
    catalog: Catalog,
    private readonly table: T,
    private readonly columns: readonly (keyof CatalogSchema[T] & string)[],
    private readonly batchSize = 100,
  ) {
    // Built by hand: Kysely would compile a statement per row count, and these are prepared once per sync.
    const row = `(${columns.map(() => '?').join(', ')})`;
    const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
    this.many = catalog.sqlite.prepare(head + Array<string>(batchSize).fill(row).join(', '));
    this.one = catalog.sqlite.prepare(head + row);
  }

  /** Inserts everything queued: full batches at once, the remainder row by row. */
  flush(): void {
    const { queue } = this;
    const width = this.columns.length;
    if (queue.length % width !== 0) throw new Error(`${this.table}: a row queued without all its columns`);
    const batchWidth = this.batchSize * width;
    let start = 0;
    // Spread, not an array: better-sqlite3 reads arguments directly but an array's elements one lookup at a time,
    // a twentieth of the insert's cost (bench, 150,000 rows).
    for (; start + batchWidth <= queue.length; start += batchWidth) this.many.run(...queue.slice(start, start + batchWidth));
    for (; start < queue.length; start += width) this.one.run(...queue.slice(start, start + width));
    queue.length = 0;
  }

  /** Forgets what is queued (the transaction it belonged to was rolled back). */
  discard(): void {
    this.queue.length = 0;
  }
}
