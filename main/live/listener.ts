// One server's notification socket: connects, reconnects with backoff and jitter, and says which mode the
// server is in. After every (re)connect the owner runs an incremental sync (events are lost while away). When
// the socket cannot be had (refused upgrades, a relay, a proxy that drops it) or stays silent (a proxy that
// passes the upgrade but no frames), the server falls back to polling until a socket delivers again.
import { backoffDelay, type LiveTimers } from './timers.js';

export type LiveMode = 'connecting' | 'live' | 'reconnecting' | 'polling' | 'stopped';

export interface SocketHandlers {
  open(): void;
  /** A text frame's text; null for a binary or undecodable frame. */
  message(text: string | null): void;
  /** The socket is gone (closed cleanly, dropped, or never opened). */
  close(code: number): void;
}

export interface LiveSocketHandle {
  close(): void;
}

/** Opens a WebSocket to `url`. The URL carries the token: never log it (see redactSocketUrl). */
export type SocketFactory = (url: string, handlers: SocketHandlers) => LiveSocketHandle;

/**
 * Node 22's global WebSocket (undici). It cannot send custom headers, so the token travels as the
 * X-Plex-Token query parameter, which Plex accepts as it does on any request. Server pings are answered by it.
 */
export const nodeSocketFactory: SocketFactory = (url, handlers) => {
  const socket = new WebSocket(url);
  let gone = false;
  const close = (code: number): void => {
    if (gone) return;
    gone = true;
    handlers.close(code);
  };
  socket.addEventListener('open', () => handlers.open());
  socket.addEventListener('message', (event: MessageEvent) => handlers.message(typeof event.data === 'string' ? event.data : null));
  socket.addEventListener('close', (event) => close('code' in event && typeof event.code === 'number' ? event.code : 1006));
  // Node 22's client fires 'error' without 'close' when the upgrade is refused (a 404 from a proxy): both end it.
  socket.addEventListener('error', () => close(1006));
  return { close: () => socket.close() };
};

/** ws(s)://host:port/:/websockets/notifications?X-Plex-Token=… for a server's http(s) URL. */
export function notificationSocketUrl(serverUrl: string, token: string | undefined): string {
  const url = new URL(serverUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/:/websockets/notifications`;
  url.search = '';
  url.hash = '';
  if (token !== undefined && token !== '') url.searchParams.set('X-Plex-Token', token);
  return url.href;
}

/** The URL without its query (where the token is): what may be shown. */
export function redactSocketUrl(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  return parsed.href;
}

export interface ListenerOptions {
  url: string;
  socketFactory: SocketFactory;
  timers: LiveTimers;
  random?: () => number;
  /** First reconnect delay. Default 1000 ms. */
  backoffBaseMs?: number;
  /** Longest reconnect delay. Default 60 s. */
  backoffMaxMs?: number;
  /** Failed connects in a row before polling starts. Default 2. */
  failuresBeforePolling?: number;
  /** Polling: an incremental sync this often. Default 5 minutes. */
  pollMs?: number;
  /** An open socket that carried nothing this long is treated as silent: polling until it speaks. Default 15 min. */
  silenceMs?: number;
  /**
   * Keep-alive: after this long without a frame, `probe` asks the server whether the socket may have missed
   * something. Node's WebSocket cannot send pings (it only answers the server's), so a connection a NAT or proxy
   * dropped without a word stays "open" for ever; a cheap request is how to notice. Default 5 min.
   */
  probeAfterMs?: number;
  /** 'stale': the server changed while the socket said nothing (or could not be asked): reconnect and catch up. */
  probe?: () => Promise<'fresh' | 'stale'>;
  onFrame(text: string | null): void;
  /** The socket opened: catch up with an incremental sync. */
  onConnected(): void;
  /** Polling mode's tick: an incremental sync. */
  onPoll(): void;
  onMode(mode: LiveMode, detail: string): void;
}

export const DEFAULT_POLL_MS = 5 * 60_000;
export const DEFAULT_SILENCE_MS = 15 * 60_000;
export const DEFAULT_PROBE_AFTER_MS = 5 * 60_000;

export class ServerListener {
  private mode: LiveMode = 'connecting';
  private socket: LiveSocketHandle | null = null;
  private failures = 0;
  private heard = false;
  private cancelReconnect: (() => void) | null = null;
  private cancelPoll: (() => void) | null = null;
  private cancelSilence: (() => void) | null = null;
  private cancelProbe: (() => void) | null = null;

  constructor(private readonly options: ListenerOptions) {}

  get currentMode(): LiveMode {
    return this.mode;
  }

  start(): void {
    this.setMode('connecting', 'opening the notification socket');
    this.connect();
  }

  stop(): void {
    this.setMode('stopped', 'stopped');
    for (const cancel of [this.cancelReconnect, this.cancelPoll, this.cancelSilence, this.cancelProbe]) cancel?.();
    this.cancelReconnect = this.cancelPoll = this.cancelSilence = this.cancelProbe = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close();
  }

  private connect(): void {
    this.cancelReconnect = null;
    if (this.mode === 'stopped') return;
    let opened = false;
    let handle: LiveSocketHandle | null = null;
    const current = (): boolean => this.socket === handle && handle !== null;
    handle = this.options.socketFactory(this.options.url, {
      open: () => {
        if (!current()) return;
        opened = true;
        this.opened();
      },
      message: (text) => {
        if (!current()) return;
        this.heard = true;
        if (this.mode === 'polling') this.leavePolling('the socket delivers notifications');
        this.armProbe();
        this.options.onFrame(text);
      },
      close: (code) => {
        if (!current()) return;
        this.socket = null;
        this.closed(opened, code);
      },
    });
    this.socket = handle;
  }

  private opened(): void {
    this.failures = 0;
    this.heard = false;
    // A socket that opens again ends polling; one that stays silent brings it back (the silence timer).
    if (this.mode === 'polling') this.leavePolling('the notification socket is open again');
    else this.setMode('live', 'notification socket open');
    this.cancelSilence?.();
    this.cancelSilence = this.options.timers.after(this.options.silenceMs ?? DEFAULT_SILENCE_MS, () => {
      this.cancelSilence = null;
      if (!this.heard && this.socket !== null) this.enterPolling('the socket opened but carries no notifications');
    });
    this.armProbe();
    this.options.onConnected();
  }

  /** (Re)starts the keep-alive wait: a frame or a fresh probe pushes the next probe back. */
  private armProbe(): void {
    this.cancelProbe?.();
    this.cancelProbe = null;
    const probe = this.options.probe;
    if (probe === undefined || this.socket === null) return;
    const socket = this.socket;
    this.cancelProbe = this.options.timers.after(this.options.probeAfterMs ?? DEFAULT_PROBE_AFTER_MS, () => {
      this.cancelProbe = null;
      // Polling covers a silent socket already; a socket replaced meanwhile has its own timer.
      if (this.socket !== socket || this.mode !== 'live') return;
      void probe()
        .catch((): 'stale' => 'stale')
        .then((verdict) => {
          if (this.socket !== socket || this.mode === 'stopped') return;
          if (verdict === 'fresh') this.armProbe();
          else this.dropStale(socket);
        });
    });
  }

  /** The socket says nothing while the server moved on: close it and reconnect (the reconnect catches up). */
  private dropStale(socket: LiveSocketHandle): void {
    this.socket = null;
    socket.close();
    this.closed(true, 1006, 'the socket went quiet while the server changed');
  }

  private closed(opened: boolean, code: number, reason?: string): void {
    this.cancelSilence?.();
    this.cancelSilence = null;
    this.cancelProbe?.();
    this.cancelProbe = null;
    if (this.mode === 'stopped') return;
    this.failures = opened ? 1 : this.failures + 1;
    const threshold = this.options.failuresBeforePolling ?? 2;
    const why = reason ?? (opened ? `the socket closed (code ${code})` : 'the socket could not be opened');
    if (this.failures >= threshold) this.enterPolling(why);
    else if (this.mode !== 'polling') this.setMode('reconnecting', why);
    const delay = backoffDelay(
      this.failures,
      this.options.backoffBaseMs ?? 1_000,
      this.options.backoffMaxMs ?? 60_000,
      this.options.random ?? Math.random,
    );
    this.cancelReconnect = this.options.timers.after(delay, () => this.connect());
  }

  private enterPolling(why: string): void {
    if (this.mode === 'polling' || this.mode === 'stopped') return;
    this.setMode('polling', why);
    const tick = (): void => {
      this.cancelPoll = this.options.timers.after(this.options.pollMs ?? DEFAULT_POLL_MS, () => {
        if (this.mode !== 'polling') return;
        this.options.onPoll();
        tick();
      });
    };
    tick();
  }

  private leavePolling(why: string): void {
    this.cancelPoll?.();
    this.cancelPoll = null;
    this.setMode('live', why);
  }

  private setMode(mode: LiveMode, detail: string): void {
    if (this.mode === mode && mode !== 'connecting') return;
    this.mode = mode;
    this.options.onMode(mode, detail);
  }
}
