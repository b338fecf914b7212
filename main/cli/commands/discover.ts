// marquee discover (find a show on a server by title and year) and import-show (import just that show):
// adapters over main/usecases/discovery.ts and import-show.ts.
import { InvalidArgumentError, type Command } from 'commander';
import type { DiscoveryCandidate } from '../../../shared/domain.js';
import { findShows } from '../../usecases/discovery.js';
import { planImport, runPlannedImport } from '../../usecases/import-show.js';
import type { CliContext } from '../context.js';
import { CliError, EXIT_CANCELLED, EXIT_FAILED } from '../errors.js';
import { shellWord } from '../hints.js';
import { formatTable, jsonText, printable } from '../output.js';
import { createProgress, describeLibraryReport } from '../progress.js';
import { announceCancellation, libraryReportTable, printChanges } from './sync.js';

export function registerDiscoverCommands(program: Command, ctx: CliContext): void {
  program
    .command('discover')
    .description('find shows on a server by title (and year), whether or not their library syncs')
    .requiredOption('--server <name>', 'server name (or id)')
    .argument('<title>', 'the title, or part of it')
    .option('--year <year>', 'only shows of this year (first aired)', parseYear)
    .option('--json', 'print JSON')
    .action(async (title: string, options: { server: string; year?: number; json?: boolean }) => {
      await discoverCommand(ctx, title, options);
    });

  program
    .command('import-show')
    .description('import one show with its seasons, episodes and files (see `discover` for its rating key)')
    .requiredOption('--server <name>', 'server name (or id)')
    .argument('<ratingKey>', "the show's rating key", parseRatingKey)
    .action(async (ratingKey: string, options: { server: string }) => {
      await importShowCommand(ctx, options.server, ratingKey);
    });
}

function parseYear(value: string): number {
  if (!/^\d{4}$/.test(value.trim())) throw new InvalidArgumentError('A year has four digits, e.g. 2008.');
  return Number(value.trim());
}

function parseRatingKey(value: string): string {
  const key = value.trim();
  // Plex Media Server's rating keys are whole numbers; anything else is a typo, caught before any request.
  if (!/^\d+$/.test(key)) throw new InvalidArgumentError('A rating key is a number such as 12345 (see `marquee discover`).');
  return key;
}

async function discoverCommand(ctx: CliContext, title: string, options: { server: string; year?: number; json?: boolean }): Promise<void> {
  const { candidates } = await findShows(ctx.usecases({ talksToPlex: true }), {
    server: { nameOrId: options.server },
    title,
    ...(options.year !== undefined ? { year: options.year } : {}),
  });
  if (options.json === true) {
    await ctx.out.write(jsonText(candidates));
    return;
  }
  const wanted = options.year === undefined ? `"${title}"` : `"${title}" (${options.year})`;
  if (candidates.length === 0) {
    await ctx.out.line(printable(`No show on "${options.server}" matches ${wanted}.`));
    return;
  }
  await ctx.out.lines(
    formatTable(
      [
        { header: 'RATING KEY', align: 'right' },
        { header: 'TITLE' },
        { header: 'YEAR', align: 'right' },
        { header: 'LIBRARY' },
        { header: 'SEASONS', align: 'right' },
        { header: 'EPISODES', align: 'right' },
        { header: 'IDS' },
        { header: 'IN CATALOG' },
      ],
      candidates.map((candidate) => [
        candidate.ratingKey,
        candidate.title,
        candidate.year === null ? '-' : String(candidate.year),
        candidate.libraryTitle,
        candidate.seasonCount === null ? '-' : String(candidate.seasonCount),
        candidate.episodeCount === null ? '-' : String(candidate.episodeCount),
        externalIdText(candidate),
        candidate.inCatalog ? 'yes' : 'no',
      ]),
    ),
  );
  const first = candidates[0];
  if (first !== undefined) {
    await ctx.out.line();
    await ctx.out.line(printable(`Import one with: marquee import-show --server ${shellWord(first.serverName)} ${first.ratingKey}`));
  }
}

function externalIdText(candidate: DiscoveryCandidate): string {
  const ids = Object.entries(candidate.externalIds).map(([provider, value]) => `${provider}:${value}`);
  return ids.length === 0 ? '-' : ids.join(' ');
}

async function importShowCommand(ctx: CliContext, server: string, ratingKey: string): Promise<void> {
  const deps = ctx.usecases({ talksToPlex: true });
  const plan = planImport(deps, { server: { nameOrId: server }, ratingKey });
  const progress = createProgress(ctx, { json: false });
  const stopWatching = announceCancellation(ctx, progress);
  let report;
  try {
    report = await ctx.runJob(() =>
      runPlannedImport(deps, plan, {
        signal: ctx.signal,
        // A key that is not a show fails before any library is involved: said once, below, not as progress.
        onProgress: (event) => {
          if (event.kind !== 'library-done' || event.report.libraryTitle !== '') progress.onProgress(event);
        },
      }),
    );
  } finally {
    stopWatching();
    progress.stop();
  }
  if (report.outcome === 'failed' && report.libraryTitle === '') {
    throw new CliError(
      `${report.error ?? 'The show could not be imported.'} Find a show's rating key with \`marquee discover --server ${shellWord(server)} TITLE\`.`,
    );
  }
  await ctx.out.lines(libraryReportTable([report]));
  await printChanges(ctx, [report]);
  if (report.outcome !== 'ok') {
    await ctx.out.line();
    await ctx.out.line(ctx.redact(describeLibraryReport(report)));
  }
  if (ctx.signal?.aborted === true || report.outcome === 'cancelled') ctx.exitCode = EXIT_CANCELLED;
  else if (report.outcome !== 'ok') ctx.exitCode = EXIT_FAILED;
}
