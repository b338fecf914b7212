// What runs and what waits on the catalog, in every process (this app, a `marquee sync` in a terminal,
// `marquee watch`), each with its owner and a Cancel that stops that job alone. Shown where the sync
// controls are. Nothing is shown while nothing runs or waits.
import { useStore } from 'zustand';
import type { QueueJob } from '../../../shared/jobs.js';
import { ErrorText } from '../../components/ErrorText.js';
import { useStores } from '../../stores-context.js';

export function JobsPanel() {
  const { jobs } = useStores();
  const list = useStore(jobs, (state) => state.jobs);
  const cancelling = useStore(jobs, (state) => state.cancelling);
  const loadError = useStore(jobs, (state) => state.loadError);
  const cancelError = useStore(jobs, (state) => state.cancelError);

  if (list.length === 0 && loadError === null && cancelError === null) return null;
  return (
    <section className="jobs-panel" aria-labelledby="jobs-title" data-testid="jobs-panel">
      <h3 id="jobs-title">Jobs on this catalog</h3>
      <ErrorText error={loadError} testId="jobs-load-error" />
      <ErrorText error={cancelError} testId="jobs-cancel-error" />
      {list.length === 0 ? null : (
        <ul className="jobs-list">
          {list.map((job) => (
            <li key={job.id} className="jobs-row" data-testid="jobs-row" data-state={job.state}>
              <span className={`badge ${job.state === 'waiting' ? 'badge-muted' : 'badge-info'}`}>{stateLabel(job)}</span>
              <span className="jobs-title">{job.title}</span>
              <span className="jobs-owner muted">{job.owner}</span>
              <button
                type="button"
                className="button small"
                onClick={() => void jobs.getState().cancel(job.id)}
                disabled={cancelling[job.id] === true || job.cancelRequested}
                aria-label={`Cancel: ${job.title} (${job.owner})`}
                data-testid="jobs-cancel"
              >
                {cancelling[job.id] === true || job.cancelRequested ? 'Cancelling…' : 'Cancel'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function stateLabel(job: QueueJob): string {
  if (job.state === 'running') return 'Running';
  if (job.state === 'yielded') return 'Paused for an edit';
  return 'Waiting';
}
