// Browse the catalog: search movies or shows, a virtualized result list, and a details panel.
import { useEffect, useId } from 'react';
import { useStore } from 'zustand';
import { ErrorText } from '../../components/ErrorText.js';
import { ViewHeader } from '../../components/ViewHeader.js';
import { formatCount } from '../../format.js';
import type { BrowseKind } from '../../stores/browse.js';
import { useStores } from '../../stores-context.js';
import { DetailsPanel } from './DetailsPanel.js';
import { ResultList } from './ResultList.js';

const KINDS: { kind: BrowseKind; label: string }[] = [
  { kind: 'movie', label: 'Movies' },
  { kind: 'show', label: 'Shows' },
];

export function BrowseView() {
  const { browse } = useStores();
  const kind = useStore(browse, (state) => state.kind);
  const query = useStore(browse, (state) => state.query);
  const total = useStore(browse, (state) => state.total);
  const stale = useStore(browse, (state) => state.shownGeneration !== state.generation);
  const listError = useStore(browse, (state) => state.listError);
  const id = useId();

  // Every visit shows the catalog as it is now.
  useEffect(() => browse.getState().reload(), [browse]);

  return (
    <section className="view view-fill" aria-labelledby="browse-title" data-testid="browse-view">
      <ViewHeader title="Browse" titleId="browse-title" />
      <div className="browse-toolbar">
        <div className="segmented" role="radiogroup" aria-label="Kind">
          {KINDS.map((entry) => (
            <label key={entry.kind} className="segment">
              <input
                type="radio"
                name={`${id}-kind`}
                value={entry.kind}
                checked={kind === entry.kind}
                onChange={() => browse.getState().setKind(entry.kind)}
                data-testid={`browse-kind-${entry.kind}`}
              />
              <span>{entry.label}</span>
            </label>
          ))}
        </div>
        <div className="field inline grow">
          <label htmlFor={`${id}-search`}>Search</label>
          <input
            id={`${id}-search`}
            type="search"
            value={query}
            onChange={(event) => browse.getState().setQuery(event.target.value)}
            placeholder={kind === 'movie' ? 'Movie title' : 'Show title'}
            autoComplete="off"
            data-testid="browse-search"
          />
        </div>
        <p className="muted browse-count" role="status" aria-live="polite" data-testid="browse-count" aria-busy={stale}>
          {total === null
            ? 'Loading…'
            : `${formatCount(total)} ${kind === 'movie' ? (total === 1 ? 'movie' : 'movies') : total === 1 ? 'show' : 'shows'}`}
        </p>
      </div>
      <ErrorText error={listError} />
      <div className="browse-panes">
        <ResultList />
        <DetailsPanel />
      </div>
    </section>
  );
}
