// Sync progress on stderr: two live bars on a terminal (libraries k/N, items done/total with rate and
// ETA), plain lines otherwise (one when a library starts, one when it ends: logs stay short and greppable).
import cliProgress from 'cli-progress';
import type { LibrarySyncReport, SyncProgress } from '../../shared/domain.js';
import type { CliContext } from './context.js';
import { formatSeconds, printable, terminalSafe } from './output.js';

export interface ProgressReporter {
  onProgress(event: SyncProgress): void;
  /** A line for the user (above the bars while they are shown). */
  note(line: string): void;
  /** Removes the bars; lines already printed stay. */
  stop(): void;
}

/** Bars when stderr is a terminal and the output is not JSON; plain lines otherwise. */
export function createProgress(ctx: CliContext, options: { json: boolean }): ProgressReporter {
  return ctx.io.isTTY && !options.json ? new BarProgress(ctx) : new LineProgress(ctx);
}

/** `Home / Movies`: how a library is named in every message. */
export function libraryName(serverName: string, libraryTitle: string): string {
  return printable(`${serverName} / ${libraryTitle}`);
}

/** One line for a finished library: its outcome and counts, or why it failed. */
export function describeLibraryReport(report: LibrarySyncReport): string {
  const name = libraryName(report.serverName, report.libraryTitle);
  switch (report.outcome) {
    case 'ok':
      return (
        `${name}: ok (${report.mode}): ${report.added} added, ${report.updated} updated, ${report.removed} removed, ` +
        `${report.unchanged} unchanged; ${report.requests} requests, ${formatSeconds(report.seconds)} s`
      );
    case 'failed':
      return `${name}: failed: ${printable(report.error ?? 'unknown error')}`;
    case 'cancelled':
      return `${name}: cancelled`;
    case 'skipped':
      return report.error === undefined ? `${name}: skipped` : `${name}: skipped: ${printable(report.error)}`;
  }
}

/** "waiting for Plex… attempt 2 of 4 (retry in 5 s)": the engine is backing off after a failed request. */
export function waitingText(event: Extract<SyncProgress, { kind: 'waiting' }>): string {
  const retry = event.retryInSeconds === null ? '' : ` (retry in ${Math.ceil(event.retryInSeconds)} s)`;
  return `waiting for Plex… attempt ${event.attempt} of ${event.maxAttempts}${retry}`;
}

function position(index: number, total: number): string {
  return `[${index + 1}/${total}]`;
}

class LineProgress implements ProgressReporter {
  constructor(private readonly ctx: CliContext) {}

  onProgress(event: SyncProgress): void {
    switch (event.kind) {
      case 'library-start':
        this.note(`${position(event.index, event.total)} ${libraryName(event.serverName, event.libraryTitle)}: syncing…`);
        return;
      case 'library-done':
        this.note(`${position(event.index, event.total)} ${describeLibraryReport(event.report)}`);
        return;
      case 'items':
        // Per-page lines would flood logs; the bars show these on a terminal.
        return;
      case 'waiting':
        this.note(
          `${position(event.index, event.total)} ${libraryName(event.serverName, event.libraryTitle)}: ${waitingText(event)}: ${printable(event.reason)}`,
        );
        return;
    }
  }

  note(line: string): void {
    this.ctx.err.post(`${this.ctx.redact(line)}\n`);
  }

  stop(): void {}
}

/** CSI 2K: erase the whole line the cursor is on (the bars' own control codes are the only ones written). */
const ERASE_LINE = '\u001b[2K';

/** Payload keys must not be cli-progress's own ({eta}, {value}, …): those would win. */
interface BarPayload {
  name: string;
  phase: string;
  rateText: string;
  etaText: string;
}

class BarProgress implements ProgressReporter {
  private readonly bars: cliProgress.MultiBar;
  private libraries: cliProgress.SingleBar | null = null;
  private items: cliProgress.SingleBar | null = null;

  constructor(private readonly ctx: CliContext) {
    this.bars = new cliProgress.MultiBar({
      stream: ctx.io.stderr,
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      emptyOnZero: true,
      // Ctrl-C is the sync's to handle (a clean stop); the bars are removed in stop().
      gracefulExit: false,
      barCompleteChar: '█',
      barIncompleteChar: '░',
    });
  }

  onProgress(event: SyncProgress): void {
    switch (event.kind) {
      case 'library-start': {
        const name = libraryName(event.serverName, event.libraryTitle);
        this.libraryBar(event.total).update(event.index, { name });
        const items = this.itemBar();
        items.setTotal(0);
        items.update(0, { phase: 'starting', rateText: '-', etaText: '-' });
        return;
      }
      case 'items':
        this.libraryBar(event.total).update(event.index, { name: libraryName(event.serverName, event.libraryTitle) });
        this.itemBar().setTotal(event.itemsTotal);
        this.itemBar().update(event.done, {
          phase: printable(event.phase),
          rateText: event.ratePerSecond > 0 ? event.ratePerSecond.toFixed(0) : '-',
          etaText: event.etaSeconds === null ? '-' : formatEta(event.etaSeconds),
        });
        return;
      case 'waiting':
        // On the items bar, where the count stands still meanwhile; the next page's event replaces it.
        this.libraryBar(event.total).update(event.index, { name: libraryName(event.serverName, event.libraryTitle) });
        this.itemBar().update({ phase: waitingText(event), rateText: '-', etaText: '-' });
        return;
      case 'library-done':
        this.libraryBar(event.total).update(event.index + 1);
        this.note(`${position(event.index, event.total)} ${describeLibraryReport(event.report)}`);
        return;
    }
  }

  note(line: string): void {
    if (this.libraries === null) this.ctx.err.post(`${this.ctx.redact(line)}\n`);
    // bars.log writes to the stream itself, past the OutputWriter's filter. It erases only the first line
    // the bars took; each line is erased before it is written, so a logged line shorter than the bar it
    // replaces (the cancel notice, "cancelled") carries no remnant of it, nor the terminal's echoed ^C.
    else this.bars.log(`${ERASE_LINE}${terminalSafe(this.ctx.redact(line))}\n`);
  }

  stop(): void {
    if (this.libraries === null) return;
    // Lines logged since the last redraw sit in the bars' buffer: draw once more so they are printed.
    this.bars.update();
    this.bars.stop();
  }

  private libraryBar(total: number): cliProgress.SingleBar {
    if (this.libraries === null) {
      const payload: BarPayload = { name: '', phase: '', rateText: '', etaText: '' };
      this.libraries = this.bars.create(total, 0, payload, { format: 'Libraries {bar} {value}/{total}  {name}' });
    }
    return this.libraries;
  }

  private itemBar(): cliProgress.SingleBar {
    if (this.items === null) {
      const payload: BarPayload = { name: '', phase: '', rateText: '-', etaText: '-' };
      this.items = this.bars.create(0, 0, payload, { format: 'Items     {bar} {value}/{total}  {phase}  {rateText}/s  ETA {etaText}' });
    }
    return this.items;
  }
}

function formatEta(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
