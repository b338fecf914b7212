// A server's connections as plex.tv lists them, each with how its latest probe went and, when it failed, why
// and what to do (DNS rebinding, a certificate for another name, a relay's limits…).
import type { ConnectionView } from '../../../shared/ipc.js';
import { Badge } from '../../components/Badge.js';
import { describeConnection } from '../../format.js';

export function ConnectionStatus({ connection }: { connection: ConnectionView }) {
  if (connection.ok === null) return <Badge tone="muted">Not checked</Badge>;
  if (connection.ok) return <Badge tone="ok">Answers</Badge>;
  return <Badge tone="failed">{connection.failureCode === 'OTHER_SERVER' ? 'Another server' : 'Fails'}</Badge>;
}

/** A compact list for the discovered servers (no actions). */
export function ConnectionList({ connections }: { connections: ConnectionView[] }) {
  return (
    <ul className="connection-list">
      {connections.map((connection) => (
        <li key={connection.uri} className="connection-item" data-testid="discovered-connection" data-ok={String(connection.ok)}>
          <div className="connection-head">
            <ConnectionStatus connection={connection} />
            <span>{describeConnection(connection.kind, connection.ok === true ? connection.latencyMs : null)}</span>
            <span className="mono wrap">{connection.uri}</span>
          </div>
          {connection.explanation === null ? null : <p className="hint">{connection.explanation}</p>}
        </li>
      ))}
    </ul>
  );
}
