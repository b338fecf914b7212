import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Events } from '../../../shared/ipc.js';
import { type AppFixture, startAppFixture } from './fixtures.js';

describe('app service: discovery, mappings and browse', () => {
  let app: AppFixture;
  let serverId: number;

  beforeEach(async () => {
    app = await startAppFixture();
    serverId = await app.addSimServer();
  });

  afterEach(async () => {
    await app.close();
  });

  async function syncAll(): Promise<void> {
    const finished = app.nextEvent('sync:finished');
    await app.ok('sync:start', { serverId });
    expect((await finished).report.ok).toBe(true);
  }

  function firstSimShow() {
    const show = app.sim.library.items('2', 'show')[0];
    if (show === undefined) throw new Error('the sim has no show');
    return show;
  }

  it('finds a show by title and imports just that show, with progress events', async () => {
    const show = firstSimShow();
    const candidates = await app.ok('discovery:search', { serverId, title: show.title.slice(0, 6) });
    const candidate = candidates.find((entry) => entry.ratingKey === show.ratingKey);
    expect(candidate).toMatchObject({ title: show.title, libraryTitle: 'TV Shows', inCatalog: false, serverName: 'Sim' });

    const report = await app.ok('discovery:import', { serverId, ratingKey: show.ratingKey });
    expect(report).toMatchObject({ outcome: 'ok', libraryTitle: 'TV Shows' });
    expect(report.added).toBeGreaterThan(1);

    const progress = app.events
      .filter((event) => event.name === 'import:progress')
      .map((event) => event.payload as Events['import:progress']);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((event) => event.ratingKey === show.ratingKey)).toBe(true);
    expect(progress.at(-1)?.kind).toBe('library-done');

    const again = await app.ok('discovery:search', { serverId, title: show.title });
    expect(again.find((entry) => entry.ratingKey === show.ratingKey)?.inCatalog).toBe(true);

    const page = await app.ok('browse:search', { kind: 'show', offset: 0, limit: 10 });
    expect(page.total).toBe(1);
    expect(page.rows[0]).toMatchObject({ kind: 'show', title: show.title, libraryTitle: 'TV Shows', serverName: 'Sim' });
    expect(page.rows[0]?.episodeCount).toBeGreaterThan(0);
  });

  it('refuses a search without title and an unknown server', async () => {
    expect((await app.fail('discovery:search', { serverId, title: '   ' })).code).toBe('INVALID_INPUT');
    expect((await app.fail('discovery:search', { serverId: serverId + 5, title: 'x' })).code).toBe('NOT_FOUND');
    expect((await app.fail('discovery:import', { serverId: serverId + 5, ratingKey: '1' })).code).toBe('NOT_FOUND');
  });

  it('previews a mapping, then applies it to every stored file when it is added, updated and removed', async () => {
    await syncAll();
    const movies = (await app.ok('libraries:list', { serverId })).find((library) => library.title === 'Movies');
    if (movies === undefined) throw new Error('no Movies library');
    expect(movies.unmappedFiles).toBeGreaterThan(0);

    const candidate = { plexPrefix: '/data/media/movies', localPrefix: '/srv/films' };
    const preview = await app.ok('mappings:preview', { serverId, libraryId: movies.id, candidate, sampleSize: 5 });
    expect(preview.candidateError).toBeNull();
    expect(preview.files).toBe(movies.unmappedFiles);
    expect(preview.unmappedBefore).toBe(movies.unmappedFiles);
    expect(preview.mappedByCandidate).toBeGreaterThan(0);
    expect(preview.unmapped).toBe(preview.unmappedBefore - preview.mappedByCandidate);
    expect(preview.samples.length).toBeLessThanOrEqual(5);
    expect(preview.samples[0]).toMatchObject({ byCandidate: true, mapped: true });
    expect(preview.samples[0]?.localPath.startsWith('/srv/films/')).toBe(true);
    // The preview wrote nothing.
    expect(await app.ok('mappings:list', { serverId })).toEqual([]);

    const bad = await app.ok('mappings:preview', { serverId, libraryId: null, candidate: { plexPrefix: 'relative', localPrefix: '' } });
    expect(bad.candidateError).not.toBeNull();

    const mapping = await app.ok('mappings:add', { serverId, libraryId: movies.id, ...candidate });
    expect(mapping).toMatchObject({ serverId, libraryId: movies.id, ...candidate });
    const afterAdd = (await app.ok('libraries:list', { serverId })).find((library) => library.id === movies.id);
    expect(afterAdd?.unmappedFiles).toBe(preview.unmapped);

    const movie = (await app.ok('browse:search', { kind: 'movie', libraryId: movies.id, offset: 0, limit: 500 })).rows[0];
    if (movie === undefined) throw new Error('no movie');
    const details = await app.ok('browse:item', { itemId: movie.id });
    expect(details.kind).toBe('movie');
    expect(details.files.length).toBeGreaterThan(0);

    const updated = await app.ok('mappings:update', { id: mapping.id, localPrefix: '/mnt/films' });
    expect(updated.localPrefix).toBe('/mnt/films');
    const storedPaths = app.catalog.sqlite.prepare('SELECT local_path FROM media_files WHERE mapped = 1').all() as { local_path: string }[];
    expect(storedPaths.length).toBe(preview.mappedByCandidate);
    expect(storedPaths.every((row) => row.local_path.startsWith('/mnt/films/'))).toBe(true);

    expect((await app.fail('mappings:add', { serverId, libraryId: movies.id, ...candidate })).code).toBe('CONFLICT');
    expect(await app.ok('mappings:remove', { id: mapping.id })).toEqual({ removed: true });
    expect(await app.ok('mappings:remove', { id: mapping.id })).toEqual({ removed: false });
    const afterRemove = (await app.ok('libraries:list', { serverId })).find((library) => library.id === movies.id);
    expect(afterRemove?.unmappedFiles).toBe(movies.unmappedFiles);
    expect((await app.fail('mappings:update', { id: mapping.id, localPrefix: '/x' })).code).toBe('NOT_FOUND');
  });

  it('refuses a preview for a library of another server', async () => {
    const libraries = await app.ok('libraries:list', { serverId });
    const libraryId = libraries[0]?.id ?? 0;
    expect((await app.fail('mappings:preview', { serverId: serverId + 1, libraryId, candidate: null })).code).toBe('NOT_FOUND');
  });

  it('browses movies by page and query, a show by season, and one episode', async () => {
    await syncAll();
    const all = await app.ok('browse:search', { kind: 'movie', offset: 0, limit: 500 });
    expect(all.total).toBe(all.rows.length);
    expect(all.rows.every((row) => row.kind === 'movie' && row.episodeCount === null)).toBe(true);
    const page = await app.ok('browse:search', { kind: 'movie', offset: 5, limit: 5 });
    expect(page.total).toBe(all.total);
    expect(page.rows.map((row) => row.id)).toEqual(all.rows.slice(5, 10).map((row) => row.id));

    const target = all.rows[3];
    if (target === undefined) throw new Error('too few movies');
    const found = await app.ok('browse:search', { kind: 'movie', query: target.title, offset: 0, limit: 50 });
    expect(found.rows.map((row) => row.id)).toContain(target.id);
    const nothing = await app.ok('browse:search', { kind: 'movie', query: '%_no such title_%', offset: 0, limit: 50 });
    expect(nothing).toEqual({ total: 0, rows: [] });

    const shows = await app.ok('browse:search', { kind: 'show', offset: 0, limit: 50 });
    const show = shows.rows[0];
    if (show === undefined) throw new Error('no show');
    const seasons = await app.ok('browse:show', { showId: show.id });
    expect(seasons.length).toBeGreaterThan(0);
    const episodes = seasons.flatMap((season) => season.episodes);
    expect(episodes.length).toBe(show.episodeCount);
    for (const season of seasons) expect(typeof season.title).toBe('string');

    const episode = episodes[0];
    if (episode === undefined) throw new Error('no episode');
    const details = await app.ok('browse:item', { itemId: episode.id });
    expect(details).toMatchObject({ kind: 'episode', showTitle: show.title, libraryTitle: 'TV Shows', serverName: 'Sim' });
    expect(details.episodeNumber).toBe(episode.episodeNumber);

    expect((await app.fail('browse:show', { showId: episode.id })).code).toBe('NOT_FOUND');
    expect((await app.fail('browse:item', { itemId: 987654 })).code).toBe('NOT_FOUND');
  });
});
