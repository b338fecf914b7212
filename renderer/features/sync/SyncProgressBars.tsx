// The two bars of a running sync: libraries (k of N, which one) and items of the current library.
import { useStore } from 'zustand';
import { Progress } from '../../components/Progress.js';
import { describeProgress, formatCount } from '../../format.js';
import { syncWaitsFor } from '../../stores/jobs.js';
import { useStores } from '../../stores-context.js';

export function SyncProgressBars() {
  const { sync, jobs } = useStores();
  const progress = useStore(sync, (state) => state.progress);
  const cancelling = useStore(sync, (state) => state.cancelling);
  // Queued behind another job (a CLI sync, a live batch): say which, rather than "Connecting".
  const blocker = useStore(jobs, (state) => syncWaitsFor(state.jobs));

  if (progress === null) {
    const detail = blocker === null ? 'Connecting to the servers…' : `Waiting for ${lowerFirst(blocker.title)} (${blocker.owner})…`;
    return (
      <div className="card progress-card" data-testid="sync-progress" data-state={blocker === null ? 'starting' : 'queued'}>
        <Progress label="Libraries" value={null} max={0} detail={detail} testId="sync-progress-libraries" />
        <Progress label="Items" value={null} max={0} detail="Waiting for the first library" testId="sync-progress-items" />
      </div>
    );
  }
  const view = describeProgress(progress);
  const { libraries, items } = view;
  return (
    <div className="card progress-card" data-testid="sync-progress" data-state={cancelling ? 'cancelling' : 'running'}>
      <Progress
        label="Libraries"
        value={libraries.done}
        max={libraries.total}
        testId="sync-progress-libraries"
        detail={
          <>
            <span data-testid="sync-library-position">
              Library {formatCount(Math.min(libraries.position, libraries.total))} of {formatCount(libraries.total)}
            </span>
            {' · '}
            <span data-testid="sync-current-library">{libraries.label}</span>
          </>
        }
      />
      <Progress
        label="Items"
        value={items?.done ?? null}
        max={items?.total ?? 0}
        testId="sync-progress-items"
        detail={
          view.waiting !== null ? (
            <span data-testid="sync-waiting" role="status">
              {view.waiting.text}
              {view.waiting.reason === '' ? null : <span className="muted"> · {view.waiting.reason}</span>}
            </span>
          ) : items === null ? (
            progress.kind === 'library-done' ? (
              'Library finished'
            ) : (
              'Starting the library…'
            )
          ) : (
            <>
              <span data-testid="sync-items-count">
                {formatCount(items.done)} of {formatCount(items.total)} {items.phase}
              </span>
              {' · '}
              <span data-testid="sync-rate">{items.rate}</span>
              {' · '}
              <span data-testid="sync-eta">{items.eta}</span>
            </>
          )
        }
      />
      {cancelling ? (
        <p className="muted" role="status">
          Cancelling: the current page finishes, nothing half-written is kept.
        </p>
      ) : null}
    </div>
  );
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
