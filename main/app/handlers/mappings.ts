// mappings:* — adapters over main/usecases/mappings.ts.
import { CatalogNotFoundError } from '../../catalog/errors.js';
import { addMapping, listMappings, previewMapping, removeMapping, updateMapping } from '../../usecases/mappings.js';
import type { HandlerContext, RequestHandlers } from './types.js';

type MappingHandlers = Pick<RequestHandlers, 'mappings:list' | 'mappings:add' | 'mappings:update' | 'mappings:remove' | 'mappings:preview'>;

export function mappingHandlers({ usecases }: HandlerContext): MappingHandlers {
  return {
    'mappings:list': (input) => listMappings(usecases, input.serverId),
    'mappings:add': async (input) => (await addMapping(usecases, input)).mapping,
    'mappings:update': async ({ id, ...patch }) => (await updateMapping(usecases, id, patch)).mapping,
    // Removing what is already gone is an answer (the list was stale), not a failure.
    'mappings:remove': async (input) => {
      try {
        await removeMapping(usecases, input.id);
        return { removed: true };
      } catch (error) {
        if (error instanceof CatalogNotFoundError) return { removed: false };
        throw error;
      }
    },
    'mappings:preview': (input) => previewMapping(usecases, input),
  };
}
