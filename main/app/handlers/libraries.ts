// libraries:* — adapters over main/usecases/libraries.ts.
import { listLibraries, setLibraryEnabled, toLibrarySummary } from '../../usecases/libraries.js';
import type { HandlerContext, RequestHandlers } from './types.js';

type LibraryHandlers = Pick<RequestHandlers, 'libraries:list' | 'libraries:setEnabled'>;

export function libraryHandlers({ usecases }: HandlerContext): LibraryHandlers {
  return {
    'libraries:list': async (input) => {
      const listings = await listLibraries(usecases, input.serverId !== undefined ? { id: input.serverId } : undefined);
      return listings.map(toLibrarySummary);
    },
    'libraries:setEnabled': async (input) => toLibrarySummary((await setLibraryEnabled(usecases, { id: input.libraryId }, input.enabled)).library),
  };
}
