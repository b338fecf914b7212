// The CLI's own failures and its exit codes.

export const EXIT_OK = 0;
/** The command failed: a Plex or catalog error, a library that did not sync. */
export const EXIT_FAILED = 1;
/** The command line (or an environment variable) is wrong. */
export const EXIT_USAGE = 2;
/**
 * Another job holds the catalog and the command did not wait: `--no-wait`, or an edit whose wait for a
 * running job's next safe point ran out (75 is EX_TEMPFAIL: try again later).
 */
export const EXIT_BUSY = 75;
/** Cancelled by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_CANCELLED = 130;

export type CliErrorCode = 'CLI_FAILED' | 'CLI_USAGE';

/** A failure the CLI describes itself. The message is shown as is after `marquee: `. */
export class CliError extends Error {
  readonly code: CliErrorCode;

  constructor(message: string, options: { usage?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.usage === true ? 'CLI_USAGE' : 'CLI_FAILED';
  }
}
