// The `marquee` command line, runnable in-process: parse, run one command, report, return the exit code.
// Nothing here touches `process`: the streams, environment and Ctrl-C signal come in through CliIo.
import { Command, CommanderError } from 'commander';
import { APP_VERSION } from '../app-info.js';
import { isAbort } from '../sync/errors.js';
import { UseCaseError, type UseCaseErrorCode } from '../usecases/errors.js';
import { registerAccountCommands } from './commands/account.js';
import { registerDetailsCommand } from './commands/details.js';
import { registerDiscoverCommands } from './commands/discover.js';
import { registerExportCommand } from './commands/export.js';
import { registerJobsCommands } from './commands/jobs.js';
import { registerLibraryCommands } from './commands/library.js';
import { registerMappingCommands } from './commands/mapping.js';
import { registerPlexCommands } from './commands/plex.js';
import { registerServerCommands } from './commands/server.js';
import { registerSyncCommand } from './commands/sync.js';
import { registerWatchCommand } from './commands/watch.js';
import { CliContext, type CliIo } from './context.js';
import { CliError, EXIT_BUSY, EXIT_CANCELLED, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './errors.js';
import { isUnreadableToken, unreadableTokenHint } from './hints.js';
import { printable, terminalSafe } from './output.js';

export type { CliIo } from './context.js';

/** What commander prints after a usage error; ours say the same. */
const HELP_HINT = '(add --help for additional information)';

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // The program is built below; the context reads --db from it only once parsing is done.
  const ctx = new CliContext(io, () => program.opts<{ db?: string }>().db);
  for (const token of tokensIn(argv)) ctx.addSecret(token);
  const program = buildProgram(ctx);
  let code: number;
  try {
    await program.parseAsync(argv, { from: 'user' });
    code = ctx.exitCode;
  } catch (error) {
    code = await reportFailure(ctx, error);
  }
  try {
    await ctx.close();
  } catch (error) {
    // Output that could not be written: nothing left to print it on but stderr, which may be the culprit.
    io.stderr.write(`marquee: ${terminalSafe(ctx.redact(messageOf(error)))}\n`, () => {});
    if (code === EXIT_OK) code = EXIT_FAILED;
  }
  return code;
}

function buildProgram(ctx: CliContext): Command {
  const program = new Command('marquee');
  // Settings first: subcommands copy them when they are created.
  program
    .usage('[--db FILE] COMMAND')
    .description('Import Plex Media Server libraries into a local SQLite catalog.')
    .version(APP_VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--db <file>', 'the catalog file (default: $MARQUEE_DB, else catalog.sqlite in the user data directory)')
    .option('--no-wait', 'refuse at once (exit 75) instead of waiting while another job holds the catalog')
    .exitOverride()
    // Reading, writing or job commands open the catalog differently (see CliContext.useCommand).
    .hook('preAction', (_program, action) => ctx.useCommand(action))
    .showHelpAfterError(HELP_HINT)
    .configureOutput({
      writeOut: (text) => ctx.out.post(text),
      writeErr: (text) => ctx.err.post(text),
      outputError: (text, write) => write(ctx.redact(text.replace(/^error: /, 'marquee: '))),
      getOutHelpWidth: () => columnsOf(ctx.io.stdout),
      getErrHelpWidth: () => columnsOf(ctx.io.stderr),
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .addHelpText(
      'after',
      [
        '',
        'Environment:',
        '  MARQUEE_DB                 the catalog file when --db is not given',
        '  MARQUEE_CONFIG_DIR         where the key that encrypts Plex tokens is kept (marquee.key)',
        '  MARQUEE_TOKEN              the Plex token for `server add` when --token is not given',
        '  MARQUEE_MAX_REMOVAL_SHARE  0..1: the largest share of a library one `sync` may remove',
        '  MARQUEE_FULL_SYNC_INTERVAL_HOURS  hours between automatic full passes (default 168; 0: never)',
        '',
        'Exit status: 0 ok, 1 failed, 2 usage error, 75 busy (--no-wait, or an edit that waited 30 s for a',
        '  running job in vain), 130 cancelled (Ctrl-C, or `marquee jobs cancel`).',
        'Writing commands wait their turn while another job (a sync, an import, `marquee watch`) holds the',
        'catalog, saying once on stderr what they wait for; edits run between two pages of a running sync.',
      ].join('\n'),
    );
  registerServerCommands(program, ctx);
  // After the server commands: it adds `server discover` and `server connections` to them.
  registerAccountCommands(program, ctx);
  registerLibraryCommands(program, ctx);
  registerMappingCommands(program, ctx);
  registerSyncCommand(program, ctx);
  registerDiscoverCommands(program, ctx);
  registerExportCommand(program, ctx);
  registerWatchCommand(program, ctx);
  registerDetailsCommand(program, ctx);
  registerPlexCommands(program, ctx);
  registerJobsCommands(program, ctx);
  return program;
}

/** Prints what went wrong (once, `marquee: `-prefixed, token-free) and picks the exit code. */
async function reportFailure(ctx: CliContext, error: unknown): Promise<number> {
  if (error instanceof CommanderError) return commanderExitCode(error);
  if (ctx.signal?.aborted === true && isAbort(error, ctx.signal)) {
    await ctx.err.line('marquee: cancelled');
    return EXIT_CANCELLED;
  }
  if (error instanceof CliError && error.code === 'CLI_USAGE') {
    await ctx.err.line(`marquee: ${ctx.redact(error.message)}`);
    await ctx.err.line(HELP_HINT);
    return EXIT_USAGE;
  }
  if (error instanceof UseCaseError) {
    // A use case's refusal names what is valid itself: no help hint. Names in it may come from Plex.
    await ctx.err.line(`marquee: ${printable(ctx.redact(error.message))}`);
    return USE_CASE_EXIT_CODES[error.code];
  }
  if ((error as { code?: unknown } | null)?.code === 'CATALOG_BUSY') {
    await ctx.err.line(`marquee: ${printable(ctx.redact(describe(error)))}`);
    return EXIT_BUSY;
  }
  if (isUsageMistake(error)) {
    // The message itself names what is valid (the known servers, libraries, the URL form): no help hint.
    await ctx.err.line(`marquee: ${ctx.redact(describe(error))}`);
    return EXIT_USAGE;
  }
  await ctx.err.line(`marquee: ${ctx.redact(describe(error))}`);
  if (isUnreadableToken(error)) await ctx.err.line(unreadableTokenHint(ctx.configDir()));
  if (ctx.io.env.MARQUEE_DEBUG === '1' && error instanceof Error && error.stack !== undefined) {
    await ctx.err.line(ctx.redact(error.stack));
  }
  return EXIT_FAILED;
}

/** Wrong input and unknown names are usage errors (2), as the catalog's own; the rest failures of the command. */
const USE_CASE_EXIT_CODES: Readonly<Record<UseCaseErrorCode, number>> = {
  INVALID_INPUT: EXIT_USAGE,
  NOT_FOUND: EXIT_USAGE,
  CONFLICT: EXIT_FAILED,
  BUSY: EXIT_BUSY,
  UNAUTHORIZED: EXIT_FAILED,
  CANCELLED: EXIT_CANCELLED,
  FAILED: EXIT_FAILED,
};

/**
 * Catalog errors that mean the command line named something wrong: a value that cannot be stored (a URL
 * without http(s)://, a relative mapping path) or a server, library or mapping that does not exist.
 * Conflicts (a name already taken) are failures of the command, not of its wording.
 */
const USAGE_ERROR_CODES: ReadonlySet<string> = new Set(['CATALOG_INVALID', 'CATALOG_NOT_FOUND', 'LIBRARY_AMBIGUOUS']);

function isUsageMistake(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && USAGE_ERROR_CODES.has(code);
}

/** Help and version are successes; every other commander exit is a usage error (it printed the message). */
function commanderExitCode(error: CommanderError): number {
  switch (error.code) {
    case 'commander.helpDisplayed':
    case 'commander.version':
      return EXIT_OK;
    case 'commander.help':
      // Help printed because a command was missing (`marquee`, `marquee server`) is a usage error.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    default:
      return EXIT_USAGE;
  }
}

/**
 * Typed errors (Plex, catalog, secret store, migrations, ours) carry messages written for the user; anything
 * else is unexpected and shows its class too, to make a bug report useful.
 */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || error.name === 'Error') return error.message;
  return `${error.name}: ${error.message}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Token values given on the command line, so that no message (commander's included) can echo them. */
function tokensIn(argv: readonly string[]): string[] {
  const tokens: string[] = [];
  for (const [index, arg] of argv.entries()) {
    if (arg === '--token') tokens.push(argv[index + 1] ?? '');
    else if (arg.startsWith('--token=')) tokens.push(arg.slice('--token='.length));
  }
  return tokens;
}

function columnsOf(stream: unknown): number {
  const columns = (stream as { columns?: unknown }).columns;
  return typeof columns === 'number' && columns > 0 ? columns : 80;
}
