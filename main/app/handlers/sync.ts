// sync:* and discovery:* — adapters over the sync, import and discovery use cases; the jobs themselves run
// under the job controller.
import { listLastLibrarySyncs } from '../../catalog/sync-history.js';
import { findShows } from '../../usecases/discovery.js';
import { UseCaseError } from '../../usecases/errors.js';
import { planImport } from '../../usecases/import-show.js';
import { planSync } from '../../usecases/sync.js';
import { toPastLibrarySync } from '../past-syncs.js';
import type { HandlerContext, RequestHandlers } from './types.js';

type SyncHandlers = Pick<
  RequestHandlers,
  'sync:start' | 'sync:cancel' | 'sync:state' | 'sync:history' | 'discovery:search' | 'discovery:import'
>;

export function syncHandlers({ usecases, jobs }: HandlerContext): SyncHandlers {
  return {
    'sync:start': (input) => {
      jobs.assertIdle('start a sync');
      const plan = planSync(usecases, {
        ...(input.serverId !== undefined ? { server: { id: input.serverId } } : {}),
        ...(input.libraryId !== undefined ? { library: { id: input.libraryId } } : {}),
        ...(input.full !== undefined ? { full: input.full } : {}),
      });
      // The CLI prints "Nothing to sync" and succeeds; a button that starts nothing must say why instead.
      if (plan.servers.length === 0) throw new UseCaseError('NOT_FOUND', 'There is no active server to sync: add a Plex server first.');
      return jobs.startSync(plan);
    },
    'sync:cancel': (input) => jobs.cancelSync(input.runId),
    'sync:state': () => jobs.syncRunState(),
    // A read: works while a sync runs (WAL), showing what was committed so far.
    'sync:history': () => listLastLibrarySyncs(usecases.catalog).map(toPastLibrarySync),

    'discovery:search': async (input) => {
      const { serverId, ...query } = input;
      return (await findShows(usecases, { server: { id: serverId }, ...query })).candidates;
    },
    'discovery:import': async (input) => {
      jobs.assertIdle('import the show');
      return jobs.importShow(planImport(usecases, { server: { id: input.serverId }, ratingKey: input.ratingKey }));
    },
  };
}
