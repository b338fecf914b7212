// A small line in the sidebar while a sync runs, so it stays visible from every view.
import { useStore } from 'zustand';
import { syncStatusLabel } from '../../format.js';
import { useStores } from '../../stores-context.js';

export function SyncStatus() {
  const { sync, ui } = useStores();
  const running = useStore(sync, (state) => state.running);
  const label = useStore(sync, (state) => syncStatusLabel(state.progress));
  if (!running) return null;
  return (
    <button type="button" className="sync-status" onClick={() => ui.getState().navigate('sync')} data-testid="sidebar-sync-status">
      <span className="spinner" aria-hidden="true" />
      {/* In the narrow top bar the line may be cut with an ellipsis: the title keeps all of it. */}
      <span className="sync-status-text" title={`Syncing · ${label}`}>
        Syncing · {label}
        <span className="visually-hidden"> (show sync)</span>
      </span>
    </button>
  );
}
