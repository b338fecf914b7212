// The artwork service's pure parts: size buckets, whose image an item shows, the per-server limiter.
import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from '../../../main/artwork/limiter.js';
import { bucketSize } from '../../../main/artwork/sizes.js';
import { artworkSourceId, plexImagePath } from '../../../main/artwork/source.js';

describe('bucketSize', () => {
  it('asks for the smallest 2:3 poster or 16:9 background that covers the box', () => {
    expect(bucketSize('poster', 72, 108)).toEqual({ width: 120, height: 180 });
    expect(bucketSize('poster', 144, 216)).toEqual({ width: 240, height: 360 });
    expect(bucketSize('poster', 200, 300)).toEqual({ width: 240, height: 360 });
    // A box wider than 2:3 is covered by width, a taller one by height.
    expect(bucketSize('poster', 300, 100)).toEqual({ width: 360, height: 540 });
    expect(bucketSize('poster', 100, 400)).toEqual({ width: 360, height: 540 });
    expect(bucketSize('background', 1280, 720)).toEqual({ width: 1440, height: 810 });
    expect(bucketSize('background', 4096, 4096)).toEqual({ width: 3840, height: 2160 });
  });
});

describe('whose image an item shows', () => {
  it("gives an episode its show's images, everything else its own", () => {
    expect(artworkSourceId({ id: 7, kind: 'episode', showId: 3 }, 'poster')).toBe(3);
    expect(artworkSourceId({ id: 7, kind: 'episode', showId: 3 }, 'background')).toBe(3);
    expect(artworkSourceId({ id: 7, kind: 'episode', showId: null }, 'poster')).toBe(7);
    expect(artworkSourceId({ id: 5, kind: 'season', showId: null }, 'poster')).toBe(5);
    expect(artworkSourceId({ id: 9, kind: 'movie', showId: null }, 'background')).toBe(9);
    expect(plexImagePath('123', 'poster')).toBe('/library/metadata/123/thumb');
    expect(plexImagePath('123', 'background')).toBe('/library/metadata/123/art');
  });
});

describe('ConcurrencyLimiter', () => {
  it('runs at most N at once, the rest in arrival order, and never lets a newcomer jump the queue', async () => {
    const limiter = new ConcurrencyLimiter(2);
    const releases: (() => void)[] = [];
    const started: number[] = [];
    let peak = 0;
    const task = (id: number) =>
      limiter.run(async () => {
        started.push(id);
        peak = Math.max(peak, limiter.active);
        await new Promise<void>((resolve) => releases.push(resolve));
        return id;
      });
    const first = [task(1), task(2), task(3), task(4)];
    await Promise.resolve();
    expect(started).toEqual([1, 2]);
    expect(limiter.queued).toBe(2);
    releases.shift()?.();
    const late = task(5);
    await first[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([1, 2, 3]);
    while (releases.length > 0 || started.length < 5) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all([...first, late])).toEqual([1, 2, 3, 4, 5]);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(limiter.active).toBe(0);
  });
});
