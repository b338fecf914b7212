// Read-only queries for browsing music: an artist's albums with their tracks (an audiobook author's books with
// their parts). Reads work while a job runs (WAL).
import { type Catalog, queryAll, queryFirst } from './database.js';

export interface MusicTrackRow {
  id: number;
  title: string;
  discNumber: number | null;
  trackNumber: number | null;
  durationMs: number | null;
  /** The first file of the track's first version (null when Plex sent no path). */
  plexPath: string | null;
  localPath: string | null;
  mapped: boolean | null;
  size: number | null;
  container: string | null;
}

export interface MusicAlbumRow {
  /** null: the tracks whose album is no longer in the catalog. */
  id: number | null;
  title: string | null;
  year: number | null;
  /** Audiobooks: the book's ASIN (from the Audnexus agent's GUID). */
  asin: string | null;
  tracks: MusicTrackRow[];
}

export interface ArtistAlbumsResult {
  id: number;
  title: string;
  libraryTitle: string;
  albums: MusicAlbumRow[];
}

/** The artist an artist, album or track belongs to (itself for an artist); null for anything else. */
export function artistIdOf(catalog: Catalog, itemId: number): number | null {
  const { db } = catalog;
  const row = queryFirst(
    catalog,
    db
      .selectFrom('items as i')
      .leftJoin('albums as a', 'a.item_id', 'i.id')
      .leftJoin('tracks as t', 't.item_id', 'i.id')
      .select(['i.kind', 'a.artist_id as albumArtist', 't.artist_id as trackArtist'])
      .where('i.id', '=', itemId),
  );
  if (row === undefined) return null;
  if (row.kind === 'artist') return itemId;
  return row.albumArtist ?? row.trackArtist ?? null;
}

/** The artist with its albums (by year, then title) and their tracks (by disc, number, title); null for no such artist. */
export function artistAlbums(catalog: Catalog, artistId: number): ArtistAlbumsResult | null {
  const { db } = catalog;
  const artist = queryFirst(
    catalog,
    db
      .selectFrom('items as i')
      .innerJoin('libraries as l', 'l.id', 'i.library_id')
      .select(['i.id', 'i.title', 'l.title as libraryTitle'])
      .where('i.id', '=', artistId)
      .where('i.kind', '=', 'artist'),
  );
  if (artist === undefined) return null;
  const albums = queryAll(
    catalog,
    db
      .selectFrom('albums as a')
      .innerJoin('items as i', 'i.id', 'a.item_id')
      .leftJoin('external_ids as x', (join) => join.onRef('x.item_id', '=', 'a.item_id').on('x.provider', '=', 'asin'))
      .select(['i.id', 'i.title', 'a.year', 'x.value as asin'])
      .where('a.artist_id', '=', artistId)
      .orderBy('a.year')
      .orderBy('i.title')
      .orderBy('i.id'),
  );
  const tracks = queryAll(
    catalog,
    db
      .selectFrom('tracks as t')
      .innerJoin('items as i', 'i.id', 't.item_id')
      .leftJoin('media_files as f', (join) =>
        join.onRef('f.item_id', '=', 't.item_id').on('f.media_index', '=', 0).on('f.part_index', '=', 0),
      )
      .select([
        'i.id',
        'i.title',
        't.album_id as albumId',
        't.disc_number as discNumber',
        't.track_number as trackNumber',
        't.duration_ms as durationMs',
        'f.plex_path as plexPath',
        'f.local_path as localPath',
        'f.mapped',
        'f.size',
        'f.container',
      ])
      .where('t.artist_id', '=', artistId)
      .orderBy('t.disc_number')
      .orderBy('t.track_number')
      .orderBy('i.title')
      .orderBy('i.id'),
  );
  const byAlbum = new Map<number | null, MusicAlbumRow>(
    albums.map((album) => [album.id, { id: album.id, title: album.title, year: album.year, asin: album.asin ?? null, tracks: [] }]),
  );
  for (const track of tracks) {
    const albumId = track.albumId !== null && byAlbum.has(track.albumId) ? track.albumId : null;
    let album = byAlbum.get(albumId);
    if (album === undefined) {
      album = { id: null, title: null, year: null, asin: null, tracks: [] };
      byAlbum.set(null, album);
    }
    album.tracks.push({
      id: track.id,
      title: track.title,
      discNumber: track.discNumber,
      trackNumber: track.trackNumber,
      durationMs: track.durationMs,
      plexPath: track.plexPath ?? null,
      localPath: track.localPath ?? null,
      mapped: track.mapped === null ? null : track.mapped === 1,
      size: track.size ?? null,
      container: track.container ?? null,
    });
  }
  return { id: artist.id, title: artist.title, libraryTitle: artist.libraryTitle, albums: [...byAlbum.values()] };
}
