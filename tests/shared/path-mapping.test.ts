import { describe, expect, it } from 'vitest';

import { compileMappings, isWindowsPath, normalizePrefix, validateMapping, type MappingRule } from '../../shared/path-mapping.js';

let nextId = 1;
function rule(
  plexPrefix: string,
  localPrefix: string,
  opts: { serverId?: number; libraryId?: number | null; id?: number } = {},
): MappingRule {
  return { id: opts.id ?? nextId++, serverId: opts.serverId ?? 1, libraryId: opts.libraryId ?? null, plexPrefix, localPrefix };
}

const S1 = { serverId: 1, libraryId: 10 };

// [description, mappings, plex path, scope, expected local path (null: unmapped), expected mapping id]
type Case = [string, MappingRule[], string, { serverId: number; libraryId: number | null }, string | null, number | null];

const cases: Case[] = [
  // POSIX Plex (Docker / Linux NAS) to a Linux or macOS client
  [
    'docker /data to a local mount',
    [rule('/data', '/mnt/plex', { id: 1 })],
    '/data/Movies/Heat (1995)/Heat.mkv',
    S1,
    '/mnt/plex/Movies/Heat (1995)/Heat.mkv',
    1,
  ],
  ['exact prefix match', [rule('/media/tv', '/mnt/tv', { id: 2 })], '/media/tv', S1, '/mnt/tv', 2],
  ['boundary: /media/tv never matches /media/tv2', [rule('/media/tv', '/mnt/tv', { id: 3 })], '/media/tv2/Show/S01E01.mkv', S1, null, null],
  [
    'boundary: /media/tv matches a child',
    [rule('/media/tv', '/mnt/tv', { id: 4 })],
    '/media/tv/Show/S01E01.mkv',
    S1,
    '/mnt/tv/Show/S01E01.mkv',
    4,
  ],
  ['POSIX is case-sensitive', [rule('/Media/TV', '/mnt/tv', { id: 5 })], '/media/tv/x.mkv', S1, null, null],
  [
    'trailing slash on both prefixes ignored',
    [rule('/media/tv/', '/mnt/tv/', { id: 6 })],
    '/media/tv/Show/x.mkv',
    S1,
    '/mnt/tv/Show/x.mkv',
    6,
  ],
  ['root prefix /', [rule('/', '/Volumes/nas', { id: 7 })], '/volume1/video/x.mkv', S1, '/Volumes/nas/volume1/video/x.mkv', 7],
  ['root local prefix /', [rule('/data', '/', { id: 8 })], '/data/Movies/x.mkv', S1, '/Movies/x.mkv', 8],
  [
    'longest prefix wins',
    [rule('/data', '/mnt/a', { id: 9 }), rule('/data/tv', '/mnt/b', { id: 10 })],
    '/data/tv/x.mkv',
    S1,
    '/mnt/b/x.mkv',
    10,
  ],
  [
    'longest prefix wins whatever the order',
    [rule('/data/tv', '/mnt/b', { id: 11 }), rule('/data', '/mnt/a', { id: 12 })],
    '/data/movies/x.mkv',
    S1,
    '/mnt/a/movies/x.mkv',
    12,
  ],
  [
    'unicode and spaces kept',
    [rule('/data', '/mnt/plex', { id: 13 })],
    '/data/Films/Amélie (2001)/Le Fabuleux Destin d’Amélie Poulain.mkv',
    S1,
    '/mnt/plex/Films/Amélie (2001)/Le Fabuleux Destin d’Amélie Poulain.mkv',
    13,
  ],
  ['relative-looking path never matches the root', [rule('/', '/mnt', { id: 14 })], 'data/x.mkv', S1, null, null],
  // Scope
  ['other server ignored', [rule('/data', '/mnt/plex', { id: 15, serverId: 2 })], '/data/x.mkv', S1, null, null],
  [
    'library-scoped mapping applies to its library',
    [rule('/data', '/mnt/lib', { id: 16, libraryId: 10 })],
    '/data/x.mkv',
    S1,
    '/mnt/lib/x.mkv',
    16,
  ],
  ['library-scoped mapping ignored elsewhere', [rule('/data', '/mnt/lib', { id: 17, libraryId: 11 })], '/data/x.mkv', S1, null, null],
  [
    'library-scoped mapping ignored for a server-level path',
    [rule('/data', '/mnt/lib', { id: 18, libraryId: 10 })],
    '/data/x.mkv',
    { serverId: 1, libraryId: null },
    null,
    null,
  ],
  [
    'server-wide mapping applies to a server-level path',
    [rule('/data', '/mnt/all', { id: 19 })],
    '/data/x.mkv',
    { serverId: 1, libraryId: null },
    '/mnt/all/x.mkv',
    19,
  ],
  [
    'equal length: library mapping beats server-wide',
    [rule('/data', '/mnt/all', { id: 20 }), rule('/data', '/mnt/lib', { id: 21, libraryId: 10 })],
    '/data/x.mkv',
    S1,
    '/mnt/lib/x.mkv',
    21,
  ],
  [
    'equal length with trailing slash still ties: library wins',
    [rule('/data/', '/mnt/all', { id: 22 }), rule('/data', '/mnt/lib', { id: 23, libraryId: 10 })],
    '/data/x.mkv',
    S1,
    '/mnt/lib/x.mkv',
    23,
  ],
  [
    'longer server-wide beats shorter library mapping',
    [rule('/data/tv', '/mnt/all', { id: 24 }), rule('/data', '/mnt/lib', { id: 25, libraryId: 10 })],
    '/data/tv/x.mkv',
    S1,
    '/mnt/all/x.mkv',
    24,
  ],
  // Windows Plex to a Linux client
  [
    'drive letter to POSIX',
    [rule('D:\\Media', '/mnt/d/Media', { id: 30 })],
    'D:\\Media\\Movies\\Heat (1995)\\Heat.mkv',
    S1,
    '/mnt/d/Media/Movies/Heat (1995)/Heat.mkv',
    30,
  ],
  ['drive letter case-insensitive', [rule('d:\\media', '/mnt/media', { id: 31 })], 'D:\\Media\\TV\\x.mkv', S1, '/mnt/media/TV/x.mkv', 31],
  [
    'drive letter prefix with forward slashes',
    [rule('D:/Media/', '/mnt/media', { id: 32 })],
    'D:\\Media\\TV\\x.mkv',
    S1,
    '/mnt/media/TV/x.mkv',
    32,
  ],
  [
    'Plex path with mixed separators',
    [rule('D:\\Media', '/mnt/media', { id: 33 })],
    'D:/Media\\TV/Show\\x.mkv',
    S1,
    '/mnt/media/TV/Show/x.mkv',
    33,
  ],
  ['drive root D:\\', [rule('D:\\', '/mnt/d', { id: 34 })], 'D:\\Movies\\x.mkv', S1, '/mnt/d/Movies/x.mkv', 34],
  ['bare drive D:', [rule('D:', '/mnt/d', { id: 35 })], 'd:\\Movies\\x.mkv', S1, '/mnt/d/Movies/x.mkv', 35],
  ['Windows boundary: M:\\Media never matches M:\\Media2', [rule('M:\\Media', '/mnt/m', { id: 36 })], 'M:\\Media2\\x.mkv', S1, null, null],
  ['other drive letter unmapped', [rule('D:\\Media', '/mnt/media', { id: 37 })], 'E:\\Media\\x.mkv', S1, null, null],
  [
    'UNC to POSIX',
    [rule('\\\\NAS\\Video', '/mnt/nas/video', { id: 38 })],
    '\\\\NAS\\Video\\TV\\Show\\S01E01.mkv',
    S1,
    '/mnt/nas/video/TV/Show/S01E01.mkv',
    38,
  ],
  [
    'UNC case-insensitive, prefix written with slashes',
    [rule('//nas/video/', '/mnt/nas/video', { id: 39 })],
    '\\\\NAS\\Video\\x.mkv',
    S1,
    '/mnt/nas/video/x.mkv',
    39,
  ],
  ['UNC boundary on the share name', [rule('\\\\NAS\\Video', '/mnt/v', { id: 40 })], '\\\\NAS\\Videos\\x.mkv', S1, null, null],
  ['Windows prefix never matches a POSIX path', [rule('D:\\Media', '/mnt/media', { id: 41 })], '/Media/x.mkv', S1, null, null],
  ['POSIX prefix never matches a Windows path', [rule('/Media', '/mnt/media', { id: 42 })], 'D:\\Media\\x.mkv', S1, null, null],
  // To a Windows client
  [
    'POSIX Plex to a Windows drive',
    [rule('/volume1/video', 'Z:\\video', { id: 43 })],
    '/volume1/video/TV/Show/x.mkv',
    S1,
    'Z:\\video\\TV\\Show\\x.mkv',
    43,
  ],
  ['POSIX Plex to a Windows drive root', [rule('/volume1/video', 'Z:\\', { id: 44 })], '/volume1/video/TV/x.mkv', S1, 'Z:\\TV\\x.mkv', 44],
  [
    'POSIX Plex to a UNC share',
    [rule('/data', '\\\\nas\\data\\', { id: 45 })],
    '/data/Movies/x.mkv',
    S1,
    '\\\\nas\\data\\Movies\\x.mkv',
    45,
  ],
  [
    'Windows Plex to another Windows drive',
    [rule('D:\\Media', 'Y:\\Media', { id: 46 })],
    'D:\\Media\\TV/x.mkv',
    S1,
    'Y:\\Media\\TV\\x.mkv',
    46,
  ],
  ['exact match to a drive root keeps the root', [rule('/data', 'Z:\\', { id: 47 })], '/data', S1, 'Z:\\', 47],
  ['exact match to the POSIX root keeps the root', [rule('/data', '/', { id: 48 })], '/data/', S1, '/', 48],
  // Nothing to do
  ['no mappings', [], '/data/x.mkv', S1, null, null],
  ['empty path', [rule('/', '/mnt', { id: 49 })], '', S1, null, null],
  ['invalid mappings are ignored', [rule('data', '/mnt', { id: 50 }), rule('/data', '', { id: 51 })], '/data/x.mkv', S1, null, null],
];

describe('compileMappings', () => {
  it.each(cases)('%s', (_name, mappings, plexPath, scope, expectedLocal, expectedId) => {
    const result = compileMappings(mappings)(plexPath, scope);
    if (expectedLocal === null) {
      expect(result).toEqual({ localPath: plexPath, mapped: false, mappingId: null });
    } else {
      expect(result).toEqual({ localPath: expectedLocal, mapped: true, mappingId: expectedId });
    }
  });

  it('maps 100k paths quickly', () => {
    const mappings = [
      rule('/data', '/mnt/data', { id: 70 }),
      rule('/data/tv', '/mnt/tv', { id: 71, libraryId: 10 }),
      rule('D:\\Media', '/mnt/d', { id: 72 }),
      rule('/other', '/mnt/other', { id: 73, serverId: 2 }),
    ];
    const resolve = compileMappings(mappings);
    const started = performance.now();
    let mapped = 0;
    for (let i = 0; i < 100_000; i++) {
      const path = i % 2 === 0 ? `/data/tv/Show ${i % 300}/Season 1/S01E${i}.mkv` : `D:\\Media\\TV\\Show ${i}\\x.mkv`;
      if (resolve(path, S1).mapped) mapped++;
    }
    const elapsed = performance.now() - started;
    expect(mapped).toBe(100_000);
    expect(elapsed).toBeLessThan(500);
  });
});

describe('isWindowsPath', () => {
  it.each([
    ['D:\\Movies', true],
    ['d:/movies', true],
    ['D:', true],
    ['\\\\NAS\\share', true],
    ['//NAS/share', true],
    ['/mnt/nas', false],
    ['/', false],
    ['D:movies', false],
    ['relative\\path', false],
    ['', false],
  ])('%j → %s', (path, expected) => {
    expect(isWindowsPath(path)).toBe(expected);
  });
});

describe('normalizePrefix', () => {
  it.each([
    ['/media/tv/', '/media/tv'],
    ['/', ''],
    ['D:\\', 'd:'],
    ['D:\\Media\\TV\\', 'd:/media/tv'],
    ['\\\\NAS\\Share\\', '//nas/share'],
    ['/Media/TV', '/Media/TV'],
    ['  /media/tv/  ', '/media/tv'],
    ['D:/Media', 'd:/media'],
  ])('%j → %j', (prefix, expected) => {
    expect(normalizePrefix(prefix)).toBe(expected);
  });
});

describe('validateMapping', () => {
  it.each([
    ['/data', '/mnt/data'],
    ['D:\\Media', '/mnt/media'],
    ['\\\\NAS\\share', 'Z:\\'],
    ['/', '/'],
    ['/data', '//nas/share'],
  ])('accepts %j → %j', (plex, local) => {
    expect(validateMapping(plex, local)).toBeNull();
  });

  it.each([
    ['', '/mnt', /Plex path prefix is empty/],
    ['   ', '/mnt', /Plex path prefix is empty/],
    ['/data', '', /local path prefix is empty/],
    ['data/movies', '/mnt', /Plex path prefix "data\/movies" is not absolute/],
    ['/data', 'mnt/data', /local path prefix "mnt\/data" is not absolute/],
    ['/data', '~/media', /not absolute/],
    ['D:Media', '/mnt', /not absolute/],
    ['\\\\', '/mnt', /names no server/],
  ])('rejects %j → %j', (plex, local, message) => {
    expect(validateMapping(plex, local)).toMatch(message);
  });
});
