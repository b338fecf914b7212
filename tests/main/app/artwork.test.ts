// The app service's artwork: one ArtworkService beside the catalog file, and a sync that removes or changes items
// tidies their cached images right after it finishes (not at the next start).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AppFixture, startAppFixture } from './fixtures.js';

let app: AppFixture | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

function cachedFiles(dir: string): string[] {
  const root = join(dir, 'artwork');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((folder) => readdirSync(join(root, folder)));
}

describe('app service: artwork', () => {
  it('caches images beside the catalog and drops those of items a sync removed', async () => {
    const fixture = await startAppFixture({ sim: { library: { movies: 4, shows: 0, episodes: 0 } } });
    app = fixture;
    const serverId = await fixture.addSimServer();
    const sync = async (): Promise<void> => {
      const { runId } = await fixture.ok('sync:start', { serverId, full: true });
      await fixture.nextEvent('sync:finished', (payload) => payload.runId === runId);
    };
    await sync();
    const row = fixture.catalog.sqlite.prepare("SELECT id, rating_key FROM items WHERE kind = 'movie' ORDER BY id LIMIT 1").get() as {
      id: number;
      rating_key: string;
    };
    const artwork = fixture.service.artwork;
    expect(artwork).not.toBeNull();
    expect(await artwork?.get({ itemId: row.id, role: 'poster', width: 100, height: 150 })).not.toBeNull();
    expect(cachedFiles(fixture.dir)).toHaveLength(1);

    fixture.sim.library.removeItem(row.rating_key);
    await sync();
    await vi.waitFor(() => expect(cachedFiles(fixture.dir)).toEqual([]));
  });
});
