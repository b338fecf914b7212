// marquee sync: every enabled library of every active server, or the ones asked for. An adapter over
// main/usecases/sync.ts.
import type { Command } from 'commander';
import type { LibrarySyncReport, ServerSummary, SyncReport } from '../../../shared/domain.js';
import { serverToken } from '../../catalog/servers.js';
import type { UseCaseDeps } from '../../usecases/deps.js';
import { planSync, runPlannedSync } from '../../usecases/sync.js';
import type { CliContext } from '../context.js';
import { CliError, EXIT_CANCELLED, EXIT_FAILED } from '../errors.js';
import { formatSeconds, formatTable, jsonText, plural, printable } from '../output.js';
import { createProgress, describeLibraryReport, type ProgressReporter } from '../progress.js';
import { isUnreadableToken, unreadableTokenHint } from '../hints.js';
import { libraryChangeLines } from '../report-text.js';

export function registerSyncCommand(program: Command, ctx: CliContext): void {
  program
    .command('sync')
    .description('import every enabled library of every active server (or the ones named)')
    .option('--server <name>', 'only this server')
    .option('--library <titleOrKey>', 'only this library (title or section key)')
    .option('--full', 'list everything instead of only what changed (catches replaced or moved files)')
    .option('--json', 'print the sync report as JSON')
    .addHelpText(
      'after',
      '\nExit status: 0 when every library synced, 1 when any failed, 75 with --no-wait while another job holds the catalog,\n' +
        '130 when cancelled (Ctrl-C, or `marquee jobs cancel`). Behind another job it waits its turn (said once on stderr).\n' +
        '$MARQUEE_MAX_REMOVAL_SHARE (0 to 1) overrides the largest share of a library one sync may remove.\n' +
        '$MARQUEE_FULL_SYNC_INTERVAL_HOURS sets how often a sync is a full pass by itself (default 168; 0: never).',
    )
    .action(async (options: { server?: string; library?: string; full?: boolean; json?: boolean }) => {
      await syncCommand(ctx, options);
    });
}

/** $MARQUEE_FULL_SYNC_INTERVAL_HOURS as a whole number of hours, or undefined when unset (the catalog setting applies). */
export function fullSyncIntervalFromEnv(env: Record<string, string | undefined>): number | undefined {
  const raw = env.MARQUEE_FULL_SYNC_INTERVAL_HOURS?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,6}$/.test(raw)) {
    throw new CliError(`$MARQUEE_FULL_SYNC_INTERVAL_HOURS must be a whole number of hours (0: never); got "${printable(raw)}".`, {
      usage: true,
    });
  }
  return Number(raw);
}

/** $MARQUEE_MAX_REMOVAL_SHARE as a number from 0 to 1, or undefined when unset (the catalog setting applies). */
export function removalShareFromEnv(env: Record<string, string | undefined>): number | undefined {
  const raw = env.MARQUEE_MAX_REMOVAL_SHARE;
  if (raw === undefined || raw.trim() === '') return undefined;
  const text = raw.trim();
  const value = Number(text);
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text) || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new CliError(
      `$MARQUEE_MAX_REMOVAL_SHARE must be a number from 0 to 1 (the largest share of a library one sync may remove); got "${printable(raw)}".`,
      { usage: true },
    );
  }
  return value;
}

async function syncCommand(ctx: CliContext, options: { server?: string; library?: string; full?: boolean; json?: boolean }): Promise<void> {
  const json = options.json === true;
  const maxRemovalShare = removalShareFromEnv(ctx.io.env);
  const fullSyncIntervalHours = fullSyncIntervalFromEnv(ctx.io.env);
  const plan = planSync(ctx.usecases(), {
    ...(options.server !== undefined ? { server: { nameOrId: options.server } } : {}),
    ...(options.library !== undefined ? { library: { titleOrKey: options.library } } : {}),
    full: options.full === true,
  });
  const deps = ctx.usecases({ talksToPlex: true });
  const unreadable = json ? new Set<string>() : serversWithUnreadableTokens(deps, plan.servers);
  const progress = createProgress(ctx, { json });
  const stopWatching = announceCancellation(ctx, progress);
  let report: SyncReport;
  try {
    // In its turn in the catalog's job queue: behind other jobs, and yielding to edits between pages.
    report = await ctx.runJob(({ safePoint }) =>
      runPlannedSync(deps, plan, {
        signal: ctx.signal,
        safePoint,
        ...(maxRemovalShare !== undefined ? { maxRemovalShare } : {}),
        ...(fullSyncIntervalHours !== undefined ? { fullSyncIntervalHours } : {}),
        onProgress: (event) => progress.onProgress(event),
      }),
    );
  } finally {
    stopWatching();
    progress.stop();
  }
  if (json) await ctx.out.write(jsonText(report));
  else await printSyncSummary(ctx, report, unreadable);
  if (ctx.signal?.aborted === true) ctx.exitCode = EXIT_CANCELLED;
  else if (!report.ok) ctx.exitCode = EXIT_FAILED;
}

/**
 * The servers whose stored token this key file cannot decrypt: the engine reports them as failed servers,
 * and the summary adds the likeliest cause and the command that fixes it. Decrypting is local and cheap.
 */
function serversWithUnreadableTokens(deps: UseCaseDeps, servers: readonly ServerSummary[]): Set<string> {
  const unreadable = new Set<string>();
  for (const server of servers) {
    try {
      serverToken(deps.catalog, deps.secrets, server.id);
    } catch (error) {
      if (isUnreadableToken(error)) unreadable.add(server.name);
    }
  }
  return unreadable;
}

/** Tells the user Ctrl-C was heard; the engine finishes the write in progress and stops. */
export function announceCancellation(ctx: CliContext, progress: ProgressReporter): () => void {
  const signal = ctx.signal;
  const onAbort = (): void => progress.note('Cancelling: stopping after the current step (Ctrl-C again to quit at once)…');
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/** The per-library table, then one line per failure with its reason, then a one-line verdict. */
async function printSyncSummary(ctx: CliContext, report: SyncReport, unreadableTokens: ReadonlySet<string>): Promise<void> {
  if (report.libraries.length === 0 && report.serverErrors.length === 0) {
    await ctx.out.line('Nothing to sync: no active server has an enabled movie or show library (see `marquee library list`).');
    return;
  }
  if (report.libraries.length > 0) await ctx.out.lines(libraryReportTable(report.libraries));
  await printChanges(ctx, report.libraries);
  const failures = [
    ...report.serverErrors.map(
      (entry) =>
        `${printable(entry.serverName)}: failed: ${printable(entry.error)}` +
        (unreadableTokens.has(entry.serverName) ? ` ${unreadableTokenHint(ctx.configDir(), entry.serverName)}` : ''),
    ),
    ...report.libraries.filter((library) => library.outcome !== 'ok').map(describeLibraryReport),
  ];
  if (failures.length > 0) {
    await ctx.out.line();
    await ctx.out.lines(failures.map((line) => ctx.redact(line)));
  }
  const synced = report.libraries.filter((library) => library.outcome === 'ok').length;
  const seconds = (report.finishedAt - report.startedAt) / 1000;
  const notSynced = report.libraries.length - synced;
  const serverPart = report.serverErrors.length > 0 ? `, ${plural(report.serverErrors.length, 'server')} unreachable` : '';
  await ctx.out.line();
  await ctx.out.line(
    `${plural(synced, 'library', 'libraries')} synced${notSynced > 0 ? `, ${notSynced} not` : ''}${serverPart} in ${formatSeconds(seconds)} s.`,
  );
}

/** What changed, by kind and by name, for each library where something did (also a failed one: it committed). */
export async function printChanges(ctx: CliContext, reports: readonly LibrarySyncReport[]): Promise<void> {
  const lines = reports.flatMap(libraryChangeLines);
  if (lines.length === 0) return;
  await ctx.out.line();
  await ctx.out.lines(lines);
}

/** server, library, mode, outcome, added, updated, removed, unchanged, requests, seconds. */
export function libraryReportTable(reports: readonly LibrarySyncReport[]): string[] {
  const right = 'right' as const;
  return formatTable(
    [
      { header: 'SERVER' },
      { header: 'LIBRARY' },
      { header: 'MODE' },
      { header: 'OUTCOME' },
      { header: 'ADDED', align: right },
      { header: 'UPDATED', align: right },
      { header: 'REMOVED', align: right },
      { header: 'UNCHANGED', align: right },
      { header: 'REQUESTS', align: right },
      { header: 'SECONDS', align: right },
    ],
    reports.map((report) => [
      report.serverName,
      report.libraryTitle,
      report.mode,
      report.outcome,
      String(report.added),
      String(report.updated),
      String(report.removed),
      String(report.unchanged),
      String(report.requests),
      formatSeconds(report.seconds),
    ]),
  );
}
