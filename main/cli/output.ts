// Everything the CLI prints goes through here: writes that respect backpressure (a 110k-row export to a
// file or a pipe arrives complete), a reader that went away (`marquee export | head`) that ends the output
// quietly instead of crashing with EPIPE, plain-text tables and JSON.
import type { Writable } from 'node:stream';

/** Bytes collected before handing them to the stream: one write per row would be needlessly slow. */
const CHUNK_BYTES = 64 * 1024;

/**
 * A line-oriented writer over one stream. Writes are buffered up to CHUNK_BYTES and flushed with
 * backpressure; once the reader has gone (EPIPE, stream closed or destroyed), further writes are dropped.
 */
export class OutputWriter {
  private buffer = '';
  private gone = false;
  private failure: Error | null = null;
  private lastWrite: Promise<void> = Promise.resolve();
  private readonly onError = (error: Error): void => {
    // The reader closed its end (head, a pager quitting): nothing more can be delivered, nothing to report.
    if (isBrokenPipe(error)) this.gone = true;
    else this.failure ??= error;
  };

  /**
   * @param immediate flush after every write: for diagnostics and progress lines, which must show up as
   *   they happen rather than when 64 KiB have gathered.
   */
  constructor(
    private readonly stream: Writable,
    private readonly immediate = false,
  ) {
    stream.on('error', this.onError);
  }

  /** Whether the reader went away: callers producing a long output can stop early. */
  get closed(): boolean {
    return this.gone || this.stream.destroyed || this.stream.writableEnded;
  }

  /**
   * Adds text; flushes (awaiting 'drain' when the stream is full) once enough is collected. Control
   * characters other than newline and tab never pass: text from a Plex server (names, versions, error
   * bodies) cannot clear the screen, retitle the window or write the clipboard (OSC 52). The progress bars
   * are the only writer of control codes, and they write to the stream directly.
   */
  async write(text: string): Promise<void> {
    if (this.closed) return;
    this.buffer += terminalSafe(text);
    if (this.immediate || this.buffer.length >= CHUNK_BYTES) await this.flush();
  }

  /** Fire-and-forget write for synchronous callers (progress events); order is kept, failures are dropped. */
  post(text: string): void {
    this.write(text).catch(() => {
      // Progress that cannot be shown is no reason to fail the sync it describes.
    });
  }

  async line(text = ''): Promise<void> {
    await this.write(`${text}\n`);
  }

  async lines(texts: readonly string[]): Promise<void> {
    for (const text of texts) await this.line(text);
  }

  /**
   * Hands everything buffered to the stream; when the stream reports it is full, waits for 'drain' (or for
   * the stream to close) before returning, so a fast producer never outruns a slow reader.
   */
  async flush(): Promise<void> {
    this.throwIfFailed();
    const chunk = this.buffer;
    this.buffer = '';
    if (chunk === '' || this.closed) return;
    this.lastWrite = new Promise<void>((resolve) => {
      this.stream.write(chunk, (error) => {
        if (error) this.onError(error);
        resolve();
      });
    });
    if (!this.stream.writableNeedDrain) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
      // The write may have failed meanwhile (EPIPE): its callback settles lastWrite, not drain.
      void this.lastWrite.then(() => {
        if (this.closed) done();
      });
    });
    this.throwIfFailed();
  }

  /**
   * Flushes, then waits until the last chunk has left the stream's buffer: after this the output is complete,
   * not merely queued. The stream stays open (stdout is never ended here).
   */
  async finish(): Promise<void> {
    try {
      await this.flush();
      await this.lastWrite;
      this.throwIfFailed();
    } finally {
      // A late EPIPE may still come from this stream: keep swallowing those once we stop listening.
      this.stream.off('error', this.onError);
      if (!this.stream.listeners('error').includes(ignoreLateError)) this.stream.on('error', ignoreLateError);
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }
}

/** After the output is complete, nothing useful can be done about a failing stream; never crash on it. */
function ignoreLateError(): void {}

export function isBrokenPipe(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END';
}

/** Pretty JSON followed by a newline: `--json` output, readable and `jq`-friendly. */
export function jsonText(value: unknown): string {
  return `${escapeC1(JSON.stringify(value, null, 2))}\n`;
}

/** One JSON object on one line (`export`), terminal-safe like jsonText. */
export function jsonLine(value: unknown): string {
  return `${escapeC1(JSON.stringify(value))}\n`;
}

/**
 * JSON.stringify escapes C0 controls (ESC becomes \u001b) but leaves DEL and the C1 range raw, and U+009B
 * is a CSI to some terminals. Escaped, the JSON means the same and passes the writer's filter untouched.
 */
function escapeC1(json: string): string {
  return json.replace(/[\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text with every C0/C1 control character but newline and tab replaced by '?'. */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

// ---------------------------------------------------------------------------------------------------------
// Tables

export interface Column {
  header: string;
  /** Numbers read best right-aligned. */
  align?: 'left' | 'right';
}

/**
 * A plain-text table: a header line, then one line per row, columns separated by two spaces and padded to
 * their widest cell (in terminal cells: CJK titles take two each). Control characters are neutralised so a
 * title from the server cannot move the cursor or recolour the terminal.
 */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
  const cells = [columns.map((column) => column.header), ...rows.map((row) => row.map(printable))];
  const widths = columns.map((_, index) => Math.max(...cells.map((row) => displayWidth(row[index] ?? ''))));
  return cells.map((row) =>
    columns
      .map((column, index) => {
        const text = row[index] ?? '';
        const padding = ' '.repeat(Math.max(0, (widths[index] ?? 0) - displayWidth(text)));
        // No trailing spaces after the last column.
        if (index === columns.length - 1 && column.align !== 'right') return text;
        return column.align === 'right' ? padding + text : text + padding;
      })
      .join('  '),
  );
}

/** Text safe to print on a terminal: C0/C1 control characters (escape sequences, newlines) become '?'. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** Terminal cells the text takes: East Asian wide characters and most emoji count two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code === 0x200d || (code >= 0x300 && code <= 0x36f) || (code >= 0xfe00 && code <= 0xfe0f)) continue;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

// ---------------------------------------------------------------------------------------------------------
// Small formatters shared by the commands

/** Unix seconds as local `YYYY-MM-DD HH:MM`, or '-' for never. */
export function formatTimestamp(seconds: number | null): string {
  if (seconds === null) return '-';
  const date = new Date(seconds * 1000);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function formatSeconds(seconds: number): string {
  return seconds < 10 ? seconds.toFixed(1) : String(Math.round(seconds));
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
