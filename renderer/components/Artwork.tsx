// A poster, background or album cover of a catalog item. Contract shared by Browse and the artwork pipeline:
// callers pass the catalog item id and the size shown; how the image is fetched (the main process, through
// `marquee-image://` in the app or the preview's keyed HTTP) is this component's business alone, so no caller
// ever builds an image URL or sees a token. Until an image arrives, and when there is none, it shows a
// placeholder with the title's initials (never a broken image).
import { initialsOf } from '../format.js';

export type ArtworkRole = 'poster' | 'background';

export interface ArtworkProps {
  itemId: number;
  role: ArtworkRole;
  title: string;
  /** CSS pixels shown; the image is requested at this size times the device pixel ratio. */
  width: number;
  height: number;
  className?: string;
}

export function Artwork({ title, width, height, className }: ArtworkProps) {
  return (
    <div
      className={`poster artwork-placeholder${className === undefined ? '' : ` ${className}`}`}
      style={{ width, height }}
      role="img"
      aria-label={title}
      data-testid="artwork"
    >
      <span aria-hidden="true">{initialsOf(title)}</span>
    </div>
  );
}
