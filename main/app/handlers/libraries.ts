// libraries:* and mappings:* — adapters over main/usecases/libraries.ts and mappings.ts.
import { CatalogNotFoundError } from '../../catalog/errors.js';
import { listLibraries, setLibraryEnabled, toLibrarySummary } from '../../usecases/libraries.js';
import { addMapping, listMappings, previewMapping, removeMapping, updateMapping } from '../../usecases/mappings.js';
import type { HandlerContext, RequestHandlers } from './types.js';

type LibraryHandlers = Pick<
  RequestHandlers,
  'libraries:list' | 'libraries:setEnabled' | 'mappings:list' | 'mappings:add' | 'mappings:update' | 'mappings:remove' | 'mappings:preview'
>;

export function libraryHandlers({ usecases }: HandlerContext): LibraryHandlers {
  return {
    'libraries:list': async (input) => {
      const listings = await listLibraries(usecases, input.serverId !== undefined ? { id: input.serverId } : undefined);
      return listings.map(toLibrarySummary);
    },
    'libraries:setEnabled': async (input) => toLibrarySummary((await setLibraryEnabled(usecases, { id: input.libraryId }, input.enabled)).library),
    'mappings:list': async (input) => listMappings(usecases, input.serverId),
    'mappings:add': async (input) => (await addMapping(usecases, input)).mapping,
    'mappings:update': async ({ id, ...patch }) => (await updateMapping(usecases, id, patch)).mapping,
    'mappings:remove': async (input) => {
      try {
        await removeMapping(usecases, input.id);
        return { removed: true };
      } catch (error) {
        if (error instanceof CatalogNotFoundError) return { removed: false };
        throw error;
      }
    },
    'mappings:preview': async (input) => previewMapping(usecases, input),
  };
}
