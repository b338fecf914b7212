// Browse the catalog: kind, title search, filters and sort above a poster grid or a compact list (a toggle,
// remembered), both virtualized for catalogs of 150,000 titles, and a details panel.
import { useEffect, useId, useState } from 'react';
import { useStore } from 'zustand';
import type { BrowseSort, ItemKind } from '../../../shared/domain.js';
import { ErrorText } from '../../components/ErrorText.js';
import { ViewHeader } from '../../components/ViewHeader.js';
import { formatCount, kindLabel, kindName, resolutionLabel } from '../../format.js';
import { useStores } from '../../stores-context.js';
import type { BrowseState } from '../../stores/browse.js';
import { DetailsPanel } from './DetailsPanel.js';
import { ResultGrid } from './ResultGrid.js';
import { ResultList } from './ResultList.js';

/** Until the catalog's kinds arrive: the two every video catalog has. */
const DEFAULT_KINDS: ItemKind[] = ['movie', 'show'];

/** Titles first, then what they contain; kinds the UI does not know (new ones are data) after, by name. */
const KIND_ORDER = ['movie', 'show', 'episode', 'artist', 'album', 'track'];

function byKindOrder(a: string, b: string): number {
  const rank = (kind: string) => (KIND_ORDER.includes(kind) ? KIND_ORDER.indexOf(kind) : KIND_ORDER.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}

const SORTS: { value: string; label: string; sort: BrowseSort; descending: boolean }[] = [
  { value: 'title', label: 'Title', sort: 'title', descending: false },
  { value: 'year-desc', label: 'Year, newest first', sort: 'year', descending: true },
  { value: 'year-asc', label: 'Year, oldest first', sort: 'year', descending: false },
  { value: 'added', label: 'Recently added', sort: 'added', descending: true },
  { value: 'updated', label: 'Recently updated', sort: 'updated', descending: true },
];

export function BrowseView() {
  const { browse } = useStores();
  const kind = useStore(browse, (state) => state.kind);
  const query = useStore(browse, (state) => state.query);
  const total = useStore(browse, (state) => state.total);
  const layout = useStore(browse, (state) => state.layout);
  const facets = useStore(browse, (state) => state.facets);
  const stale = useStore(browse, (state) => state.shownGeneration !== state.generation);
  const listError = useStore(browse, (state) => state.listError);
  const id = useId();

  // Every visit shows the catalog as it is now.
  useEffect(() => {
    browse.getState().reload();
    void browse.getState().loadFacets();
  }, [browse]);

  const kinds = [...(facets?.kinds.map((entry) => entry.kind) ?? DEFAULT_KINDS)].sort(byKindOrder);
  const kindOptions: { kind: ItemKind | null; label: string }[] = [
    ...kinds.map((entry) => ({ kind: entry, label: kindLabel(entry) })),
    { kind: null, label: 'All' },
  ];

  return (
    <section className="view view-fill" aria-labelledby="browse-title" data-testid="browse-view">
      <ViewHeader title="Browse" titleId="browse-title" />
      <div className="browse-toolbar">
        <div className="segmented" role="radiogroup" aria-label="Kind">
          {kindOptions.map((entry) => (
            <label key={entry.kind ?? 'all'} className="segment">
              <input
                type="radio"
                name={`${id}-kind`}
                value={entry.kind ?? 'all'}
                checked={kind === entry.kind}
                onChange={() => browse.getState().setKind(entry.kind)}
                data-testid={`browse-kind-${entry.kind ?? 'all'}`}
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
            placeholder="Title"
            autoComplete="off"
            data-testid="browse-search"
          />
        </div>
        <p className="muted browse-count" role="status" aria-live="polite" data-testid="browse-count" aria-busy={stale}>
          {total === null ? 'Loading…' : `${formatCount(total)} ${kindName(kind, total)}`}
        </p>
        <div className="segmented" role="radiogroup" aria-label="Layout">
          {(['grid', 'list'] as const).map((value) => (
            <label key={value} className="segment">
              <input
                type="radio"
                name={`${id}-layout`}
                value={value}
                checked={layout === value}
                onChange={() => browse.getState().setLayout(value)}
                data-testid={`browse-layout-${value}`}
              />
              <span>{value === 'grid' ? 'Posters' : 'List'}</span>
            </label>
          ))}
        </div>
      </div>
      <BrowseFilters />
      <ErrorText error={listError} />
      <div className="browse-panes">
        {layout === 'grid' ? <ResultGrid /> : <ResultList />}
        <DetailsPanel />
      </div>
    </section>
  );
}

/** The filters and the sort: selects offer only what the catalog holds. */
function BrowseFilters() {
  const { browse } = useStores();
  const filters = useStore(browse, (state) => state.filters);
  const order = useStore(browse, (state) => state.order);
  const facets = useStore(browse, (state) => state.facets);
  const id = useId();
  const set: BrowseState['setFilters'] = (patch) => browse.getState().setFilters(patch);
  const libraries = (facets?.libraries ?? []).filter((library) => filters.serverId === undefined || library.serverId === filters.serverId);
  const sortValue = SORTS.find((entry) => entry.sort === order.sort && entry.descending === order.descending)?.value ?? 'title';
  const numberOrUndefined = (text: string): number | undefined => (text === '' ? undefined : Number(text));
  const active = Object.keys(filters).length > 0;

  return (
    <div className="browse-filters" role="group" aria-label="Filters" data-testid="browse-filters">
      <Select
        id={`${id}-server`}
        label="Server"
        value={filters.serverId === undefined ? '' : String(filters.serverId)}
        options={(facets?.servers ?? []).map((server) => ({ value: String(server.id), label: server.name }))}
        onChange={(value) => set({ serverId: numberOrUndefined(value), libraryId: undefined })}
      />
      <Select
        id={`${id}-library`}
        label="Library"
        value={filters.libraryId === undefined ? '' : String(filters.libraryId)}
        options={libraries.map((library) => ({ value: String(library.id), label: `${library.title} (${library.serverName})` }))}
        onChange={(value) => set({ libraryId: numberOrUndefined(value) })}
      />
      <Select
        id={`${id}-genre`}
        label="Genre"
        value={filters.genre ?? ''}
        options={(facets?.genres ?? []).map((genre) => ({ value: genre, label: genre }))}
        onChange={(value) => set({ genre: value })}
      />
      <Select
        id={`${id}-rating`}
        label="Rating"
        value={filters.contentRating ?? ''}
        options={(facets?.contentRatings ?? []).map((rating) => ({ value: rating, label: rating }))}
        onChange={(value) => set({ contentRating: value })}
      />
      <Select
        id={`${id}-resolution`}
        label="Resolution"
        value={filters.resolution ?? ''}
        options={(facets?.resolutions ?? []).map((resolution) => ({ value: resolution, label: resolutionLabel(resolution) ?? resolution }))}
        onChange={(value) => set({ resolution: value })}
      />
      <div className="field inline year-range">
        <span id={`${id}-years`}>Years</span>
        <YearInput
          label="From year"
          value={filters.yearFrom}
          placeholder={facets?.years?.min ?? null}
          onChange={(year) => set({ yearFrom: year })}
          testId="browse-year-from"
        />
        <span aria-hidden="true">–</span>
        <YearInput
          label="To year"
          value={filters.yearTo}
          placeholder={facets?.years?.max ?? null}
          onChange={(year) => set({ yearTo: year })}
          testId="browse-year-to"
        />
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={filters.hdr === true} onChange={(event) => set({ hdr: event.target.checked })} />
        HDR
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={filters.unmapped === true}
          onChange={(event) => set({ unmapped: event.target.checked })}
          data-testid="browse-unmapped"
        />
        Unmapped files
      </label>
      <div className="field inline">
        <label htmlFor={`${id}-sort`}>Sort</label>
        <select
          id={`${id}-sort`}
          value={sortValue}
          onChange={(event) => {
            const chosen = SORTS.find((entry) => entry.value === event.target.value);
            if (chosen !== undefined) browse.getState().setOrder({ sort: chosen.sort, descending: chosen.descending });
          }}
          data-testid="browse-sort"
        >
          {SORTS.map((entry) => (
            <option key={entry.value} value={entry.value}>
              {entry.label}
            </option>
          ))}
        </select>
      </div>
      {active ? (
        <button type="button" className="button small" onClick={() => browse.getState().clearFilters()} data-testid="browse-clear-filters">
          Clear filters
        </button>
      ) : null}
    </div>
  );
}

/** A four-digit year, else no bound (a half-typed "19" filters nothing yet). */
function yearOf(text: string): number | undefined {
  return /^\d{4}$/.test(text) ? Number(text) : undefined;
}

/** Keeps what is typed; the filter takes it once it is a year. */
function YearInput(props: {
  label: string;
  value: number | undefined;
  placeholder: number | null;
  onChange: (year: number | undefined) => void;
  testId: string;
}) {
  const [text, setText] = useState(props.value === undefined ? '' : String(props.value));
  // "Clear filters" empties it.
  useEffect(() => {
    if (props.value === undefined) setText((current) => (yearOf(current) === undefined ? current : ''));
  }, [props.value]);
  return (
    <input
      type="text"
      inputMode="numeric"
      className="year-input"
      aria-label={props.label}
      placeholder={props.placeholder === null ? undefined : String(props.placeholder)}
      maxLength={4}
      value={text}
      onChange={(event) => {
        setText(event.target.value);
        const year = yearOf(event.target.value);
        if (year !== props.value) props.onChange(year);
      }}
      data-testid={props.testId}
    />
  );
}

function Select(props: {
  id: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  return (
    <div className="field inline">
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        data-testid={`browse-filter-${props.label.toLowerCase()}`}
      >
        <option value="">Any</option>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
