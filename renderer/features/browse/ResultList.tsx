// The search results as a virtualized listbox: only the rows in view exist in the DOM, pages of rows are
// fetched as they scroll into view, and the keyboard moves an active row (aria-activedescendant).
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { episodeCode, kindLabel } from '../../format.js';
import { useStores } from '../../stores-context.js';
import { useResultNavigation } from './result-navigation.js';

const ROW_HEIGHT = 44;

export function ResultList() {
  const { browse } = useStores();
  const total = useStore(browse, (state) => state.total ?? 0);
  const kind = useStore(browse, (state) => state.kind);
  // Re-render when pages arrive; rows are read through rowAt.
  useStore(browse, (state) => state.pages);
  const selectedId = useStore(browse, (state) => state.selectedId);
  const scrollRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  useEffect(() => {
    browse.getState().ensureRange(first, Math.max(first, last));
  }, [browse, first, last, total]);

  const pageRows = (): number => Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
  const { active, open, onKeyDown } = useResultNavigation({
    total,
    movesFrom: (from) => ({ ArrowDown: from + 1, ArrowUp: from - 1, PageDown: from + pageRows(), PageUp: from - pageRows() }),
    scrollTo: (index) => virtualizer.scrollToIndex(index, { align: 'auto' }),
    virtualizer,
  });

  const label = kind === null ? 'Titles' : kindLabel(kind);
  return (
    <div
      ref={scrollRef}
      className="result-list"
      role="listbox"
      tabIndex={0}
      aria-label={label}
      // Only an option in the DOM may be named: a resize or a scroll can leave the active one out of it.
      aria-activedescendant={total > 0 && active >= first && active <= last ? `browse-option-${active}` : undefined}
      onKeyDown={onKeyDown}
      data-testid="browse-list"
    >
      {total === 0 ? (
        <p className="empty list-empty">Nothing here yet.</p>
      ) : (
        <div className="result-list-inner" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = browse.getState().rowAt(item.index);
            return (
              <div
                key={item.key}
                id={`browse-option-${item.index}`}
                role="option"
                aria-selected={row !== undefined && row.id === selectedId}
                aria-setsize={total}
                aria-posinset={item.index + 1}
                className={item.index === active ? 'result-row active' : 'result-row'}
                style={{ height: item.size, transform: `translateY(${item.start}px)` }}
                data-testid="browse-row"
                data-loaded={row !== undefined}
                onClick={() => open(item.index)}
              >
                {row === undefined ? (
                  <span className="muted">Loading…</span>
                ) : (
                  <>
                    {/* Cut with an ellipsis in a narrow list: the title attribute has all of it. */}
                    <span className="result-title" title={row.year === null ? row.title : `${row.title} (${row.year})`}>
                      {row.title} {row.year === null ? null : <span className="muted">({row.year})</span>}
                    </span>
                    <span className="result-meta muted small" title={`${row.libraryTitle} · ${row.serverName}`}>
                      {row.kind === 'episode' ? `${row.showTitle ?? ''} ${episodeCode(row.seasonNumber, row.episodeNumber)} · ` : ''}
                      {row.libraryTitle} · {row.serverName}
                      {row.episodeCount === null ? '' : ` · ${row.episodeCount} ep.`}
                    </span>
                  </>
                )}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
