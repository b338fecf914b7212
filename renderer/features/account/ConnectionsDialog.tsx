// A server's connections (servers found through a Plex account): which one is used, how each answered at its
// last probe, and the choice of another. "Probe again" re-checks them all and takes the best that answers.
import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { ServerSummary } from '../../../shared/domain.js';
import { Badge } from '../../components/Badge.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorText } from '../../components/ErrorText.js';
import { describeConnection } from '../../format.js';
import { useStores } from '../../stores-context.js';
import { ConnectionStatus } from './ConnectionList.js';

export function ConnectionsDialog({ server, onClose }: { server: ServerSummary; onClose: () => void }) {
  const { account } = useStores();
  const state = useStore(account, (current) => current.connections[server.id] ?? null);
  const switchingTo = useStore(account, (current) => current.switching[server.id] ?? null);
  const { loadConnections, switchConnection } = account.getState();

  useEffect(() => {
    void loadConnections(server.id);
  }, [loadConnections, server.id]);

  const view = state?.view ?? null;
  const busy = state?.status === 'loading' || switchingTo !== null;
  return (
    <Dialog
      title={`Connections of ${server.name}`}
      description="The ways plex.tv lists to reach this server, best first. Marquee uses the best one that answers as this server, and switches by itself when it stops answering."
      onClose={onClose}
      testId="connections-dialog"
    >
      {view === null && state?.status === 'loading' ? (
        <p className="signin-wait" role="status">
          <span className="spinner" aria-hidden="true" /> Loading…
        </p>
      ) : null}
      {view === null ? null : (
        <ul className="connection-list" aria-busy={busy}>
          {view.connections.map((connection) => {
            const inUse = connection.uri === view.chosenUri;
            return (
              <li
                key={connection.uri}
                className="connection-item"
                data-testid="connection-option"
                data-uri={connection.uri}
                data-in-use={String(inUse)}
              >
                <div className="connection-head">
                  <ConnectionStatus connection={connection} />
                  <span>{describeConnection(connection.kind, connection.ok === true ? connection.latencyMs : null)}</span>
                  {inUse ? <Badge tone="info">In use</Badge> : null}
                </div>
                <p className="mono wrap small">{connection.uri}</p>
                {connection.explanation === null ? null : <p className="hint">{connection.explanation}</p>}
                {inUse ? null : (
                  <button
                    type="button"
                    className="button small"
                    disabled={busy}
                    onClick={() => void switchConnection(server.id, connection.uri)}
                    data-testid="connection-use"
                  >
                    {switchingTo === connection.uri ? 'Checking…' : 'Use this one'}
                    <span className="visually-hidden"> ({connection.uri})</span>
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {view?.warning ? <p className="warn-text small">{view.warning}</p> : null}
      {state?.status === 'error' ? <ErrorText error={state.error} testId="connections-error" /> : null}
      <div className="dialog-actions">
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => void loadConnections(server.id, true)}
          data-testid="connections-probe"
        >
          {state?.status === 'loading' && view !== null ? 'Probing…' : 'Probe again'}
        </button>
        <button type="button" className="button primary" onClick={onClose} data-autofocus>
          Close
        </button>
      </div>
    </Dialog>
  );
}
