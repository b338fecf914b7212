// browse:* — adapters over main/usecases/browse.ts. Reads: they work while a job runs (WAL).
import { catalogFacets, describeItem, searchCatalog, showSeasons } from '../../usecases/browse.js';
import type { HandlerContext, RequestHandlers } from './types.js';

type BrowseHandlers = Pick<RequestHandlers, 'browse:search' | 'browse:facets' | 'browse:show' | 'browse:item'>;

export function browseHandlers({ usecases }: HandlerContext): BrowseHandlers {
  return {
    'browse:search': (input) => searchCatalog(usecases, input),
    'browse:facets': () => catalogFacets(usecases),
    'browse:show': (input) => showSeasons(usecases, input.showId),
    'browse:item': (input) => describeItem(usecases, input.itemId),
  };
}
