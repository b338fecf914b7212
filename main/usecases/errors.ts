// Failures a use case raises on purpose, in words for the user and with a code both faces act on: the CLI maps
// codes to exit statuses, the app to IPC failure codes. Engine errors (Plex, catalog) pass through unchanged.

export type UseCaseErrorCode =
  /** The input is wrong: the CLI exits 2, the app shows it next to the field. */
  | 'INVALID_INPUT'
  /** A named server, library, mapping or item does not exist. */
  | 'NOT_FOUND'
  /** The change would clash with what the catalog holds (a name taken, the same server twice). */
  | 'CONFLICT'
  /** A job (sync, import) holds the catalog; try again when it ends. */
  | 'BUSY'
  /** Plex refused the token, or the account must sign in again. */
  | 'UNAUTHORIZED'
  /** The operation was cancelled by the user. */
  | 'CANCELLED'
  | 'FAILED';

export class UseCaseError extends Error {
  readonly code: UseCaseErrorCode;

  constructor(code: UseCaseErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
