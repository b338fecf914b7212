// Decodes the frames of Plex's notification socket (`/:/websockets/notifications`). Pure: no socket, no catalog.
//
// Sources for the shapes: python-plexapi `plexapi/alert.py` (every frame is JSON with a `NotificationContainer`
// root; timeline states for identifier `com.plexapp.plugins.library`: 0 created, 1 progress, 2 matching,
// 3 downloading, 4 processing metadata, 5 processed, 9 deleted), clients that type the entries (a .NET Plex
// driver: `TimelineEntry(identifier, itemID, metadataState, sectionID, state, type, updatedAt, title)`, ids as
// numbers; Tautulli and Plex Web read them as strings: both are accepted), and `activity` messages
// (`ActivityNotification[{event: started|updated|ended, uuid, Activity{uuid, type, cancellable, userID, title,
// subtitle, progress, Context}}]`, as recorded from a real server in Tautulli-Issues #174; clients that follow
// scans match `type === 'library.update.section'`, `event === 'ended'` and `Context.librarySectionID`, sometimes
// a number). `library.refresh.items` activities also fire when someone merely browses in Plex Web
// (PlexKodiConnect PR #2027): they never start a sync here. The socket URL with `X-Plex-Token` in the query is
// what Plex Web itself opens (plex-for-kodi #40). Anything else is counted and ignored, never fatal.

export type LiveEvent =
  /** An item finished processing (state 5): fetch it. */
  | { kind: 'processed'; itemId: string; sectionId: string | null }
  /** Plex says an item was deleted (state 9): confirm before removing. */
  | { kind: 'deleted'; itemId: string; sectionId: string | null }
  /** A library scan or refresh ended: an incremental sync of that library. */
  | { kind: 'scan-ended'; sectionId: string };

export type DecodedFrame =
  { kind: 'events'; events: LiveEvent[] } | { kind: 'unknown'; type: string } | { kind: 'malformed'; reason: string };

const STATE_PROCESSED = 5;
const STATE_DELETED = 9;
const LIBRARY_IDENTIFIER = 'com.plexapp.plugins.library';
/** A section scan; an item refresh (`library.refresh.items`) reports its result as its own timeline entry. */
const SCAN_ACTIVITY = 'library.update.section';

/**
 * Types a PMS sends that carry nothing for a catalog (playback, transcoder, settings, butler, reachability):
 * known, so not counted as unknown.
 */
const KNOWN_OTHER_TYPES = new Set([
  'playing',
  'status',
  'progress',
  'reachability',
  'preference',
  'backgroundProcessingQueue',
  'account',
  'update.statechange',
  'transcodeSession.start',
  'transcodeSession.update',
  'transcodeSession.end',
  'provider.content.change',
  'ping',
]);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Plex ids arrive as numbers or strings; only whole numbers are rating keys and section ids. */
function idOf(value: unknown): string | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  return /^\d+$/.test(text) ? text : null;
}

export function decodeFrame(text: string | null): DecodedFrame {
  if (text === null) return { kind: 'malformed', reason: 'a binary or undecodable frame' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  const container = isObject(parsed) ? parsed.NotificationContainer : undefined;
  if (!isObject(container)) return { kind: 'malformed', reason: 'no NotificationContainer' };
  const type = typeof container.type === 'string' ? container.type : '';
  if (type === 'timeline') return timelineEvents(container.TimelineEntry);
  if (type === 'activity') return activityEvents(container.ActivityNotification);
  if (KNOWN_OTHER_TYPES.has(type)) return { kind: 'events', events: [] };
  return { kind: 'unknown', type: type === '' ? '(none)' : type.slice(0, 60) };
}

function timelineEvents(entries: unknown): DecodedFrame {
  if (!Array.isArray(entries)) return { kind: 'malformed', reason: 'timeline without TimelineEntry[]' };
  const events: LiveEvent[] = [];
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    // Other identifiers (plugins, channels) are not library items.
    if (entry.identifier !== undefined && entry.identifier !== LIBRARY_IDENTIFIER) continue;
    const itemId = idOf(entry.itemID);
    if (itemId === null) continue;
    const sectionId = idOf(entry.sectionID);
    if (entry.state === STATE_PROCESSED) events.push({ kind: 'processed', itemId, sectionId });
    else if (entry.state === STATE_DELETED) events.push({ kind: 'deleted', itemId, sectionId });
  }
  return { kind: 'events', events };
}

function activityEvents(notifications: unknown): DecodedFrame {
  if (!Array.isArray(notifications)) return { kind: 'malformed', reason: 'activity without ActivityNotification[]' };
  const events: LiveEvent[] = [];
  for (const notification of notifications) {
    if (!isObject(notification) || notification.event !== 'ended' || !isObject(notification.Activity)) continue;
    const activity = notification.Activity;
    if (activity.type !== SCAN_ACTIVITY) continue;
    const sectionId = isObject(activity.Context) ? idOf(activity.Context.librarySectionID) : null;
    if (sectionId !== null) events.push({ kind: 'scan-ended', sectionId });
  }
  return { kind: 'events', events };
}
