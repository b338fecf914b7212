// The signed-in account's servers, found on plex.tv with every connection probed: a checkbox each, an
// owned/shared badge, the connection chosen (local, remote or relay, with its latency), and "Add selected".
import { useId } from 'react';
import { useStore } from 'zustand';
import type { DiscoveredServerView } from '../../../shared/ipc.js';
import { Badge } from '../../components/Badge.js';
import { ErrorText } from '../../components/ErrorText.js';
import { describeConnection, plural } from '../../format.js';
import { useStores } from '../../stores-context.js';
import { ConnectionList } from './ConnectionList.js';

export function AccountServers() {
  const { account } = useStores();
  const discovery = useStore(account, (state) => state.discovery);
  const selected = useStore(account, (state) => state.selected);
  const adding = useStore(account, (state) => state.adding);
  const addResult = useStore(account, (state) => state.addResult);
  const addError = useStore(account, (state) => state.addError);
  const username = useStore(account, (state) => state.info?.account?.username ?? null);
  const id = useId();
  const { discover, addSelected } = account.getState();

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="account-servers">
      <div className="card-header">
        <h2 id={`${id}-title`}>Servers in your Plex account</h2>
        <div className="card-actions">
          <button
            type="button"
            className="button small"
            onClick={() => void discover()}
            disabled={discovery.status === 'loading'}
            data-testid="account-discover"
          >
            {discovery.status === 'idle' ? 'Find my servers' : 'Look again'}
          </button>
        </div>
      </div>
      {username === null ? null : (
        <p className="muted">Signed in as {username}. Each server is added with its own access; you never see a token.</p>
      )}
      {discovery.status === 'loading' ? (
        <p className="signin-wait" role="status" data-testid="account-discovering">
          <span className="spinner" aria-hidden="true" /> Looking for your servers and testing every way to reach them…
        </p>
      ) : null}
      {discovery.status === 'error' ? <ErrorText error={discovery.error} testId="account-discover-error" /> : null}
      {discovery.status === 'done' && discovery.servers.length === 0 ? (
        <p className="empty">plex.tv lists no Plex Media Server for this account.</p>
      ) : null}
      {discovery.status === 'done' && discovery.servers.length > 0 ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void addSelected();
          }}
        >
          <ul className="discovered-list">
            {discovery.servers.map((server) => (
              <DiscoveredServer key={server.id} server={server} checked={selected.includes(server.id)} />
            ))}
          </ul>
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={adding || selected.length === 0} data-testid="account-add-selected">
              {adding ? 'Adding…' : selected.length === 0 ? 'Add selected' : `Add selected (${selected.length})`}
            </button>
          </div>
        </form>
      ) : null}
      <ErrorText error={addError} testId="account-add-error" />
      {addResult === null ? null : (
        <div role="status" data-testid="account-add-result">
          {addResult.added.map((server) => (
            <p key={server.serverId} className="success-text">
              Added {server.name} ({plural(server.libraries, 'library', 'libraries')}). Its libraries are listed under Libraries.
            </p>
          ))}
          {addResult.refused.map((server) => (
            <p key={server.id} className="warn-text">
              {server.name} was not added: {server.reason}
            </p>
          ))}
        </div>
      )}
    </section>
  );
}

function DiscoveredServer({ server, checked }: { server: DiscoveredServerView; checked: boolean }) {
  const { account } = useStores();
  const id = useId();
  const catalogued = server.cataloguedAs !== null;
  const unreachable = server.chosen === null;
  const failing = server.connections.filter((connection) => connection.ok === false).length;
  return (
    <li className="discovered" data-testid="discovered-server" data-server-name={server.name}>
      <div className="discovered-head">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={checked}
            disabled={catalogued || unreachable}
            onChange={(event) => account.getState().toggle(server.id, event.target.checked)}
            aria-describedby={`${id}-via`}
          />
          <span className="wrap">{server.name}</span>
        </label>
        {server.owned ? (
          <Badge tone="info">Owned</Badge>
        ) : (
          <Badge tone="muted" title={server.ownershipNote ?? undefined}>
            Shared
          </Badge>
        )}
        {catalogued ? <Badge tone="ok">Added{server.cataloguedAs === server.name ? '' : ` as ${server.cataloguedAs}`}</Badge> : null}
      </div>
      <p id={`${id}-via`} className="discovered-via" data-testid="discovered-via">
        {server.chosen === null ? (
          <span className="error-inline">No connection answered as this server.</span>
        ) : (
          <>
            <Badge tone={server.chosen.kind === 'relay' ? 'warn' : 'ok'}>
              {describeConnection(server.chosen.kind, server.chosen.latencyMs)}
            </Badge>{' '}
            <span className="mono wrap">{server.chosen.uri}</span>
          </>
        )}
      </p>
      {server.warning === null ? null : <p className="warn-text small">{server.warning}</p>}
      {server.ownershipNote === null ? null : <p className="hint">{server.ownershipNote}</p>}
      <details className="notes">
        <summary>
          {plural(server.connections.length, 'connection')}
          {failing > 0 ? `, ${failing} failing` : ''}
        </summary>
        <ConnectionList connections={server.connections} />
      </details>
    </li>
  );
}
