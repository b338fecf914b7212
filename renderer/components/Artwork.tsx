// A poster, background or album cover of a catalog item. Contract shared by Browse and the artwork pipeline:
// callers pass the catalog item id and the size shown; how the image is fetched (the main process, through
// `marquee-image://` in the app or the preview's keyed HTTP) is this component's business alone, so no caller
// ever builds an image URL or sees a token. Until an image arrives, and when there is none, it shows a
// placeholder with the title's initials (never a broken image).
//
// Lazy: nothing is asked for until the placeholder comes near the viewport (IntersectionObserver), so a long
// grid fetches only what is on screen; the main process then runs at most 6 requests per server at once.
import { type RefObject, useEffect, useRef, useState } from 'react';
import { ARTWORK_MAX_SIDE, type ArtworkRole } from '../../shared/artwork.js';
import { artworkUrl } from '../api.js';
import { initialsOf } from '../format.js';

export type { ArtworkRole } from '../../shared/artwork.js';

export interface ArtworkProps {
  itemId: number;
  role: ArtworkRole;
  title: string;
  /** CSS pixels shown; the image is requested at this size times the device pixel ratio. */
  width: number;
  height: number;
  className?: string;
}

/** How far outside the viewport an image starts loading, so it is there when scrolled to. */
const LOOKAHEAD = '200px';

type LoadState = 'loading' | 'loaded' | 'failed';

export function Artwork({ itemId, role, title, width, height, className }: ArtworkProps) {
  const box = useRef<HTMLDivElement>(null);
  const visible = useNearViewport(box);
  const url = visible ? artworkUrl({ itemId, role, width: devicePixels(width), height: devicePixels(height) }) : null;
  // Per URL: another item (or size) starts over as loading.
  const [state, setState] = useState<{ url: string | null; load: LoadState }>({ url: null, load: 'loading' });
  const load = state.url === url ? state.load : 'loading';
  const loaded = load === 'loaded';
  return (
    <div
      ref={box}
      className={`poster artwork${loaded ? ' artwork-loaded' : ' artwork-placeholder'}${className === undefined ? '' : ` ${className}`}`}
      style={{ width, height }}
      role="img"
      aria-label={title}
      data-testid="artwork"
      data-state={url === null ? 'waiting' : load}
    >
      {loaded ? null : <span aria-hidden="true">{initialsOf(title)}</span>}
      {url === null || load === 'failed' ? null : (
        <img
          key={url}
          src={url}
          alt=""
          decoding="async"
          draggable={false}
          onLoad={() => setState({ url, load: 'loaded' })}
          onError={() => setState({ url, load: 'failed' })}
        />
      )}
    </div>
  );
}

function devicePixels(cssPixels: number): number {
  const ratio = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
  return Math.min(ARTWORK_MAX_SIDE, Math.max(1, Math.round(cssPixels * ratio)));
}

/** True once the element has come within LOOKAHEAD of the viewport (and stays true). */
function useNearViewport(element: RefObject<HTMLElement | null>): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    const target = element.current;
    if (near || target === null) return;
    if (typeof IntersectionObserver === 'undefined') {
      setNear(true);
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          setNear(true);
          observer.disconnect();
        }
      },
      { rootMargin: LOOKAHEAD },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [element, near]);
  return near;
}
