// The catalog's job queue as the renderer sees it: what runs and what waits, in any process (this app, a
// `marquee sync` in a terminal, `marquee watch`), and a Cancel per job. main sends the whole list on every
// change (`jobs:changed`); a cancel only asks: the job's owner stops it at its next safe point.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { QueueJob } from '../../shared/jobs.js';
import { toUiError, type Api, type UiError } from '../api.js';

export interface JobsStoreState {
  jobs: QueueJob[];
  loadError: UiError | null;
  /** Cancels asked from this window, by job id, until the job leaves the list. */
  cancelling: Record<number, boolean>;
  cancelError: UiError | null;
  hydrate: () => Promise<void>;
  /** Subscribes to `jobs:changed`; returns the unsubscribe. */
  attach: () => () => void;
  cancel: (id: number) => Promise<void>;
}

export type JobsStore = StoreApi<JobsStoreState>;

/** A long job (a sync, an import, live changes) runs or has yielded to an edit: edits wait for its next page. */
export function longJobRunning(jobs: readonly QueueJob[]): boolean {
  return jobs.some((job) => job.priority === 'job' && job.state !== 'waiting');
}

/** The job this app's own queued sync waits for (the running one), or null when it does not wait. */
export function syncWaitsFor(jobs: readonly QueueJob[]): QueueJob | null {
  const ownWaiting = jobs.some((job) => job.here && job.kind === 'sync' && job.state === 'waiting');
  if (!ownWaiting) return null;
  return jobs.find((job) => job.state !== 'waiting') ?? jobs.find((job) => !(job.here && job.kind === 'sync')) ?? null;
}

export function createJobsStore(api: Api): JobsStore {
  return createStore<JobsStoreState>()((set, get) => {
    const show = (jobs: QueueJob[]): void => {
      const ids = new Set(jobs.map((job) => job.id));
      const cancelling = Object.fromEntries(Object.entries(get().cancelling).filter(([id]) => ids.has(Number(id))));
      set({ jobs, cancelling, loadError: null });
    };
    return {
      jobs: [],
      loadError: null,
      cancelling: {},
      cancelError: null,

      async hydrate() {
        try {
          show(await api.request('jobs:list', {}));
        } catch (error) {
          set({ loadError: toUiError(error) });
        }
      },

      attach() {
        return api.on('jobs:changed', ({ jobs }) => show(jobs));
      },

      async cancel(id) {
        set({ cancelling: { ...get().cancelling, [id]: true }, cancelError: null });
        try {
          const { cancelled } = await api.request('jobs:cancel', { id });
          // Gone already: it ended before the cancel arrived; the next list drops it.
          if (!cancelled) show(get().jobs.filter((job) => job.id !== id));
        } catch (error) {
          const { [id]: _dropped, ...rest } = get().cancelling;
          set({ cancelling: rest, cancelError: toUiError(error) });
        }
      },
    };
  });
}
