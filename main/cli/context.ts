// What every command runs with: the streams, the environment, and the catalog and secret store, opened on
// first use (from --db / $MARQUEE_DB and $MARQUEE_CONFIG_DIR) and closed once the command is over.
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { type Catalog, openCatalog } from '../catalog/database.js';
import { redactText } from '../plex/errors.js';
import type { PlexClientOptions } from '../plex/client.js';
import { defaultCatalogFile, defaultConfigDir } from '../secrets/config-paths.js';
import { openKeyFileSecretStore } from '../secrets/key-file-store.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { ConnectionDeps } from '../sync/plex-connection.js';
import { CliError } from './errors.js';
import { OutputWriter } from './output.js';

/** The process as runCli sees it: injectable, so the whole CLI runs in-process in tests. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
  /** Whether stderr is a terminal: progress bars instead of progress lines. */
  isTTY: boolean;
  /** Fires on Ctrl-C: syncs and imports stop cleanly, the exit code is 130. */
  signal?: AbortSignal;
  /** Asks a yes/no question on the terminal; absent without one (scripts must then pass --yes). */
  confirm?: (question: string) => Promise<boolean>;
}

export class CliContext {
  /** Results. */
  readonly out: OutputWriter;
  /** Progress and diagnostics, written as they happen. */
  readonly err: OutputWriter;
  /** Set by a command whose outcome is a failure it already reported (a library that did not sync). */
  exitCode = 0;
  private openedCatalog: Catalog | null = null;
  private openedSecrets: SecretStore | null = null;
  /** Tokens seen in this run (flags, environment): scrubbed from anything printed. */
  private readonly secrets = new Set<string>();

  constructor(
    readonly io: CliIo,
    /** The --db flag, read once the command line is parsed. */
    private readonly dbOption: () => string | undefined,
  ) {
    this.out = new OutputWriter(io.stdout);
    this.err = new OutputWriter(io.stderr, true);
    this.addSecret(io.env.MARQUEE_TOKEN);
  }

  get signal(): AbortSignal | undefined {
    return this.io.signal;
  }

  addSecret(secret: string | undefined): void {
    const trimmed = secret?.trim();
    if (trimmed !== undefined && trimmed.length > 0) this.secrets.add(trimmed);
  }

  /** Text with every token this run knows about (and any token-looking parameter) replaced by REDACTED. */
  redact(text: string): string {
    return redactText(text, [...this.secrets]);
  }

  /** --db, else $MARQUEE_DB, else the app's catalog in the user data directory. */
  catalogFile(): string {
    const chosen = nonEmpty(this.dbOption()) ?? nonEmpty(this.io.env.MARQUEE_DB);
    return chosen === undefined ? defaultCatalogFile() : resolve(chosen);
  }

  /** $MARQUEE_CONFIG_DIR, else the default config directory: where the token key file lives. */
  configDir(): string {
    const chosen = nonEmpty(this.io.env.MARQUEE_CONFIG_DIR);
    return chosen === undefined ? defaultConfigDir() : resolve(chosen);
  }

  catalog(): Catalog {
    if (this.openedCatalog === null) {
      const file = this.catalogFile();
      try {
        this.openedCatalog = openCatalog(file);
      } catch (error) {
        // Migration errors already name the file; SQLite's own ("unable to open database file") do not.
        const message = error instanceof Error ? error.message : String(error);
        throw new CliError(message.includes(file) ? message : `Cannot open the catalog ${file}: ${message}`, { cause: error });
      }
    }
    return this.openedCatalog;
  }

  secretStore(): SecretStore {
    // A key file readable by others is refused (with the chmod to run), not silently tightened: its key may
    // already have been copied.
    this.openedSecrets ??= openKeyFileSecretStore(this.configDir());
    return this.openedSecrets;
  }

  /** What the engine and discovery need to talk to a catalogued server; requests follow Ctrl-C. */
  connectionDeps(): ConnectionDeps {
    return { catalog: this.catalog(), secrets: this.secretStore(), clientOptions: this.clientOptions() };
  }

  /**
   * Plex client settings: Ctrl-C cancels requests, and `$MARQUEE_PLEX_TIMEOUT_MS` / `$MARQUEE_PLEX_RETRIES`
   * (undocumented, for tests and slow servers) adjust the per-request time limit and retry count.
   */
  clientOptions(): Partial<PlexClientOptions> {
    const options: Partial<PlexClientOptions> = {};
    if (this.signal !== undefined) options.signal = this.signal;
    const timeoutMs = wholeNumber(this.io.env.MARQUEE_PLEX_TIMEOUT_MS, 'MARQUEE_PLEX_TIMEOUT_MS', 1);
    if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
    const retries = wholeNumber(this.io.env.MARQUEE_PLEX_RETRIES, 'MARQUEE_PLEX_RETRIES', 0);
    if (retries !== undefined) options.retries = retries;
    return options;
  }

  /** Flushes both streams and closes the catalog. Safe to call more than once. */
  async close(): Promise<void> {
    try {
      await this.out.finish();
      await this.err.finish();
    } finally {
      this.openedCatalog?.close();
      this.openedCatalog = null;
    }
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function wholeNumber(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) {
    throw new CliError(`$${name} must be a whole number of at least ${min}; got "${value}".`, { usage: true });
  }
  return number;
}
