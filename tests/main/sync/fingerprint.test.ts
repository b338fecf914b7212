// Item fingerprints (fingerprint.ts): every stored field counts, nothing else does, and the old kind stays frozen.
import { describe, expect, it } from 'vitest';
import type { CatalogItemInput } from '../../../main/catalog/item-input.js';
import { fingerprintOf, isCurrentFingerprint, legacyFingerprintOf } from '../../../main/sync/fingerprint.js';

type Fields = Omit<CatalogItemInput, 'fingerprint'>;

/** Every field filled, so that each can be changed on its own. */
function fullRecord(): Fields {
  return {
    kind: 'episode',
    ratingKey: '1234',
    guid: 'plex://episode/5d9c1216170e24001f2ce641',
    title: 'Pilot — the first one',
    year: 2008,
    addedAt: 1_600_000_000,
    updatedAt: 1_600_000_100,
    externalIds: {
      imdb: 'tt0959621',
      tmdb: '62085',
      tvdb: '349232',
      plex: 'episode/5d9c1216170e24001f2ce641',
      asin: 'B08G9PRS1K',
      mbid: 'x',
    },
    originallyAvailableAt: '2008-01-20',
    durationMs: 3_480_000,
    leafCount: 7,
    childCount: 1,
    showRatingKey: '1000',
    showTitle: 'Breaking Bad',
    seasonRatingKey: '1001',
    seasonTitle: 'Season 1',
    seasonNumber: 1,
    episodeNumber: 1,
    files: [{ mediaIndex: 0, partIndex: 0, plexPath: '/tv/bb/s01e01.mkv', size: 1_234_567, durationMs: 3_480_000, container: 'mkv' }],
    details: {
      summary: 'A teacher turns to crime.',
      tagline: 'Change',
      contentRating: 'TV-MA',
      studio: 'AMC',
      originalTitle: 'Pilot',
      titleSort: 'Pilot',
      edition: 'Extended',
      criticRating: 9.1,
      criticRatingImage: 'rottentomatoes://image.rating.ripe',
      audienceRating: 8.7,
      audienceRatingImage: 'themoviedb://image.rating',
    },
    tags: [
      { kind: 'genre', name: 'Drama' },
      { kind: 'actor', name: 'Bryan Cranston' },
    ],
    versions: [
      {
        mediaIndex: 0,
        resolution: '1080',
        width: 1920,
        height: 1080,
        videoCodec: 'h264',
        videoProfile: 'high',
        frameRate: '24p',
        aspectRatio: 1.78,
        bitrate: 8000,
        audioCodec: 'ac3',
        audioChannels: 6,
        audioProfile: 'lc',
        container: 'mkv',
        durationMs: 3_480_000,
        hdr: 'hdr10',
        audioLanguages: ['eng', 'spa'],
        subtitleLanguages: ['eng'],
      },
    ],
  };
}

/** Another value of the same type, never equal to the given one. */
function other(value: unknown): unknown {
  if (value === null) return 'x';
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'string') return `${value}!`;
  if (Array.isArray(value)) return [...(value as unknown[]), 'more'];
  throw new Error(`no other value for ${JSON.stringify(value)}`);
}

/** One record per stored field, that field changed: found by walking the record, so a new field is covered too. */
function oneFieldChanged(): [string, Fields][] {
  const cases: [string, Fields][] = [];
  const base = fullRecord();
  for (const key of Object.keys(base) as (keyof Fields)[]) {
    const field = base[key];
    if (key === 'files' || key === 'tags' || key === 'versions') {
      const list = field as unknown as Record<string, unknown>[];
      for (const inner of Object.keys(list[0]!)) {
        const changed = fullRecord();
        const entries = changed[key] as unknown as Record<string, unknown>[];
        entries[0]![inner] = inner === 'kind' ? 'writer' : other(entries[0]![inner]);
        cases.push([`${key}[0].${inner}`, changed]);
      }
    } else if (key === 'details' || key === 'externalIds') {
      for (const inner of Object.keys(field as object)) {
        const changed = fullRecord();
        const object = changed[key] as unknown as Record<string, unknown>;
        object[inner] = other(object[inner]);
        cases.push([`${key}.${inner}`, changed]);
      }
    } else {
      const changed = fullRecord() as unknown as Record<string, unknown>;
      changed[key] = key === 'kind' ? 'movie' : other(changed[key]);
      cases.push([key, changed as unknown as Fields]);
    }
  }
  return cases;
}

describe('fingerprintOf', () => {
  const base = fingerprintOf(fullRecord());

  it('is a current fingerprint, the same for the same fields', () => {
    expect(base).toMatch(/^v2:[0-9a-f]{16}$/);
    // Frozen too: catalogs store it, and any other value would make every item look changed.
    expect(base).toBe('v2:92246b9b639c8726');
    expect(isCurrentFingerprint(base)).toBe(true);
    expect(fingerprintOf(structuredClone(fullRecord()))).toBe(base);
  });

  it.each(oneFieldChanged())('changes when %s changes', (_field, changed) => {
    expect(fingerprintOf(changed)).not.toBe(base);
  });

  it('tells apart values that would read alike once joined', () => {
    const record = (patch: Partial<Fields>) => fingerprintOf({ ...fullRecord(), ...patch });
    // Strings split at another place, a number against its text, an empty text against none.
    expect(record({ showTitle: 'ab', seasonTitle: 'c' })).not.toBe(record({ showTitle: 'a', seasonTitle: 'bc' }));
    expect(record({ title: '1' })).not.toBe(record({ title: '1', year: 1 }));
    expect(record({ guid: '' })).not.toBe(record({ guid: null }));
    expect(record({ details: undefined })).not.toBe(
      record({
        details: Object.fromEntries(Object.keys(fullRecord().details!).map((key) => [key, null])) as unknown as Fields['details'],
      }),
    );
    expect(record({ tags: [] })).not.toBe(record({ tags: undefined }));
    // Tag order is stored (the first actor is the lead): it counts.
    expect(record({ tags: [...fullRecord().tags!].reverse() })).not.toBe(base);
  });
});

describe('legacyFingerprintOf', () => {
  it('is frozen: what catalogs stored before the current kind, for the same record', () => {
    expect(legacyFingerprintOf(fullRecord())).toBe('7ZCc23BBQOBBEBpWovNs-IyhmUA');
    expect(isCurrentFingerprint(legacyFingerprintOf(fullRecord()))).toBe(false);
  });
});
