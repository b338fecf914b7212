// The selected title: a show's seasons and episodes, and the details of the item chosen: its poster, metadata
// (tagline, ratings, genres, summary, people), every version with its technical line and files (Plex's and
// local paths, unmapped ones marked), its copies in other libraries or servers, and its ids.
import { useStore } from 'zustand';
import type { BrowseSeason, ItemDetails, MediaFile } from '../../../shared/domain.js';
import { Artwork } from '../../components/Artwork.js';
import { ArtistPanel } from './ArtistPanel.js';
import { Badge } from '../../components/Badge.js';
import { ErrorText } from '../../components/ErrorText.js';
import {
  describeAlsoIn,
  episodeCode,
  externalIdLabel,
  formatBytes,
  formatDuration,
  formatRating,
  formatWhen,
  technicalLine,
} from '../../format.js';
import { useStores } from '../../stores-context.js';
import { refreshActionKey } from '../../stores/live.js';

export function DetailsPanel() {
  const { browse } = useStores();
  const selectedId = useStore(browse, (state) => state.selectedId);
  const seasons = useStore(browse, (state) => state.seasons);

  if (selectedId === null) {
    return (
      <div className="details-panel empty-panel" data-testid="browse-details">
        <p className="muted">Choose a title to see its details.</p>
      </div>
    );
  }
  return (
    <div className="details-panel" data-testid="browse-details">
      {seasons.status === 'idle' ? null : (
        <section className="seasons" aria-labelledby="browse-seasons-title" data-testid="browse-seasons">
          <h2 id="browse-seasons-title">Seasons</h2>
          <ErrorText error={seasons.error} />
          {seasons.status === 'loading' ? <p className="muted">Loading seasons…</p> : null}
          {seasons.value?.length === 0 ? <p className="muted">No episodes in the catalog.</p> : null}
          {seasons.value?.map((season) => (
            <Season key={season.id ?? `n${season.seasonNumber}`} season={season} />
          ))}
        </section>
      )}
      <MusicPanel />
      <ItemDetailsCard />
    </div>
  );
}

function Season({ season }: { season: BrowseSeason }) {
  const { browse } = useStores();
  const detailId = useStore(browse, (state) => state.detailId);
  return (
    <details className="season" open={season.episodes.length <= 30} data-testid="browse-season">
      <summary>
        {season.title} <span className="muted small">({season.episodes.length})</span>
      </summary>
      <ul className="episode-list">
        {season.episodes.map((episode) => (
          <li key={episode.id}>
            <button
              type="button"
              className="episode"
              aria-pressed={detailId === episode.id}
              onClick={() => browse.getState().showItem(episode.id)}
              data-testid="browse-episode"
            >
              <span className="mono small">{episodeCode(season.seasonNumber, episode.episodeNumber)}</span> {episode.title}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}

function ItemDetailsCard() {
  const { browse } = useStores();
  const detail = useStore(browse, (state) => state.detail);
  if (detail.status === 'error') return <ErrorText error={detail.error} />;
  if (detail.value === null) return <p className="muted">Loading details…</p>;
  return <ItemDetailsBody item={detail.value} loading={detail.status === 'loading'} />;
}

/** Kinds that have files of their own (a show, season, artist or album has only its children's). */
const FILE_KINDS: ReadonlySet<string> = new Set(['movie', 'episode', 'track']);

interface Fact {
  label: string;
  value: string;
  /** An identifier: monospace, and a row of its own when long. */
  id?: boolean;
}

function ItemDetailsBody({ item, loading }: { item: ItemDetails; loading: boolean }) {
  const ids = Object.entries(item.externalIds);
  const heading =
    item.kind === 'episode'
      ? `${item.showTitle ?? ''} ${episodeCode(item.seasonNumber, item.episodeNumber)} · ${item.title}`.trim()
      : `${item.title}${item.year === null ? '' : ` (${item.year})`}`;
  // Identifiers in monospace; long ones get a row of their own.
  const facts: Fact[] = [
    { label: 'Kind', value: item.kind },
    { label: 'Library', value: `${item.libraryTitle} · ${item.serverName}` },
    { label: 'Added', value: formatWhen(item.addedAt) },
    ...(item.studio === null ? [] : [{ label: 'Studio', value: item.studio }]),
    ...(item.countries.length === 0 ? [] : [{ label: 'Country', value: item.countries.join(', ') }]),
    ...(item.collections.length === 0 ? [] : [{ label: 'Collection', value: item.collections.join(', ') }]),
    ...(item.labels.length === 0 ? [] : [{ label: 'Labels', value: item.labels.join(', ') }]),
    { label: 'Rating key', value: item.ratingKey, id: true },
    ...ids.map(([provider, value]) => ({ label: externalIdLabel(provider), value, id: true })),
    ...(item.guid === null ? [] : [{ label: 'GUID', value: item.guid, id: true }]),
    { label: 'Group', value: item.groupId, id: true },
  ];
  const alsoIn = describeAlsoIn(item.alsoIn);
  const people: [string, string[]][] = [
    ['Directed by', item.directors],
    ['Written by', item.writers],
    ['Starring', item.actors],
  ];
  return (
    // tabIndex: beside a show's seasons this part scrolls on its own, and keyboard users must be able to scroll it.
    <section
      className="item-details"
      tabIndex={0}
      aria-labelledby="browse-item-title"
      aria-busy={loading}
      data-testid="browse-item"
      data-kind={item.kind}
    >
      <div className="item-head">
        <Artwork itemId={item.id} role="poster" title={item.title} width={120} height={180} className="item-poster" />
        <div className="item-head-text">
          <h2 id="browse-item-title">{heading}</h2>
          {item.originalTitle !== null && item.originalTitle !== item.title ? <p className="muted">{item.originalTitle}</p> : null}
          {item.tagline === null ? null : <p className="tagline">{item.tagline}</p>}
          <p className="item-meta muted" data-testid="browse-item-meta">
            {[
              item.contentRating,
              item.edition,
              ratingText('Critics', item.criticRating, item.criticRatingImage),
              ratingText('Audience', item.audienceRating, item.audienceRatingImage),
            ]
              .filter((part) => part !== null)
              .join(' · ')}
          </p>
          {item.genres.length === 0 ? null : (
            <ul className="tag-list" aria-label="Genres" data-testid="browse-genres">
              {item.genres.map((genre) => (
                <li key={genre}>
                  <Badge tone="muted">{genre}</Badge>
                </li>
              ))}
            </ul>
          )}
          {alsoIn === null ? null : <AlsoIn copies={item.alsoIn} />}
          <RefreshMetadata itemId={item.id} />
        </div>
      </div>
      {item.summary === null ? null : <p className="summary">{item.summary}</p>}
      {people.some(([, names]) => names.length > 0) ? (
        <dl className="facts people">
          {people
            .filter(([, names]) => names.length > 0)
            .map(([label, names]) => (
              <div key={label} className="wide">
                <dt>{label}</dt>
                <dd>{names.join(', ')}</dd>
              </div>
            ))}
        </dl>
      ) : null}
      {FILE_KINDS.has(item.kind) ? <Versions item={item} /> : null}
      <h3>Details</h3>
      <dl className="facts">
        {facts.map(({ label, value, id = false }) => (
          <div key={label} className={id && value.length > 16 ? 'wide' : undefined}>
            <dt>{label}</dt>
            <dd className={id ? 'mono' : undefined} data-testid={`fact-${label.toLowerCase().replaceAll(' ', '-')}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** "also in 4K Movies (Home), Movies (Office)": each copy opens its own details. */
function AlsoIn({ copies }: { copies: ItemDetails['alsoIn'] }) {
  const { browse } = useStores();
  return (
    <p className="also-in" data-testid="browse-also-in">
      also in{' '}
      {copies.map((copy, index) => (
        <span key={copy.id}>
          {index === 0 ? '' : ', '}
          <button type="button" className="link-button" onClick={() => browse.getState().showItem(copy.id)} data-testid="browse-copy">
            {copy.libraryTitle} ({copy.serverName})
          </button>
        </span>
      ))}
    </p>
  );
}

/** "Critics 8.7 (Rotten Tomatoes)": the source is the part of Plex's image name before "://". */
function ratingText(label: string, value: number | null, image: string | null): string | null {
  const rating = formatRating(value);
  if (rating === null) return null;
  const source = image === null ? null : (RATING_SOURCES[image.split('://')[0] ?? ''] ?? null);
  return `${label} ${rating}${source === null ? '' : ` (${source})`}`;
}

const RATING_SOURCES: Record<string, string> = { rottentomatoes: 'Rotten Tomatoes', imdb: 'IMDb', themoviedb: 'TMDB' };

/** Music: the chosen artist's (or album's or track's artist's) albums and tracks; a track opens its details below. */
function MusicPanel() {
  const { browse } = useStores();
  const artist = useStore(browse, (state) => state.artist);
  const detailId = useStore(browse, (state) => state.detailId);
  if (artist.status === 'idle') return null;
  return (
    <>
      <ErrorText error={artist.error} />
      {artist.value === null ? (
        <p className="muted">Loading albums…</p>
      ) : (
        <ArtistPanel artist={artist.value} selectedTrackId={detailId} onSelectTrack={(trackId) => browse.getState().showItem(trackId)} />
      )}
    </>
  );
}

/** Asks Plex to refresh the item's metadata; the refreshed item arrives live and the panel reloads. */
function RefreshMetadata({ itemId }: { itemId: number }) {
  const { live } = useStores();
  const action = useStore(live, (state) => state.actions[refreshActionKey(itemId)] ?? null);
  return (
    <div className="item-actions">
      <button
        type="button"
        className="button small"
        disabled={action?.status === 'asking'}
        onClick={() => void live.getState().refreshItem(itemId)}
        data-testid="refresh-metadata"
      >
        Refresh metadata
      </button>
      {action?.status === 'asked' ? (
        <span className="muted small" role="status">
          Plex is refreshing it
        </span>
      ) : null}
      <ErrorText error={action?.error ?? null} />
    </div>
  );
}

/** Every version with its technical line, then its files: as Plex sees them and on this computer. */
function Versions({ item }: { item: ItemDetails }) {
  return (
    <>
      <h3>{item.versions.length > 1 ? `Versions (${item.versions.length})` : 'Files'}</h3>
      {item.versions.length === 0 ? (
        <p className="muted">No files listed by Plex.</p>
      ) : (
        <ol className="versions" data-testid="browse-versions">
          {item.versions.map((version, index) => (
            <li key={index} className="version" data-testid="browse-version">
              <p className="technical-line" data-testid="browse-technical-line">
                {technicalLine(version) || 'Unknown format'}
              </p>
              <Files files={version.files} />
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

/** Where the files are: as Plex sees them and on this computer; unmapped ones stand out. */
function Files({ files }: { files: MediaFile[] }) {
  return (
    <ul className="files" data-testid="browse-files">
      {files.map((file) => (
        <li key={file.plexPath} className={file.mapped ? 'file' : 'file file-unmapped'} data-testid="browse-file" data-mapped={file.mapped}>
          <div className="file-path">
            <span className="file-label">Plex</span>
            <span className="mono wrap" data-testid="browse-file-plex">
              {file.plexPath}
            </span>
          </div>
          <div className="file-path">
            <span className="file-label">Local</span>
            {file.mapped ? (
              <span className="mono wrap" data-testid="browse-file-local">
                {file.localPath}
              </span>
            ) : (
              <span>
                <Badge tone="warn">unmapped</Badge>{' '}
                <span className="mono wrap" data-testid="browse-file-local">
                  {file.localPath}
                </span>
              </span>
            )}
          </div>
          <div className="muted small">
            {[
              file.container,
              file.size === null ? null : formatBytes(file.size),
              file.duration === null ? null : formatDuration(file.duration / 1000),
            ]
              .filter((part) => part !== null)
              .join(' · ')}
          </div>
        </li>
      ))}
    </ul>
  );
}
