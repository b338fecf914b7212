// marquee watch: a long-running process that keeps the catalog current (issue 9). It listens to each active
// server's notification socket (or polls where there is none), applies changes, runs the schedule and prints
// one line per change (JSON lines with --json). Ctrl-C stops it with 130, SIGTERM (systemd, Docker) with 0.
// An adapter over main/usecases/live.ts; the work is in main/live.
import type { Command } from 'commander';
import type { ChangedItem } from '../../../shared/domain.js';
import { createDetailRunner, type DetailNotice } from '../../usecases/details.js';
import { createLiveCatalog, planLive, type LiveNotice } from '../../usecases/live.js';
import type { CliContext } from '../context.js';
import { CliError, EXIT_CANCELLED, EXIT_OK } from '../errors.js';
import { jsonLine, printable, type OutputWriter } from '../output.js';

interface WatchOptions {
  server?: string;
  json?: boolean;
}

export function registerWatchCommand(program: Command, ctx: CliContext): void {
  program
    .command('watch')
    .description("keep the catalog current: apply Plex's live changes and run the sync schedule until stopped")
    .option('--server <name>', 'only this server (default: every active server)')
    .option('--json', 'print one JSON object per line')
    .addHelpText(
      'after',
      '\nEach server is live (notification socket), reconnecting, or polling (an incremental sync every few\n' +
        'minutes where the socket is unavailable). Every server also gets an incremental sync every 6 hours\n' +
        '(a full pass when the last one is a week old).\n' +
        '$MARQUEE_WATCH_POLL_MINUTES (default 5), $MARQUEE_WATCH_SYNC_HOURS (default 6) and\n' +
        '$MARQUEE_WATCH_BATCH_MS (default 2000, how long events are collected before one fetch) adjust it.\n' +
        'Exit status: 0 when stopped by SIGTERM, 130 by Ctrl-C, 2 for a usage error.',
    )
    .action(async (options: WatchOptions) => {
      await watchCommand(ctx, options);
    });
}

async function watchCommand(ctx: CliContext, options: WatchOptions): Promise<void> {
  const settings = watchSettings(ctx.io.env);
  const servers = planLive(ctx.usecases(), options.server !== undefined ? { server: { nameOrId: options.server } } : {});
  const deps = ctx.usecases({ talksToPlex: true });
  const print = options.json === true ? (notice: LiveNotice) => printJson(ctx, notice) : (notice: LiveNotice) => printText(ctx, notice);
  const live = createLiveCatalog(deps, servers, { ...settings, notify: print });
  const stopped = stopSignal(ctx);
  live.start();
  // The opt-in detail pass (`marquee details --enable`): the lowest-priority work, after every live job.
  const details = createDetailRunner(deps, {
    servers,
    isBusy: () => live.busy,
    notify: (notice) => printDetails(ctx, notice, options.json === true),
  });
  if (details !== null) {
    printDetails(ctx, { type: 'details-started' }, options.json === true);
    details.start();
  }
  const by = await stopped;
  await details?.stop();
  await live.stop();
  await ctx.err.line(by === 'interrupt' ? 'marquee: watch stopped (Ctrl-C)' : 'marquee: watch stopped');
  ctx.exitCode = by === 'interrupt' ? EXIT_CANCELLED : EXIT_OK;
}

/** Resolves with what stopped the watch: Ctrl-C (the CLI's signal) or SIGTERM (io.terminate). */
function stopSignal(ctx: CliContext): Promise<'interrupt' | 'terminate'> {
  return new Promise((resolve) => {
    const interrupt = ctx.io.signal;
    const terminate = ctx.io.terminate;
    if (interrupt?.aborted === true) return resolve('interrupt');
    if (terminate?.aborted === true) return resolve('terminate');
    interrupt?.addEventListener('abort', () => resolve('interrupt'), { once: true });
    terminate?.addEventListener('abort', () => resolve('terminate'), { once: true });
  });
}

interface WatchSettings {
  pollMs?: number;
  scheduleMs?: number;
  batchWindowMs?: number;
}

function watchSettings(env: Record<string, string | undefined>): WatchSettings {
  const settings: WatchSettings = {};
  const poll = positiveNumber(env.MARQUEE_WATCH_POLL_MINUTES, 'MARQUEE_WATCH_POLL_MINUTES');
  if (poll !== undefined) settings.pollMs = poll * 60_000;
  const hours = positiveNumber(env.MARQUEE_WATCH_SYNC_HOURS, 'MARQUEE_WATCH_SYNC_HOURS');
  if (hours !== undefined) settings.scheduleMs = hours * 3_600_000;
  const batch = positiveNumber(env.MARQUEE_WATCH_BATCH_MS, 'MARQUEE_WATCH_BATCH_MS');
  if (batch !== undefined) settings.batchWindowMs = batch;
  return settings;
}

function positiveNumber(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw.trim());
  if (!Number.isFinite(value) || value <= 0)
    throw new CliError(`$${name} must be a positive number; got "${printable(raw)}".`, { usage: true });
  return value;
}

function clockTime(): string {
  return new Date().toISOString().slice(11, 19);
}

function itemName(item: ChangedItem): string {
  if (item.kind === 'episode' && item.show !== undefined) {
    const numbers =
      item.season !== undefined && item.episode !== undefined
        ? ` S${String(item.season).padStart(2, '0')}E${String(item.episode).padStart(2, '0')}`
        : '';
    return `${item.show}${numbers} "${item.title}"`;
  }
  if (item.kind === 'season' && item.show !== undefined) return `${item.show} season ${item.season ?? '?'}`;
  return `"${item.title}"`;
}

/** One line per notice; changes and modes on stdout, problems on stderr. Names come from Plex: made printable. */
function printText(ctx: CliContext, notice: LiveNotice): void {
  const at = clockTime();
  const text = (line: string) => emit(ctx.out, `${printable(ctx.redact(line))}\n`);
  const problem = (line: string) => emit(ctx.err, `${printable(ctx.redact(line))}\n`);
  switch (notice.type) {
    case 'change':
      return text(
        `${at} ${notice.server}: ${notice.change} ${notice.item.kind} ${itemName(notice.item)}${notice.library !== '' ? ` in ${notice.library}` : ''}`,
      );
    case 'more-changes':
      return text(`${at} ${notice.server}: and ${notice.count} more ${notice.change} in ${notice.library}`);
    case 'mode':
      return text(`${at} ${notice.server}: ${notice.mode}${notice.mode === 'stopped' ? '' : ` (${notice.detail})`}`);
    case 'sync':
      return text(
        `${at} ${notice.server}: ${notice.reason} sync${notice.library !== undefined ? ` of ${notice.library}` : ''} ${notice.ok ? 'done' : 'failed'}: ` +
          `${notice.added} added, ${notice.updated} updated, ${notice.removed} removed, ${notice.requests} requests`,
      );
    case 'batch':
      return;
    case 'waiting':
      return problem(`${at} waiting for the catalog: ${notice.message}`);
    case 'error':
      return problem(`${at} ${notice.server}: ${notice.message}`);
  }
}

/** The background detail pass: a line when it starts and one per server when a pass ends (progress stays quiet). */
function printDetails(ctx: CliContext, notice: DetailNotice | { type: 'details-started' }, json: boolean): void {
  if (notice.type === 'details-progress') return;
  if (json) {
    emit(ctx.out, ctx.redact(jsonLine({ time: new Date().toISOString(), ...notice })));
    return;
  }
  const at = clockTime();
  const text = (line: string) => emit(ctx.out, `${printable(ctx.redact(line))}\n`);
  if (notice.type === 'details-started') return text(`${at} details: the background detail pass is on (HDR, languages)`);
  if (notice.type === 'details-error') return emit(ctx.err, `${printable(ctx.redact(`${at} details: ${notice.message}`))}\n`);
  for (const server of notice.report.servers) {
    const outcome = server.error === undefined ? 'done' : `failed: ${server.error}`;
    text(
      `${at} ${server.serverName}: details ${outcome}: ${server.detailed} items detailed, ${server.done} of ${server.total} done, ${server.requests} requests`,
    );
  }
}

function printJson(ctx: CliContext, notice: LiveNotice): void {
  emit(ctx.out, ctx.redact(jsonLine({ time: new Date().toISOString(), ...notice })));
}

/** A watch line must show up when it happens (a pipe to a log, journald), not once 64 KiB have gathered. */
function emit(writer: OutputWriter, text: string): void {
  writer
    .write(text)
    .then(() => writer.flush())
    .catch(() => {
      // A reader that went away: the watch goes on applying changes.
    });
}

export type { LiveNotice };
