// Typed failures of the catalog's repositories. Messages are written for the user: the CLI shows them as is.

export type CatalogErrorCode =
  | 'CATALOG_CONFLICT'
  | 'CATALOG_NOT_FOUND'
  | 'CATALOG_INVALID'
  | 'LIBRARY_AMBIGUOUS';

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

/** better-sqlite3 reports constraint failures as SqliteError with an extended result code. */
export function isUniqueConstraintError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
