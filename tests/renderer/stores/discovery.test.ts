import { describe, expect, it } from 'vitest';
import { createApi } from '../../../renderer/api.js';
import { createDiscoveryStore } from '../../../renderer/stores/discovery.js';
import type { DiscoveryCandidate, LibrarySyncReport } from '../../../shared/domain.js';
import { deferred, FakeBridge, manualScheduler, Refusal } from '../fake-bridge.js';
import { libraryReport } from '../fixtures.js';

function candidate(overrides: Partial<DiscoveryCandidate> = {}): DiscoveryCandidate {
  return {
    serverName: 'Den',
    ratingKey: '100',
    title: 'The Expanse',
    year: 2015,
    libraryTitle: 'TV Shows',
    sectionKey: '2',
    externalIds: { tvdb: '280619' },
    episodeCount: 62,
    seasonCount: 6,
    inCatalog: false,
    ...overrides,
  };
}

describe('discovery store', () => {
  it('searches with the year only when given', async () => {
    const bridge = new FakeBridge({ 'discovery:search': () => [candidate()] });
    const store = createDiscoveryStore(createApi(bridge));
    await store.getState().search({ serverId: 1, title: ' Expanse ' });
    await store.getState().search({ serverId: 1, title: 'Expanse', year: 2015 });
    expect(bridge.callsOf('discovery:search')).toEqual([
      { serverId: 1, title: 'Expanse' },
      { serverId: 1, title: 'Expanse', year: 2015 },
    ]);
    expect(store.getState()).toMatchObject({ searching: false, results: [candidate()], query: { title: 'Expanse', year: 2015 } });
  });

  it('keeps the answer to the latest search only', async () => {
    const slow = deferred<DiscoveryCandidate[]>();
    const bridge = new FakeBridge({
      'discovery:search': (input) => (input.title === 'old' ? slow.promise : [candidate({ title: 'New' })]),
    });
    const store = createDiscoveryStore(createApi(bridge));
    const first = store.getState().search({ serverId: 1, title: 'old' });
    await store.getState().search({ serverId: 1, title: 'new' });
    slow.resolve([candidate({ title: 'Old' })]);
    await first;
    expect(store.getState().results?.map((entry) => entry.title)).toEqual(['New']);
  });

  it('shows a failed search', async () => {
    const store = createDiscoveryStore(
      createApi(
        new FakeBridge({
          'discovery:search': () => {
            throw new Refusal('UNREACHABLE', 'Plex server "Den" could not be reached');
          },
        }),
      ),
    );
    await store.getState().search({ serverId: 1, title: 'x' });
    expect(store.getState()).toMatchObject({ searching: false, results: null, searchError: { code: 'UNREACHABLE' } });
  });

  it('imports a show with its own progress, then marks it in the catalog', async () => {
    const answer = deferred<LibrarySyncReport>();
    const bridge = new FakeBridge({
      'discovery:search': () => [candidate(), candidate({ ratingKey: '200', title: 'Other' })],
      'discovery:import': () => answer.promise,
    });
    const scheduler = manualScheduler();
    const imported: LibrarySyncReport[] = [];
    const store = createDiscoveryStore(createApi(bridge), {
      scheduleFlush: scheduler.schedule,
      onImported: (report) => imported.push(report),
    });
    store.getState().attach();
    await store.getState().search({ serverId: 1, title: 'Expanse' });

    const importing = store.getState().importShow(1, '100');
    expect(store.getState().imports['100']?.status).toBe('running');
    bridge.emit('import:progress', {
      ratingKey: '100',
      kind: 'items',
      index: 0,
      total: 1,
      serverName: 'Den',
      libraryTitle: 'The Expanse',
      phase: 'episodes',
      done: 10,
      itemsTotal: 62,
      ratePerSecond: 0,
      etaSeconds: null,
    });
    bridge.emit('import:progress', {
      ratingKey: '100',
      kind: 'items',
      index: 0,
      total: 1,
      serverName: 'Den',
      libraryTitle: 'The Expanse',
      phase: 'episodes',
      done: 40,
      itemsTotal: 62,
      ratePerSecond: 0,
      etaSeconds: null,
    });
    scheduler.run();
    expect(store.getState().imports['100']?.progress).toMatchObject({ kind: 'items', done: 40 });

    const report = libraryReport({ libraryTitle: 'TV Shows', added: 69 });
    answer.resolve(report);
    await importing;
    expect(bridge.callsOf('discovery:import')).toEqual([{ serverId: 1, ratingKey: '100' }]);
    expect(store.getState().imports['100']).toEqual({ status: 'done', progress: null, report, error: null });
    expect(store.getState().results?.map((entry) => entry.inCatalog)).toEqual([true, false]);
    expect(imported).toEqual([report]);
  });

  it('reports an import that ended badly', async () => {
    const store = createDiscoveryStore(
      createApi(
        new FakeBridge({ 'discovery:import': () => libraryReport({ outcome: 'failed', error: 'Item 100 on "Den" is not a show.' }) }),
      ),
    );
    await store.getState().importShow(1, '100');
    expect(store.getState().imports['100']).toMatchObject({ status: 'failed', error: { message: 'Item 100 on "Den" is not a show.' } });
  });

  it('reports an import refused by main', async () => {
    const store = createDiscoveryStore(
      createApi(
        new FakeBridge({
          'discovery:import': () => {
            throw new Refusal('BUSY', 'A sync is running; wait for it to import the show.');
          },
        }),
      ),
    );
    await store.getState().importShow(1, '100');
    expect(store.getState().imports['100']).toMatchObject({ status: 'failed', report: null, error: { code: 'BUSY' } });
  });
});
