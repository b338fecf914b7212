// marquee server add | list | update | remove | test
import type { Command } from 'commander';
import { listLibraries, upsertSections } from '../../catalog/libraries.js';
import { listMappings } from '../../catalog/mappings.js';
import { addServer, listServers, normalizeServerUrl, removeServer, requireServer, serverToken, updateServer } from '../../catalog/servers.js';
import { getClientIdentifier } from '../../catalog/settings.js';
import { PlexError, PlexUnauthorizedError } from '../../plex/errors.js';
import type { PlexIdentity, PlexSection } from '../../plex/model.js';
import { probeCataloguedServer, probeServer, serverMismatch } from '../../sync/plex-connection.js';
import type { CliContext } from '../context.js';
import { accountCheckForServerAdd } from './account.js';
import { CliError, EXIT_FAILED } from '../errors.js';
import { formatTable, formatTimestamp, jsonText, plural, printable } from '../output.js';

/** A check is interactive: one retry, then say what went wrong. */
const CHECK_RETRIES = 1;

export function registerServerCommands(program: Command, ctx: CliContext): void {
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
    .description('change a server\'s URL or token (checked first) or whether it is synced; its items are kept')
    .argument('<name>', 'server name (or id)')
    .option('--url <url>', 'a new address of the same Plex server')
    .option('--token [token]', 'a new Plex token (alone: from $MARQUEE_TOKEN)')
    .option('--active', 'sync it with `marquee sync`')
    .option('--inactive', 'leave it out of `marquee sync` (its items are kept)')
    .action(async (name: string, options: { url?: string; token?: boolean | string; active?: boolean; inactive?: boolean }) => {
      if (options.active === true && options.inactive === true) throw new CliError('Pass --active or --inactive, not both.', { usage: true });
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
}

/** The app's rule (main/ipc/validators.ts): at most 512 printable ASCII characters. */
const TOKEN_MAX_LENGTH = 512;

/**
 * Refuses, before any request, a token the app's schema would refuse: a CR/LF or other control character
 * could split the X-Plex-Token header, and nothing but printable ASCII belongs in one. The token itself is
 * never echoed.
 */
export function checkToken(token: string): void {
  if (token.length > TOKEN_MAX_LENGTH) throw new CliError(`The Plex token is longer than ${TOKEN_MAX_LENGTH} characters; check what was pasted.`, { usage: true });
  if (!/^[\x20-\x7e]*$/.test(token)) {
    throw new CliError('The Plex token may hold printable ASCII characters only (no line breaks or control characters); check what was pasted.', { usage: true });
  }
}

async function addServerCommand(ctx: CliContext, options: { name: string; url: string; token?: string }): Promise<void> {
  const token = (options.token ?? ctx.io.env.MARQUEE_TOKEN ?? '').trim();
  ctx.addSecret(token);
  if (token === '') throw new CliError('No Plex token: pass --token TOKEN or set $MARQUEE_TOKEN.', { usage: true });
  checkToken(token);
  const name = options.name.trim();
  if (name === '') throw new CliError('The server needs a name (--name).', { usage: true });
  // Refuse a bad URL before any request is made.
  const url = serverUrlArgument(options.url);
  const catalog = ctx.catalog();
  const known = await listServers(catalog);
  const sameName = known.find((entry) => entry.name.toLocaleLowerCase() === name.toLocaleLowerCase());
  if (sameName !== undefined) throw new CliError(`A server called "${printable(sameName.name)}" already exists; choose another name.`);

  // Signed in with Plex: the server must be one of the account's (checked before the token is sent to it).
  const { identity, sections } = await checkServer(ctx, url, token, name, await accountCheckForServerAdd(ctx));

  // The same server twice would import every item twice.
  const sameMachine = known.find((entry) => entry.machineIdentifier === identity.machineIdentifier);
  if (sameMachine !== undefined) {
    throw new CliError(
      `This Plex server (machine ${identity.machineIdentifier}) is already in the catalog as "${printable(sameMachine.name)}"; nothing was saved.`,
    );
  }

  const added = await addServer(catalog, ctx.secretStore(), { name, url, machineIdentifier: identity.machineIdentifier, token });
  // Record its libraries now, so `library list/enable/disable` and mappings work before the first sync.
  await upsertSections(catalog, added.id, sections, Math.floor(Date.now() / 1000));
  const version = identity.version === undefined ? '' : `, Plex ${identity.version}`;
  await ctx.out.line(`Added server "${printable(added.name)}" at ${added.url} (machine ${identity.machineIdentifier}${printable(version)}).`);
  await ctx.out.line(`${plural(sections.length, 'library', 'libraries')}${sections.length === 0 ? '.' : ':'}`);
  await ctx.out.lines(
    formatTable(
      [{ header: 'KEY', align: 'right' }, { header: 'TITLE' }, { header: 'TYPE' }],
      sections.map((section) => [section.key, section.title, section.type]),
    ).map((line) => `  ${line}`),
  );
  await ctx.out.line('Movie and show libraries are enabled; run `marquee sync` to import them.');
}

/**
 * --url as the catalog stores it. Without a scheme (`192.168.1.10:32400`, `plex.local:32400`, which URL
 * parsing would take for a scheme) the message says what to type instead; both are usage errors (exit 2).
 */
function serverUrlArgument(text: string): string {
  const trimmed = text.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new CliError(printable(`"${trimmed}" has no scheme; the server URL starts with http:// or https://, e.g. http://${trimmed}`), { usage: true });
  }
  return normalizeServerUrl(trimmed);
}

/** Identity (is it a Plex server?) and an authenticated call (is the token good?); nothing is saved here. */
async function checkServer(
  ctx: CliContext,
  url: string,
  token: string,
  name: string,
  verifyIdentity?: (identity: PlexIdentity) => void,
): Promise<{ identity: PlexIdentity; sections: PlexSection[] }> {
  const clientIdentifier = await getClientIdentifier(ctx.catalog());
  try {
    return await probeServer({ baseUrl: url, token, serverName: name, clientIdentifier, retries: CHECK_RETRIES, ...ctx.clientOptions() }, undefined, verifyIdentity);
  } catch (error) {
    if (error instanceof PlexUnauthorizedError) {
      throw new CliError(
        `The Plex server at ${url} refused the token (HTTP ${error.status ?? 401}); nothing was saved. ` +
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
  const catalog = ctx.catalog();
  const server = await requireServer(catalog, name);
  const newToken = options.token === undefined ? undefined : typeof options.token === 'string' ? options.token.trim() : (ctx.io.env.MARQUEE_TOKEN ?? '').trim();
  if (newToken !== undefined) {
    ctx.addSecret(newToken);
    if (newToken === '') throw new CliError('No Plex token: pass --token TOKEN or set $MARQUEE_TOKEN and pass --token alone.', { usage: true });
    checkToken(newToken);
  }
  const url = options.url === undefined ? server.url : serverUrlArgument(options.url);
  if (options.url === undefined && newToken === undefined && options.active === undefined) {
    throw new CliError('Nothing to change: pass --url, --token, --active or --inactive.', { usage: true });
  }
  if (options.url !== undefined || newToken !== undefined) {
    const token = newToken ?? (await serverToken(catalog, ctx.secretStore(), server.id));
    const { identity } = await checkServer(ctx, url, token, server.name);
    const mismatch = serverMismatch({ ...server, url }, identity);
    if (mismatch !== null) throw new CliError(`${mismatch} Nothing was saved.`);
  }
  const updated = await updateServer(catalog, ctx.secretStore(), server.id, {
    ...(options.url !== undefined ? { url } : {}),
    ...(newToken !== undefined ? { token: newToken } : {}),
    ...(options.active !== undefined ? { active: options.active } : {}),
  });
  const changes = [
    ...(options.url !== undefined ? [`URL ${updated.url}`] : []),
    ...(newToken !== undefined ? ['a new token (checked)'] : []),
    ...(options.active !== undefined ? [updated.active ? 'active' : 'inactive (skipped by `marquee sync`)'] : []),
  ];
  await ctx.out.line(`Updated server "${printable(updated.name)}": ${changes.join(', ')}.`);
}

/** Says what goes with the server, and asks first on a terminal; a script must say --yes. */
async function removeServerCommand(ctx: CliContext, name: string, yes: boolean): Promise<void> {
  const catalog = ctx.catalog();
  const found = await requireServer(catalog, name);
  const libraries = await listLibraries(catalog, { serverId: found.id });
  const items = libraries.reduce((sum, library) => sum + library.itemCounts.movies + library.itemCounts.shows + library.itemCounts.seasons + library.itemCounts.episodes, 0);
  const mappings = (await listMappings(catalog, { serverId: found.id })).length;
  const what = printable(
    `server "${found.name}" with ${plural(libraries.length, 'library', 'libraries')}, ${plural(items, 'item')} and ${plural(mappings, 'path mapping')}`,
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
  await removeServer(catalog, found.id);
  await ctx.out.line(`Removed the ${what}.`);
}

async function listServersCommand(ctx: CliContext, json: boolean): Promise<void> {
  const servers = await listServers(ctx.catalog());
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

async function testServerCommand(ctx: CliContext, name: string): Promise<void> {
  const server = await requireServer(ctx.catalog(), name);
  const started = Date.now();
  // The interactive budget (10 s in all) of probeCataloguedServer, not a sync's patience.
  const { identity, sections } = await probeCataloguedServer(ctx.connectionDeps(), server, { retries: CHECK_RETRIES, ...ctx.clientOptions() }, (answering) => {
    const mismatch = serverMismatch(server, answering);
    if (mismatch !== null) throw new CliError(mismatch);
  });
  const ms = Date.now() - started;
  const version = identity.version === undefined ? '' : `, Plex ${identity.version}`;
  await ctx.out.line(
    `Server "${printable(server.name)}" at ${server.url}: ok (machine ${identity.machineIdentifier}${printable(version)}, ` +
      `token accepted, ${plural(sections.length, 'library', 'libraries')}, ${ms} ms).`,
  );
}
