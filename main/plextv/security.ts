// Before adding a server found by URL while signed in: is it one of the account's servers? A URL can point at
// anyone's server; the account's resources list names the ones it may use.
import type { PlexTvServer } from './model.js';

export type AccountMembership = { member: true; server: PlexTvServer } | { member: false; reason: string };

export function accountServerFor(servers: readonly PlexTvServer[], machineIdentifier: string): AccountMembership {
  const server = servers.find((candidate) => candidate.machineIdentifier === machineIdentifier);
  if (server !== undefined) return { member: true, server };
  return {
    member: false,
    reason:
      'This address answers as a Plex server that is not among the servers of the signed-in Plex account: it is not added. Check the address, or add it with its own token (advanced).',
  };
}

/** The label people see for the owned flag: shared servers send no file paths to anyone but their owner. */
export function ownershipNote(server: Pick<PlexTvServer, 'owned'>): string | null {
  return server.owned ? null : 'Shared with you: Plex sends file paths only to the server owner, so local paths cannot be mapped.';
}
