// Whose image an item shows. Plex's thumb of an episode is a still from the episode, not a poster: an episode's
// poster (and background) is its show's, as Plex's own apps show it, and all episodes of a show share one cached
// image. Seasons have posters of their own in Plex, and so do movies and shows. An episode whose show the
// catalog lacks shows its own thumb rather than nothing.
import type { ArtworkRole } from '../../shared/artwork.js';

export interface ArtworkSubject {
  id: number;
  kind: string;
  showId: number | null;
}

/** The item id whose image answers a request for `item`'s image of `role`. */
export function artworkSourceId(item: ArtworkSubject, _role: ArtworkRole): number {
  if (item.kind === 'episode' && item.showId !== null) return item.showId;
  return item.id;
}

/** The item's image on the server, as the transcoder's `url` parameter names it. */
export function plexImagePath(ratingKey: string, role: ArtworkRole): string {
  return `/library/metadata/${encodeURIComponent(ratingKey)}/${role === 'poster' ? 'thumb' : 'art'}`;
}
