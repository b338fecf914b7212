// The keyboard of Browse's two result views (the compact list and the poster grid): an active option that the
// arrows, Page Up/Down, Home and End move (each view says by how much), Enter or Space opening it, and a new
// search starting again at the first result.
import { useEffect, useState, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import { useStores } from '../../stores-context.js';

export interface ResultNavigation {
  active: number;
  /** Makes this option the active one and opens its result (once its page has arrived). */
  open: (index: number) => void;
  onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => void;
}

export interface ResultNavigationOptions {
  total: number;
  /** Where each key takes the active option from `from` (other keys: Home, End, Enter, Space); clamped to the results. */
  movesFrom: (from: number) => Record<string, number>;
  /** Brings the option at this index into view. */
  scrollTo: (index: number) => void;
  /** The view's virtualizer: back to the top when a new search is shown. */
  virtualizer: { scrollToOffset: (offset: number) => void };
}

export function useResultNavigation({ total, movesFrom, scrollTo, virtualizer }: ResultNavigationOptions): ResultNavigation {
  const { browse } = useStores();
  const generation = useStore(browse, (state) => state.shownGeneration);
  const [active, setActive] = useState(0);

  useEffect(() => {
    setActive(0);
    virtualizer.scrollToOffset(0);
  }, [generation, virtualizer]);

  const open = (index: number) => {
    setActive(index);
    const row = browse.getState().rowAt(index);
    if (row !== undefined) browse.getState().select(row);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (total === 0) return;
    const target = { ...movesFrom(active), Home: 0, End: total - 1 }[event.key];
    if (target !== undefined) {
      event.preventDefault();
      const next = Math.max(0, Math.min(total - 1, target));
      setActive(next);
      scrollTo(next);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open(active);
    }
  };
  return { active, open, onKeyDown };
}
