// marquee mapping add | update | list | remove | resolve: adapters over main/usecases/mappings.ts.
import { InvalidArgumentError, type Command } from 'commander';
import type { PathMapping } from '../../../shared/domain.js';
import type { UseCaseDeps } from '../../usecases/deps.js';
import { listLibraries, requireLibrary } from '../../usecases/libraries.js';
import {
  addMapping,
  listMappings,
  MappingExistsError,
  removeMapping,
  requireMapping,
  resolvePlexPath,
  updateMapping,
} from '../../usecases/mappings.js';
import { listServers, requireServer } from '../../usecases/servers.js';
import type { CliContext } from '../context.js';
import { CliError } from '../errors.js';
import { formatTable, jsonText, plural, printable } from '../output.js';

/** A mapping as `mapping list --json` prints it: the stored mapping with the names it refers to. */
export interface MappingListing extends PathMapping {
  serverName: string;
  /** null for a server-wide mapping. */
  libraryTitle: string | null;
}

export function registerMappingCommands(program: Command, ctx: CliContext): void {
  const mapping = program.command('mapping').description("translate Plex's file paths into paths on this computer");

  mapping
    .command('add')
    .description('add a path mapping (for every library of the server, or for one)')
    .requiredOption('--server <name>', 'server name (or id)')
    .option('--library <titleOrKey>', 'only this library (default: every library of the server)')
    .requiredOption('--plex-path <prefix>', 'path prefix as the Plex server sees it, e.g. /data/movies')
    .requiredOption('--local-path <prefix>', 'the same folder on this computer, e.g. /mnt/nas/movies')
    .action(async (options: { server: string; library?: string; plexPath: string; localPath: string }) => {
      await addMappingCommand(ctx, options);
    });

  mapping
    .command('update')
    .description('change a path mapping (its files are re-resolved at once)')
    .argument('<id>', 'mapping id (see `mapping list`)', parseMappingId)
    .option('--plex-path <prefix>', 'a new path prefix as the Plex server sees it')
    .option('--local-path <prefix>', 'a new local prefix for the same folder')
    .option('--library <titleOrKey>', 'apply it to this library only')
    .option('--all-libraries', 'apply it to every library of the server')
    .action(async (id: number, options: { plexPath?: string; localPath?: string; library?: string; allLibraries?: boolean }) => {
      await updateMappingCommand(ctx, id, options);
    });

  mapping
    .command('list')
    .description('list the path mappings')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await listMappingsCommand(ctx, options.json === true);
    });

  mapping
    .command('remove')
    .description('remove a path mapping (its files fall back to other mappings)')
    .argument('<id>', 'mapping id (see `mapping list`)', parseMappingId)
    .action(async (id: number) => {
      const change = await removeMapping(ctx.usecases(), id);
      await ctx.out.line(
        `Removed mapping ${id} (${printable(change.mapping.plexPrefix)} → ${printable(change.mapping.localPrefix)}); ${filesSummary(change.files)}.`,
      );
    });

  mapping
    .command('resolve')
    .description('print the local path of a path as the Plex server sees it')
    .requiredOption('--server <name>', 'server name (or id)')
    .argument('<path>', 'a file or folder path as the Plex server sees it')
    .action(async (path: string, options: { server: string }) => {
      await resolveCommand(ctx, options.server, path);
    });
}

function parseMappingId(value: string): number {
  const id = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(id) || id <= 0) {
    throw new InvalidArgumentError('A mapping id is a positive whole number (see `marquee mapping list`).');
  }
  return id;
}

function filesSummary(files: { files: number; changed: number; unmapped: number }): string {
  return `${plural(files.files, 'file')} of the server re-resolved, ${files.changed} changed, ${files.unmapped} unmapped`;
}

async function addMappingCommand(
  ctx: CliContext,
  options: { server: string; library?: string; plexPath: string; localPath: string },
): Promise<void> {
  const deps = ctx.usecases();
  const scope =
    options.library === undefined
      ? { server: requireServer(deps, { nameOrId: options.server }), library: null }
      : requireLibrary(deps, { server: options.server, titleOrKey: options.library });
  const wanted = {
    serverId: scope.server.id,
    libraryId: scope.library?.id ?? null,
    plexPrefix: options.plexPath,
    localPrefix: options.localPath,
  };
  let change;
  try {
    change = await addMapping(deps, wanted);
  } catch (error) {
    if (!(error instanceof MappingExistsError)) throw error;
    // The same prefix and scope: name the existing mapping and the command that changes it.
    const { existing } = error;
    throw new CliError(
      printable(
        `Mapping ${existing.id} already maps ${existing.plexPrefix} → ${existing.localPrefix} here; ` +
          `change it with \`marquee mapping update ${existing.id} --local-path PREFIX\`.`,
      ),
      { cause: error },
    );
  }
  const where = scope.library === null ? `every library of "${scope.server.name}"` : `"${scope.server.name} / ${scope.library.title}"`;
  await ctx.out.line(
    printable(`Added mapping ${change.mapping.id} for ${where}: ${change.mapping.plexPrefix} → ${change.mapping.localPrefix}`) +
      `; ${filesSummary(change.files)}.`,
  );
}

async function updateMappingCommand(
  ctx: CliContext,
  id: number,
  options: { plexPath?: string; localPath?: string; library?: string; allLibraries?: boolean },
): Promise<void> {
  if (options.library !== undefined && options.allLibraries === true)
    throw new CliError('Pass --library or --all-libraries, not both.', { usage: true });
  if (options.plexPath === undefined && options.localPath === undefined && options.library === undefined && options.allLibraries !== true) {
    throw new CliError('Nothing to change: pass --plex-path, --local-path, --library or --all-libraries.', { usage: true });
  }
  const deps = ctx.usecases();
  const current = requireMapping(deps, id);
  const libraryId =
    options.allLibraries === true
      ? null
      : options.library === undefined
        ? undefined
        : requireLibrary(deps, { server: String(current.serverId), titleOrKey: options.library }).library.id;
  const change = await updateMapping(deps, id, {
    ...(options.plexPath !== undefined ? { plexPrefix: options.plexPath } : {}),
    ...(options.localPath !== undefined ? { localPrefix: options.localPath } : {}),
    ...(libraryId !== undefined ? { libraryId } : {}),
  });
  await ctx.out.line(
    printable(`Updated mapping ${id}: ${change.mapping.plexPrefix} → ${change.mapping.localPrefix}`) + `; ${filesSummary(change.files)}.`,
  );
}

async function listMappingsCommand(ctx: CliContext, json: boolean): Promise<void> {
  const listings = mappingListings(ctx.usecases());
  if (json) {
    await ctx.out.write(jsonText(listings));
    return;
  }
  if (listings.length === 0) {
    await ctx.out.line('No path mapping yet: add one with `marquee mapping add --server NAME --plex-path PREFIX --local-path PREFIX`.');
    return;
  }
  await ctx.out.lines(
    formatTable(
      [{ header: 'ID', align: 'right' }, { header: 'SERVER' }, { header: 'LIBRARY' }, { header: 'PLEX PATH' }, { header: 'LOCAL PATH' }],
      listings.map((entry) => [String(entry.id), entry.serverName, entry.libraryTitle ?? '(all)', entry.plexPrefix, entry.localPrefix]),
    ),
  );
}

function mappingListings(deps: UseCaseDeps): MappingListing[] {
  const mappings = listMappings(deps);
  const servers = listServers(deps);
  const libraries = listLibraries(deps);
  const serverNames = new Map(servers.map((server) => [server.id, server.name]));
  const libraryTitles = new Map(libraries.map((library) => [library.id, library.title]));
  const listings = mappings.map((mapping) => ({
    ...mapping,
    serverName: serverNames.get(mapping.serverId) ?? String(mapping.serverId),
    libraryTitle: mapping.libraryId === null ? null : (libraryTitles.get(mapping.libraryId) ?? String(mapping.libraryId)),
  }));
  // By server name, server-wide mappings first, then by Plex prefix: the order one reads them in.
  return listings.sort(
    (a, b) =>
      a.serverName.localeCompare(b.serverName) ||
      (a.libraryTitle ?? '').localeCompare(b.libraryTitle ?? '') ||
      a.plexPrefix.localeCompare(b.plexPrefix) ||
      a.id - b.id,
  );
}

/** Prints the local path, or fails naming the scope whose mappings were tried. */
async function resolveCommand(ctx: CliContext, serverName: string, plexPath: string): Promise<void> {
  const { server, library, localPath } = resolvePlexPath(ctx.usecases(), { nameOrId: serverName }, plexPath);
  if (localPath === null) {
    const scope = library === undefined ? `"${server.name}"` : `"${server.name} / ${library.title}"`;
    throw new CliError(printable(`No path mapping of ${scope} applies to ${plexPath}.`));
  }
  await ctx.out.line(localPath);
}
