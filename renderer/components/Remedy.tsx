import { useStore } from 'zustand';
import type { ErrorCode } from '../../shared/errors.js';
import { remedyFor } from '../format.js';
import { useStores } from '../stores-context.js';

/** A link to where the error can be fixed, when its code names such a place. */
export function Remedy({ serverName, errorCode }: { serverName: string; errorCode: ErrorCode | null | undefined }) {
  const { servers, ui, account } = useStores();
  const server = useStore(servers, (state) => state.servers.find((entry) => entry.name === serverName) ?? null);
  const remedy = remedyFor(errorCode);
  // Plex refused a server found through the account: signing in again refreshes its access.
  if (remedy === 'sign-in') {
    return (
      <button type="button" className="button link" onClick={() => void account.getState().startSignIn()} data-testid="remedy-signin">
        Sign in with Plex again
        <span className="visually-hidden"> for {serverName}</span>
      </button>
    );
  }
  if (remedy === null || server === null) return null;
  const label = remedy === 'edit-server' ? 'Token refused — edit server' : 'Check the server’s URL — edit server';
  return (
    <button
      type="button"
      className="button link"
      onClick={() => ui.getState().editServer(server.id, remedy === 'edit-server')}
      data-testid="remedy-edit-server"
    >
      {label}
      <span className="visually-hidden"> {serverName}</span>
    </button>
  );
}
