// Sync: one click for everything, cancel, two progress bars while it runs, the report when it ends.
import { useId, useState } from 'react';
import { useStore } from 'zustand';
import { ErrorText } from '../../components/ErrorText.js';
import { ViewHeader } from '../../components/ViewHeader.js';
import { JobsPanel } from '../jobs/JobsPanel.js';
import { useStores } from '../../stores-context.js';
import { SyncProgressBars } from './SyncProgressBars.js';
import { PastSyncsView } from './PastSyncsView.js';
import { SyncReportView } from './SyncReportView.js';

export function SyncView() {
  const { sync } = useStores();
  const running = useStore(sync, (state) => state.running);
  const starting = useStore(sync, (state) => state.starting);
  const cancelling = useStore(sync, (state) => state.cancelling);
  const error = useStore(sync, (state) => state.error);
  const report = useStore(sync, (state) => state.lastReport);
  const lastError = useStore(sync, (state) => state.lastError);
  const lastCancelled = useStore(sync, (state) => state.lastCancelled);
  const history = useStore(sync, (state) => state.history);
  const historyError = useStore(sync, (state) => state.historyError);
  const [full, setFull] = useState(false);
  const fullId = useId();

  return (
    <section className="view" aria-labelledby="sync-title" data-testid="sync-view">
      <ViewHeader
        title="Sync"
        titleId="sync-title"
        intro="Brings every enabled library of every active server up to date. Normally only what changed is fetched."
      />
      <div className="toolbar">
        {running ? (
          <button
            type="button"
            className="button danger"
            onClick={() => void sync.getState().cancel()}
            disabled={cancelling}
            data-testid="sync-cancel"
          >
            {cancelling ? 'Cancelling…' : 'Cancel sync'}
          </button>
        ) : (
          <button
            type="button"
            className="button primary"
            onClick={() => void sync.getState().start(full ? { full: true } : {})}
            disabled={starting}
            data-testid="sync-all"
          >
            {starting ? 'Starting…' : 'Sync all'}
          </button>
        )}
        <label className="checkbox" htmlFor={fullId}>
          <input
            id={fullId}
            type="checkbox"
            checked={full}
            onChange={(event) => setFull(event.target.checked)}
            disabled={running || starting}
          />
          Full sync (re-list everything, compare every file)
        </label>
      </div>
      <ErrorText error={error} testId="sync-error" />
      <JobsPanel />
      {!lastError || running ? null : (
        <p className="error-text" role="alert" data-testid="sync-failed">
          The last sync failed: {lastError}
        </p>
      )}
      {running || starting ? <SyncProgressBars /> : null}
      {report === null ? (
        running || starting ? null : (
          <>
            <ErrorText error={historyError} testId="past-syncs-error" />
            {history === null ? null : history.length === 0 ? (
              <p className="empty" data-testid="sync-never">
                No library has been synced yet.
              </p>
            ) : (
              <PastSyncsView history={history} />
            )}
          </>
        )
      ) : (
        <SyncReportView report={report} stale={running} cancelled={lastCancelled} />
      )}
    </section>
  );
}
