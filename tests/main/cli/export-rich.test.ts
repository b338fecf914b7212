// Issue 10: every descriptive and technical field the simulator's listings carry reaches the catalog and comes
// out of `marquee export --jsonl` and `--csv` unchanged; a change of one of them alone is an update.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlexSim, type PlexSim, type SimItem } from '../../../tools/plex-sim/index.js';
import { audioProfileOf, richMetadataOf, streamFactsOf, videoProfileOf } from '../../../tools/plex-sim/index.js';
import { cliSandbox, type CliSandbox } from './harness.js';

type Row = Record<string, unknown>;

const TAG_FIELDS = [
  ['genres', 'Genre'],
  ['labels', 'Label'],
  ['collections', 'Collection'],
  ['countries', 'Country'],
  ['directors', 'Director'],
  ['writers', 'Writer'],
  ['actors', 'Role'],
] as const;

/** What the export must say about a simulated item, from the simulator's own records. */
function expectedFields(item: SimItem): Row {
  const rich = richMetadataOf(item.ratingKey, item.type, item.richOverride);
  const expected: Row = {
    title: item.title,
    summary: item.summary === '' ? null : item.summary,
    tagline: rich.tagline ?? null,
    contentRating: item.contentRating ?? null,
    // The simulator, like Plex, writes no studio on episodes.
    studio: item.type === 'episode' ? null : (item.studio ?? null),
    originalTitle: rich.originalTitle ?? null,
    titleSort: item.titleSort ?? null,
    criticRating: rich.rating ?? null,
    criticRatingImage: rich.ratingImage ?? null,
    audienceRating: rich.audienceRating ?? null,
    audienceRatingImage: rich.audienceRatingImage ?? null,
  };
  for (const [field, element] of TAG_FIELDS) expected[field] = rich.tags[element] ?? [];
  if (item.type === 'movie') expected.edition = rich.editionTitle ?? null;
  if (item.type !== 'show') {
    expected.versions = item.media.map((media) => ({
      resolution: media.videoResolution,
      width: media.width,
      height: media.height,
      videoCodec: media.videoCodec,
      videoProfile: videoProfileOf(media.videoCodec, media.id) ?? null,
      frameRate: media.videoFrameRate,
      aspectRatio: media.aspectRatio,
      bitrate: media.bitrate,
      audioCodec: media.audioCodec,
      audioChannels: media.audioChannels,
      audioProfile: audioProfileOf(media.audioCodec, media.id) ?? null,
      container: media.container,
      durationMs: media.duration,
      // Listings carry no streams: HDR and languages stay unknown (see the streams test below).
      hdr: null,
      audioLanguages: null,
      subtitleLanguages: null,
    }));
  }
  return expected;
}

/** A strict RFC 4180 reader, written apart from the product's writer so a quoting bug cannot hide in both. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (quoted || field !== '' || record.length > 0) throw new Error('CSV does not end with a complete record');
  return records;
}

describe('marquee export: rich metadata round trip (issue 10)', () => {
  let sim: PlexSim;
  let box: CliSandbox;
  let simItems: Map<string, SimItem>;

  function collectSimItems(): Map<string, SimItem> {
    const items = new Map<string, SimItem>();
    for (const [section, type] of [
      ['1', 'movie'],
      ['3', 'movie'],
      ['2', 'show'],
      ['2', 'episode'],
    ] as const) {
      for (const item of sim.library.items(section, type)) items.set(item.ratingKey, item);
    }
    return items;
  }

  async function exportJsonl(): Promise<Row[]> {
    const exported = await box.run(['export', '--jsonl']);
    expect(exported.code).toBe(0);
    return exported.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Row);
  }

  beforeAll(async () => {
    sim = await startPlexSim({ library: { movies: 300, shows: 12, episodes: 400 } });
    box = cliSandbox();
    expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token])).code).toBe(0);
    expect((await box.run(['sync'])).code).toBe(0);
    simItems = collectSimItems();
  }, 60_000);

  afterAll(async () => {
    await sim.close();
    box.cleanup();
  });

  it('exports every new field of every item as the simulator served it (JSON Lines)', async () => {
    const rows = await exportJsonl();
    expect(rows).toHaveLength(simItems.size);
    for (const row of rows) {
      const item = simItems.get(String(row.ratingKey));
      expect(item, String(row.ratingKey)).toBeDefined();
      if (item === undefined) continue;
      expect(row, `${item.type} ${item.ratingKey}`).toMatchObject(expectedFields(item));
    }
    // The data is really there, in the proportions real listings have: not a test of empty fields.
    const movies = rows.filter((row) => row.type === 'movie');
    expect(movies.every((row) => (row.genres as string[]).length > 0 && (row.actors as string[]).length === 3)).toBe(true);
    expect(movies.some((row) => row.edition !== null)).toBe(true);
    expect(movies.some((row) => (row.versions as unknown[]).length > 1)).toBe(true);
    expect(rows.filter((row) => row.type === 'episode').some((row) => (row.directors as string[]).length === 1)).toBe(true);
  });

  it('exports one CSV row per item with the documented columns, tags joined with "; ", quoting intact', async () => {
    const exported = await box.run(['export', '--csv']);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toBe('');
    const [header, ...records] = parseCsv(exported.stdout);
    expect(header?.slice(0, 6)).toEqual(['id', 'server', 'library', 'type', 'ratingKey', 'title']);
    expect(records).toHaveLength(simItems.size);
    const column = (name: string): number => {
      const index = header?.indexOf(name) ?? -1;
      expect(index, name).toBeGreaterThanOrEqual(0);
      return index;
    };
    for (const record of records) {
      expect(record).toHaveLength(header?.length ?? 0);
      const item = simItems.get(record[column('ratingKey')] ?? '');
      expect(item).toBeDefined();
      if (item === undefined) continue;
      const expected = expectedFields(item);
      const text = (value: unknown): string =>
        typeof value === 'string' || typeof value === 'number'
          ? String(value)
          : value === null || value === undefined
            ? ''
            : JSON.stringify(value);
      expect(record[column('title')]).toBe(item.title);
      expect(record[column('summary')]).toBe(text(expected.summary));
      expect(record[column('tagline')]).toBe(text(expected.tagline));
      expect(record[column('contentRating')]).toBe(text(expected.contentRating));
      expect(record[column('audienceRating')]).toBe(text(expected.audienceRating));
      for (const [field] of TAG_FIELDS) expect(record[column(field)], field).toBe((expected[field] as string[]).join('; '));
      const first = (expected.versions as Row[] | undefined)?.[0];
      expect(record[column('resolution')]).toBe(text(first?.resolution));
      expect(record[column('videoProfile')]).toBe(text(first?.videoProfile));
      expect(record[column('bitrate')]).toBe(text(first?.bitrate));
    }
    // Titles and summaries with quotes, commas and line breaks survived (the simulator has them).
    expect(records.some((record) => (record[column('summary')] ?? '').includes('\n'))).toBe(true);
    expect(records.some((record) => (record[column('title')] ?? '').includes('"'))).toBe(true);
  });

  it('refuses --csv together with --jsonl', async () => {
    const both = await box.run(['export', '--csv', '--jsonl']);
    expect(both.code).toBe(2);
    expect(both.stdout).toBe('');
  });

  it('takes a change of tags and tagline as an update, and the export follows', async () => {
    const movie = sim.library.items('1', 'movie')[5];
    expect(movie).toBeDefined();
    if (movie === undefined) return;
    sim.library.editItem(movie.ratingKey, { rich: { tagline: 'A "new" tagline, with commas', tags: { Genre: ['Western', 'Noir'] } } });
    const synced = await box.run(['sync', '--json']);
    expect(synced.code).toBe(0);
    const report = JSON.parse(synced.stdout) as { libraries: { libraryTitle: string; counts: { updated: Record<string, number> } }[] };
    expect(report.libraries.find((library) => library.libraryTitle === 'Movies')?.counts.updated.movie).toBe(1);
    const row = (await exportJsonl()).find((r) => r.ratingKey === movie.ratingKey);
    expect(row).toMatchObject({ tagline: 'A "new" tagline, with commas', genres: ['Western', 'Noir'] });
  });
});

describe('marquee export: HDR and languages where the listing carries streams (simulator option listingStreams)', () => {
  let sim: PlexSim;
  let box: CliSandbox;

  beforeAll(async () => {
    sim = await startPlexSim({ listingStreams: true, library: { movies: 200, shows: 4, episodes: 40 } });
    box = cliSandbox();
    expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url, '--token', sim.token])).code).toBe(0);
    expect((await box.run(['sync'])).code).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await sim.close();
    box.cleanup();
  });

  it("stores each version's HDR format and audio and subtitle languages, and exports them", async () => {
    const exported = await box.run(['export', '--jsonl']);
    expect(exported.code).toBe(0);
    const rows = exported.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Row);
    const movies = sim.library.items('1', 'movie');
    const hdrSeen = new Set<unknown>();
    for (const movie of movies) {
      const row = rows.find((r) => r.ratingKey === movie.ratingKey);
      const expected = movie.media.map((media) => {
        const facts = streamFactsOf(media.id, media.videoCodec);
        const hdr = facts.dolbyVision
          ? 'dolby-vision'
          : facts.colorTrc === 'smpte2084'
            ? 'hdr10'
            : facts.colorTrc === 'arib-std-b67'
              ? 'hlg'
              : null;
        hdrSeen.add(hdr);
        return { hdr, audioLanguages: facts.audioLanguages, subtitleLanguages: facts.subtitleLanguages };
      });
      expect(row?.versions, movie.ratingKey).toMatchObject(expected);
    }
    expect([...hdrSeen].sort()).toEqual(['dolby-vision', 'hdr10', 'hlg', null].sort());
  });
});
