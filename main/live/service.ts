// The live catalog: one LiveServer per active server (or the one asked for), sharing one job queue, so live
// changes, catch-up, polling and scheduled syncs of every server take turns on the catalog.
import type { ServerSummary } from '../../shared/domain.js';
import type { SyncEngineDeps } from '../sync/engine.js';
import { JobQueue } from './job-queue.js';
import { nodeSocketFactory, type LiveMode, type SocketFactory } from './listener.js';
import { LiveServer, type LiveNotice, type LiveServerOptions } from './live-server.js';
import { realTimers, type LiveTimers } from './timers.js';
import type { WebhookEvent } from './webhooks.js';

export interface LiveCatalogOptions extends Partial<Omit<LiveServerOptions, 'queue' | 'signal' | 'notify' | 'timers' | 'socketFactory'>> {
  timers?: LiveTimers;
  socketFactory?: SocketFactory;
  notify: (notice: LiveNotice) => void;
  /** How long a job waits before asking again for a lock another process holds. */
  lockRetryMs?: number;
}

export class LiveCatalog {
  readonly servers: LiveServer[];
  private readonly controller = new AbortController();
  private readonly queue: JobQueue;

  constructor(deps: SyncEngineDeps, servers: readonly ServerSummary[], options: LiveCatalogOptions) {
    const timers = options.timers ?? realTimers;
    const { notify, lockRetryMs, socketFactory, ...rest } = options;
    this.queue = new JobQueue({
      catalog: deps.catalog,
      timers,
      signal: this.controller.signal,
      ...(lockRetryMs !== undefined ? { retryMs: lockRetryMs } : {}),
      onWaiting: (_job, holder) => notify({ type: 'waiting', message: holder }),
    });
    this.servers = servers.map(
      (server) =>
        new LiveServer(deps, server, {
          ...rest,
          timers,
          socketFactory: socketFactory ?? nodeSocketFactory,
          queue: this.queue,
          notify,
          signal: this.controller.signal,
        }),
    );
  }

  start(): void {
    for (const server of this.servers) server.start();
  }

  /** Live jobs are queued or running in this process: what the background detail pass waits for. */
  get busy(): boolean {
    return this.queue.length > 0;
  }

  /**
   * Hands a Plex webhook to the server that sent it (Server.uuid is its machine identifier; a catalog that never
   * learnt it, with one server watched, takes it as that one's). Returns the server's name, or null when none.
   */
  webhook(event: WebhookEvent): { server: string; used: boolean } | null {
    const target =
      this.servers.find((live) => event.serverId !== null && live.server.machineIdentifier === event.serverId) ??
      (this.servers.length === 1 && this.servers[0]?.server.machineIdentifier === null ? this.servers[0] : undefined);
    if (target === undefined) return null;
    return { server: target.server.name, used: target.webhook(event) };
  }

  modes(): Record<string, LiveMode> {
    return Object.fromEntries(this.servers.map((server) => [server.server.name, server.mode]));
  }

  /** Stops every listener, cancels the running job (at its next page) and drops what waits. */
  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.all(this.servers.map((server) => server.stop()));
  }

  /** Settles when nothing is queued or running (tests, the bench). */
  async idle(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.idle()));
  }
}
