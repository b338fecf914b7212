// Browsing music for the desktop UI: an artist with its albums and tracks (an author with books and parts).
import type { BrowseArtist } from '../../shared/domain.js';
import { artistAlbums, artistIdOf } from '../catalog/music-browse.js';
import type { UseCaseDeps } from './deps.js';
import { UseCaseError } from './errors.js';

/** `itemId`: an artist, or one of its albums or tracks (Browse opens any of them in the artist's panel). */
export function browseArtist(deps: UseCaseDeps, itemId: number): BrowseArtist {
  const artistId = artistIdOf(deps.catalog, itemId);
  const artist = artistId === null ? null : artistAlbums(deps.catalog, artistId);
  if (artist === null) throw new UseCaseError('NOT_FOUND', `There is no artist, album or track with id ${itemId} in the catalog.`);
  return {
    id: artist.id,
    title: artist.title,
    libraryTitle: artist.libraryTitle,
    albums: artist.albums.map((album) => ({
      id: album.id,
      title: album.title ?? 'Unknown album',
      year: album.year,
      asin: album.asin,
      audiobook: album.asin !== null,
      tracks: album.tracks.map((track) => ({
        id: track.id,
        title: track.title,
        discNumber: track.discNumber,
        trackNumber: track.trackNumber,
        durationMs: track.durationMs,
        file:
          track.plexPath === null || track.localPath === null
            ? null
            : {
                plexPath: track.plexPath,
                localPath: track.localPath,
                mapped: track.mapped === true,
                size: track.size,
                duration: track.durationMs,
                container: track.container,
              },
      })),
    })),
  };
}
