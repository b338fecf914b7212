// The detail pass over real HTTP to the simulated server and a real SQLite catalog: it fills HDR and languages
// from full metadata, resumes after a cancel, redoes an item a sync changed, respects a limit, yields to another
// job, and never deletes anything when Plex fails mid-pass.
import { afterEach, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../main/catalog/database.js';
import { detailProgress } from '../../../main/catalog/details.js';
import { acquireJobLock } from '../../../main/catalog/job-lock.js';
import { listServers } from '../../../main/catalog/servers.js';
import { DETAIL_BATCH_SIZE, runDetailPass, type DetailPassProgress, type DetailPassRequest } from '../../../main/sync/detail-pass.js';
import { runSync } from '../../../main/sync/engine.js';
import { startPlexSim, streamFactsOf, type PlexSim } from '../../../tools/plex-sim/index.js';
import { until } from '../live/fixtures.js';
import { addSimServer, createTestCatalog, itemCount, sectionKeys, type TestCatalog } from './fixtures.js';

interface Setup {
  sim: PlexSim;
  test: TestCatalog;
}

const open: Setup[] = [];

afterEach(async () => {
  for (const { sim, test } of open.splice(0)) {
    await sim.close();
    test.cleanup();
  }
});

async function setup(): Promise<Setup> {
  const sim = await startPlexSim({ seed: 5, library: { movies: 30, shows: 2, episodes: 20 } });
  const test = createTestCatalog();
  addSimServer(test, sim);
  const first = await runSync(test.deps, {});
  if (!first.ok) throw new Error('the first sync failed');
  const entry = { sim, test };
  open.push(entry);
  sim.resetRequests();
  return entry;
}

function pass(test: TestCatalog, extra: Partial<DetailPassRequest> = {}) {
  return runDetailPass(test.deps, { servers: listServers(test.catalog), requestIntervalMs: 1, yieldPollMs: 5, ...extra });
}

/** Keys asked for in each full-metadata request of the pass. */
function detailRequests(sim: PlexSim): string[][] {
  return sim.requests
    .filter((request) => request.path.startsWith('/library/metadata/') && request.query.excludeElements !== undefined)
    .map((request) => request.path.slice('/library/metadata/'.length).split(','));
}

interface VersionRow {
  rating_key: string;
  media_index: number;
  hdr: string | null;
  audio_languages: string | null;
  subtitle_languages: string | null;
}

function versions(test: TestCatalog): VersionRow[] {
  return test.catalog.sqlite
    .prepare(
      `SELECT i.rating_key, v.media_index, v.hdr, v.audio_languages, v.subtitle_languages
       FROM media_versions v JOIN items i ON i.id = v.item_id ORDER BY i.id, v.media_index`,
    )
    .all() as VersionRow[];
}

function serverId(test: TestCatalog): number {
  const server = listServers(test.catalog)[0];
  if (server === undefined) throw new Error('no server');
  return server.id;
}

describe('detail pass', () => {
  it('fills HDR and languages from full metadata, about one request per 20 items', async () => {
    const { sim, test } = await setup();
    const before = versions(test);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((row) => row.hdr === null && row.audio_languages === null)).toBe(true);
    const total = detailProgress(test.catalog, serverId(test)).total;

    const report = await pass(test);

    expect(report.ok).toBe(true);
    expect(report.servers[0]).toMatchObject({ detailed: total, done: total, total, requests: Math.ceil(total / DETAIL_BATCH_SIZE) });
    expect(detailRequests(sim)).toHaveLength(Math.ceil(total / DETAIL_BATCH_SIZE));
    const after = versions(test);
    expect(after.every((row) => row.audio_languages !== null && row.subtitle_languages !== null)).toBe(true);
    // What the simulator's streams say, version by version.
    let hdr = 0;
    for (const row of after) {
      const media = sim.library.get(row.rating_key)?.media[row.media_index];
      if (media === undefined) throw new Error(`no media for ${row.rating_key}`);
      const facts = streamFactsOf(media.id, media.videoCodec);
      const expected = facts.dolbyVision
        ? 'dolby-vision'
        : facts.colorTrc === 'smpte2084'
          ? 'hdr10'
          : facts.colorTrc === 'arib-std-b67'
            ? 'hlg'
            : null;
      expect(row.hdr).toBe(expected);
      if (expected !== null) hdr++;
      expect(JSON.parse(row.audio_languages ?? 'null')).toEqual(facts.audioLanguages);
    }
    expect(hdr).toBeGreaterThan(0);

    // A second pass has nothing to do: no request.
    sim.resetRequests();
    const again = await pass(test);
    expect(again.servers[0]).toMatchObject({ detailed: 0, requests: 0 });
    expect(detailRequests(sim)).toHaveLength(0);
  });

  it('keeps what it learnt through a no-change sync, and redoes an item a sync changed', async () => {
    const { sim, test } = await setup();
    await pass(test);
    const movie = sim.library.items(sectionKeys(sim).movies, 'movie')[0];
    if (movie === undefined) throw new Error('no movie');
    const unchanged = await runSync(test.deps, {});
    expect(unchanged.ok).toBe(true);
    expect(versions(test).every((row) => row.audio_languages !== null)).toBe(true);

    sim.library.editItem(movie.ratingKey, { title: 'A New Title' });
    expect((await runSync(test.deps, {})).ok).toBe(true);
    const edited = versions(test).filter((row) => row.rating_key === movie.ratingKey);
    expect(edited.every((row) => row.audio_languages === null)).toBe(true);
    expect(detailProgress(test.catalog, serverId(test)).done).toBe(detailProgress(test.catalog, serverId(test)).total - 1);

    sim.resetRequests();
    const redo = await pass(test);
    expect(redo.servers[0]).toMatchObject({ detailed: 1, requests: 1 });
    expect(detailRequests(sim)).toEqual([[movie.ratingKey]]);
    expect(
      versions(test)
        .filter((row) => row.rating_key === movie.ratingKey)
        .every((row) => row.audio_languages !== null),
    ).toBe(true);
  });

  it('resumes after a cancel without asking again for what it did', async () => {
    const { sim, test } = await setup();
    const controller = new AbortController();
    const first = await pass(test, {
      signal: controller.signal,
      // Cancelled once the first batch is written (the pace keeps the next request waiting meanwhile).
      requestIntervalMs: 60_000,
      onProgress: (progress) => {
        if (progress.done > 0) controller.abort();
      },
    });
    expect(first.cancelled).toBe(true);
    expect(first.ok).toBe(true);
    const firstKeys = detailRequests(sim).flat();
    expect(firstKeys).toHaveLength(DETAIL_BATCH_SIZE);

    sim.resetRequests();
    const second = await pass(test);
    expect(second.cancelled).toBe(false);
    const secondKeys = detailRequests(sim).flat();
    expect(secondKeys.filter((key) => firstKeys.includes(key))).toEqual([]);
    const progress = detailProgress(test.catalog, serverId(test));
    expect(progress.done).toBe(progress.total);
    expect(firstKeys.length + secondKeys.length).toBe(progress.total);
  });

  it('respects the limit', async () => {
    const { sim, test } = await setup();
    const report = await pass(test, { limit: 25 });
    expect(report.servers[0]).toMatchObject({ detailed: 25, requests: 2 });
    expect(detailRequests(sim).map((keys) => keys.length)).toEqual([20, 5]);
    expect(detailProgress(test.catalog, serverId(test)).done).toBe(25);
  });

  it('deletes nothing and keeps what it wrote when Plex refuses the token mid-pass', async () => {
    const { sim, test } = await setup();
    const items = itemCount(test.catalog);
    const rows = versions(test).length;
    const report = await pass(test, {
      onProgress: (progress) => {
        if (progress.done > 0) sim.addFault({ match: /^\/library\/metadata\//, kind: 'status', status: 401 });
      },
    });
    expect(report.ok).toBe(false);
    expect(report.servers[0]?.errorCode).toBe('PLEX_UNAUTHORIZED');
    expect(report.servers[0]?.error).not.toContain(sim.token);
    expect(itemCount(test.catalog)).toBe(items);
    expect(versions(test)).toHaveLength(rows);
    expect(detailProgress(test.catalog, serverId(test)).done).toBe(DETAIL_BATCH_SIZE);
    expect(versions(test).filter((row) => row.audio_languages !== null).length).toBeGreaterThanOrEqual(DETAIL_BATCH_SIZE);
  });

  it('deletes nothing when a request times out mid-pass', async () => {
    const { sim, test } = await setup();
    test.deps.clientOptions = { ...test.deps.clientOptions, timeoutMs: 200, retries: 0 };
    const items = itemCount(test.catalog);
    const report = await pass(test, {
      onProgress: (progress) => {
        if (progress.done > 0) sim.addFault({ match: /^\/library\/metadata\//, kind: 'hang' });
      },
    });
    expect(report.servers[0]?.errorCode).toBe('PLEX_TIMEOUT');
    expect(itemCount(test.catalog)).toBe(items);
    expect(detailProgress(test.catalog, serverId(test)).done).toBe(DETAIL_BATCH_SIZE);
  });

  it('waits while another program holds the catalog, then goes on', async () => {
    const { sim, test } = await setup();
    const other = openCatalog(test.file);
    const lock = acquireJobLock(other, { kind: 'sync', target: 'server "Home"', program: 'marquee' });
    const seen: DetailPassProgress[] = [];
    const running = pass(test, { onProgress: (progress) => seen.push(progress) });
    try {
      await until(() => seen.some((progress) => progress.waiting), 'the pass to wait');
      expect(detailRequests(sim)).toHaveLength(0);
    } finally {
      lock.release();
      other.close();
    }
    const report = await running;
    expect(report.ok).toBe(true);
    const progress = detailProgress(test.catalog, serverId(test));
    expect(progress.done).toBe(progress.total);
  });
});
