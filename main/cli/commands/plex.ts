// marquee plex scan | refresh: ask Plex itself to scan a library's files or refresh an item's metadata.
// Adapters over main/usecases/plex-actions.ts; the results arrive through `marquee watch` or the next sync.
import type { Command } from 'commander';
import { refreshItemMetadata, scanLibrary } from '../../usecases/plex-actions.js';
import type { CliContext } from '../context.js';
import { printable } from '../output.js';

export function registerPlexCommands(program: Command, ctx: CliContext): void {
  const plex = program.command('plex').description('ask a Plex server to scan files or refresh metadata');

  plex
    .command('scan')
    .description('scan a library\'s folders for new, changed and removed files (Plex\'s "Scan Library Files")')
    .requiredOption('--server <name>', 'server name (or id)')
    .requiredOption('--library <titleOrKey>', 'library title or section key')
    .option('--path <folder>', 'only this folder, as the Plex server sees it')
    .option('--force', 're-read every file')
    .action(async (options: { server: string; library: string; path?: string; force?: boolean }) => {
      const started = await scanLibrary(ctx.usecases({ talksToPlex: true }), {
        server: { nameOrId: options.server },
        library: options.library,
        ...(options.path !== undefined ? { path: options.path } : {}),
        ...(options.force === true ? { force: true } : {}),
      });
      const where = started.path === null ? '' : ` (folder ${started.path})`;
      await ctx.out.line(
        printable(
          `Plex is scanning "${started.library.title}" on "${started.server.name}"${where}; \`marquee watch\` applies what it finds.`,
        ),
      );
    });

  plex
    .command('refresh')
    .description('refresh one item\'s metadata from its agents (Plex\'s "Refresh Metadata")')
    .requiredOption('--server <name>', 'server name (or id)')
    .argument('<ratingKey>', "the item's rating key")
    .action(async (ratingKey: string, options: { server: string }) => {
      const done = await refreshItemMetadata(ctx.usecases({ talksToPlex: true }), { server: { nameOrId: options.server }, ratingKey });
      await ctx.out.line(
        printable(`Plex is refreshing item ${done.ratingKey} on "${done.server.name}"; \`marquee watch\` applies the result.`),
      );
    });
}
