// marquee watch: a long-running process that keeps the catalog current (issue 9). It listens to each active
// server's notification socket (or polls where there is none), applies changes, runs the schedule and prints
// one line per change (JSON lines with --json). Ctrl-C stops it with 130, SIGTERM (systemd, Docker) with 0.
// An adapter over main/usecases/live.ts; the work is in main/live.
import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { ChangedItem } from '../../../shared/domain.js';
import { createDetailRunner, type DetailNotice } from '../../usecases/details.js';
import { createLiveCatalog, planLive, webhookSecret, type LiveNotice } from '../../usecases/live.js';
import type { UseCaseDeps } from '../../usecases/deps.js';
import { WebhookListener } from '../../live/webhooks.js';
import type { LiveCatalog } from '../../live/service.js';
import type { CliContext } from '../context.js';
import { CliError, EXIT_CANCELLED, EXIT_OK } from '../errors.js';
import { jsonLine, printable, type OutputWriter } from '../output.js';

interface WatchOptions {
  server?: string;
  json?: boolean;
  webhookPort?: string;
  webhookHost?: string;
  webhookNewSecret?: boolean;
}

export function registerWatchCommand(program: Command, ctx: CliContext): void {
  program
    .command('watch')
    .description("keep the catalog current: apply Plex's live changes and run the sync schedule until stopped")
    .option('--server <name>', 'only this server (default: every active server)')
    .option('--json', 'print one JSON object per line')
    .option('--webhook-port <port>', "also take Plex's webhooks (Plex Pass) on this port; the URL to paste into Plex is printed once")
    .option('--webhook-host <address>', 'the address the webhook listener binds (default 0.0.0.0: Plex is often another machine)')
    .option('--webhook-new-secret', 'make a new webhook URL (the old one stops working)')
    .addHelpText(
      'after',
      '\nEach server is live (notification socket), reconnecting, or polling (an incremental sync every few\n' +
        'minutes where the socket is unavailable). Every server also gets an incremental sync every 6 hours\n' +
        '(a full pass when the last one is a week old).\n' +
        '$MARQUEE_WATCH_POLL_MINUTES (default 5), $MARQUEE_WATCH_SYNC_HOURS (default 6),\n' +
        '$MARQUEE_WATCH_BATCH_MS (default 2000, how long events are collected before one fetch) and\n' +
        '$MARQUEE_WATCH_PROBE_MINUTES (default 5: a quiet socket is checked with one request this often) adjust it.\n' +
        'With --webhook-port, Plex webhooks are a second source: library.new fetches the item as a socket event\n' +
        'would. The secret is the URL path (stored as a hash: shown once); other requests get 404. With\n' +
        '`marquee details --enable`, the detail pass (HDR, languages) runs in the background, after live jobs.\n' +
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
  const webhooks = options.webhookPort === undefined ? null : await startWebhooks(ctx, deps, live, options);
  const by = await stopped;
  await webhooks?.stop();
  await details?.stop();
  await live.stop();
  await ctx.err.line(by === 'interrupt' ? 'marquee: watch stopped (Ctrl-C)' : 'marquee: watch stopped');
  ctx.exitCode = by === 'interrupt' ? EXIT_CANCELLED : EXIT_OK;
}

/** The optional webhook listener: library.new goes to its server's batch; the URL is printed when it is made. */
async function startWebhooks(ctx: CliContext, deps: UseCaseDeps, live: LiveCatalog, options: WatchOptions): Promise<WebhookListener> {
  const port = Number(options.webhookPort);
  if (!/^\d{1,5}$/.test(options.webhookPort ?? '') || port > 65_535)
    throw new CliError(`--webhook-port must be a port number (0 to 65535); got "${printable(options.webhookPort ?? '')}".`, {
      usage: true,
    });
  const secret = webhookSecret(deps, { renew: options.webhookNewSecret === true });
  const host = options.webhookHost ?? '0.0.0.0';
  const json = options.json === true;
  const say = (line: string, fields: Record<string, unknown>): void =>
    json
      ? emit(ctx.out, jsonLine({ time: new Date().toISOString(), type: 'webhook', ...fields }))
      : emit(ctx.out, `${clockTime()} ${printable(line)}\n`);
  const listener = new WebhookListener({
    port,
    host,
    secretHash: secret.hash,
    onEvent: (event) => {
      const routed = live.webhook(event);
      if (routed === null)
        say(`webhook: ${event.event} from a server this watch does not follow: ignored`, { event: event.event, used: false });
      else if (routed.used)
        say(`${routed.server}: webhook ${event.event} for item ${event.ratingKey ?? '?'}`, {
          server: routed.server,
          event: event.event,
          used: true,
        });
    },
    onRejected: (reason) => emit(ctx.err, `${clockTime()} webhook refused: ${printable(reason)}\n`),
  });
  const bound = await listener.start();
  const shown = host === '0.0.0.0' || host === '::' ? hostname() : host;
  if (secret.created !== null)
    say(`webhook: paste this URL into Plex (Settings > Webhooks); it is shown only now: http://${shown}:${bound}/${secret.created}`, {
      port: bound,
      url: `http://${shown}:${bound}/${secret.created}`,
    });
  else
    say(`webhook: listening on port ${bound} (the URL was shown when it was made; --webhook-new-secret makes a new one)`, { port: bound });
  return listener;
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
  probeAfterMs?: number;
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
  const probe = positiveNumber(env.MARQUEE_WATCH_PROBE_MINUTES, 'MARQUEE_WATCH_PROBE_MINUTES');
  if (probe !== undefined) settings.probeAfterMs = probe * 60_000;
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
