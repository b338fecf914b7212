// marquee login | logout | account, and server discover | connections: Sign in with Plex in the CLI. A face of
// main/usecases/account.ts only: it builds the dependencies, prints the results and picks exit codes. No token
// is ever printed (the use cases return none).
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import type { PlexIdentity } from '../../plex/model.js';
import { plexTvUrlFromEnv } from '../../plextv/index.js';
import {
  accountInfo,
  accountMembershipVerifier,
  addDiscoveredServers,
  discoverServers,
  openSignInPage,
  serverConnections,
  signOut,
  startSignIn,
  waitForSignIn,
  type AccountDeps,
  type ConnectionView,
  type DiscoveredServer,
} from '../../usecases/account.js';
import { UseCaseError } from '../../usecases/errors.js';
import type { CliContext } from '../context.js';
import { CliError, EXIT_CANCELLED, EXIT_FAILED } from '../errors.js';
import { formatTable, formatTimestamp, jsonText, plural, printable } from '../output.js';

export function registerAccountCommands(program: Command, ctx: CliContext): void {
  program
    .command('login')
    .description('sign in with Plex: prints a code to confirm at plex.tv, then waits (Ctrl-C cancels)')
    .action(async () => {
      await withUseCaseErrors(ctx, () => loginCommand(ctx));
    });
  program
    .command('logout')
    .description('forget the Plex account token (servers keep their own tokens)')
    .action(async () => {
      await withUseCaseErrors(ctx, () => logoutCommand(ctx));
    });
  program
    .command('account')
    .description('who is signed in with Plex, and the servers added through the account')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await withUseCaseErrors(ctx, () => accountCommand(ctx, options.json === true));
    });

  const server = program.commands.find((command) => command.name() === 'server') ?? program.command('server').description('Plex servers');
  server
    .command('discover')
    .description("list the signed-in account's servers with the connection each would use; --add or --all adds them")
    .option('--add <names...>', 'add these servers (names as listed, or ids)')
    .option('--all', 'add every server that is not in the catalog yet')
    .option('--json', 'print JSON')
    .action(async (options: { add?: string[]; all?: boolean; json?: boolean }) => {
      if (options.add !== undefined && options.all === true) throw new CliError('Pass --add NAME… or --all, not both.', { usage: true });
      await withUseCaseErrors(ctx, () => discoverCommand(ctx, options));
    });
  server
    .command('connections')
    .description("probe a server's connections (found through Plex) and use the best one, or --use another")
    .argument('<name>', 'server name (or id)')
    .option('--use <uri>', 'use this connection (it must answer as the server)')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { use?: string; json?: boolean }) => {
      await withUseCaseErrors(ctx, () => connectionsCommand(ctx, name, options));
    });
}

/**
 * The use cases' dependencies in the CLI: plex.tv's address (MARQUEE_PLEXTV_URL only for tests and development),
 * the browser opener (MARQUEE_OPEN_BROWSER=0 turns it off), probe timeouts following MARQUEE_PLEX_TIMEOUT_MS,
 * and MARQUEE_PLEXTV_POLL_MS (undocumented, for tests) between PIN polls.
 */
export function accountDeps(ctx: CliContext): AccountDeps {
  const clientOptions = ctx.clientOptions();
  const pollMs = Number(ctx.io.env.MARQUEE_PLEXTV_POLL_MS);
  return {
    catalog: ctx.catalog(),
    // Opened on first use: `server add` asks for the account check before anything is stored.
    get secrets() {
      return ctx.secretStore();
    },
    clientOptions,
    plexTvUrl: plexTvUrlFromEnv(ctx.io.env),
    openUrl: ctx.io.env.MARQUEE_OPEN_BROWSER === '0' ? () => Promise.resolve(false) : openInBrowser,
    ...(Number.isInteger(pollMs) && pollMs > 0 ? { pollIntervalMs: pollMs } : {}),
    ...(clientOptions.timeoutMs !== undefined ? { probe: { timeoutMs: Math.min(clientOptions.timeoutMs, 4000) } } : {}),
  };
}

/**
 * For `server add` while signed in: a verifier that refuses a server outside the account before the pasted
 * token is sent to it. Not signed in: accepts everything.
 */
export async function accountCheckForServerAdd(ctx: CliContext): Promise<(identity: PlexIdentity) => void> {
  const verify = await withUseCaseErrors(ctx, () => accountMembershipVerifier(accountDeps(ctx), ctx.signal ? { signal: ctx.signal } : {}));
  return (identity) => {
    try {
      verify(identity);
    } catch (error) {
      if (error instanceof UseCaseError) throw new CliError(`${error.message} Nothing was saved.`, { cause: error });
      throw error;
    }
  };
}

/** Use-case failures as the CLI reports them: wrong input exits 2, cancelled 130, the rest 1. */
async function withUseCaseErrors<T>(ctx: CliContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof UseCaseError)) throw error;
    // Ctrl-C: the signal's own reason, which run-cli reports as "cancelled" with exit 130.
    if (error.code === 'CANCELLED' && ctx.signal?.aborted === true) throw ctx.signal.reason;
    throw new CliError(error.message, { usage: error.code === 'INVALID_INPUT' || error.code === 'NOT_FOUND', cause: error });
  }
}

/** Tries the system's opener; no browser (a server, a container) is fine: the URL is printed anyway. */
async function openInBrowser(url: string): Promise<boolean> {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args, { stdio: 'ignore', detached: true });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}

async function loginCommand(ctx: CliContext): Promise<void> {
  const deps = accountDeps(ctx);
  const signal = ctx.signal;
  const signIn = await startSignIn(deps, signal ? { signal } : {});
  await ctx.out.line('Sign in with Plex: open this page and confirm the code.');
  await ctx.out.line(`  ${signIn.authUrl}`);
  await ctx.out.line(`  Code: ${signIn.code}`);
  const opened = await openSignInPage(deps, signIn);
  const minutes = Math.max(1, Math.round((signIn.expiresAt - Date.now()) / 60_000));
  await ctx.err.line(
    `${opened ? 'Opened the page in your browser. ' : ''}Waiting for plex.tv (the code expires in ${plural(minutes, 'minute')}; Ctrl-C cancels)…`,
  );
  const result = await waitForSignIn(deps, signIn, signal ? { signal } : {});
  if (result.outcome === 'cancelled') {
    await ctx.err.line('Sign-in cancelled; nothing was saved.');
    ctx.exitCode = EXIT_CANCELLED;
    return;
  }
  if (result.outcome === 'expired') {
    await ctx.err.line('The code expired before it was confirmed; nothing was saved. Run `marquee login` again.');
    ctx.exitCode = EXIT_FAILED;
    return;
  }
  const email = result.account.email === null ? '' : ` (${result.account.email})`;
  await ctx.out.line(printable(`Signed in to Plex as ${result.account.username}${email}.`));
  if (result.refreshedServers.length > 0) {
    await ctx.out.line(
      printable(`Refreshed the tokens of ${plural(result.refreshedServers.length, 'server')}: ${result.refreshedServers.join(', ')}.`),
    );
  }
  if (result.refreshFailure !== null) await ctx.err.line(`marquee: ${ctx.redact(result.refreshFailure)}`);
  await ctx.out.line("Next: `marquee server discover` lists the account's servers; `marquee server discover --all` adds them.");
}

async function logoutCommand(ctx: CliContext): Promise<void> {
  const result = signOut(accountDeps(ctx));
  if (!result.wasSignedIn) {
    await ctx.out.line('Not signed in with Plex.');
    return;
  }
  await ctx.out.line(
    printable(`Signed out of Plex (${result.username ?? '?'}). Servers keep their own tokens; \`marquee server remove NAME\` removes one.`),
  );
}

async function accountCommand(ctx: CliContext, json: boolean): Promise<void> {
  const info = accountInfo(accountDeps(ctx));
  if (json) {
    await ctx.out.write(jsonText(info));
    return;
  }
  if (info.account === null) await ctx.out.line('Not signed in with Plex: `marquee login` signs in.');
  else {
    const email = info.account.email === null ? '' : ` (${info.account.email})`;
    await ctx.out.line(
      printable(`Signed in to Plex as ${info.account.username}${email} since ${formatTimestamp(info.account.signedInAt)}.`),
    );
  }
  if (info.servers.length === 0) return;
  await ctx.out.line('Servers found through Plex:');
  await ctx.out.lines(
    formatTable(
      [{ header: 'NAME' }, { header: 'OWNED' }, { header: 'STATE' }, { header: 'CONNECTION' }],
      info.servers.map((server) => [
        server.name,
        server.owned === false ? 'shared' : 'owned',
        server.needsSignIn ? 'sign in again (`marquee login`)' : 'ok',
        server.connectionUri === null
          ? '-'
          : `${server.connectionUri}${server.connectionLatencyMs === null ? '' : ` (${server.connectionLatencyMs} ms)`}`,
      ]),
    ).map((line) => `  ${line}`),
  );
}

async function discoverCommand(ctx: CliContext, options: { add?: string[]; all?: boolean; json?: boolean }): Promise<void> {
  const deps = accountDeps(ctx);
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const discovered = await discoverServers(deps, signal);
  const ids =
    options.all === true
      ? discovered.filter((server) => server.cataloguedAs === null).map((server) => server.id)
      : (options.add ?? []).map((name) => idOf(discovered, name));
  const added = ids.length === 0 ? null : await addDiscoveredServers(deps, ids, { ...signal, discovered });
  if (added !== null && added.refused.length > 0) ctx.exitCode = EXIT_FAILED;
  if (options.json === true) {
    await ctx.out.write(jsonText(added === null ? { servers: discovered } : { servers: discovered, ...added }));
    return;
  }
  if (discovered.length === 0) {
    await ctx.out.line('plex.tv lists no Plex Media Server for this account.');
    return;
  }
  await ctx.out.lines(
    formatTable(
      [{ header: 'NAME' }, { header: 'OWNED' }, { header: 'CONNECTION' }, { header: 'IN CATALOG' }],
      discovered.map((server) => [
        server.name,
        server.owned ? 'owned' : 'shared',
        server.chosen === null ? 'none answers' : `${server.chosen.kind} ${server.chosen.uri} (${server.chosen.latencyMs} ms)`,
        server.cataloguedAs ?? '-',
      ]),
    ),
  );
  for (const server of discovered) await printServerNotes(ctx, server);
  if (added === null) {
    if (discovered.some((server) => server.cataloguedAs === null))
      await ctx.out.line('Add them with `marquee server discover --add NAME…` or `--all`.');
    return;
  }
  for (const server of added.added) {
    await ctx.out.line(
      printable(
        `Added server "${server.name}" (${server.owned ? 'owned' : 'shared'}) at ${server.connectionUri} with ${plural(server.libraries, 'library', 'libraries')}.`,
      ),
    );
  }
  for (const refusal of added.refused) await ctx.err.line(printable(`marquee: not added "${refusal.name}": ${refusal.reason}`));
  if (added.added.length > 0) await ctx.out.line('Movie and show libraries are enabled; run `marquee sync` to import them.');
}

async function printServerNotes(ctx: CliContext, server: DiscoveredServer): Promise<void> {
  const notes = [
    ...(server.ownershipNote !== null ? [server.ownershipNote] : []),
    ...(server.warning !== null ? [server.warning] : []),
    // Why nothing answers, connection by connection: only when that is the problem.
    ...(server.chosen === null ? server.connections.map((connection) => `${connection.uri}: ${connection.explanation ?? 'answers'}`) : []),
  ];
  if (notes.length === 0) return;
  await ctx.out.line(printable(`${server.name}:`));
  for (const note of notes) await ctx.out.line(`  ${printable(note)}`);
}

/** --add takes the names discover lists (any case) or the servers' ids. */
function idOf(discovered: readonly DiscoveredServer[], name: string): string {
  const wanted = name.trim().toLocaleLowerCase();
  const found = discovered.filter((server) => server.id.toLocaleLowerCase() === wanted || server.name.toLocaleLowerCase() === wanted);
  if (found.length === 1 && found[0] !== undefined) return found[0].id;
  const known = discovered.map((server) => `"${server.name}"`).join(', ') || 'none';
  if (found.length > 1)
    throw new CliError(printable(`More than one server is called "${name}": pass its id instead (\`--json\` lists them).`), {
      usage: true,
    });
  throw new CliError(printable(`The account has no server "${name}"; its servers: ${known}.`), { usage: true });
}

async function connectionsCommand(ctx: CliContext, name: string, options: { use?: string; json?: boolean }): Promise<void> {
  const result = await serverConnections(accountDeps(ctx), name, {
    ...(options.use !== undefined ? { use: options.use } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  if (options.json === true) {
    await ctx.out.write(jsonText(result));
    return;
  }
  await ctx.out.lines(
    formatTable(
      [{ header: 'URI' }, { header: 'KIND' }, { header: 'RESULT' }],
      result.connections.map((connection) => [connection.uri, connection.kind, resultText(connection)]),
    ),
  );
  for (const connection of result.connections) {
    if (connection.explanation !== null) await ctx.out.line(printable(`${connection.uri}: ${connection.explanation}`));
  }
  if (result.warning !== null) await ctx.out.line(printable(result.warning));
  if (result.chosenUri === null) {
    await ctx.out.line(printable(`No connection answers as "${result.server}" now; its syncs fail until one does.`));
    ctx.exitCode = EXIT_FAILED;
    return;
  }
  await ctx.out.line(printable(`"${result.server}" ${result.switched ? 'now uses' : 'uses'} ${result.chosenUri}.`));
}

function resultText(connection: ConnectionView): string {
  if (connection.ok === true) return `ok, ${connection.latencyMs ?? '?'} ms`;
  return connection.failureCode ?? 'not probed';
}
