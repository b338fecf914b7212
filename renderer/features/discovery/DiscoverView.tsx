// Discover: find a show on one server by title (and year) and import just that show.
import { useId, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { DiscoveryCandidate } from '../../../shared/domain.js';
import { Badge } from '../../components/Badge.js';
import { ErrorText } from '../../components/ErrorText.js';
import { Progress } from '../../components/Progress.js';
import { ViewHeader } from '../../components/ViewHeader.js';
import { externalIdLabel, formatCount, initialsOf, plural } from '../../format.js';
import type { ImportState } from '../../stores/discovery.js';
import { useStores } from '../../stores-context.js';

export function DiscoverView() {
  const { servers: serversStore, discovery } = useStores();
  const servers = useStore(serversStore, (state) => state.servers);
  const searching = useStore(discovery, (state) => state.searching);
  const searchError = useStore(discovery, (state) => state.searchError);
  const results = useStore(discovery, (state) => state.results);
  const lastQuery = useStore(discovery, (state) => state.query);
  const [serverChoice, setServerChoice] = useState<number | null>(lastQuery?.serverId ?? null);
  const [title, setTitle] = useState(lastQuery?.title ?? '');
  const [year, setYear] = useState(lastQuery?.year === undefined ? '' : String(lastQuery.year));
  const id = useId();

  const serverId = servers.some((server) => server.id === serverChoice) ? serverChoice : (servers[0]?.id ?? null);
  const yearValue = year.trim() === '' ? undefined : Number(year);
  const yearInvalid = yearValue !== undefined && (!Number.isInteger(yearValue) || yearValue < 1870 || yearValue > 2200);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (serverId === null || title.trim() === '' || yearInvalid) return;
    void discovery.getState().search({ serverId, title, ...(yearValue === undefined ? {} : { year: yearValue }) });
  };

  return (
    <section className="view" aria-labelledby="discover-title" data-testid="discover-view">
      <ViewHeader
        title="Discover a show"
        titleId="discover-title"
        intro="Find one show on a server and import it on its own, without syncing the whole library."
      />
      {servers.length === 0 ? (
        <p className="empty">Add a server first.</p>
      ) : (
        <form className="card form form-row" onSubmit={submit} data-testid="discover-form" noValidate>
          <div className="field">
            <label htmlFor={`${id}-server`}>Server</label>
            <select id={`${id}-server`} value={serverId ?? ''} onChange={(event) => setServerChoice(Number(event.target.value))}>
              {servers.map((server) => (
                <option key={server.id} value={server.id}>
                  {server.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field grow">
            <label htmlFor={`${id}-title`}>Title</label>
            <input
              id={`${id}-title`}
              type="search"
              value={title}
              onChange={(event) => setTitle(event.target.value)}
              placeholder="The Expanse"
              autoComplete="off"
              data-testid="discover-title"
            />
          </div>
          <div className="field narrow">
            <label htmlFor={`${id}-year`}>Year (optional)</label>
            <input
              id={`${id}-year`}
              inputMode="numeric"
              value={year}
              onChange={(event) => setYear(event.target.value)}
              aria-invalid={yearInvalid || undefined}
              aria-describedby={yearInvalid ? `${id}-year-error` : undefined}
              autoComplete="off"
              data-testid="discover-year"
            />
            {yearInvalid ? (
              <p className="error-text small" id={`${id}-year-error`}>
                A year such as 2015
              </p>
            ) : null}
          </div>
          <div className="form-actions">
            <button
              type="submit"
              className="button primary"
              disabled={searching || title.trim() === '' || yearInvalid}
              data-testid="discover-search"
            >
              {searching ? 'Searching…' : 'Search'}
            </button>
          </div>
        </form>
      )}
      <ErrorText error={searchError} testId="discover-error" />
      {results === null ? null : results.length === 0 ? (
        <p className="empty" role="status">
          No show on this server matches “{lastQuery?.title}”{lastQuery?.year === undefined ? '' : ` (${lastQuery.year})`}.
        </p>
      ) : (
        <>
          <p className="muted" role="status">
            {plural(results.length, 'show')} found
          </p>
          <ul className="candidates" data-testid="discover-results">
            {results.map((candidate) => (
              <CandidateCard
                key={`${candidate.sectionKey}/${candidate.ratingKey}`}
                candidate={candidate}
                serverId={lastQuery?.serverId ?? serverId ?? 0}
              />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function CandidateCard({ candidate, serverId }: { candidate: DiscoveryCandidate; serverId: number }) {
  const { discovery } = useStores();
  const state = useStore(discovery, (store) => store.imports[candidate.ratingKey] ?? null);
  const titleId = useId();
  const ids = Object.entries(candidate.externalIds).filter(([provider]) => provider !== 'plex');
  const running = state?.status === 'running';

  return (
    <li className="candidate card" aria-labelledby={titleId} data-testid="discover-candidate" data-title={candidate.title}>
      <div className="poster" aria-hidden="true">
        {initialsOf(candidate.title)}
      </div>
      <div className="candidate-body">
        <h3 id={titleId} className="candidate-title">
          {candidate.title} {candidate.year === null ? null : <span className="muted">({candidate.year})</span>}{' '}
          {candidate.inCatalog ? (
            <span data-testid="in-catalog-badge">
              <Badge tone="ok">In catalog</Badge>
            </span>
          ) : null}
        </h3>
        <p className="muted small">
          {candidate.libraryTitle} · {candidate.serverName}
          {candidate.seasonCount === null ? '' : ` · ${plural(candidate.seasonCount, 'season')}`}
          {candidate.episodeCount === null ? '' : ` · ${plural(candidate.episodeCount, 'episode')}`}
        </p>
        {ids.length === 0 ? (
          <p className="muted small">No external ids</p>
        ) : (
          <dl className="ids">
            {ids.map(([provider, value]) => (
              <div key={provider}>
                <dt>{externalIdLabel(provider)}</dt>
                <dd className="mono">{value}</dd>
              </div>
            ))}
          </dl>
        )}
        <div className="candidate-actions">
          <button
            type="button"
            className={candidate.inCatalog ? 'button small' : 'button small primary'}
            onClick={() => void discovery.getState().importShow(serverId, candidate.ratingKey)}
            disabled={running}
            data-testid="discover-import"
          >
            {running ? 'Importing…' : candidate.inCatalog ? 'Import again' : 'Import'}
            <span className="visually-hidden"> {candidate.title}</span>
          </button>
        </div>
        {state === null ? null : <ImportStatus state={state} />}
      </div>
    </li>
  );
}

function ImportStatus({ state }: { state: ImportState }) {
  if (state.status === 'running') {
    const progress = state.progress;
    const items = progress?.kind === 'items' ? progress : null;
    return (
      <Progress
        label="Import"
        value={items?.done ?? null}
        max={items?.itemsTotal ?? 0}
        testId="import-progress"
        detail={items === null ? 'Connecting…' : `${formatCount(items.done)} of ${formatCount(items.itemsTotal)} ${items.phase}`}
      />
    );
  }
  const report = state.report;
  if (state.status === 'failed') {
    return (
      <div data-testid="import-report" data-outcome={report?.outcome ?? 'failed'}>
        <ErrorText error={state.error} />
      </div>
    );
  }
  return (
    <p className="success-text" role="status" data-testid="import-report" data-outcome="ok">
      {report === null
        ? 'Imported.'
        : `Imported into ${report.libraryTitle}: ${formatCount(report.added)} added, ${formatCount(report.updated)} updated, ` +
          `${formatCount(report.removed)} removed, ${formatCount(report.unchanged)} unchanged.`}
    </p>
  );
}
