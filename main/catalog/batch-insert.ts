// Multi-row INSERTs: rows queued during a transaction go to SQLite in few statements of many rows, which costs a
// fraction of one statement per row. Table and columns are checked against the catalog schema.
import type BetterSqlite3 from 'better-sqlite3';
import type { Catalog, SqlValue } from './database.js';
import type { CatalogSchema } from './schema.js';

/** SQLite's default SQLITE_MAX_VARIABLE_NUMBER (since 3.32): no statement may bind more values. */
const MAX_BOUND_VALUES = 32_766;
/** Most rows per statement: past a few hundred, longer statements save nothing measurable. */
const MAX_ROWS_PER_STATEMENT = 512;

export class BatchInsert<T extends keyof CatalogSchema> {
  private values: SqlValue[] = [];
  /** Statements by row count, powers of two only, prepared on first use. */
  private readonly statements = new Map<number, BetterSqlite3.Statement>();
  private readonly head: string;
  private readonly row: string;
  /** The largest power of two of rows one statement takes. */
  private readonly maxRows: number;

  constructor(
    private readonly catalog: Catalog,
    table: T,
    private readonly columns: readonly (keyof CatalogSchema[T] & string)[],
    maxRowsPerStatement = MAX_ROWS_PER_STATEMENT,
  ) {
    // Built by hand: Kysely would compile a statement per row count, and these are prepared once per sync.
    this.row = `(${columns.map(() => '?').join(', ')})`;
    this.head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
    const fitting = Math.max(1, Math.min(maxRowsPerStatement, Math.floor(MAX_BOUND_VALUES / columns.length)));
    this.maxRows = 2 ** Math.floor(Math.log2(fitting));
  }

  add(...row: SqlValue[]): void {
    for (const value of row) this.values.push(value);
  }

  /**
   * Inserts everything queued, in queue order: as many statements of maxRows rows as fit, then the rest in
   * statements of halving power-of-two sizes. A page's remainder of any size costs at most log2(maxRows) + 1
   * statements (row by row it cost up to hundreds), and each table keeps at most that many prepared statements
   * (a statement for each exact remainder would be compiled anew on almost every page).
   */
  flush(): void {
    const width = this.columns.length;
    const values = this.values;
    this.values = [];
    let start = 0;
    for (let rows = this.maxRows; rows >= 1; rows /= 2) {
      const span = rows * width;
      for (; start + span <= values.length; start += span) {
        this.statementFor(rows).run(start === 0 && span === values.length ? values : values.slice(start, start + span));
      }
    }
  }

  /** Forgets what is queued (the transaction it belonged to was rolled back). */
  discard(): void {
    this.values = [];
  }

  private statementFor(rows: number): BetterSqlite3.Statement {
    let statement = this.statements.get(rows);
    if (statement === undefined) {
      statement = this.catalog.sqlite.prepare(this.head + Array<string>(rows).fill(this.row).join(', '));
      this.statements.set(rows, statement);
    }
    return statement;
  }
}
