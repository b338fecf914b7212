// sync:history: each library's last sync as the catalog remembers it, also after the app restarts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppService } from '../../../main/app/service.js';
import { createInProcessSyncRunner } from '../../../main/app/sync-runner.js';
import { listLibraries, recordLibrarySync } from '../../../main/catalog/libraries.js';
import { dispatch } from '../../../main/ipc/dispatch.js';
import { newLibraryReport } from '../../../main/sync/report.js';
import type { LibrarySyncReport } from '../../../shared/domain.js';
import { type AppFixture, startAppFixture, TEST_CLIENT_OPTIONS } from './fixtures.js';

describe('app service: past syncs (sync:history)', () => {
  let app: AppFixture;

  beforeEach(async () => {
    app = await startAppFixture();
  });

  afterEach(async () => {
    await app.close();
  });

  it('is empty before any sync', async () => {
    await app.addSimServer();
    expect(await app.ok('sync:history', {})).toEqual([]);
  });

  it('lists every synced library with its time, outcome and report, also for a restarted app', async () => {
    const serverId = await app.addSimServer();
    const finished = app.nextEvent('sync:finished');
    await app.ok('sync:start', { serverId });
    const done = await finished;

    // A new service on the same catalog: what the app sees after a restart (sync:state knows nothing).
    const restarted = createAppService({
      catalog: app.catalog,
      secrets: app.secrets,
      secretStatus: { kind: 'key-file', warning: null },
      syncRunner: createInProcessSyncRunner({ catalog: app.catalog, secrets: app.secrets, clientOptions: TEST_CLIENT_OPTIONS }),
      log: () => {},
    });
    try {
      const state = await dispatch(restarted, 'sync:state', {});
      expect(state.ok && state.value.lastReport).toBeNull();
      const result = await dispatch(restarted, 'sync:history', {});
      if (!result.ok) throw new Error(result.error.message);
      const history = result.value;
      expect(history.map((entry) => entry.libraryTitle)).toEqual(['Kids Movies', 'Movies', 'TV Shows']);
      for (const entry of history) {
        expect(entry).toMatchObject({ serverId, serverName: 'Sim', outcome: 'ok', error: null });
        expect(entry.syncedAt).toBeGreaterThanOrEqual(Math.floor(done.report.startedAt / 1000));
        const reported = done.report.libraries.find((library) => library.libraryTitle === entry.libraryTitle);
        expect(entry.report).toEqual(reported);
      }
    } finally {
      await restarted.close();
    }
  });

  it('fills what older stored reports lack, and keeps a failure without a readable report', async () => {
    const serverId = await app.addSimServer();
    const libraries = listLibraries(app.catalog, { serverId });
    const movies = libraries.find((library) => library.title === 'Movies');
    const shows = libraries.find((library) => library.title === 'TV Shows');
    if (movies === undefined || shows === undefined) throw new Error('The simulator lists Movies and TV Shows');
    // A report as an earlier version stored it: no counts by kind, no named changes.
    const {
      counts: _counts,
      changes: _changes,
      ...old
    } = newLibraryReport({ serverName: 'Sim', libraryTitle: 'Movies', sectionKey: movies.sectionKey, mode: 'full', added: 7 });
    recordLibrarySync(app.catalog, movies.id, {
      status: 'ok',
      error: null,
      report: old as LibrarySyncReport /* stored as JSON: the missing fields are the point */,
      full: true,
      at: 1_700_000_000,
    });
    recordLibrarySync(app.catalog, shows.id, {
      status: 'failed',
      error: 'Plex server "Sim" refused the token (401)',
      report: null,
      full: false,
      at: 1_700_000_100,
    });

    const history = await app.ok('sync:history', {});
    expect(history).toHaveLength(2);
    const [moviesPast, showsPast] = history;
    expect(moviesPast).toMatchObject({ libraryId: movies.id, syncedAt: 1_700_000_000, outcome: 'ok', report: { mode: 'full', added: 7 } });
    expect(moviesPast?.report?.counts.added).toEqual({ movie: 0, show: 0, season: 0, episode: 0, artist: 0, album: 0, track: 0 });
    expect(moviesPast?.report?.changes.removed).toEqual({ items: [], more: 0 });

    // A report from before music was synced: counts by kind without artists, albums and tracks.
    const beforeMusic = newLibraryReport({ serverName: 'Sim', libraryTitle: 'Movies', sectionKey: movies.sectionKey, mode: 'full' });
    const { artist: _artist, album: _album, track: _track, ...videoKinds } = { ...beforeMusic.counts.added, movie: 3 };
    beforeMusic.counts.added = videoKinds as LibrarySyncReport['counts']['added'];
    recordLibrarySync(app.catalog, movies.id, { status: 'ok', error: null, report: beforeMusic, full: true, at: 1_700_000_200 });
    const latest = (await app.ok('sync:history', {})).find((past) => past.syncedAt === 1_700_000_200);
    expect(latest?.report?.counts.added).toEqual({ movie: 3, show: 0, season: 0, episode: 0, artist: 0, album: 0, track: 0 });
    expect(showsPast).toMatchObject({
      libraryId: shows.id,
      outcome: 'failed',
      error: 'Plex server "Sim" refused the token (401)',
      report: null,
    });
  });
});
