// Multi-row INSERTs: rows queued during a transaction go to SQLite in statements of `batchSize` rows, which
// costs a fraction of one statement per row. Table and columns are checked against the catalog schema.
import type BetterSqlite3 from 'better-sqlite3';
import type { Catalog, SqlValue } from './database.js';
import type { CatalogSchema } from './schema.js';

export class BatchInsert<T extends keyof CatalogSchema> {
  private values: SqlValue[] = [];
  private readonly many: BetterSqlite3.Statement;
  private readonly one: BetterSqlite3.Statement;

  constructor(
    catalog: Catalog,
    table: T,
    private readonly columns: readonly (keyof CatalogSchema[T] & string)[],
    private readonly batchSize = 100,
  ) {
    // Built by hand: Kysely would compile a statement per row count, and these are prepared once per sync.
    const row = `(${columns.map(() => '?').join(', ')})`;
    const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
    this.many = catalog.sqlite.prepare(head + Array<string>(batchSize).fill(row).join(', '));
    this.one = catalog.sqlite.prepare(head + row);
  }

  add(...row: SqlValue[]): void {
    for (const value of row) this.values.push(value);
  }

  /** Inserts everything queued: full batches at once, the remainder row by row. */
  flush(): void {
    const width = this.columns.length;
    const batchWidth = this.batchSize * width;
    let start = 0;
    for (; start + batchWidth <= this.values.length; start += batchWidth) this.many.run(this.values.slice(start, start + batchWidth));
    for (; start < this.values.length; start += width) this.one.run(this.values.slice(start, start + width));
    this.values = [];
  }

  /** Forgets what is queued (the transaction it belonged to was rolled back). */
  discard(): void {
    this.values = [];
  }
}
