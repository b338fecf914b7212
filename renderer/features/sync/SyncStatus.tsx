// A small line in the sidebar while a sync runs, so it stays visible from every view.
import { useStore } from 'zustand';
import { useStores } from '../../stores-context.js';

export function SyncStatus() {
  const { sync, ui } = useStores();
  const running = useStore(sync, (state) => state.running);
  const label = useStore(sync, (state) => {
    const progress = state.progress;
    if (progress === null) return 'Starting…';
    return `Library ${Math.min(progress.index + 1, progress.total)} of ${progress.total}`;
  });
  if (!running) return null;
  return (
    <button type="button" className="sync-status" onClick={() => ui.getState().navigate('sync')} data-testid="sidebar-sync-status">
      <span className="spinner" aria-hidden="true" />
      <span>
        Syncing · {label}
        <span className="visually-hidden"> (show sync)</span>
      </span>
    </button>
  );
}
