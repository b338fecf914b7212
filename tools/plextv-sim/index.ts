// The simulated plex.tv (account API) and the connection targets its resources point at.
export { startPlexTvSim, simMachineIdentifier } from './server.js';
export type { PlexTvSim, PlexTvSimOptions, PlexTvRequestLog, SimConnection, SimResource, SimUser } from './server.js';
export { startConnectionTargets, makeTestCertificate } from './targets.js';
export type { ConnectionTargets, TargetKind } from './targets.js';
