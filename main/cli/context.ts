// What every command runs with: the streams, the environment, and the catalog and secret store, opened on
// first use (from --db / $MARQUEE_DB and $MARQUEE_CONFIG_DIR) and closed once the command is over.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { type Catalog, openCatalog } from '../catalog/database.js';
import { CatalogError } from '../catalog/errors.js';
import { describeJob, type InTurn, type JobDescription, type QueuedJob, runInTurn } from '../catalog/job-queue.js';
import { MigrationError } from '../catalog/migrate.js';
import { redactText } from '../plex/errors.js';
import type { PlexClientOptions } from '../plex/client.js';
import { defaultCatalogFile, defaultConfigDir } from '../secrets/config-paths.js';
import { openKeyFileSecretStore } from '../secrets/key-file-store.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { UseCaseDeps } from '../usecases/deps.js';
import { CliError } from './errors.js';
import { OutputWriter } from './output.js';

/**
 * The sync's writer thread script, bundled next to the CLI's own bundle by `npm run build`
 * (tools/build/bundle-cli.ts), used when $MARQUEE_WRITER_THREAD is 1. Off by default: on the 2-core development
 * machine, busy with other work, it cost 20–30% more CPU and about 45 MB more memory for no steady gain in
 * time (README "Performance"); it can only pay where a core is idle while the sync decodes. Run from the sources
 * (tsx) there is no built script: every page is then written on the sync's thread.
 */
function builtPageWriter(env: CliIo['env']): { pageWriter?: URL } {
  if (env.MARQUEE_WRITER_THREAD !== '1') return {};
  const script = new URL('./page-writer-worker.js', import.meta.url);
  return script.protocol === 'file:' && existsSync(fileURLToPath(script)) ? { pageWriter: script } : {};
}

/** The process as runCli sees it: injectable, so the whole CLI runs in-process in tests. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
  /** Whether stderr is a terminal: progress bars instead of progress lines. */
  isTTY: boolean;
  /** Fires on Ctrl-C: syncs and imports stop cleanly, the exit code is 130. */
  signal?: AbortSignal;
  /** How often a waiting command asks whether its turn came (tests). Default 100 ms. */
  queuePollMs?: number;
  /** Fires on SIGTERM (systemd, Docker): `marquee watch` stops cleanly with exit code 0. */
  terminate?: AbortSignal;
  /** Asks a yes/no question on the terminal; absent without one (scripts must then pass --yes). */
  confirm?: (question: string) => Promise<boolean>;
}

/**
 * How a command uses the catalog. 'read': opened read-only, never created, migrated or stamped (works on a
 * backup or a read-only copy). 'write': may create (and says so) and migrate it. 'job': a writer whose work
 * is a long job (a sync, an import) that runs in its turn in the catalog's job queue (see runJob).
 */
export type CatalogAccess = 'read' | 'write' | 'job';

/** Commands that only read or that run a job; every other command writes. Keyed by the command's path. */
const COMMAND_ACCESS: Readonly<Record<string, CatalogAccess>> = {
  'server list': 'read',
  'library list': 'read',
  'mapping list': 'read',
  'mapping resolve': 'read',
  export: 'read',
  jobs: 'read',
  sync: 'job',
  'import-show': 'job',
};

export function catalogAccessOf(commandPath: string): CatalogAccess {
  return COMMAND_ACCESS[commandPath] ?? 'write';
}

export class CliContext {
  /** Results. */
  readonly out: OutputWriter;
  /** Progress and diagnostics, written as they happen. */
  readonly err: OutputWriter;
  /** Set by a command whose outcome is a failure it already reported (a library that did not sync). */
  exitCode = 0;
  private openedCatalog: Catalog | null = null;
  /** Aborted by Ctrl-C, or by a cancel request for this command's job (`marquee jobs cancel`). */
  private readonly cancel = new AbortController();
  /** Whether to wait for the catalog's writer (false: `--no-wait`, refuse at once). */
  private waitForTurn = true;
  private toldWaiting = false;
  /** Set by run-cli before the command's action runs; 'write' when unknown (the safe default). */
  private access: CatalogAccess = 'write';
  private job: JobDescription | null = null;
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
    const interrupt = io.signal;
    if (interrupt?.aborted === true) this.cancel.abort(interrupt.reason);
    else interrupt?.addEventListener('abort', () => this.cancel.abort(interrupt.reason), { once: true });
  }

  /** Ctrl-C, or a cancel request for this command's job: syncs and imports stop cleanly, exit code 130. */
  get signal(): AbortSignal {
    return this.cancel.signal;
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

  /** Called once the command line is parsed (commander's preAction hook): how this command opens the catalog. */
  useCommand(command: Command): void {
    const names: string[] = [];
    for (let at: Command | null = command; at?.parent != null; at = at.parent) names.unshift(at.name());
    const path = names.join(' ');
    this.access = catalogAccessOf(path);
    this.job = this.access === 'job' ? jobOf(path, command) : null;
    // commander's `--no-wait` sets `wait: false` on the program; optsWithGlobals sees it after the subcommand too.
    this.waitForTurn = command.optsWithGlobals<{ wait?: boolean }>().wait !== false;
  }

  /**
   * Runs this command's job (a sync, an import) in its turn in the catalog's job queue: waits for the jobs
   * ahead (saying so once on stderr), or with `--no-wait` refuses at once naming the job that runs. A cancel
   * request for it (`marquee jobs cancel ID`) aborts `signal`, as Ctrl-C does.
   */
  async runJob<T>(fn: (turn: InTurn) => Promise<T>): Promise<T> {
    const job = this.job ?? { kind: 'sync', program: 'marquee', target: 'the catalog' };
    return runInTurn(this.catalog(), job, fn, {
      signal: this.signal,
      wait: this.waitForTurn,
      onCancel: () => this.cancel.abort(new Error('cancelled by `marquee jobs cancel`')),
      onWaiting: (blocker) => this.announceWaiting(blocker),
      ...(this.io.queuePollMs !== undefined ? { pollMs: this.io.queuePollMs } : {}),
    });
  }

  /** "Waiting for a sync of every active server by marquee (pid 4242, started 12:01:05 UTC)…", once. */
  private announceWaiting(blocker: QueuedJob): void {
    if (this.toldWaiting) return;
    this.toldWaiting = true;
    this.err.post(`Waiting for ${this.redact(describeJob(blocker))}…\n`);
  }

  catalog(): Catalog {
    if (this.openedCatalog === null) {
      const file = this.catalogFile();
      this.openedCatalog = this.openCatalogFile(file);
    }
    return this.openedCatalog;
  }

  private openCatalogFile(file: string): Catalog {
    try {
      return this.access === 'read'
        ? openCatalog(file, { access: 'read' })
        : openCatalog(file, { onCreate: (created) => this.err.post(`marquee: created a new catalog at ${created}\n`) });
    } catch (error) {
      // A reading command on a file that is not there: most likely a typo in --db, a usage error.
      if (error instanceof CatalogError && error.code === 'CATALOG_MISSING')
        throw new CliError(error.message, { usage: true, cause: error });
      // Our typed errors already name the file; SQLite's own ("unable to open database file") do not.
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof CatalogError || error instanceof MigrationError || message.includes(file)) throw error;
      throw new CliError(`Cannot open the catalog ${file}: ${message}`, { cause: error });
    }
  }

  secretStore(): SecretStore {
    // A key file readable by others is refused (with the chmod to run), not silently tightened: its key may
    // already have been copied.
    this.openedSecrets ??= openKeyFileSecretStore(this.configDir());
    return this.openedSecrets;
  }

  /**
   * What the use cases run with: this command's catalog, the key-file secret store and the client settings
   * below. Catalog and key file open on first use, so input a use case refuses never creates a catalog and
   * commands that need no token work without a key file; `talksToPlex` opens the key file at once, so a problem
   * with it fails the command before any request rather than as one failed server per server.
   */
  usecases(options: { talksToPlex?: boolean } = {}): UseCaseDeps {
    const clientOptions = this.clientOptions();
    if (options.talksToPlex === true) this.secretStore();
    const catalogOnFirstUse = (): Catalog => this.catalog();
    const secretsOnFirstUse = (): SecretStore => this.secretStore();
    return {
      clientOptions,
      queue: {
        program: 'marquee',
        wait: this.waitForTurn,
        onWaiting: (blocker) => this.announceWaiting(blocker),
        ...(this.io.queuePollMs !== undefined ? { pollMs: this.io.queuePollMs } : {}),
      },
      ...builtPageWriter(this.io.env),
      get catalog(): Catalog {
        return catalogOnFirstUse();
      },
      get secrets(): SecretStore {
        return secretsOnFirstUse();
      },
    };
  }

  /**
   * Plex client settings: Ctrl-C cancels requests, and `$MARQUEE_PLEX_TIMEOUT_MS` / `$MARQUEE_PLEX_RETRIES`
   * (undocumented, for tests and slow servers) adjust the per-request time limit and retry count.
   */
  clientOptions(): Partial<PlexClientOptions> {
    const options: Partial<PlexClientOptions> = { signal: this.signal };
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

/** The lock row's description of a sync or import, from the parsed command line. */
function jobOf(path: string, command: Command): JobDescription {
  const options = command.opts<{ server?: string; library?: string }>();
  if (path === 'import-show') {
    return { kind: 'import', program: 'marquee', target: `show ${command.args[0] ?? '?'} of server "${options.server ?? '?'}"` };
  }
  const server = options.server === undefined ? 'every active server' : `server "${options.server}"`;
  return { kind: 'sync', program: 'marquee', target: options.library === undefined ? server : `library "${options.library}" of ${server}` };
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
