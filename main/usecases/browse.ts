// Reading the catalog for the desktop UI: the filtered list with search, its filters' values, a show's seasons,
// one item with its copies elsewhere. Reads work while a job runs (WAL).
import type { BrowseFacets, BrowsePage, BrowseSeason, ItemDetails } from '../../shared/domain.js';
import { browseFacets, itemDetails, itemKind, searchItems, showChildren, type SearchItemsOptions } from '../catalog/browse.js';
import type { UseCaseDeps } from './deps.js';
import { UseCaseError } from './errors.js';

export function searchCatalog(deps: UseCaseDeps, options: SearchItemsOptions): BrowsePage {
  const result = searchItems(deps.catalog, options);
  return {
    total: result.total,
    rows: result.rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      title: row.title,
      year: row.year,
      libraryTitle: row.libraryTitle,
      serverName: row.serverName,
      episodeCount: row.episodeCount ?? null,
      showTitle: row.showTitle ?? null,
      seasonNumber: row.seasonNumber ?? null,
      episodeNumber: row.episodeNumber ?? null,
    })),
  };
}

/** The values Browse's filters offer (servers, libraries, kinds, genres… the catalog holds). */
export function catalogFacets(deps: UseCaseDeps): BrowseFacets {
  return browseFacets(deps.catalog);
}

export function showSeasons(deps: UseCaseDeps, showId: number): BrowseSeason[] {
  if (itemKind(deps.catalog, showId) !== 'show') throw new UseCaseError('NOT_FOUND', `There is no show with id ${showId} in the catalog.`);
  const seasons = showChildren(deps.catalog, showId);
  return seasons.map((season) => ({
    id: season.id,
    title: season.title ?? (season.number === null ? 'Unknown season' : `Season ${season.number}`),
    seasonNumber: season.number,
    episodes: season.episodes.map((episode) => ({ id: episode.id, title: episode.title, episodeNumber: episode.number })),
  }));
}

export function describeItem(deps: UseCaseDeps, itemId: number): ItemDetails {
  const details = itemDetails(deps.catalog, itemId);
  if (details === null) throw new UseCaseError('NOT_FOUND', `There is no item with id ${itemId} in the catalog.`);
  return {
    id: details.id,
    kind: details.kind,
    title: details.title,
    year: details.year,
    ratingKey: details.ratingKey,
    guid: details.guid,
    externalIds: details.externalIds,
    files: details.files,
    showTitle: details.show?.title ?? null,
    seasonNumber: details.season?.number ?? null,
    episodeNumber: details.episode ?? null,
    addedAt: details.addedAt,
    updatedAt: details.updatedAt,
    libraryTitle: details.libraryTitle,
    serverName: details.serverName,
    ...details.metadata,
    versions: details.versions,
    groupId: details.groupId,
    alsoIn: details.alsoIn,
  };
}
