// Servers: status of each (active, last sync, connection test), add, edit, remove. Servers found through a
// Plex account also show whether the account owns them, the connection in use (and a dialog to pick another),
// and the "sign in again" state after Plex refused their token. With no server yet: the first-run choice.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { ServerSummary } from '../../../shared/domain.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { ErrorText } from '../../components/ErrorText.js';
import { ViewHeader } from '../../components/ViewHeader.js';
import { Badge } from '../../components/Badge.js';
import { describeConnection, formatWhen } from '../../format.js';
import { useStores } from '../../stores-context.js';
import { LiveBadge } from '../live/LiveBadge.js';
import { AccountServers } from '../account/AccountServers.js';
import { ConnectionsDialog } from '../account/ConnectionsDialog.js';
import { FirstRun } from '../account/FirstRun.js';
import { AddServerForm } from './AddServerForm.js';
import { ConnectionResult } from './ConnectionResult.js';
import { EditServerDialog } from './EditServerDialog.js';

export function ServersView() {
  const { servers: store, ui, account } = useStores();
  const servers = useStore(store, (state) => state.servers);
  const loaded = useStore(store, (state) => state.loaded);
  const loadError = useStore(store, (state) => state.loadError);
  const requestedEdit = useStore(ui, (state) => state.editRequest);
  const [editing, setEditing] = useState<{ server: ServerSummary; focusToken: boolean } | null>(null);
  const [removing, setRemoving] = useState<ServerSummary | null>(null);
  const [choosing, setChoosing] = useState<ServerSummary | null>(null);
  const [manual, setManual] = useState(false);
  const signedIn = useStore(account, (state) => state.info?.signedIn ?? false);
  const empty = loaded && servers.length === 0 && loadError === null;

  // "Add a server by address and token": the form appears and takes the focus.
  useEffect(() => {
    if (manual) document.querySelector<HTMLInputElement>('[data-testid="add-server-form"] input')?.focus();
  }, [manual]);

  // Another view (a sync error) asked to edit a server: open its dialog once.
  useEffect(() => {
    if (requestedEdit === null || !loaded) return;
    const server = servers.find((entry) => entry.id === requestedEdit.serverId);
    if (server !== undefined) setEditing({ server, focusToken: requestedEdit.focusToken });
    ui.getState().editedServer();
  }, [requestedEdit, loaded, servers, ui]);

  return (
    <section className="view" aria-labelledby="servers-title" data-testid="servers-view">
      <ViewHeader
        title="Servers"
        titleId="servers-title"
        intro="The Plex Media Servers Marquee imports from. Inactive servers are skipped by “Sync all”."
      />
      <ErrorText error={loadError} />
      {empty ? <FirstRun manual={manual} onManual={() => setManual(!manual)} /> : null}
      {servers.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="servers-table">
            <caption className="visually-hidden">Servers</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">URL</th>
                <th scope="col">Active</th>
                <th scope="col">Last sync</th>
                <th scope="col">Live</th>
                <th scope="col">Connection</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {servers.map((server) => (
                <ServerRow
                  key={server.id}
                  server={server}
                  onEdit={() => setEditing({ server, focusToken: false })}
                  onRemove={() => setRemoving(server)}
                  onConnections={() => setChoosing(server)}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      {signedIn ? <AccountServers /> : null}

      {/* Same place in the tree whether or not the list is empty, so adding the first server keeps its message. */}
      {!empty || manual ? <AddServerForm /> : null}

      {editing === null ? null : (
        <EditServerDialog server={editing.server} focusToken={editing.focusToken} onClose={() => setEditing(null)} />
      )}
      {removing === null ? null : <RemoveServerDialog server={removing} onClose={() => setRemoving(null)} />}
      {choosing === null ? null : <ConnectionsDialog server={choosing} onClose={() => setChoosing(null)} />}
    </section>
  );
}

function ServerRow({
  server,
  onEdit,
  onRemove,
  onConnections,
}: {
  server: ServerSummary;
  onEdit: () => void;
  onRemove: () => void;
  onConnections: () => void;
}) {
  const { servers: store, account } = useStores();
  const check = useStore(store, (state) => state.checks[server.id] ?? null);
  const viaAccount = useStore(account, (state) => state.info?.servers.find((entry) => entry.serverId === server.id) ?? null);
  const rowError = useStore(store, (state) => state.rowErrors[server.id] ?? null);
  const { setActive, test } = store.getState();

  return (
    <tr data-testid="server-row" data-server-name={server.name} data-needs-signin={viaAccount?.needsSignIn === true ? 'true' : undefined}>
      <th scope="row">
        {server.name}
        {viaAccount === null ? null : (
          <span className="row-badges">
            {viaAccount.owned === false ? <Badge tone="muted">Shared</Badge> : <Badge tone="info">Owned</Badge>}
            {viaAccount.needsSignIn ? (
              <Badge tone="warn" title="Plex refused this server's access: its syncs are skipped, its items kept, until you sign in again.">
                Sign in again
              </Badge>
            ) : null}
          </span>
        )}
      </th>
      <td className="mono wrap url">{server.url}</td>
      <td>
        <label className="switch">
          <input
            type="checkbox"
            checked={server.active}
            onChange={(event) => void setActive(server.id, event.target.checked)}
            aria-label={`${server.name} active`}
          />
          <span>{server.active ? 'Active' : 'Inactive'}</span>
        </label>
      </td>
      <td className="nowrap">{formatWhen(server.lastSyncAt)}</td>
      <td data-testid="server-live">
        <LiveBadge serverId={server.id} active={server.active} />
      </td>
      <td data-testid="server-connection">
        {viaAccount?.connectionKind == null ? null : (
          <p className="server-via" data-testid="server-via">
            {describeConnection(viaAccount.connectionKind, viaAccount.connectionLatencyMs)}
          </p>
        )}
        {viaAccount?.needsSignIn === true ? (
          <p className="warn-text small" data-testid="server-needs-signin">
            Plex refused its access. Its items are kept; syncs skip it until you sign in again.
          </p>
        ) : null}
        <ConnectionResult check={check} />
        <ErrorText error={rowError} />
      </td>
      <td className="row-actions">
        {viaAccount?.needsSignIn === true ? (
          <button
            type="button"
            className="button small primary"
            onClick={() => void account.getState().startSignIn()}
            data-testid="server-signin-again"
          >
            Sign in again
            <span className="visually-hidden"> for {server.name}</span>
          </button>
        ) : null}
        {viaAccount === null ? null : (
          <button type="button" className="button small" onClick={onConnections} data-testid="server-connections">
            Connections
            <span className="visually-hidden"> of {server.name}</span>
          </button>
        )}
        <button type="button" className="button small" onClick={() => void test(server.id)} disabled={check?.status === 'testing'}>
          Test connection
          <span className="visually-hidden"> to {server.name}</span>
        </button>
        <button type="button" className="button small" onClick={onEdit} data-testid="server-edit">
          Edit
          <span className="visually-hidden"> {server.name}</span>
        </button>
        <button type="button" className="button small danger" onClick={onRemove} data-testid="server-remove">
          Remove
          <span className="visually-hidden"> {server.name}</span>
        </button>
      </td>
    </tr>
  );
}

function RemoveServerDialog({ server, onClose }: { server: ServerSummary; onClose: () => void }) {
  const { servers } = useStores();
  const [busy, setBusy] = useState(false);
  return (
    <ConfirmDialog
      title={`Remove ${server.name}?`}
      description="Its libraries, path mappings and catalogued items are removed from Marquee. Nothing changes on the Plex server."
      confirmLabel="Remove server"
      busy={busy}
      testId="remove-server-dialog"
      onCancel={onClose}
      onConfirm={() => {
        setBusy(true);
        void servers
          .getState()
          .remove(server.id)
          .then(() => onClose());
      }}
    />
  );
}
