// Libraries of every server: which are synced, what they hold, how their last sync went.
import { useStore } from 'zustand';
import type { LibrarySummary, ServerSummary, SyncProgress } from '../../../shared/domain.js';
import { Badge } from '../../components/Badge.js';
import { ErrorText } from '../../components/ErrorText.js';
import { Remedy } from '../../components/Remedy.js';
import { ViewHeader } from '../../components/ViewHeader.js';
import { formatCount, formatWhen, plural } from '../../format.js';
import { isSyncable } from '../../stores/libraries.js';
import { useStores } from '../../stores-context.js';
import { scanActionKey } from '../../stores/live.js';

export function LibrariesView() {
  const { libraries: store, servers: serversStore, ui, sync } = useStores();
  const libraries = useStore(store, (state) => state.libraries);
  const loaded = useStore(store, (state) => state.loaded);
  const loadError = useStore(store, (state) => state.loadError);
  const servers = useStore(serversStore, (state) => state.servers);
  const syncError = useStore(sync, (state) => state.error);

  return (
    <section className="view" aria-labelledby="libraries-title" data-testid="libraries-view">
      <ViewHeader
        title="Libraries"
        titleId="libraries-title"
        intro="Movie and show libraries are synced when enabled; other kinds are listed but never synced."
      />
      <ErrorText error={loadError} />
      <ErrorText error={syncError} testId="sync-start-error" />
      {loaded && servers.length === 0 ? (
        <p className="empty">
          No servers yet.{' '}
          <button type="button" className="button link" onClick={() => ui.getState().navigate('servers')}>
            Add a server
          </button>
        </p>
      ) : null}
      {servers.map((server) => (
        <ServerLibraries key={server.id} server={server} libraries={libraries.filter((library) => library.serverId === server.id)} />
      ))}
    </section>
  );
}

function ServerLibraries({ server, libraries }: { server: ServerSummary; libraries: LibrarySummary[] }) {
  const { sync, ui } = useStores();
  const busy = useStore(sync, (state) => state.running || state.starting);
  const headingId = `libraries-server-${server.id}`;

  return (
    <section className="card" aria-labelledby={headingId} data-testid="server-libraries" data-server-name={server.name}>
      <div className="card-header">
        <h2 id={headingId}>
          {server.name} {server.active ? null : <Badge tone="muted">inactive</Badge>}
        </h2>
        <div className="card-actions">
          <button type="button" className="button small" onClick={() => ui.getState().showMappings(server.id)}>
            Path mappings<span className="visually-hidden"> for {server.name}</span>
          </button>
          <button
            type="button"
            className="button small primary"
            disabled={busy}
            onClick={() => void sync.getState().start({ serverId: server.id })}
            data-testid="sync-server"
          >
            Sync server<span className="visually-hidden"> {server.name}</span>
          </button>
        </div>
      </div>
      {libraries.length === 0 ? (
        <p className="empty">No libraries listed yet: they are read from the server at the next sync.</p>
      ) : (
        <div className="table-wrap">
          <table className="table fixed">
            <caption className="visually-hidden">Libraries of {server.name}</caption>
            <colgroup>
              <col className="col-library" />
              <col className="col-enabled" />
              <col className="col-items" />
              <col />
              <col className="col-unmapped" />
              <col className="col-actions" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Library</th>
                <th scope="col">Enabled</th>
                <th scope="col">Items</th>
                <th scope="col">Last sync</th>
                <th scope="col">Unmapped files</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {libraries.map((library) => (
                <LibraryRow key={library.id} library={library} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function LibraryRow({ library }: { library: LibrarySummary }) {
  const { libraries, sync, ui, live } = useStores();
  const scan = useStore(live, (state) => state.actions[scanActionKey(library.id)] ?? null);
  const pending = useStore(libraries, (state) => state.pending[library.id] === true);
  const rowError = useStore(libraries, (state) => state.rowErrors[library.id] ?? null);
  const busy = useStore(sync, (state) => state.running || state.starting);
  const syncingThis = useStore(sync, (state) => state.running && isSyncing(state.progress, library));
  const syncable = isSyncable(library);

  return (
    <tr data-testid="library-row" data-library-title={library.title}>
      <th scope="row">
        {library.title}
        <div className="muted small">{library.type}</div>
      </th>
      <td>
        <label className="switch">
          <input
            type="checkbox"
            checked={library.enabled && syncable}
            disabled={!syncable || pending}
            onChange={(event) => void libraries.getState().setEnabled(library.id, event.target.checked)}
            aria-label={`Enable ${library.title}`}
          />
          <span>{syncable ? (library.enabled ? 'Enabled' : 'Disabled') : 'Not synced'}</span>
        </label>
        <ErrorText error={rowError} />
      </td>
      <td data-testid="library-counts">
        <ItemCounts library={library} />
      </td>
      <td>
        <LastSync library={library} />
      </td>
      <td>
        {library.unmappedFiles === 0 ? (
          <span className="muted">none</span>
        ) : (
          <button type="button" className="button link warn-text" onClick={() => ui.getState().showMappings(library.serverId)}>
            {plural(library.unmappedFiles, 'file')}
            <span className="visually-hidden"> of {library.title} unmapped: edit path mappings</span>
          </button>
        )}
      </td>
      <td className="row-actions">
        {syncingThis ? (
          <span className="muted" role="status">
            Syncing…
          </span>
        ) : null}
        <button
          type="button"
          className="button small"
          disabled={!syncable || busy}
          onClick={() => void sync.getState().start({ serverId: library.serverId, libraryId: library.id })}
          data-testid="sync-library"
        >
          Sync<span className="visually-hidden"> {library.title}</span>
        </button>
        <button
          type="button"
          className="button small"
          disabled={!syncable || scan?.status === 'asking'}
          title="Ask Plex to look for new, changed or removed files; what it finds arrives live"
          onClick={() => void live.getState().scanLibrary(library.id)}
          data-testid="scan-library"
        >
          Scan files<span className="visually-hidden"> of {library.title}</span>
        </button>
        {scan?.status === 'asked' ? (
          <span className="muted small" role="status" data-testid="scan-asked">
            Plex is scanning
          </span>
        ) : null}
        <ErrorText error={scan?.error ?? null} />
      </td>
    </tr>
  );
}

/** The latest progress event is about this library (between its start and its end). */
function isSyncing(progress: SyncProgress | null, library: LibrarySummary): boolean {
  return (
    progress !== null &&
    progress.kind !== 'library-done' &&
    progress.serverName === library.serverName &&
    progress.libraryTitle === library.title
  );
}

function ItemCounts({ library }: { library: LibrarySummary }) {
  const { movies, shows, episodes } = library.itemCounts;
  if (library.type === 'movie') return <span>{plural(movies, 'movie')}</span>;
  if (library.type === 'show') {
    return (
      <span>
        {plural(shows, 'show')}, {formatCount(episodes)} {episodes === 1 ? 'episode' : 'episodes'}
      </span>
    );
  }
  if (library.type === 'artist') {
    const { artists, albums, tracks } = library.itemCounts;
    return (
      <span>
        {plural(artists, 'artist')}, {plural(albums, 'album')}, {plural(tracks, 'track')}
      </span>
    );
  }
  return <span className="muted">—</span>;
}

function LastSync({ library }: { library: LibrarySummary }) {
  if (library.lastSyncAt === null && library.lastSyncStatus === null) return <span className="muted nowrap">never</span>;
  const tone = library.lastSyncStatus === 'ok' ? 'ok' : library.lastSyncStatus === 'failed' ? 'failed' : 'warn';
  const label =
    library.lastSyncStatus === 'ok'
      ? 'OK'
      : library.lastSyncStatus === 'failed'
        ? 'Failed'
        : library.lastSyncStatus === 'cancelled'
          ? 'Cancelled'
          : '';
  return (
    <div className="last-sync" data-testid="library-last-sync">
      <span className="nowrap">{formatWhen(library.lastSyncAt)}</span> {label === '' ? null : <Badge tone={tone}>{label}</Badge>}
      {library.lastSyncError === null || library.lastSyncStatus === 'ok' ? null : (
        <div className="small">
          {/* Long messages (a URL with its query) are clamped on screen; the title and screen readers have all of it. */}
          <span className="error-inline clamp" title={library.lastSyncError}>
            {library.lastSyncError}
          </span>
          <Remedy serverName={library.serverName} errorCode={library.lastSyncErrorCode} />
        </div>
      )}
    </div>
  );
}
