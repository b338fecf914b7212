import { Badge } from '../../components/Badge.js';
import type { ConnectionCheck } from '../../stores/servers.js';

/** The outcome of "Test connection", inline in the server's row. */
export function ConnectionResult({ check }: { check: ConnectionCheck | null }) {
  if (check === null) return <span className="muted">Not tested</span>;
  if (check.status === 'testing') {
    return (
      <span className="muted" role="status">
        Testing…
      </span>
    );
  }
  if (check.status === 'error') {
    return (
      <span role="status" data-testid="connection-error">
        <Badge tone="failed">Failed</Badge> <span className="error-inline">{check.error.message}</span>
      </span>
    );
  }
  const { result } = check;
  if (!result.ok) {
    return (
      <span role="status" data-testid="connection-error">
        <Badge tone="failed">Failed</Badge> <span className="error-inline">{result.error ?? 'The server did not answer as Plex.'}</span>
      </span>
    );
  }
  return (
    <span role="status" data-testid="connection-ok">
      <Badge tone="ok">Connected</Badge> <span>Plex {result.version ?? 'version unknown'}</span>
    </span>
  );
}
