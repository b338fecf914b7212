// What Marquee reads from plex.tv, decoded and typed. Field names follow plex.tv's JSON where they are plain facts.

export interface PlexPin {
  id: number;
  /** The code the user confirms at app.plex.tv (a long one: the PIN was asked for with strong=true). */
  code: string;
  /** When plex.tv forgets the PIN, epoch ms on our clock (from `expiresIn`, which is immune to clock skew). */
  expiresAtMs: number;
}

export type PinCheck = { state: 'waiting'; secondsLeft: number } | { state: 'approved'; authToken: string } | { state: 'expired' };

/** How waiting for a PIN ended: the user approved it, it expired first, or we were cancelled. */
export type PinOutcome = { outcome: 'approved'; authToken: string } | { outcome: 'expired' } | { outcome: 'cancelled' };

export interface PlexTvUser {
  id: number;
  uuid: string;
  username: string;
  email: string | null;
  avatarUrl: string | null;
}

export interface PlexTvConnection {
  protocol: 'http' | 'https';
  address: string;
  port: number;
  uri: string;
  local: boolean;
  relay: boolean;
  ipv6: boolean;
}

/** A Plex Media Server of the account, owned or shared with it. */
export interface PlexTvServer {
  name: string;
  /** plex.tv's clientIdentifier of the resource, which is the server's machineIdentifier. */
  machineIdentifier: string;
  owned: boolean;
  /** The server's own token for this account; null when plex.tv sent none. Never logged. */
  accessToken: string | null;
  /** Whether the server's public address is the one we call from (same network, as plex.tv sees it). */
  publicAddressMatches: boolean;
  productVersion: string | null;
  connections: PlexTvConnection[];
}
