// A server's live indicator (live, reconnecting, polling, signed out…) and when its last change arrived:
// the Servers screen's cell and the Live screen's server list.
import { useStore } from 'zustand';
import { Badge } from '../../components/Badge.js';
import { describeLiveMode, formatAgo } from '../../format.js';
import { useStores } from '../../stores-context.js';
import { useNow } from './useNow.js';

export function LiveBadge({ serverId, active }: { serverId: number; active: boolean }) {
  const { live } = useStores();
  const status = useStore(live, (state) => state.servers[serverId] ?? null);
  const running = useStore(live, (state) => state.running);
  const now = useNow();
  // An inactive server is not listened to; with no live catalog (a bare preview) nothing is either.
  const mode = status?.mode ?? (running && active ? 'connecting' : 'stopped');
  const view = describeLiveMode(mode);
  return (
    <span className="live-badge" data-testid="live-badge" data-mode={mode}>
      <Badge tone={view.tone} title={status?.detail ?? view.explanation}>
        {view.label}
      </Badge>
      <span className="visually-hidden">: {view.explanation}</span>
      <span className="muted small" data-testid="live-last-change">
        last change {formatAgo(status?.lastChangeAt ?? null, now)}
      </span>
    </span>
  );
}
