// A catalog file in a temp folder, with every migration applied (plex_accounts among them).
import { join } from 'node:path';
import { type Catalog, openCatalog } from '../../../main/catalog/database.js';

export function openAccountsCatalog(dir: string): Catalog {
  return openCatalog(join(dir, 'catalog.sqlite'));
}
