// Which size Plex's transcoder is asked for: the smallest of a few buckets that covers the box the page shows.
// Posters are 2:3 and backgrounds 16:9 in every bucket, so a poster shown at 72×108 and one at 80×120 are one
// cached image (the page fits it with object-fit: cover), and the cache hits across screens and pixel ratios.
import type { ArtworkRole } from '../../shared/artwork.js';

export interface ArtworkSize {
  width: number;
  height: number;
}

/** Widths asked of Plex, in device pixels. */
export const BUCKET_WIDTHS: readonly number[] = [120, 240, 360, 480, 720, 960, 1440, 1920, 2880, 3840];

/** Height per width of each role's buckets. */
const ASPECT: Record<ArtworkRole, number> = { poster: 3 / 2, background: 9 / 16 };

export function bucketSize(role: ArtworkRole, width: number, height: number): ArtworkSize {
  const aspect = ASPECT[role];
  const sized = (bucket: number): ArtworkSize => ({ width: bucket, height: Math.round(bucket * aspect) });
  for (const bucket of BUCKET_WIDTHS) {
    const size = sized(bucket);
    if (size.width >= width && size.height >= height) return size;
  }
  return sized(BUCKET_WIDTHS[BUCKET_WIDTHS.length - 1] ?? 3840);
}
