// The notification socket of the simulated server: `/:/websockets/notifications`, as python-plexapi's
// AlertListener opens it (plexapi/alert.py: `key = '/:/websockets/notifications'`, every frame is JSON whose
// root is `NotificationContainer`). Library mutations (library.ts `watch`) become the messages a real PMS sends:
//
//   {"NotificationContainer":{"type":"timeline","size":1,"TimelineEntry":[{"identifier":"com.plexapp.plugins.library",
//     "sectionID":"1","itemID":"1234","type":1,"title":"…","state":5,"updatedAt":1700000000}]}}
//
// TimelineEntry fields as other clients decode them (a .NET Plex driver's `TimelineEntry(identifier, itemID,
// metadataState, sectionID, state, type, updatedAt, title)`; python-plexapi's alert.py documents the states
// for identifier com.plexapp.plugins.library: 0 created, 1 progress, 2 matching, 3 downloading, 4 processing,
// 5 processed, 9 deleted). A new item goes out as state 0 then 5, an edit as 5, a removal as 9.
// Scans and refreshes are `activity` messages (`ActivityNotification[{event: started|updated|ended, uuid,
// Activity{uuid, type: 'library.update.section' | 'library.refresh.items', cancellable, userID, title, subtitle,
// progress, Context}}]`): the field set of frames recorded from a real server (Tautulli-Issues #174, where an item
// refresh's Context is `{key: '/library/metadata/…'}`); scans carry `Context.librarySectionID`, which clients
// that wait for scans read (not a specification: inferred from recordings and clients).
//
// Hostile options, each off by default (see the simulator's section of the README): refuse the upgrade, accept
// and stay silent (a proxy that passes the upgrade but no frames), cut every socket after N messages, stall it
// (open but carrying nothing, as a NAT that forgot it), skip events, send unknown message types and malformed
// frames.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { SIM_TYPE_NUMBER, type SimChange, type SimLibraryImpl } from './library.js';
import { acceptUpgrade, SimWebSocket } from './websocket.js';

export const NOTIFICATIONS_PATH = '/:/websockets/notifications';

export interface SimNotificationOptions {
  /** Answer the upgrade with 404 (a reverse proxy or relay that does not pass WebSockets). */
  refuse?: boolean;
  /** Accept the socket but never send a frame (a proxy that buffers or drops them). */
  silent?: boolean;
  /** Cut each socket (no close frame) once it has carried this many messages. */
  dropAfterMessages?: number;
  /**
   * Each socket goes silent without closing once it has carried this many messages: frames, pongs and close frames
   * stop, the connection stays up (a NAT or proxy that forgot the connection). A client only learns by asking.
   */
  stallAfterMessages?: number;
  /** The first N item changes are never announced (events lost for no visible reason). */
  skipEvents?: number;
  /** Before every message, one of an unknown type and one JSON that is no NotificationContainer. */
  unknownTypes?: boolean;
  /** Before every message, a text frame that is not JSON and a binary frame. */
  malformedFrames?: boolean;
  /** WebSocket ping frames this often (a real PMS keeps idle sockets alive). Default: none. */
  pingIntervalMs?: number;
  /** Most TimelineEntry per message: a big scan's entries arrive grouped. Default 100. */
  entriesPerMessage?: number;
}

/** What the socket side logs, for tests: never a token. */
export interface SimSocketLog {
  /** 101 accepted, 401 bad token, 404 refused. */
  status: number;
  query: Record<string, string>;
}

interface TimelineEntry {
  identifier: string;
  sectionID: string;
  itemID: string;
  type: number;
  title: string;
  state: number;
  updatedAt: number;
}

const STATE: Record<SimChange['change'], number[]> = { created: [0, 5], updated: [5], deleted: [9] };

export class NotificationHub {
  readonly sockets = new Set<SimWebSocket>();
  readonly log: SimSocketLog[] = [];
  /** Messages sent, over all sockets (each socket counts its own for dropAfterMessages). */
  messagesSent = 0;
  private readonly sentBySocket = new Map<SimWebSocket, number>();
  private pending: TimelineEntry[] = [];
  /** What the next scan of a section finds (files dropped in since): mutations run during the scan. */
  private readonly staged = new Map<string, (() => void)[]>();
  private flushScheduled = false;
  private skipLeft: number;
  private readonly unwatch: () => void;
  private readonly pinger: NodeJS.Timeout | undefined;

  constructor(
    private readonly lib: SimLibraryImpl,
    private readonly authorize: (req: IncomingMessage, params: URLSearchParams) => boolean,
    readonly options: SimNotificationOptions = {},
  ) {
    this.skipLeft = Math.max(0, Math.floor(options.skipEvents ?? 0));
    this.unwatch = lib.watch((change) => this.announce(change));
    if (options.pingIntervalMs !== undefined && options.pingIntervalMs > 0) {
      this.pinger = setInterval(() => {
        for (const socket of this.sockets) socket.ping();
      }, options.pingIntervalMs);
      this.pinger.unref();
    }
  }

  /** The HTTP server's 'upgrade' event. */
  upgrade(req: IncomingMessage, socket: Duplex, path: string, params: URLSearchParams): void {
    const query: Record<string, string> = {};
    for (const [name, value] of params) query[name] = name.toLowerCase() === 'x-plex-token' ? 'REDACTED' : value;
    const refuse = (status: number, text: string): void => {
      this.log.push({ status, query });
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n`);
    };
    if (path !== NOTIFICATIONS_PATH || this.options.refuse === true) return refuse(404, 'Not Found');
    if (!this.authorize(req, params)) return refuse(401, 'Unauthorized');
    if (!acceptUpgrade(req, socket)) return;
    this.log.push({ status: 101, query });
    const ws: SimWebSocket = new SimWebSocket(socket, () => {
      this.sockets.delete(ws);
      this.sentBySocket.delete(ws);
    });
    this.sockets.add(ws);
    this.sentBySocket.set(ws, 0);
  }

  /** The next `count` item changes are not announced. */
  skipNext(count: number): void {
    this.skipLeft += Math.max(0, Math.floor(count));
  }

  /**
   * Sends `message` (any JSON) to every socket as it is: entries a real server sends for its own reasons, such as
   * state 9 for an item a re-match deletes and re-creates, which is still there when the client looks.
   */
  inject(message: object): void {
    this.broadcast(message);
  }

  /** Every open socket goes silent without closing (see stallAfterMessages); sockets opened later work. */
  stallAll(): void {
    for (const socket of this.sockets) socket.stall();
  }

  /** Cuts every open socket without a close frame (a network drop, a server restart). */
  dropAll(): void {
    for (const socket of [...this.sockets]) socket.destroy();
  }

  /** `change` (a library mutation) happens during the next scan of the section, not now. */
  stageForScan(sectionKey: string, change: () => void): void {
    this.staged.set(sectionKey, [...(this.staged.get(sectionKey) ?? []), change]);
  }

  /** A library scan, as GET /library/sections/{key}/refresh starts it: activity started, what it finds, ended. */
  scan(sectionKey: string, title: string): void {
    const uuid = randomUUID();
    this.broadcast(activity('started', uuid, 'library.update.section', `Scanning ${title}`, { librarySectionID: sectionKey }));
    const findings = this.staged.get(sectionKey) ?? [];
    this.staged.delete(sectionKey);
    for (const change of findings) change();
    this.flush();
    this.broadcast(activity('ended', uuid, 'library.update.section', `Scanning ${title}`, { librarySectionID: sectionKey }));
  }

  /** PUT /library/metadata/{key}/refresh: activity around the item's refresh (its timeline entry comes from the edit). */
  refreshItem(ratingKey: string, refresh: () => void): void {
    const uuid = randomUUID();
    // As recorded (Tautulli-Issues #174): an item refresh names the item, not its section.
    const context = { key: `/library/metadata/${ratingKey}` };
    this.broadcast(activity('started', uuid, 'library.refresh.items', 'Refreshing', context));
    refresh();
    this.flush();
    this.broadcast(activity('ended', uuid, 'library.refresh.items', 'Refreshing', context));
  }

  close(): void {
    this.unwatch();
    if (this.pinger !== undefined) clearInterval(this.pinger);
    this.dropAll();
  }

  private announce(change: SimChange): void {
    if (this.skipLeft > 0) {
      this.skipLeft--;
      return;
    }
    for (const state of STATE[change.change]) {
      this.pending.push({
        identifier: 'com.plexapp.plugins.library',
        sectionID: change.sectionKey,
        itemID: change.ratingKey,
        type: SIM_TYPE_NUMBER[change.type],
        title: change.title,
        state,
        updatedAt: this.lib.now(),
      });
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // Mutations made in one go (a scan, touchEpisodes) leave as grouped messages, as a real server's do.
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const entries = this.pending;
    this.pending = [];
    const size = Math.max(1, Math.floor(this.options.entriesPerMessage ?? 100));
    for (let i = 0; i < entries.length; i += size) {
      const group = entries.slice(i, i + size);
      this.broadcast({ NotificationContainer: { type: 'timeline', size: group.length, TimelineEntry: group } });
    }
  }

  private broadcast(message: object): void {
    if (this.options.silent === true) return;
    const text = JSON.stringify(message);
    for (const socket of [...this.sockets]) {
      if (this.options.unknownTypes === true) {
        this.sendCounted(socket, () =>
          socket.sendText(JSON.stringify({ NotificationContainer: { type: 'marquee.sim.unknown', size: 1 } })),
        );
        this.sendCounted(socket, () => socket.sendText(JSON.stringify({ somethingElse: true })));
      }
      if (this.options.malformedFrames === true) {
        this.sendCounted(socket, () => socket.sendText('{"NotificationContainer": {"type": "timeline", '));
        this.sendCounted(socket, () => socket.sendBinary(Buffer.from([0xff, 0xfe, 0x7b])));
      }
      this.sendCounted(socket, () => socket.sendText(text));
    }
  }

  private sendCounted(socket: SimWebSocket, send: () => void): void {
    if (socket.closed || socket.stalled) return;
    send();
    this.messagesSent++;
    const sent = (this.sentBySocket.get(socket) ?? 0) + 1;
    this.sentBySocket.set(socket, sent);
    const limit = this.options.dropAfterMessages;
    if (limit !== undefined && sent >= limit) socket.cut();
    const stallAt = this.options.stallAfterMessages;
    if (stallAt !== undefined && sent >= stallAt) socket.stall();
  }
}

function activity(event: 'started' | 'ended', uuid: string, type: string, title: string, context: Record<string, string>): object {
  return {
    NotificationContainer: {
      type: 'activity',
      size: 1,
      ActivityNotification: [
        {
          event,
          uuid,
          Activity: {
            uuid,
            type,
            cancellable: false,
            userID: 1,
            title,
            subtitle: '',
            progress: event === 'ended' ? 100 : 0,
            Context: context,
          },
        },
      ],
    },
  };
}
