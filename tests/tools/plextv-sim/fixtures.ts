// A plex.tv account for tests: one owned server whose connections cover every case (works, refuses, hangs, wrong
// certificate, another server, relay), one shared server, and a player (not a server).
import {
  startConnectionTargets,
  startPlexTvSim,
  type ConnectionTargets,
  type PlexTvSim,
  type PlexTvSimOptions,
  type SimResource,
} from '../../../tools/plextv-sim/index.js';

export const HOME_ID = 'a'.repeat(40);
export const SHARED_ID = 'b'.repeat(40);
export const HOME_TOKEN = 'home-server-token-0123';
export const SHARED_TOKEN = 'shared-server-token-4567';
export const ACCOUNT_TOKEN = 'account-token-89abcdef';

export interface AccountWorld {
  plextv: PlexTvSim;
  targets: ConnectionTargets;
  close(): Promise<void>;
}

export async function startAccountWorld(options: PlexTvSimOptions = {}): Promise<AccountWorld> {
  const targets = await startConnectionTargets({ machineIdentifier: HOME_ID, token: HOME_TOKEN });
  const c = targets.connections;
  const resources: SimResource[] = [
    {
      name: 'Home',
      clientIdentifier: HOME_ID,
      provides: 'server',
      owned: true,
      accessToken: HOME_TOKEN,
      publicAddressMatches: true,
      connections: [c.relay, c.hangs, c.refuses, c.otherServer, c.tlsMismatch, c.works],
    },
    {
      name: 'Friend',
      clientIdentifier: SHARED_ID,
      provides: 'server',
      owned: false,
      accessToken: SHARED_TOKEN,
      publicAddressMatches: false,
      connections: [c.refuses],
    },
    {
      name: 'Living Room TV',
      clientIdentifier: 'player-1',
      provides: 'client,player',
      owned: true,
      accessToken: null,
      publicAddressMatches: true,
      connections: [],
    },
  ];
  const plextv = await startPlexTvSim({ accountToken: ACCOUNT_TOKEN, resources, ...options });
  return {
    plextv,
    targets,
    async close() {
      await Promise.all([plextv.close(), targets.close()]);
    },
  };
}
