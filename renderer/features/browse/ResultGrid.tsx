// The results as a poster grid: a virtualized listbox of tiles (only the rows of tiles in view exist in the
// DOM), as many columns as fit, pages fetched as they scroll into view. The keyboard moves an active tile
// (arrows by one tile or one row, Page Up/Down, Home/End; Enter opens it), like the compact list.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { BrowseRow } from '../../../shared/domain.js';
import { Artwork } from '../../components/Artwork.js';
import { episodeCode, kindLabel } from '../../format.js';
import { useStores } from '../../stores-context.js';
import { useResultNavigation } from './result-navigation.js';

const TILE_WIDTH = 148;
const POSTER_WIDTH = 128;
const POSTER_HEIGHT = 192;
const ROW_HEIGHT = POSTER_HEIGHT + 64;

/** The second line under a poster: year, or the show and episode code. */
function caption(row: BrowseRow): string {
  if (row.kind === 'episode') return `${row.showTitle ?? ''} ${episodeCode(row.seasonNumber, row.episodeNumber)}`.trim();
  const parts = [row.year === null ? null : String(row.year), row.episodeCount === null ? null : `${row.episodeCount} ep.`];
  return parts.filter((part) => part !== null).join(' · ');
}

export function ResultGrid() {
  const { browse } = useStores();
  const total = useStore(browse, (state) => state.total ?? 0);
  const kind = useStore(browse, (state) => state.kind);
  useStore(browse, (state) => state.pages);
  const selectedId = useStore(browse, (state) => state.selectedId);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(TILE_WIDTH * 4);

  useEffect(() => {
    const element = scrollRef.current;
    if (element === null) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    setWidth(element.clientWidth);
    return () => observer.disconnect();
  }, []);

  const columns = Math.max(1, Math.floor((width - 16) / TILE_WIDTH));
  const rowCount = Math.ceil(total / columns);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 2,
  });
  const rows = virtualizer.getVirtualItems();
  const first = (rows[0]?.index ?? 0) * columns;
  const last = Math.min(total - 1, ((rows.at(-1)?.index ?? 0) + 1) * columns - 1);

  useEffect(() => {
    if (total > 0) browse.getState().ensureRange(first, Math.max(first, last));
  }, [browse, first, last, total]);

  const pageRows = (): number => Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 3) / ROW_HEIGHT));
  const { active, open, onKeyDown } = useResultNavigation({
    total,
    movesFrom: (from) => ({
      ArrowRight: from + 1,
      ArrowLeft: from - 1,
      ArrowDown: from + columns,
      ArrowUp: from - columns,
      PageDown: from + pageRows() * columns,
      PageUp: from - pageRows() * columns,
    }),
    scrollTo: (index) => virtualizer.scrollToIndex(Math.floor(index / columns), { align: 'auto' }),
    virtualizer,
  });

  return (
    <div
      ref={scrollRef}
      className="result-grid"
      role="listbox"
      tabIndex={0}
      aria-label={kind === null ? 'Titles' : kindLabel(kind)}
      // Only an option in the DOM may be named: a resize or a scroll can leave the active one out of it.
      aria-activedescendant={total > 0 && active >= first && active <= last ? `browse-tile-${active}` : undefined}
      aria-orientation="horizontal"
      onKeyDown={onKeyDown}
      data-testid="browse-grid"
      data-columns={columns}
    >
      {total === 0 ? (
        <p className="empty list-empty">Nothing here yet.</p>
      ) : (
        <div className="result-grid-inner" style={{ height: virtualizer.getTotalSize() }}>
          {rows.flatMap((virtualRow) =>
            Array.from({ length: columns }, (_, column) => virtualRow.index * columns + column)
              .filter((index) => index < total)
              .map((index) => {
                const row = browse.getState().rowAt(index);
                const column = index % columns;
                return (
                  <div
                    key={index}
                    id={`browse-tile-${index}`}
                    role="option"
                    aria-selected={row !== undefined && row.id === selectedId}
                    aria-setsize={total}
                    aria-posinset={index + 1}
                    // A tile is named by its text (title, then year or episode); a tile still loading has none yet.
                    aria-label={row === undefined ? 'Loading' : undefined}
                    className={index === active ? 'result-tile active' : 'result-tile'}
                    style={{
                      width: TILE_WIDTH,
                      height: ROW_HEIGHT,
                      transform: `translate(${column * TILE_WIDTH}px, ${virtualRow.start}px)`,
                    }}
                    data-testid="browse-row"
                    data-loaded={row !== undefined}
                    onClick={() => open(index)}
                  >
                    {row === undefined ? (
                      <div
                        className="poster artwork-placeholder"
                        style={{ width: POSTER_WIDTH, height: POSTER_HEIGHT }}
                        aria-hidden="true"
                      />
                    ) : (
                      <>
                        {/* The title follows as text: the poster would only say it twice to a screen reader. */}
                        <div aria-hidden="true">
                          <Artwork itemId={row.id} role="poster" title={row.title} width={POSTER_WIDTH} height={POSTER_HEIGHT} />
                        </div>
                        <span className="tile-title" title={row.title}>
                          {row.title}
                        </span>
                        <span className="tile-meta muted small" title={`${row.libraryTitle} · ${row.serverName}`}>
                          {caption(row) || `${row.libraryTitle}`}
                        </span>
                      </>
                    )}
                  </div>
                );
              }),
          )}
        </div>
      )}
    </div>
  );
}
