// libraries:* — adapters over main/usecases/libraries.ts.
import { listLibraries, setLibraryEnabled } from '../../usecases/libraries.js';
import { toLibrarySummaries, toLibrarySummary } from '../library-summaries.js';
import type { HandlerContext, RequestHandlers } from './types.js';

type LibraryHandlers = Pick<RequestHandlers, 'libraries:list' | 'libraries:setEnabled'>;

export function libraryHandlers({ usecases }: HandlerContext): LibraryHandlers {
  return {
    'libraries:list': (input) => {
      const listings = listLibraries(usecases, input.serverId !== undefined ? { id: input.serverId } : undefined);
      return toLibrarySummaries(usecases.catalog, listings);
    },
    'libraries:setEnabled': async (input) => {
      const { library } = await setLibraryEnabled(usecases, { id: input.libraryId }, input.enabled);
      return toLibrarySummary(usecases.catalog, library);
    },
  };
}
