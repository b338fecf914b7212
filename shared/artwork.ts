// The image address every side agrees on: what the renderer asks for (an item's poster or background at a
// size), written into a URL, and the strict reading of it that main and the preview apply before answering.
// Pure: the Electron handler, the preview server and the renderer all use these functions.

export const ARTWORK_ROLES = ['poster', 'background'] as const;
export type ArtworkRole = (typeof ARTWORK_ROLES)[number];

/** Largest side a request may ask for, in device pixels (a 4K background is 3840 wide). */
export const ARTWORK_MAX_SIDE = 4096;

/** An item's image at a size: all an image URL ever carries (never a server, a path or a token). */
export interface ArtworkRequest {
  /** The catalog's item id. */
  itemId: number;
  role: ArtworkRole;
  /** Device pixels, 1..ARTWORK_MAX_SIDE. */
  width: number;
  height: number;
}

/** The privileged scheme the desktop app registers (`marquee-image://item/42/poster/240x360`). */
export const ARTWORK_SCHEME = 'marquee-image';
const PROTOCOL_HOST = 'item';

export function isArtworkRole(value: string): value is ArtworkRole {
  return (ARTWORK_ROLES as readonly string[]).includes(value);
}

/** `42/poster/240x360`: the part of every image URL that names the image. */
export function artworkPath(request: ArtworkRequest): string {
  return `${request.itemId}/${request.role}/${request.width}x${request.height}`;
}

// Digits only, no leading zero, bounded length: nothing to normalise, so one request has exactly one URL.
const PATH_PATTERN = /^([1-9][0-9]{0,14})\/([a-z]+)\/([1-9][0-9]{0,3})x([1-9][0-9]{0,3})$/;

/** Reads `42/poster/240x360`; null for anything else (out-of-range numbers, unknown roles, extra segments). */
export function parseArtworkPath(path: string): ArtworkRequest | null {
  const match = PATH_PATTERN.exec(path);
  if (match === null) return null;
  const [, id = '', role = '', width = '', height = ''] = match;
  const itemId = Number(id);
  const request = { itemId, width: Number(width), height: Number(height) };
  if (!Number.isSafeInteger(itemId) || !isArtworkRole(role)) return null;
  if (request.width > ARTWORK_MAX_SIDE || request.height > ARTWORK_MAX_SIDE) return null;
  return { ...request, role };
}

/** The desktop app's image URL. */
export function artworkProtocolUrl(request: ArtworkRequest): string {
  return `${ARTWORK_SCHEME}://${PROTOCOL_HOST}/${artworkPath(request)}`;
}

/**
 * The strict reading of a `marquee-image://` URL: the scheme, the host `item`, a path of exactly
 * `/{itemId}/{role}/{width}x{height}`, and nothing else (no user, port, query or fragment). Null otherwise.
 */
export function parseArtworkProtocolUrl(url: string): ArtworkRequest | null {
  const prefix = `${ARTWORK_SCHEME}://${PROTOCOL_HOST}/`;
  // Compared as text before any URL parsing: parsers normalise (case, dots, escapes) in ways a check must not.
  if (!url.startsWith(prefix)) return null;
  return parseArtworkPath(url.slice(prefix.length));
}
