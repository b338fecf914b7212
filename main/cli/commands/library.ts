// marquee library list | enable | disable: adapters over main/usecases/libraries.ts.
import type { Command } from 'commander';
import type { LibraryListing } from '../../catalog/libraries.js';
import { listLibraries, setLibraryEnabled } from '../../usecases/libraries.js';
import type { CliContext } from '../context.js';
import { formatTable, formatTimestamp, jsonText, printable } from '../output.js';

export function registerLibraryCommands(program: Command, ctx: CliContext): void {
  const library = program.command('library').description('list libraries and choose which ones sync');

  library
    .command('list')
    .description('list the libraries of every server (or of one)')
    .option('--server <name>', 'only this server')
    .option('--json', 'print JSON')
    .action(async (options: { server?: string; json?: boolean }) => {
      await listLibrariesCommand(ctx, options);
    });

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    library
      .command(action)
      .description(enabled ? 'sync this library from now on' : 'stop syncing this library (its items are kept)')
      .requiredOption('--server <name>', 'server name (or id)')
      .requiredOption('--library <titleOrKey>', 'library title or section key')
      .action(async (options: { server: string; library: string }) => {
        const { server, library: found } = await setLibraryEnabled(
          ctx.usecases(),
          { server: options.server, titleOrKey: options.library },
          enabled,
        );
        const state = enabled ? 'enabled: it syncs from now on' : 'disabled: it is no longer synced; its items stay in the catalog';
        await ctx.out.line(`Library "${printable(found.title)}" on "${printable(server.name)}" ${state}.`);
      });
  }
}

async function listLibrariesCommand(ctx: CliContext, options: { server?: string; json?: boolean }): Promise<void> {
  const libraries = listLibraries(ctx.usecases(), options.server === undefined ? undefined : { nameOrId: options.server });
  if (options.json === true) {
    await ctx.out.write(jsonText(libraries));
    return;
  }
  if (libraries.length === 0) {
    await ctx.out.line('No library yet: add a server with `marquee server add`; its libraries are listed then.');
    return;
  }
  await ctx.out.lines(
    formatTable(
      [
        { header: 'SERVER' },
        { header: 'KEY', align: 'right' },
        { header: 'TITLE' },
        { header: 'TYPE' },
        { header: 'ENABLED' },
        { header: 'ITEMS' },
        { header: 'UNMAPPED', align: 'right' },
        { header: 'LAST SYNC' },
        { header: 'STATUS' },
        // Last: the Plex paths `mapping add --plex-path` starts from, however long they are.
        { header: 'FOLDERS' },
      ],
      libraries.map((library) => [
        library.serverName,
        library.sectionKey,
        library.title,
        library.type,
        library.missingSince !== null ? 'gone' : library.enabled ? 'yes' : 'no',
        itemSummary(library),
        String(library.unmappedFiles),
        formatTimestamp(library.lastSyncAt),
        library.lastSyncStatus === 'failed' ? `failed: ${library.lastSyncError ?? ''}` : (library.lastSyncStatus ?? '-'),
        library.locations.length === 0 ? '-' : library.locations.join(', '),
      ]),
    ),
  );
}

function itemSummary(library: LibraryListing): string {
  const counts = library.itemCounts;
  if (library.type === 'movie') return `${counts.movies} movies`;
  if (library.type === 'show') return `${counts.shows} shows, ${counts.episodes} episodes`;
  if (library.type === 'artist') return `${counts.artists} artists, ${counts.albums} albums, ${counts.tracks} tracks`;
  return '-';
}
