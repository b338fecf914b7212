// Typed failures of the catalog's repositories. Messages are written for the user: the CLI shows them as is.

export type CatalogErrorCode =
  | 'CATALOG_CONFLICT'
  | 'CATALOG_NOT_FOUND'
  | 'CATALOG_INVALID'
  | 'LIBRARY_AMBIGUOUS'
  | 'CATALOG_MISSING'
  | 'CATALOG_FOREIGN'
  | 'CATALOG_READ_ONLY'
  | 'CATALOG_BUSY';

export class CatalogError extends Error {
  readonly code: CatalogErrorCode;

  constructor(code: CatalogErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A uniqueness rule would be broken: a second server with the same name, the same mapping twice. */
export class CatalogConflictError extends CatalogError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CATALOG_CONFLICT', message, options);
  }
}

/** The server, library or mapping the caller names does not exist (any more). */
export class CatalogNotFoundError extends CatalogError {
  constructor(message: string) {
    super('CATALOG_NOT_FOUND', message);
  }
}

/** A value the user gave cannot be stored: a URL without http(s), an empty name, a bad mapping. */
export class CatalogValidationError extends CatalogError {
  constructor(message: string) {
    super('CATALOG_INVALID', message);
  }
}

/** A library title matches several libraries of the server; the user must name one by its key. */
export class AmbiguousLibraryError extends CatalogError {
  readonly title: string;
  readonly candidates: readonly { sectionKey: string; title: string }[];

  constructor(title: string, candidates: readonly { sectionKey: string; title: string }[]) {
    const keys = candidates.map((c) => `${c.sectionKey} (${c.title})`).join(', ');
    super('LIBRARY_AMBIGUOUS', `Several libraries are called "${title}": name one by its key: ${keys}.`);
    this.title = title;
    this.candidates = candidates;
  }
}

/** A command that only reads named a catalog file that does not exist (a typo must not create one). */
export class CatalogMissingError extends CatalogError {
  readonly file: string;

  constructor(file: string) {
    super('CATALOG_MISSING', `There is no catalog at ${file}: check --db or $MARQUEE_DB (only a command that writes creates a catalog).`);
    this.file = file;
  }
}

/** The file is not a Marquee catalog (another application's SQLite database, or not SQLite at all). */
export class ForeignDatabaseError extends CatalogError {
  readonly file: string;

  constructor(file: string, why: string, options?: { cause?: unknown }) {
    super('CATALOG_FOREIGN', `${file} is not a Marquee catalog (${why}); Marquee leaves it untouched. Check --db or $MARQUEE_DB.`, options);
    this.file = file;
  }
}

/** A write was asked of a catalog that cannot be written (a read-only file or folder, a backup). */
export class CatalogReadOnlyError extends CatalogError {
  readonly file: string;

  constructor(file: string, why: string, options?: { cause?: unknown }) {
    super('CATALOG_READ_ONLY', `The catalog ${file} cannot be written: ${why}.`, options);
    this.file = file;
  }
}

/** Another process (or the app's sync worker) is syncing this catalog: edits and a second sync must wait. */
export class CatalogBusyError extends CatalogError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CATALOG_BUSY', message, options);
  }
}

/** better-sqlite3 reports constraint failures as SqliteError with an extended result code. */
export function isUniqueConstraintError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** SQLite gave up waiting for another connection's write lock (after busy_timeout). */
export function isBusyError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** A write refused because the database file, its folder or the connection is read-only. */
export function isReadOnlyError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_READONLY');
}
