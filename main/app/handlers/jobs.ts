// jobs:* — the catalog's job queue (every process's jobs), adapters over main/usecases/jobs.ts.
import { UseCaseError } from '../../usecases/errors.js';
import { cancelJob } from '../../usecases/jobs.js';
import type { QueueWatch } from '../queue-watch.js';
import type { HandlerContext, RequestHandlers } from './types.js';

type JobHandlers = Pick<RequestHandlers, 'jobs:list' | 'jobs:cancel'>;

export function jobHandlers({ usecases, jobs }: HandlerContext, watch: QueueWatch): JobHandlers {
  return {
    'jobs:list': () => watch.check(),
    'jobs:cancel': (input) => {
      try {
        const job = cancelJob(usecases, input.id);
        // This app's own sync stops through its runner at once (its worker would see the flag too).
        jobs.cancelOwnJob(job);
        return { cancelled: true };
      } catch (error) {
        // Gone already (it ended meanwhile): an answer, not a failure.
        if (error instanceof UseCaseError && error.code === 'NOT_FOUND') return { cancelled: false };
        throw error;
      } finally {
        watch.check();
      }
    },
  };
}
