// The app's live catalog (issue 9): while the app (or the preview server) is open, every active server's
// notification socket keeps the catalog current through main/live. This adapter turns the live catalog's
// notices into the contract's `live:status` and `live:change` events, keeps each server's indicator and the
// recent changes for a (re)loaded page, and restarts the live catalog when the servers change.
import { LIVE_FEED_LIMIT, type LiveChange, type LiveIndicator, type LiveServerStatus, type LiveState } from '../../shared/ipc.js';
import type { ServerSummary } from '../../shared/domain.js';
import type { DetailRunner } from '../live/detail-runner.js';
import type { LiveCatalog, LiveCatalogOptions } from '../live/service.js';
import { describeError } from '../sync/errors.js';
import { createDetailRunner, type DetailNotice } from '../usecases/details.js';
import { createLiveCatalog, type LiveNotice } from '../usecases/live.js';
import type { UseCaseDeps } from '../usecases/deps.js';
import { listServers } from '../usecases/servers.js';
import type { AppEvents } from './events.js';
import { APP_PROGRAM } from './sync-runner.js';

/** The live catalog's options without its notice sink (this adapter is it); tests shorten windows and timers. */
export type AppLiveOptions = Omit<LiveCatalogOptions, 'notify'> & {
  /** The background detail pass's pace and repeat (tests shorten them); default the catalog's setting and 1 h. */
  details?: { requestIntervalMs?: number; repeatMs?: number; yieldPollMs?: number };
};

export interface AppLiveDeps {
  usecases: UseCaseDeps;
  events: AppEvents;
  clock: () => number;
  options?: AppLiveOptions;
}

// PlexUnauthorizedError's wording (main/plex/errors.ts): the notices carry messages, not error objects.
const SIGNED_OUT = /refused the token|requires a token/;

export class AppLive {
  private live: LiveCatalog | null = null;
  /** The opt-in detail pass, while the setting is on and the live catalog runs. */
  private details: DetailRunner | null = null;
  private running = false;
  private statuses = new Map<number, LiveServerStatus>();
  private recent: LiveChange[] = [];
  private seq = 0;
  /** Starts and stops one after the other: a restart never overlaps a stop. */
  private turn: Promise<void> = Promise.resolve();

  constructor(private readonly deps: AppLiveDeps) {}

  /** Starts listening to every active server (none is fine: a server added later starts it). */
  start(): Promise<void> {
    return this.serialize(async () => {
      if (this.running) return;
      this.running = true;
      await this.open();
    });
  }

  /** The servers changed (added, edited, removed, switched on or off): listen to the active ones again. */
  restart(): Promise<void> {
    return this.serialize(async () => {
      if (!this.running) return;
      await this.close();
      await this.open();
    });
  }

  stop(): Promise<void> {
    return this.serialize(async () => {
      this.running = false;
      await this.close();
      for (const status of this.statuses.values()) this.setStatus(status.serverId, 'stopped', 'the live catalog is stopped');
    });
  }

  /** Settles when no live job is queued or running (tests). */
  async idle(): Promise<void> {
    await this.turn;
    await this.live?.idle();
  }

  /** Whether a detail pass is under way (the settings show it). */
  get detailsRunning(): boolean {
    return this.details?.passing === true;
  }

  /** The detail pass setting changed: start or stop the background pass to match (once the live catalog runs). */
  detailSettingChanged(): Promise<void> {
    return this.serialize(async () => {
      await this.stopDetails();
      if (this.running && this.live !== null) this.startDetails(this.live);
    });
  }

  /** Settles when no detail pass runs (tests). */
  async detailsIdle(): Promise<void> {
    await this.turn;
    await this.details?.idle();
  }

  state(): LiveState {
    return { running: this.running, servers: [...this.statuses.values()].map((status) => ({ ...status })), recent: [...this.recent] };
  }

  private serialize(step: () => void | Promise<void>): Promise<void> {
    const next = this.turn.then(step);
    this.turn = next.catch(() => undefined);
    return next;
  }

  /** Never throws: a server that cannot be listened to (its token unreadable) must not keep the app from starting. */
  private async open(): Promise<void> {
    const servers = listServers(this.deps.usecases).filter((server) => server.active);
    const previous = this.statuses;
    this.statuses = new Map(
      servers.map((server) => [
        server.id,
        {
          serverId: server.id,
          serverName: server.name,
          mode: 'connecting',
          detail: 'opening the notification socket',
          lastChangeAt: previous.get(server.id)?.lastChangeAt ?? null,
        },
      ]),
    );
    const byName = new Map(servers.map((server) => [server.name, server]));
    const { details: _pace, ...liveOptions } = this.deps.options ?? {};
    const live = createLiveCatalog(this.deps.usecases, servers, {
      // Other processes (and this app's BUSY answers) name the live jobs by who runs them.
      program: APP_PROGRAM,
      ...liveOptions,
      notify: (notice) => this.notice(notice, byName),
    });
    this.live = live;
    try {
      // Each server starts on its own: one whose token cannot be read says so, the others go live.
      live.start();
      this.startDetails(live);
    } catch (error) {
      this.live = null;
      await live.stop();
      for (const status of this.statuses.values()) this.setStatus(status.serverId, 'stopped', `not listening: ${describeError(error)}`);
    }
  }

  private async close(): Promise<void> {
    await this.stopDetails();
    const live = this.live;
    this.live = null;
    await live?.stop();
  }

  /** The opt-in detail pass over the active servers, after every live job (null while the setting is off). */
  private startDetails(live: LiveCatalog): void {
    const servers = live.servers.filter((server) => server.failed === null).map((server) => server.server);
    const pace = this.deps.options?.details ?? {};
    this.details = createDetailRunner(this.deps.usecases, {
      servers,
      isBusy: () => live.busy,
      ...pace,
      notify: (notice) => this.detailNotice(notice),
    });
    this.details?.start();
  }

  private async stopDetails(): Promise<void> {
    const details = this.details;
    this.details = null;
    await details?.stop();
  }

  /** A failed pass is said on the server's line; the settings read progress from the catalog. */
  private detailNotice(notice: DetailNotice): void {
    if (notice.type !== 'details-done') return;
    for (const server of notice.report.servers) {
      if (server.error === undefined) continue;
      const status = this.statuses.get(server.serverId);
      if (status !== undefined && SIGNED_OUT.test(server.error))
        this.setStatus(server.serverId, 'signed-out', 'Plex refuses the saved token: sign in again');
    }
  }

  private notice(notice: LiveNotice, servers: ReadonlyMap<string, ServerSummary>): void {
    if (notice.type === 'waiting' || notice.type === 'batch') return;
    const server = servers.get(notice.server);
    // A notice of a live catalog being replaced (its servers changed) is not news any more.
    if (server === undefined || this.statuses.get(server.id) === undefined) return;
    switch (notice.type) {
      case 'mode':
        // Plex refusing the token outlasts the socket's comings and goings until a socket delivers again.
        if (this.statuses.get(server.id)?.mode === 'signed-out' && notice.mode !== 'live') return;
        this.setStatus(server.id, notice.mode, notice.detail);
        return;
      case 'error':
        if (SIGNED_OUT.test(notice.message)) this.setStatus(server.id, 'signed-out', 'Plex refuses the saved token: sign in again');
        return;
      case 'sync':
        return;
      case 'change':
        this.addChange(server, notice.library, notice.change, notice.item, 0);
        return;
      case 'more-changes':
        this.addChange(server, notice.library, notice.change, null, notice.count);
        return;
    }
  }

  private addChange(
    server: ServerSummary,
    libraryTitle: string,
    change: LiveChange['change'],
    item: LiveChange['item'],
    more: number,
  ): void {
    const at = this.deps.clock();
    const entry: LiveChange = { seq: ++this.seq, at, serverId: server.id, serverName: server.name, libraryTitle, change, item, more };
    this.recent.unshift(entry);
    if (this.recent.length > LIVE_FEED_LIMIT) this.recent.length = LIVE_FEED_LIMIT;
    const status = this.statuses.get(server.id);
    if (status !== undefined) {
      status.lastChangeAt = at;
      this.deps.events.emit('live:status', { ...status });
    }
    this.deps.events.emit('live:change', entry);
  }

  private setStatus(serverId: number, mode: LiveIndicator, detail: string): void {
    const status = this.statuses.get(serverId);
    if (status === undefined || (status.mode === mode && status.detail === detail)) return;
    status.mode = mode;
    status.detail = detail;
    this.deps.events.emit('live:status', { ...status });
  }
}
