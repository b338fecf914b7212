// marquee details: one detail pass (issue 10), which asks Plex's full metadata for what listings leave out (HDR,
// Dolby Vision, audio and subtitle languages), or switches the background pass of `watch` and the app on or off.
// An adapter over main/usecases/details.ts. Ctrl-C stops after the batch in flight; the next run resumes.
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import {
  configureDetailPass,
  detailPassStatus,
  planDetailPass,
  runDetails,
  type DetailPassProgress,
  type DetailPassReport,
  type DetailPassStatus,
} from '../../usecases/details.js';
import type { CliContext } from '../context.js';
import { CliError, EXIT_CANCELLED, EXIT_FAILED } from '../errors.js';
import { jsonText, printable, terminalSafe } from '../output.js';

interface DetailsOptions {
  server?: string;
  limit?: string;
  intervalMs?: string;
  enable?: boolean;
  disable?: boolean;
  status?: boolean;
  json?: boolean;
}

export function registerDetailsCommand(program: Command, ctx: CliContext): void {
  program
    .command('details')
    .description("fill HDR, Dolby Vision and audio/subtitle languages from Plex's full metadata (one pass)")
    .option('--server <name>', 'only this server (default: every active server)')
    .option('--limit <n>', 'at most this many items in this pass')
    .option('--interval-ms <ms>', 'milliseconds between two requests, stored as the setting (default 1000)')
    .option('--enable', 'let `marquee watch` and the app run the pass in the background, then stop')
    .option('--disable', 'stop running the pass in the background (the default), then stop')
    .option('--status', 'print how far the pass is and what the rest costs, then stop')
    .option('--json', 'print the report (or status) as JSON')
    .addHelpText(
      'after',
      '\nListings carry no streams: these facts need one full-metadata request per 20 items (5,000 requests\n' +
        'for 100,000 episodes), paced at one request per second by default. The pass is resumable (what is\n' +
        'done is kept in the catalog; an item that changed is done again), waits while a sync runs, and\n' +
        'never deletes anything. Off by default in the background; this command runs one pass either way.\n' +
        'Exit status: 0 done, 1 a server failed, 130 cancelled (Ctrl-C: the next run resumes).',
    )
    .action(async (options: DetailsOptions) => {
      await detailsCommand(ctx, options);
    });
}

async function detailsCommand(ctx: CliContext, options: DetailsOptions): Promise<void> {
  if (options.enable === true && options.disable === true)
    throw new CliError('--enable and --disable cannot go together.', { usage: true });
  const intervalMs = options.intervalMs === undefined ? undefined : wholeNumber(options.intervalMs, '--interval-ms');
  const limit = options.limit === undefined ? undefined : wholeNumber(options.limit, '--limit');
  const deps = ctx.usecases();
  const servers = planDetailPass(deps, options.server !== undefined ? { server: { nameOrId: options.server } } : {});
  if (options.enable === true || options.disable === true || intervalMs !== undefined) {
    configureDetailPass(deps, {
      ...(options.enable === true ? { enabled: true } : options.disable === true ? { enabled: false } : {}),
      ...(intervalMs !== undefined ? { requestIntervalMs: intervalMs } : {}),
    });
  }
  if (options.enable === true || options.disable === true || options.status === true) {
    const status = detailPassStatus(deps, servers);
    if (options.json === true) await ctx.out.write(jsonText(status));
    else await ctx.out.lines(statusLines(status));
    return;
  }
  if (servers.length === 0) {
    await ctx.out.line('No active server: add one with `marquee server add`.');
    return;
  }
  const bar = ctx.io.isTTY && options.json !== true ? new DetailBar(ctx) : null;
  const onAbort = (): void => note(ctx, bar, 'Cancelling: stopping after the request in flight (the next run resumes)…');
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  const seen = new Set<string>();
  let report: DetailPassReport;
  try {
    report = await runDetails(ctx.usecases({ talksToPlex: true }), {
      servers,
      ...(limit !== undefined ? { limit } : {}),
      ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
      onProgress: (progress) => (bar === null ? lineProgress(ctx, seen, progress) : bar.update(progress)),
    });
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
    bar?.stop();
  }
  if (options.json === true) await ctx.out.write(jsonText(report));
  else await ctx.out.lines(reportLines(report));
  if (report.cancelled) ctx.exitCode = EXIT_CANCELLED;
  else if (!report.ok) ctx.exitCode = EXIT_FAILED;
}

function wholeNumber(raw: string, flag: string): number {
  if (!/^\d{1,9}$/.test(raw.trim())) throw new CliError(`${flag} must be a whole number; got "${printable(raw)}".`, { usage: true });
  return Number(raw.trim());
}

function statusLines(status: DetailPassStatus): string[] {
  return [
    `Detail pass in the background (watch, app): ${status.enabled ? 'on' : 'off'}; one request per ${status.requestIntervalMs} ms.`,
    ...status.servers.map((server) => printable(`${server.serverName}: ${server.done} of ${server.total} items detailed.`)),
    status.cost,
  ];
}

function reportLines(report: DetailPassReport): string[] {
  const lines = report.servers.map((server) => {
    const outcome =
      server.error === undefined ? 'done' : server.error === 'cancelled' ? 'cancelled' : `failed: ${server.error} (nothing was removed)`;
    return printable(
      `${server.serverName}: ${outcome}: ${server.detailed} items detailed, ${server.skipped} left for later; ` +
        `${server.done} of ${server.total} done; ${server.requests} requests.`,
    );
  });
  if (report.servers.length === 0) lines.push('Nothing to do.');
  return lines;
}

/** Without a terminal: one line when a server starts, one while it waits for another job; the report ends it. */
function lineProgress(ctx: CliContext, seen: Set<string>, progress: DetailPassProgress): void {
  const key = `${progress.serverName}\u0000${progress.waiting ? 'waiting' : 'running'}`;
  if (seen.has(key)) return;
  seen.add(key);
  const what = progress.waiting ? 'waiting for another job to end…' : `${progress.done} of ${progress.total} items detailed`;
  ctx.err.post(`${ctx.redact(printable(`${progress.serverName}: ${what}`))}\n`);
}

function note(ctx: CliContext, bar: DetailBar | null, line: string): void {
  if (bar === null) ctx.err.post(`${line}\n`);
  else bar.log(line);
}

/** A bar on a terminal: items detailed of all, with the server and whether it waits for another job. */
class DetailBar {
  private readonly bar: cliProgress.SingleBar;
  private started = false;

  constructor(private readonly ctx: CliContext) {
    this.bar = new cliProgress.SingleBar({
      stream: ctx.io.stderr,
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      gracefulExit: false,
      format: 'Details {bar} {value}/{total}  {name}',
      barCompleteChar: '█',
      barIncompleteChar: '░',
    });
  }

  update(progress: DetailPassProgress): void {
    const name = printable(`${progress.serverName}${progress.waiting ? ' (waiting for another job)' : ''}`);
    if (!this.started) {
      this.started = true;
      this.bar.start(progress.total, progress.done, { name });
      return;
    }
    this.bar.setTotal(progress.total);
    this.bar.update(progress.done, { name });
  }

  log(line: string): void {
    if (!this.started) this.ctx.err.post(`${line}\n`);
    else this.ctx.io.stderr.write(`\u001b[2K\r${terminalSafe(line)}\n`);
  }

  stop(): void {
    if (this.started) this.bar.stop();
  }
}
