// The one contract between the renderer and the main process. Main implements `Requests` (handlers,
// validated at runtime), preload exposes it as `window.marquee`, the renderer calls it. Types only, plus
// the name lists that make a missing or extra channel a compile error.
import type { ArtworkRequest } from './artwork.js';
import type {
  BrowseFacets,
  BrowseArtist,
  BrowseFilters,
  BrowsePage,
  BrowseSort,
  BrowseSeason,
  ChangedItem,
  DiscoveryCandidate,
  ItemDetails,
  ItemKind,
  LibrarySummary,
  LibrarySyncReport,
  MappingCandidate,
  MappingPreviewResult,
  NewServer,
  PathMapping,
  ServerSummary,
  SyncProgress,
  SyncReport,
} from './domain.js';
import type { QueueJob } from './jobs.js';
import type { ErrorCode } from './errors.js';

export interface ConnectionTest {
  ok: boolean;
  machineIdentifier: string | null;
  version: string | null;
  /** Why the server could not be reached or refused the token. */
  error: string | null;
  /** The failure's code (what the renderer picks a remedy by); null when `ok`. */
  errorCode: ErrorCode | null;
}

export interface SecretStorageStatus {
  kind: 'safe-storage' | 'key-file';
  /** Shown in the UI when the OS offers no encryption and the key file is used instead. */
  warning: string | null;
}

/** What a (re)loaded renderer needs to catch up with a sync started earlier. */
export interface SyncRunState {
  /** The running sync, else the last one since the app started; null before the first. */
  runId: string | null;
  running: boolean;
  /** Milliseconds since the epoch when `runId` started. */
  startedAt: number | null;
  /** A cancel was requested for the running sync (it stops at the next request or page). */
  cancelling: boolean;
  lastProgress: SyncProgress | null;
  /** Report of the last finished sync (null while the first one runs). */
  lastReport: SyncReport | null;
  /** The last finished sync was cancelled. */
  lastCancelled: boolean;
  /** The last finished sync failed as a whole (its report then lists nothing); null otherwise. */
  lastError: string | null;
  /** The code of `lastError`; null with it. */
  lastErrorCode: ErrorCode | null;
}

/**
 * One library's last sync as the catalog remembers it, also from before the app started: what the Sync
 * screen shows until a sync runs in this session.
 */
export interface PastLibrarySync {
  libraryId: number;
  serverId: number;
  serverName: string;
  libraryTitle: string;
  /** Epoch seconds. */
  syncedAt: number;
  outcome: 'ok' | 'failed' | 'cancelled';
  error: string | null;
  /** The full report when the catalog holds a readable one (fields older versions did not store are zero/empty). */
  report: LibrarySyncReport | null;
}

// ---- Sign in with Plex (issue 8) -----------------------------------------------------------------------
// No token ever crosses: the PIN code is what the user types or confirms at plex.tv, the auth URL holds only
// this installation's client identifier and that code. Account and server tokens stay in main.

export type ConnectionKind = 'local' | 'remote' | 'relay';

export interface AccountView {
  username: string;
  email: string | null;
  avatarUrl: string | null;
  /** Epoch seconds. */
  signedInAt: number | null;
}

/** A sign-in waiting for the user to approve its code at plex.tv. */
export interface SignInStarted {
  pinId: number;
  /** The code the user confirms at app.plex.tv (shown large). */
  code: string;
  /** Plex's page where the code is approved: https://app.plex.tv/auth#?clientID=…&code=… */
  authUrl: string;
  /** Epoch ms after which the code is no longer accepted. */
  expiresAt: number;
}

/** A catalogued server found through a Plex account. */
export interface AccountServerView {
  serverId: number;
  name: string;
  /** null: added by address and token (no account). */
  owned: boolean | null;
  /** Plex refused its token (401): its syncs are skipped until the account signs in again. */
  needsSignIn: boolean;
  connectionUri: string | null;
  connectionKind: ConnectionKind | null;
  connectionLatencyMs: number | null;
}

export interface AccountInfo {
  signedIn: boolean;
  account: AccountView | null;
  /** The sign-in under way in main, so a reloaded page can show its code again; null when none. */
  pendingSignIn: SignInStarted | null;
  /** Every catalogued server that came through a Plex account. */
  servers: AccountServerView[];
}

export interface ConnectionView {
  uri: string;
  kind: ConnectionKind;
  protocol: 'http' | 'https';
  /** null: never probed. */
  ok: boolean | null;
  latencyMs: number | null;
  /** A probe failure code (DNS_REBINDING, CERT_NAME_MISMATCH, REFUSED, TIMEOUT, OTHER_SERVER…). */
  failureCode: string | null;
  /** What went wrong and what to do, for people; null when it answered. */
  explanation: string | null;
}

export interface DiscoveredServerView {
  /** The server's machineIdentifier: what `account:addServers` takes. */
  id: string;
  name: string;
  owned: boolean;
  /** For shared servers: why local paths cannot be mapped. */
  ownershipNote: string | null;
  /** The name it already has in the catalog, or null. */
  cataloguedAs: string | null;
  chosen: { uri: string; kind: ConnectionKind; latencyMs: number } | null;
  /** Set when only the relay answers (slow, bandwidth-capped). */
  warning: string | null;
  connections: ConnectionView[];
}

export interface AddServersResult {
  added: { serverId: number; name: string; owned: boolean; connectionUri: string; libraries: number }[];
  refused: { id: string; name: string; reason: string }[];
}

export interface ServerConnectionsView {
  serverId: number;
  chosenUri: string | null;
  /** A different connection than before is now used. */
  switched: boolean;
  warning: string | null;
  connections: ConnectionView[];
}

/** How waiting for a PIN goes: a tick while waiting, then exactly one of the other states. */
export type SignInEvent = { pinId: number } & (
  | { state: 'waiting'; secondsLeft: number }
  | { state: 'approved'; account: AccountView; refreshedServers: string[]; refreshFailure: string | null }
  | { state: 'expired' }
  | { state: 'cancelled' }
  | { state: 'failed'; message: string }
);

/**
 * The bounds of every request input, written once: main's schemas (main/ipc/validators.ts) use them, and a
 * form may use them too (maxLength) so that the user is told before the request is refused. Strings are
 * counted in UTF-16 code units, as JavaScript's `length`.
 */
export const IPC_LIMITS = {
  /** Server names. */
  name: 200,
  url: 2048,
  token: 512,
  /** Path mapping prefixes. */
  prefix: 4096,
  /** `discovery:search` title and `browse:search` query. */
  searchText: 200,
  /** `browse:search` kind, genre, content rating and resolution: values the catalog holds. */
  filterValue: 500,
  ratingKey: 100,
  runId: 100,
  /** `browse:search` limit (at least 1). */
  pageSize: 500,
  /** `browse:search` offset. */
  offset: 1_000_000_000,
  /** `mappings:preview` sampleSize (at least 0; 20 when left out). */
  previewSamples: 200,
  /** A Plex machine identifier (`account:addServers` ids): letters, digits and '-'. */
  machineIdentifier: 100,
  /** `account:addServers` ids (at least 1). */
  serversPerAdd: 100,
} as const;

/**
 * Inputs are validated in main (main/ipc/validators.ts, whose schemas tsc checks against these types in both
 * directions) and refused with INVALID_INPUT when they carry unknown keys, non-integer or non-positive ids, or
 * strings and numbers beyond IPC_LIMITS. Inputs without fields are `{}`.
 *
 * One queue per catalog (issue 9): catalog edits (`servers:add|update|remove`, `libraries:setEnabled`,
 * `mappings:add|update|remove`) wait their turn and run between two pages of a running sync of any process;
 * they answer BUSY only when no safe point came within 30 s (naming the job). A sync started while another
 * process's job runs waits in the queue (`jobs:list` shows it). The app runs one job of its own at a time:
 * `sync:start` and `discovery:import` answer BUSY while its own sync or import runs, as do
 * `account:startSignIn|signOut|addServers`, `servers:useConnection` and `servers:connections` with `probe`.
 * Every read keeps working.
 */
export interface Requests {
  'app:info': (input: Record<string, never>) => { version: string; secretStorage: SecretStorageStatus };
  'servers:list': (input: Record<string, never>) => ServerSummary[];
  /**
   * Tests identity and token before saving; a refused token is UNAUTHORIZED, an unreachable server
   * UNREACHABLE, a name or Plex server already catalogued CONFLICT: each saves nothing. On success the
   * server's libraries are listed at once (`libraries:list`), before any sync.
   */
  'servers:add': (input: NewServer) => ServerSummary;
  /** A new URL or token is tested first, like `servers:add`; a URL now answering as another Plex server is CONFLICT. */
  'servers:update': (input: { id: number; name?: string; url?: string; token?: string; active?: boolean }) => ServerSummary;
  'servers:remove': (input: { id: number }) => { removed: boolean };
  /** Connection problems are a result (`ok: false`, `error`), not a failure; NOT_FOUND for an unknown id. */
  'servers:test': (input: { id: number }) => ConnectionTest;
  'libraries:list': (input: { serverId?: number }) => LibrarySummary[];
  'libraries:setEnabled': (input: { libraryId: number; enabled: boolean }) => LibrarySummary;
  'mappings:list': (input: { serverId?: number }) => PathMapping[];
  /** Adding, changing or removing a mapping re-resolves the local path of every stored file of the server. */
  'mappings:add': (input: { serverId: number; libraryId: number | null; plexPrefix: string; localPrefix: string }) => PathMapping;
  'mappings:update': (input: { id: number; libraryId?: number | null; plexPrefix?: string; localPrefix?: string }) => PathMapping;
  'mappings:remove': (input: { id: number }) => { removed: boolean };
  'mappings:preview': (input: {
    serverId: number;
    libraryId: number | null;
    candidate: MappingCandidate | null;
    /** The mapping being edited: previewed as if the candidate replaced it. */
    replacingId?: number;
    sampleSize?: number;
  }) => MappingPreviewResult;
  /**
   * Starts a sync in the background and answers at once; progress arrives as `sync:progress` events, the end
   * as `sync:finished` (always sent). No ids: every active server. `libraryId` alone is enough.
   */
  'sync:start': (input: { serverId?: number; libraryId?: number; full?: boolean }) => { runId: string };
  /** `cancelled: false` when that run is not running (finished already, or another id). */
  'sync:cancel': (input: { runId: string }) => { cancelled: boolean };
  'sync:state': (input: Record<string, never>) => SyncRunState;
  /** Each synced library's last sync, from the catalog (by server name, then library title). */
  'sync:history': (input: Record<string, never>) => PastLibrarySync[];
  'discovery:search': (input: { serverId: number; title: string; year?: number }) => DiscoveryCandidate[];
  /**
   * Imports one show and answers when done; its progress arrives as `import:progress` events. A show that
   * cannot be imported is a report with outcome 'failed' and its `error`, not a failure.
   */
  'discovery:import': (input: { serverId: number; ratingKey: string }) => LibrarySyncReport;
  /**
   * A page of the catalog, filtered and sorted (issue 10). No `kind`: every kind but seasons. `query`: title
   * words, the last one a prefix, diacritics and case ignored. Unknown values (a genre no item has) match nothing.
   */
  'browse:search': (
    input: BrowseFilters & {
      kind?: ItemKind;
      query?: string;
      sort?: BrowseSort;
      descending?: boolean;
      offset: number;
      limit: number;
    },
  ) => BrowsePage;
  /** What Browse's filters can offer: the servers, libraries, kinds, genres… the catalog holds. */
  'browse:facets': (input: Record<string, never>) => BrowseFacets;
  'browse:show': (input: { showId: number }) => BrowseSeason[];
  'browse:item': (input: { itemId: number }) => ItemDetails;
  /**
   * An artist's albums with their tracks (an audiobook author's books with their parts); `artistId` may also be
   * one of its albums or tracks.
   */
  'browse:artist': (input: { artistId: number }) => BrowseArtist;
  // The live catalog (issue 9): what each server's notification socket is doing, and the recent changes.
  'live:state': (input: Record<string, never>) => LiveState;
  'settings:get': (input: Record<string, never>) => AppSettings;
  /** Stores the given settings (the others keep their value) and answers all of them; BUSY while a job runs. */
  'settings:set': (input: { keepRunningInTray?: boolean; startAtLogin?: boolean; artworkCacheMb?: number }) => AppSettings;
  /** The opt-in detail pass (issue 10): on or off, how far each server is, and what the rest costs. */
  'details:state': (input: Record<string, never>) => DetailPassState;
  /** Switches the background detail pass on or off and answers its state; BUSY while a job of the app writes. */
  'details:set': (input: { enabled: boolean }) => DetailPassState;
  /** Asks Plex to scan a library's files (one folder with `path`); what it finds arrives as `live:change`. */
  'plex:scan': (input: { libraryId: number; path?: string }) => { libraryTitle: string; path: string | null };
  /** Asks Plex to refresh an item's metadata; the refreshed item arrives as `live:change`. */
  'plex:refresh': (input: { itemId: number }) => { ratingKey: string };
  /**
   * Asks plex.tv for a PIN and waits for its approval in the background (about one poll a second): progress and
   * the end arrive as `account:signin` events. A sign-in already under way is cancelled first.
   */
  'account:startSignIn': (input: Record<string, never>) => SignInStarted;
  /** Opens Plex's sign-in page for that PIN in the user's browser (the allow-listed opener: https plex.tv hosts only). */
  'account:openSignInPage': (input: { pinId: number }) => { opened: boolean };
  /** `cancelled: false` when that PIN is not being waited for (approved, expired or replaced already). */
  'account:cancelSignIn': (input: { pinId: number }) => { cancelled: boolean };
  'account:info': (input: Record<string, never>) => AccountInfo;
  /** Forgets the account token; the account's servers keep theirs (and their data). */
  'account:signOut': (input: Record<string, never>) => { wasSignedIn: boolean; username: string | null };
  /** The account's servers, each connection probed in parallel and the best one chosen. UNAUTHORIZED when not signed in. */
  'account:discover': (input: Record<string, never>) => DiscoveredServerView[];
  /** Adds these discovered servers (by id), each with its own token and chosen connection; refusals say why. */
  'account:addServers': (input: { ids: string[] }) => AddServersResult;
  /**
   * A server's known connections: as last probed, or probed now (`probe: true`, which may switch to a better
   * one). INVALID_INPUT for a server added by address (it has one URL only).
   */
  'servers:connections': (input: { id: number; probe?: boolean }) => ServerConnectionsView;
  /** Switches to one of the server's known connections after checking it answers as that server. */
  'servers:useConnection': (input: { id: number; uri: string }) => ServerConnectionsView;
  /** The catalog's job queue, every process's: the running job first, then the waiting ones in turn order. */
  'jobs:list': (input: Record<string, never>) => QueueJob[];
  /**
   * Asks one job to stop (that job alone; its owner stops it at its next safe point). `cancelled: false` when
   * it is no longer in the queue.
   */
  'jobs:cancel': (input: { id: number }) => { cancelled: boolean };
}

export interface Events {
  'sync:progress': SyncProgress & { runId: string };
  /**
   * Always sent once per run. `cancelled`: the user cancelled it (the report may list no library at all).
   * `error`: the run failed as a whole before any library report (e.g. the catalog could not be opened).
   */
  'sync:finished': { runId: string; report: SyncReport; cancelled: boolean; error: string | null; errorCode: ErrorCode | null };
  'import:progress': SyncProgress & { ratingKey: string };
  /** One change the live catalog wrote (or "and N more" of a sync it ran). */
  'live:change': LiveChange;
  /** A server's live indicator changed. */
  'live:status': LiveServerStatus;
  'account:signin': SignInEvent;
  /** The job queue changed (a job queued, started, yielded, ended or was asked to stop): the whole list. */
  'jobs:changed': { jobs: QueueJob[] };
}

export type RequestName = keyof Requests;
export type EventName = keyof Events;
export type RequestInput<N extends RequestName> = Parameters<Requests[N]>[0];
export type RequestOutput<N extends RequestName> = ReturnType<Requests[N]>;

export const REQUEST_NAMES = {
  'app:info': true,
  'servers:list': true,
  'servers:add': true,
  'servers:update': true,
  'servers:remove': true,
  'servers:test': true,
  'libraries:list': true,
  'libraries:setEnabled': true,
  'mappings:list': true,
  'mappings:add': true,
  'mappings:update': true,
  'mappings:remove': true,
  'mappings:preview': true,
  'sync:start': true,
  'sync:cancel': true,
  'sync:state': true,
  'sync:history': true,
  'discovery:search': true,
  'discovery:import': true,
  'browse:search': true,
  'browse:facets': true,
  'browse:show': true,
  'browse:item': true,
  'browse:artist': true,
  'live:state': true,
  'settings:get': true,
  'settings:set': true,
  'details:state': true,
  'details:set': true,
  'plex:scan': true,
  'plex:refresh': true,
  'account:startSignIn': true,
  'account:openSignInPage': true,
  'account:cancelSignIn': true,
  'account:info': true,
  'account:signOut': true,
  'account:discover': true,
  'account:addServers': true,
  'servers:connections': true,
  'servers:useConnection': true,
  'jobs:list': true,
  'jobs:cancel': true,
} as const satisfies Record<RequestName, true>;

export const EVENT_NAMES = {
  'sync:progress': true,
  'sync:finished': true,
  'import:progress': true,
  'live:change': true,
  'live:status': true,
  'account:signin': true,
  'jobs:changed': true,
} as const satisfies Record<EventName, true>;

/**
 * Errors cross IPC as data: Electron keeps only `message` of a thrown error. `code` is the category a caller
 * branches on (BUSY, UNAUTHORIZED…), part of the one vocabulary in shared/errors.ts.
 */
export type IpcErrorCode = Extract<
  ErrorCode,
  'INVALID_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'UNAUTHORIZED' | 'UNREACHABLE' | 'BUSY' | 'FAILED'
>;

export interface IpcFailure {
  code: IpcErrorCode;
  /**
   * The precise failure ('PLEX_NETWORK', 'CATALOG_BUSY'…; the category itself for the app's own refusals).
   * Every failure of main carries it; only the transports' own failures (the bridge or preview server not
   * answering) come without.
   */
  errorCode?: ErrorCode;
  message: string;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcFailure };

/** What preload exposes as `window.marquee`: every request returns the envelope; the renderer unwraps it. */
export interface MarqueeBridge {
  // contextBridge hands these functions to the page without their object: they never rely on `this`.
  invoke: <N extends RequestName>(name: N, input: RequestInput<N>) => Promise<IpcResult<RequestOutput<N>>>;
  on: <E extends EventName>(event: E, listener: (payload: Events[E]) => void) => () => void;
  /**
   * The URL an <img> loads an item's poster or background from: `marquee-image://…` in the app (main answers it),
   * the preview's keyed image route in a browser. It names the image only (shared/artwork.ts), never a server or
   * a token. Optional: a page on a bridge without it shows placeholders.
   */
  artworkUrl?: (request: ArtworkRequest) => string;
}

/** Electron channels: request `app:<name>` (e.g. `app:servers:add`), event `app-event:<name>`. */
export const IPC_CHANNEL_PREFIX = 'app:';
export const EVENT_CHANNEL_PREFIX = 'app-event:';

export function requestChannel(name: RequestName): string {
  return `${IPC_CHANNEL_PREFIX}${name}`;
}

export function eventChannel(name: EventName): string {
  return `${EVENT_CHANNEL_PREFIX}${name}`;
}

/** For names arriving from the other side of a process boundary (own keys only: no `toString`, `__proto__`). */
export function isRequestName(value: unknown): value is RequestName {
  return typeof value === 'string' && Object.hasOwn(REQUEST_NAMES, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(EVENT_NAMES, value);
}

/**
 * A server's live indicator: `live` (its notification socket delivers), `reconnecting`, `polling` (no socket:
 * an incremental sync every few minutes), `signed-out` (Plex refuses the token), `connecting` at start,
 * `stopped` when the live catalog is not running.
 */
export type LiveIndicator = 'connecting' | 'live' | 'reconnecting' | 'polling' | 'signed-out' | 'stopped';

export interface LiveServerStatus {
  serverId: number;
  serverName: string;
  mode: LiveIndicator;
  /** Why it is in that mode ("the socket could not be opened"); never a token. */
  detail: string;
  /** Milliseconds since the epoch of the last change written for this server; null before the first. */
  lastChangeAt: number | null;
}

export interface LiveChange {
  /** Increases with every change of this app session: a key, and the order of the feed. */
  seq: number;
  /** Milliseconds since the epoch. */
  at: number;
  serverId: number;
  serverName: string;
  libraryTitle: string;
  change: 'added' | 'updated' | 'removed';
  /** The item; null for an "and N more" line of a sync's report. */
  item: ChangedItem | null;
  /** How many more changes of this kind the line stands for (0 for an item). */
  more: number;
}

export interface LiveState {
  /** Whether the app runs the live catalog (the preview and Electron do; a bare service does not). */
  running: boolean;
  servers: LiveServerStatus[];
  /** The most recent changes, newest first (at most LIVE_FEED_LIMIT). */
  recent: LiveChange[];
}

/** How many changes `live:state` keeps for a reloaded page. */
export const LIVE_FEED_LIMIT = 200;

/**
 * The background detail pass: full metadata for HDR, Dolby Vision and audio/subtitle languages, which listings
 * leave out. Off by default; its cost is said before it is switched on.
 */
export interface DetailPassState {
  enabled: boolean;
  /** A pass is under way (or waiting for a sync to end). */
  running: boolean;
  /** One request per this many milliseconds. */
  requestIntervalMs: number;
  servers: { serverId: number; serverName: string; done: number; total: number }[];
  /** "About 1 request per 20 items (…): ~N requests for the M items left, ~K min at 1 request per 1 s." */
  cost: string;
}

/** The app's own settings, stored in the catalog. */
export interface AppSettings {
  /** Closing the window keeps Marquee running in the tray, so the catalog stays current. Off by default. */
  keepRunningInTray: boolean;
  /** Start Marquee (in the tray) when the user logs in. Off by default. */
  startAtLogin: boolean;
  /** The artwork cache's size cap on disk in megabytes (10 to 100,000; default 500): least recently shown go first. */
  artworkCacheMb: number;
}
