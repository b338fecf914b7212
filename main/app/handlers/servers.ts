// servers:* — adapters over main/usecases/servers.ts.
import type { ConnectionTest } from '../../../shared/ipc.js';
import type { PlexIdentity } from '../../plex/model.js';
import { addServer, listServers, removeServer, requireServer, testServer, updateServer } from '../../usecases/servers.js';
import { toIpcFailure } from '../errors.js';
import type { HandlerContext, RequestHandlers } from './types.js';

type ServerHandlers = Pick<RequestHandlers, 'servers:list' | 'servers:add' | 'servers:update' | 'servers:remove' | 'servers:test'>;

export interface ServerHandlerOptions {
  /** For servers:add: a check of the server's identity before its token is sent (the account membership check). */
  identityCheck?: () => Promise<(identity: PlexIdentity) => void>;
}

export function serverHandlers({ usecases }: HandlerContext, options: ServerHandlerOptions = {}): ServerHandlers {
  return {
    'servers:list': () => listServers(usecases),
    'servers:add': async (input) => (await addServer(usecases, input, options)).server,
    'servers:update': async ({ id, ...change }) => updateServer(usecases, { id }, change),
    'servers:remove': async (input) => ({ removed: await removeServer(usecases, input.id) }),
    // A failed test is an answer, not a failure: the dialog shows why. An unknown id still fails.
    'servers:test': async (input): Promise<ConnectionTest> => {
      requireServer(usecases, { id: input.id });
      try {
        const test = await testServer(usecases, { id: input.id });
        const found = { machineIdentifier: test.identity.machineIdentifier, version: test.identity.version ?? null };
        if (!test.ok) return { ok: false, ...found, error: test.problem, errorCode: 'SERVER_MISMATCH' };
        return { ok: true, ...found, error: null, errorCode: null };
      } catch (error) {
        const failure = toIpcFailure(error);
        return { ok: false, machineIdentifier: null, version: null, error: failure.message, errorCode: failure.errorCode };
      }
    },
  };
}
