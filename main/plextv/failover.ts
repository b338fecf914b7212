// When the chosen connection stops answering (at sync time, or when the user asks), probe every known connection
// again and switch to the best one that answers as the server. The catalog keeps the outcome of every probe.
import { recordConnectionProbe, serverConnectionInfo } from '../catalog/accounts.js';
import type { Catalog } from '../catalog/database.js';
import { probeConnections, type ConnectionChoice, type ProbeOptions } from './connections.js';

export type FailoverErrorCode = 'NO_IDENTITY' | 'NO_CONNECTIONS';

export class FailoverError extends Error {
  readonly code: FailoverErrorCode;

  constructor(code: FailoverErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

export interface Reprobe extends ConnectionChoice {
  previousUri: string | null;
  /** True when a different connection than before was chosen. */
  switched: boolean;
}

export async function reprobeServer(
  catalog: Catalog,
  serverId: number,
  options: ProbeOptions & { now?: () => number } = {},
): Promise<Reprobe> {
  const info = serverConnectionInfo(catalog, serverId);
  if (info.machineIdentifier === null) {
    throw new FailoverError('NO_IDENTITY', 'This server has no known machine identifier, so no answer can be trusted as coming from it.');
  }
  if (info.connections.length === 0) {
    throw new FailoverError('NO_CONNECTIONS', 'plex.tv listed no connections for this server; sign in with Plex again to refresh them.');
  }
  const choice = await probeConnections(info.machineIdentifier, info.connections, options);
  const now = Math.floor((options.now ?? Date.now)() / 1000);
  recordConnectionProbe(
    catalog,
    serverId,
    choice.results.map((result) =>
      result.ok
        ? { uri: result.connection.uri, ok: true, latencyMs: result.latencyMs }
        : { uri: result.connection.uri, ok: false, failureCode: result.failure.code },
    ),
    choice.chosen === null ? null : { uri: choice.chosen.connection.uri, latencyMs: choice.chosen.latencyMs },
    now,
  );
  const chosenUri = choice.chosen?.connection.uri ?? null;
  return { ...choice, previousUri: info.connectionUri, switched: chosenUri !== null && chosenUri !== info.connectionUri };
}
