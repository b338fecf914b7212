// marquee export: the catalog as JSON Lines, one object per movie, show and episode, streamed.
import type { Command } from 'commander';
import { exportRows } from '../../catalog/export.js';
import type { CliContext } from '../context.js';
import { EXIT_CANCELLED } from '../errors.js';
import { jsonLine } from '../output.js';

export function registerExportCommand(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('print every movie, show and episode of the catalog, one JSON object per line')
    .option('--jsonl', 'JSON Lines (the default and only format)')
    .action(async () => {
      await exportCommand(ctx);
    });
}

async function exportCommand(ctx: CliContext): Promise<void> {
  const catalog = ctx.catalog();
  // exportRows iterates one statement: writes awaited in between only wait for the reader, never the catalog.
  for (const row of exportRows(catalog)) {
    if (ctx.signal?.aborted === true) {
      ctx.exitCode = EXIT_CANCELLED;
      break;
    }
    // The reader went away (`marquee export | head`): stop reading the catalog too.
    if (ctx.out.closed) break;
    await ctx.out.write(jsonLine(row));
  }
}
