// marquee export: the catalog as JSON Lines (one object per movie, show and episode) or CSV, streamed.
import type { Command } from 'commander';
import { exportRows } from '../../catalog/export.js';
import type { CliContext } from '../context.js';
import { csvHeader, csvRecord } from '../csv.js';
import { CliError, EXIT_CANCELLED } from '../errors.js';
import { jsonLine } from '../output.js';

export function registerExportCommand(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('print every movie, show and episode of the catalog, one JSON object per line (or CSV)')
    .option('--jsonl', 'JSON Lines (the default)')
    .option('--csv', 'CSV with a header row: one row per item, the columns documented in the README')
    .action(async (options: { jsonl?: boolean; csv?: boolean }) => {
      if (options.jsonl === true && options.csv === true) throw new CliError('Choose one of --jsonl and --csv.', { usage: true });
      await exportCommand(ctx, options.csv === true ? 'csv' : 'jsonl');
    });
}

async function exportCommand(ctx: CliContext, format: 'jsonl' | 'csv'): Promise<void> {
  const catalog = ctx.catalog();
  const line = format === 'csv' ? csvRecord : jsonLine;
  if (format === 'csv') await ctx.out.write(csvHeader());
  // exportRows iterates one statement: writes awaited in between only wait for the reader, never the catalog.
  for (const row of exportRows(catalog)) {
    if (ctx.signal?.aborted === true) {
      ctx.exitCode = EXIT_CANCELLED;
      break;
    }
    // The reader went away (`marquee export | head`): stop reading the catalog too.
    if (ctx.out.closed) break;
    await ctx.out.write(line(row));
  }
}
