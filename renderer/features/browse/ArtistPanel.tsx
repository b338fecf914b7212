// A music artist in the details panel: its albums with their tracks (number, title, duration, file). An
// audiobook author shows "Author" and each book with its parts and ASIN. Presentational: the details panel
// fetches `browse:artist` and passes the answer in (wired by the Browse view).
import type { BrowseAlbum, BrowseArtist, BrowseTrack } from '../../../shared/domain.js';
import { Badge } from '../../components/Badge.js';
import { formatDuration, plural } from '../../format.js';

export interface ArtistPanelProps {
  artist: BrowseArtist;
  /** The track whose details are shown, marked as pressed. */
  selectedTrackId?: number | null;
  onSelectTrack?: (trackId: number) => void;
}

export function ArtistPanel({ artist, selectedTrackId = null, onSelectTrack }: ArtistPanelProps) {
  const audiobooks = artist.albums.length > 0 && artist.albums.every((album) => album.audiobook);
  const headingId = `artist-${artist.id}-title`;
  return (
    <section className="seasons" aria-labelledby={headingId} data-testid="browse-artist" data-audiobooks={audiobooks}>
      <h2 id={headingId}>
        {audiobooks ? <span className="muted small">Author · </span> : null}
        {artist.title}
      </h2>
      <p className="muted small">
        {plural(artist.albums.length, audiobooks ? 'book' : 'album')} · {artist.libraryTitle}
      </p>
      {artist.albums.length === 0 ? <p className="muted">No albums in the catalog.</p> : null}
      {artist.albums.map((album) => (
        <Album key={album.id ?? 'none'} album={album} selectedTrackId={selectedTrackId} onSelectTrack={onSelectTrack} />
      ))}
    </section>
  );
}

function Album({
  album,
  selectedTrackId,
  onSelectTrack,
}: {
  album: BrowseAlbum;
  selectedTrackId: number | null;
  onSelectTrack: ((trackId: number) => void) | undefined;
}) {
  const discs = new Set(album.tracks.map((track) => track.discNumber ?? 1)).size;
  return (
    <details className="season" open={album.tracks.length <= 30} data-testid="browse-album" data-audiobook={album.audiobook}>
      <summary>
        {album.audiobook ? <Badge tone="info">book</Badge> : null} {album.title}
        {album.year === null ? null : <span className="muted small"> ({album.year})</span>}{' '}
        <span className="muted small">
          {plural(album.tracks.length, album.audiobook ? 'part' : 'track')}
          {album.asin === null ? null : <span className="mono"> · ASIN {album.asin}</span>}
        </span>
      </summary>
      <ul className="episode-list">
        {album.tracks.map((track) => (
          <li key={track.id}>
            <Track track={track} showDisc={discs > 1} selected={selectedTrackId === track.id} onSelect={onSelectTrack} />
          </li>
        ))}
      </ul>
    </details>
  );
}

function Track({
  track,
  showDisc,
  selected,
  onSelect,
}: {
  track: BrowseTrack;
  showDisc: boolean;
  selected: boolean;
  onSelect: ((trackId: number) => void) | undefined;
}) {
  const number =
    track.trackNumber === null
      ? ''
      : showDisc
        ? `${track.discNumber ?? 1}-${String(track.trackNumber).padStart(2, '0')}`
        : String(track.trackNumber).padStart(2, '0');
  return (
    <button
      type="button"
      className="episode"
      aria-pressed={selected}
      disabled={onSelect === undefined}
      onClick={() => onSelect?.(track.id)}
      title={track.file?.localPath ?? undefined}
      data-testid="browse-track"
    >
      <span className="mono small">{number}</span> {track.title}
      {track.durationMs === null ? null : <span className="muted small"> · {formatDuration(track.durationMs / 1000)}</span>}
      {track.file !== null && !track.file.mapped ? (
        <>
          {' '}
          <Badge tone="warn">unmapped</Badge>
        </>
      ) : null}
    </button>
  );
}
