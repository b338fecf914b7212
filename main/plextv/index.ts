// Sign in with Plex: the plex.tv client, connection choice and the account-membership check.
export { PlexTvClient, buildAuthUrl, plexTvUrlFromEnv, PLEX_TV_URL, PLEX_AUTH_APP_URL } from './client.js';
export type { PlexTvClientOptions, WaitForPinOptions } from './client.js';
export { PlexTvError } from './errors.js';
export type { PlexTvErrorCode } from './errors.js';
export type { PinCheck, PinOutcome, PlexPin, PlexTvConnection, PlexTvServer, PlexTvUser } from './model.js';
export {
  chooseConnection,
  classifyNetworkFailure,
  connectionKind,
  explainProbeFailure,
  isPlexDirect,
  probeConnection,
  probeConnections,
  rankConnections,
  RELAY_ONLY_WARNING,
} from './connections.js';
export type { ConnectionChoice, ConnectionKind, ProbeFailure, ProbeFailureCode, ProbeOptions, ProbeResult } from './connections.js';
export { accountServerFor, ownershipNote } from './security.js';
export type { AccountMembership } from './security.js';
export { reprobeServer, FailoverError } from './failover.js';
export type { Reprobe, FailoverErrorCode } from './failover.js';
