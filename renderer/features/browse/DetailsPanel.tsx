// The selected movie or show: a show's seasons and episodes, and the details of the item chosen
// (ids and file paths, Plex's and local, unmapped ones marked).
import { useStore } from 'zustand';
import type { BrowseSeason, ItemDetails } from '../../../shared/ipc.js';
import { Badge } from '../../components/Badge.js';
import { ErrorText } from '../../components/ErrorText.js';
import { episodeCode, externalIdLabel, formatBytes, formatDuration, formatWhen } from '../../format.js';
import { useStores } from '../../stores-context.js';

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
          {seasons.value?.map((season) => <Season key={season.id ?? `n${season.seasonNumber}`} season={season} />)}
        </section>
      )}
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

function ItemDetailsBody({ item, loading }: { item: ItemDetails; loading: boolean }) {
  const ids = Object.entries(item.externalIds);
  const heading =
    item.kind === 'episode'
      ? `${item.showTitle ?? ''} ${episodeCode(item.seasonNumber, item.episodeNumber)} · ${item.title}`.trim()
      : `${item.title}${item.year === null ? '' : ` (${item.year})`}`;
  return (
    <section className="item-details" aria-labelledby="browse-item-title" aria-busy={loading} data-testid="browse-item" data-kind={item.kind}>
      <h2 id="browse-item-title">{heading}</h2>
      <dl className="facts">
        <div>
          <dt>Kind</dt>
          <dd>{item.kind}</dd>
        </div>
        <div>
          <dt>Library</dt>
          <dd>
            {item.libraryTitle} · {item.serverName}
          </dd>
        </div>
        <div>
          <dt>Rating key</dt>
          <dd className="mono">{item.ratingKey}</dd>
        </div>
        {item.guid === null ? null : (
          <div>
            <dt>GUID</dt>
            <dd className="mono wrap">{item.guid}</dd>
          </div>
        )}
        {ids.map(([provider, value]) => (
          <div key={provider}>
            <dt>{externalIdLabel(provider)}</dt>
            <dd className="mono" data-testid={`external-id-${provider}`}>
              {value}
            </dd>
          </div>
        ))}
        <div>
          <dt>Added</dt>
          <dd>{formatWhen(item.addedAt)}</dd>
        </div>
      </dl>
      {item.kind === 'movie' || item.kind === 'episode' ? (
        <>
          <h3>Files</h3>
          {item.files.length === 0 ? (
            <p className="muted">No files listed by Plex.</p>
          ) : (
            <ul className="files" data-testid="browse-files">
              {item.files.map((file) => (
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
                      <span data-testid="browse-file-local">
                        <Badge tone="warn">unmapped</Badge> <span className="mono wrap">{file.localPath}</span>
                      </span>
                    )}
                  </div>
                  <div className="muted small">
                    {[file.container, formatBytes(file.size), file.duration === null ? null : formatDuration(file.duration / 1000)]
                      .filter((part) => part !== null && part !== '—')
                      .join(' · ')}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}
