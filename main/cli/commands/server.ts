// marquee server add | list | update | remove | test: adapters over main/usecases/servers.ts.
import type { Command } from 'commander';
import { PlexError, PlexUnauthorizedError } from '../../plex/errors.js';
import {
  addServer,
  describeServerRemoval,
  listServers,
  removeServer,
  requireServer,
  serverUrl,
  testServer,
  updateServer,
} from '../../usecases/servers.js';
import type { CliContext } from '../context.js';
import { accountCheckForServerAdd } from './account.js';
import { CliError, EXIT_FAILED } from '../errors.js';
import { formatTable, formatTimestamp, jsonText, plural, printable } from '../output.js';
import { shellWord } from '../hints.js';

/** Returns the `server` group, so that other command modules can add subcommands to it. */
export function registerServerCommands(program: Command, ctx: CliContext): Command {
  const server = program.command('server').description('add, list, remove and test Plex servers');

  server
    .command('add')
    .description('add a Plex server after checking it answers and accepts the token')
    .requiredOption('--name <name>', 'a name for the server in this catalog')
    .requiredOption('--url <url>', 'e.g. http://192.168.1.10:32400')
    .option('--token <token>', 'the Plex token (default: $MARQUEE_TOKEN, which other users cannot see in `ps`)')
    .action(async (options: { name: string; url: string; token?: string }) => {
      await addServerCommand(ctx, options);
    });

  server
    .command('list')
    .description('list the servers')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await listServersCommand(ctx, options.json === true);
    });

  server
    .command('remove')
    .description('remove a server with its libraries, items and path mappings')
    .argument('<name>', 'server name (or id)')
    .option('--yes', 'do not ask for confirmation (needed without a terminal)')
    .action(async (name: string, options: { yes?: boolean }) => {
      await removeServerCommand(ctx, name, options.yes === true);
    });

  server
    .command('update')
    .description("change a server's URL or token (checked first) or whether it is synced; its items are kept")
    .argument('<name>', 'server name (or id)')
    .option('--url <url>', 'a new address of the same Plex server')
    .option('--token [token]', 'a new Plex token (alone: from $MARQUEE_TOKEN)')
    .option('--active', 'sync it with `marquee sync`')
    .option('--inactive', 'leave it out of `marquee sync` (its items are kept)')
    .action(async (name: string, options: { url?: string; token?: boolean | string; active?: boolean; inactive?: boolean }) => {
      if (options.active === true && options.inactive === true)
        throw new CliError('Pass --active or --inactive, not both.', { usage: true });
      const active = options.active === true ? true : options.inactive === true ? false : undefined;
      await updateServerCommand(ctx, name, {
        ...(options.url !== undefined ? { url: options.url } : {}),
        ...(options.token !== undefined ? { token: options.token } : {}),
        ...(active !== undefined ? { active } : {}),
      });
    });

  server
    .command('test')
    .description('check that a server answers, is the one catalogued and accepts its token')
    .argument('<name>', 'server name (or id)')
    .action(async (name: string) => {
      await testServerCommand(ctx, name);
    });
  return server;
}

async function addServerCommand(ctx: CliContext, options: { name: string; url: string; token?: string }): Promise<void> {
  const token = options.token ?? ctx.io.env.MARQUEE_TOKEN ?? '';
  ctx.addSecret(token);
  if (token.trim() === '') throw new CliError('No Plex token: pass --token TOKEN or set $MARQUEE_TOKEN.', { usage: true });
  // Signed in with Plex: the server must be one of the account's (checked before the token is sent to it).
  const identityCheck = () => accountCheckForServerAdd(ctx);
  const {
    server: added,
    identity,
    sections,
  } = await nothingSavedOnPlexFailure(
    () => serverUrl(options.url),
    () => addServer(ctx.usecases(), { name: options.name, url: options.url, token }, { identityCheck }),
  );
  const version = identity.version === undefined ? '' : `, Plex ${identity.version}`;
  await ctx.out.line(
    `Added server "${printable(added.name)}" at ${added.url} (machine ${identity.machineIdentifier}${printable(version)}).`,
  );
  await ctx.out.line(`${plural(sections.length, 'library', 'libraries')}${sections.length === 0 ? '.' : ':'}`);
  await ctx.out.lines(
    formatTable(
      [{ header: 'KEY', align: 'right' }, { header: 'TITLE' }, { header: 'TYPE' }],
      sections.map((section) => [section.key, section.title, section.type]),
    ).map((line) => `  ${line}`),
  );
  await ctx.out.line('Movie and show libraries are enabled; run `marquee sync` to import them.');
  const music = sections.find((section) => section.type === 'artist');
  if (music !== undefined) {
    // Music libraries start disabled (tens of thousands of tracks are not what every user wants imported).
    await ctx.out.line(
      `Music libraries are listed but off: \`marquee library enable --server ${printable(shellWord(added.name))} --library ${printable(shellWord(music.title))}\` turns one on.`,
    );
  }
}

/** A check that failed at Plex: say that nothing was saved, and for a refused token what to check. */
async function nothingSavedOnPlexFailure<T>(checkedUrl: () => string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof PlexUnauthorizedError) {
      throw new CliError(
        `The Plex server at ${checkedUrl()} refused the token (HTTP ${error.status ?? 401}); nothing was saved. ` +
          'Check the token: it must belong to an account with access to this server.',
        { cause: error },
      );
    }
    if (error instanceof PlexError) throw new CliError(`${error.message}; nothing was saved.`, { cause: error });
    throw error;
  }
}

interface UpdateOptions {
  url?: string;
  token?: boolean | string;
  active?: boolean;
}

/** A new token or URL is checked like `server add`, and must lead to the same Plex server; items are kept. */
async function updateServerCommand(ctx: CliContext, name: string, options: UpdateOptions): Promise<void> {
  const newToken =
    options.token === undefined ? undefined : typeof options.token === 'string' ? options.token : (ctx.io.env.MARQUEE_TOKEN ?? '');
  if (newToken !== undefined) {
    ctx.addSecret(newToken);
    if (newToken.trim() === '')
      throw new CliError('No Plex token: pass --token TOKEN or set $MARQUEE_TOKEN and pass --token alone.', { usage: true });
  }
  if (options.url === undefined && newToken === undefined && options.active === undefined) {
    throw new CliError('Nothing to change: pass --url, --token, --active or --inactive.', { usage: true });
  }
  const deps = ctx.usecases();
  const checkedUrl = (): string => (options.url !== undefined ? serverUrl(options.url) : requireServer(deps, { nameOrId: name }).url);
  const updated = await nothingSavedOnPlexFailure(checkedUrl, () =>
    updateServer(
      deps,
      { nameOrId: name },
      {
        ...(options.url !== undefined ? { url: options.url } : {}),
        ...(newToken !== undefined ? { token: newToken } : {}),
        ...(options.active !== undefined ? { active: options.active } : {}),
      },
    ),
  );
  const changes = [
    ...(options.url !== undefined ? [`URL ${updated.url}`] : []),
    ...(newToken !== undefined ? ['a new token (checked)'] : []),
    ...(options.active !== undefined ? [updated.active ? 'active' : 'inactive (skipped by `marquee sync`)'] : []),
  ];
  await ctx.out.line(`Updated server "${printable(updated.name)}": ${changes.join(', ')}.`);
}

/** Says what goes with the server, and asks first on a terminal; a script must say --yes. */
async function removeServerCommand(ctx: CliContext, name: string, yes: boolean): Promise<void> {
  const deps = ctx.usecases();
  const removal = describeServerRemoval(deps, { nameOrId: name });
  const what = printable(
    `server "${removal.server.name}" with ${plural(removal.libraries, 'library', 'libraries')}, ${plural(removal.items, 'item')} ` +
      `and ${plural(removal.mappings, 'path mapping')}`,
  );
  if (!yes) {
    const confirm = ctx.io.confirm;
    if (confirm === undefined) throw new CliError(`Removing the ${what} needs confirmation: pass --yes.`, { usage: true });
    if (!(await confirm(`Remove the ${what}? The items can be imported again by adding the server back. [y/N] `))) {
      await ctx.out.line('Nothing was removed.');
      ctx.exitCode = EXIT_FAILED;
      return;
    }
  }
  await removeServer(deps, removal.server.id);
  await ctx.out.line(`Removed the ${what}.`);
}

async function listServersCommand(ctx: CliContext, json: boolean): Promise<void> {
  const servers = listServers(ctx.usecases());
  if (json) {
    await ctx.out.write(jsonText(servers));
    return;
  }
  if (servers.length === 0) {
    await ctx.out.line('No server yet: add one with `marquee server add --name NAME --url URL`.');
    return;
  }
  await ctx.out.lines(
    formatTable(
      [{ header: 'NAME' }, { header: 'URL' }, { header: 'MACHINE' }, { header: 'ACTIVE' }, { header: 'LAST SYNC' }],
      servers.map((server) => [
        server.name,
        server.url,
        server.machineIdentifier ?? '-',
        server.active ? 'yes' : 'no',
        formatTimestamp(server.lastSyncAt),
      ]),
    ),
  );
}

/** The interactive budget (10 s in all), not a sync's patience; another server at the address never sees the token. */
async function testServerCommand(ctx: CliContext, name: string): Promise<void> {
  const test = await testServer(ctx.usecases({ talksToPlex: true }), { nameOrId: name });
  if (!test.ok) throw new CliError(test.problem);
  const { server, identity, sections } = test;
  const version = identity.version === undefined ? '' : `, Plex ${identity.version}`;
  await ctx.out.line(
    `Server "${printable(server.name)}" at ${server.url}: ok (machine ${identity.machineIdentifier}${printable(version)}, ` +
      `token accepted, ${plural(sections.length, 'library', 'libraries')}, ${test.milliseconds} ms).`,
  );
}
