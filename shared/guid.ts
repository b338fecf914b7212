// Plex GUIDs in every form a real server hands out, reduced to the external ids Marquee exports.
// Pure: no Node or DOM imports. Nothing here throws: a GUID we cannot read is reported as 'unknown'.

import type { ExternalIds, GuidProvider, ItemKind } from './domain.js';

/** Where a GUID points. `GuidProvider`s are exported; the others are recognised but never exported. */
export type GuidSource = GuidProvider | 'anidb' | 'local' | 'none' | 'collection' | 'unknown';

/**
 * Which family of GUID this is:
 * - 'plex': Plex's own schemes (`plex://`, `local://`, `collection://`)
 * - 'legacy': a legacy agent (`com.plexapp.agents.<agent>://…`)
 * - 'external': an entry of the `Guid[]` array (`imdb://`, `tmdb://`, `tvdb://`)
 * - 'bare': an id without any scheme (`tt0111161`)
 * - 'unknown': anything else
 */
export type GuidAgent = 'plex' | 'legacy' | 'external' | 'bare' | 'unknown';

export interface ParsedGuid {
  provider: GuidSource;
  /** Export form: `tt0111161`, `278`, `movie/5d776…`; for 'unknown' the trimmed input. */
  value: string;
  /** The input, untouched. */
  raw: string;
  /** Legacy TV forms (`…://<show>/<season>[/<episode>]`): these numbers, not ids. */
  season?: number;
  episode?: number;
  agent: GuidAgent;
}

const PLEX_ID = /^[0-9a-f]{24}$/;
/** New-agent types: `plex://album/5d07cd…` and `plex://artist/…`, `plex://track/…` in music libraries too. */
const PLEX_TYPES: ReadonlySet<string> = new Set(['movie', 'show', 'season', 'episode', 'artist', 'album', 'track']);
const IMDB_ID = /^tt\d+$/;
const NUMERIC_ID = /^\d+$/;
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/;
/** HAMA ids: `anidb-17494`, `tvdb-81797`, `tvdb2-81797` (absolute numbering of the same show), `imdb-tt…`. */
const HAMA_ID = /^(anidb|tvdb|tmdb|imdb)(\d*)-(.+)$/;
/**
 * Amazon/Audible ASINs: 10 characters, letters upper-cased (`B08G9PRS1K`; ISBN-10 style for some books). The
 * Audnexus agent writes them as `com.plexapp.agents.audnexus://B08G9PRS1K_us?lang=en` (region suffix) and
 * sometimes with a path after it (`…://B07286JWD3_ca/item`), as public Audnexus matching tools read them.
 */
const ASIN_ID = /^[0-9A-Z]{10}$/;
/** Audnexus region suffixes after the ASIN (`_us`, `_uk`, `_ca`, `_au`, `_fr`, `_de`, `_jp`, `_it`, `_in`, `_es`). */
const AUDNEXUS_REGION = /_[a-z]{2}$/i;
/** MusicBrainz ids (`mbid://0383dadf-2a4e-4d10-a46a-e9e041da8eb3`, the `Guid[]` form of Plex's music agent). */
const MBID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Legacy agents whose id is simply the provider's id (optionally followed by /season[/episode]). */
const LEGACY_PROVIDER: Readonly<Record<string, GuidSource>> = {
  imdb: 'imdb',
  xbmcnfo: 'imdb',
  themoviedb: 'tmdb',
  standalone: 'tmdb',
  thetvdb: 'tvdb',
  thetvdbdvdorder: 'tvdb',
  xbmcnfotv: 'tvdb',
  abstvdb: 'tvdb',
  anidb: 'anidb',
};

function unknown(raw: string, trimmed: string, agent: GuidAgent = 'unknown'): ParsedGuid {
  return { provider: 'unknown', value: trimmed, raw, agent };
}

/** The canonical value for a provider, or null when it is not a well-formed id of that provider. */
function canonicalValue(provider: GuidSource, value: string): string | null {
  switch (provider) {
    case 'imdb': {
      const lower = value.toLowerCase();
      return IMDB_ID.test(lower) ? lower : null;
    }
    case 'tmdb':
    case 'tvdb':
    case 'anidb':
      return NUMERIC_ID.test(value) ? value : null;
    case 'asin': {
      const upper = value.toUpperCase();
      return ASIN_ID.test(upper) ? upper : null;
    }
    case 'mbid': {
      const lower = value.toLowerCase();
      return MBID.test(lower) ? lower : null;
    }
    default:
      return value.length > 0 ? value : null;
  }
}

/** Removes `?lang=en` (and any query or fragment) and trailing slashes. */
function stripDecorations(rest: string): string {
  let end = rest.length;
  const query = rest.indexOf('?');
  if (query !== -1) end = query;
  const hash = rest.indexOf('#');
  if (hash !== -1 && hash < end) end = hash;
  let body = rest.slice(0, end).trim();
  while (body.endsWith('/')) body = body.slice(0, -1);
  return body;
}

function parseCount(segment: string | undefined): number | undefined | null {
  if (segment === undefined) return undefined;
  if (!NUMERIC_ID.test(segment)) return null;
  const n = Number(segment);
  return Number.isSafeInteger(n) ? n : null;
}

/** `<id>[/<season>[/<episode>]]` → id plus numbers; null when the numbers are not numbers. */
function splitEpisodePath(body: string): { id: string; season?: number; episode?: number } | null {
  const segments = body.split('/');
  if (segments.length > 3) return null;
  const id = segments[0] ?? '';
  const season = parseCount(segments[1]);
  const episode = parseCount(segments[2]);
  if (season === null || episode === null) return null;
  const result: { id: string; season?: number; episode?: number } = { id };
  if (season !== undefined) result.season = season;
  if (episode !== undefined) result.episode = episode;
  return result;
}

function withNumbers(parsed: ParsedGuid, numbers: { season?: number; episode?: number }): ParsedGuid {
  if (numbers.season !== undefined) parsed.season = numbers.season;
  if (numbers.episode !== undefined) parsed.episode = numbers.episode;
  return parsed;
}

function parseLegacy(raw: string, trimmed: string, agentName: string, body: string): ParsedGuid {
  if (agentName === 'none') {
    // Personal media: the "id" is a content hash, meaningful only to that server.
    return body === '' ? unknown(raw, trimmed, 'legacy') : { provider: 'none', value: body, raw, agent: 'legacy' };
  }
  if (agentName === 'audnexus') return parseAudnexus(raw, trimmed, body);
  const path = splitEpisodePath(body);
  if (path === null || path.id === '') return unknown(raw, trimmed, 'legacy');

  if (agentName === 'hama') {
    const match = HAMA_ID.exec(path.id.toLowerCase());
    if (match === null) return unknown(raw, trimmed, 'legacy');
    const provider = match[1] as 'anidb' | 'tvdb' | 'tmdb' | 'imdb';
    const value = canonicalValue(provider, match[3] ?? '');
    if (value === null) return unknown(raw, trimmed, 'legacy');
    return withNumbers({ provider, value, raw, agent: 'legacy' }, path);
  }

  const provider = LEGACY_PROVIDER[agentName];
  if (provider === undefined) return unknown(raw, trimmed, 'legacy');
  const value = canonicalValue(provider, path.id);
  if (value === null) return unknown(raw, trimmed, 'legacy');
  return withNumbers({ provider, value, raw, agent: 'legacy' }, path);
}

/**
 * The Audnexus audiobook agent (`com.plexapp.agents.audnexus://B08G9PRS1K_us?lang=en`): the ASIN of the book (on
 * an album) or of the author (on an artist), with a region suffix; a path after it (`…_ca/item`) is not part of it.
 */
function parseAudnexus(raw: string, trimmed: string, body: string): ParsedGuid {
  const first = (body.split('/')[0] ?? '').replace(AUDNEXUS_REGION, '');
  const value = canonicalValue('asin', first);
  if (value === null) return unknown(raw, trimmed, 'legacy');
  return { provider: 'asin', value, raw, agent: 'legacy' };
}

/** Reads any Plex GUID. Never throws; what it cannot read comes back as provider 'unknown'. */
export function parseGuid(raw: string): ParsedGuid {
  if (typeof raw !== 'string') return { provider: 'unknown', value: '', raw: '', agent: 'unknown' };
  const trimmed = raw.trim();
  if (trimmed === '') return unknown(raw, trimmed);

  const schemeMatch = SCHEME.exec(trimmed.toLowerCase());
  if (schemeMatch === null) {
    const lower = trimmed.toLowerCase();
    if (IMDB_ID.test(lower)) return { provider: 'imdb', value: lower, raw, agent: 'bare' };
    return unknown(raw, trimmed);
  }

  const scheme = schemeMatch[1] ?? '';
  // The scheme is matched on the lower-cased text; the rest keeps its case (none hashes, uuids).
  const body = stripDecorations(trimmed.slice(scheme.length + 3));

  switch (scheme) {
    case 'plex': {
      const [type, id, extra] = body.toLowerCase().split('/');
      if (type === undefined || id === undefined || extra !== undefined) return unknown(raw, trimmed, 'plex');
      if (!PLEX_TYPES.has(type) || !PLEX_ID.test(id)) return unknown(raw, trimmed, 'plex');
      return { provider: 'plex', value: `${type}/${id}`, raw, agent: 'plex' };
    }
    case 'imdb':
    case 'tmdb':
    case 'tvdb':
    case 'mbid': {
      const value = canonicalValue(scheme, body);
      if (value === null) return unknown(raw, trimmed, 'external');
      return { provider: scheme, value, raw, agent: 'external' };
    }
    case 'local':
      return body === '' ? unknown(raw, trimmed, 'plex') : { provider: 'local', value: body, raw, agent: 'plex' };
    case 'collection':
      return body === '' ? unknown(raw, trimmed, 'plex') : { provider: 'collection', value: body, raw, agent: 'plex' };
    default:
      break;
  }

  const legacyPrefix = 'com.plexapp.agents.';
  if (scheme.startsWith(legacyPrefix)) return parseLegacy(raw, trimmed, scheme.slice(legacyPrefix.length), body);
  return unknown(raw, trimmed);
}

/**
 * Whether a parsed GUID names the item itself (rather than its show, or a show + numbers).
 * `Guid[]` entries and `plex://` GUIDs always describe the item they are attached to. Legacy ids are
 * show-level or movie-level: a `/season[/episode]` suffix means "this show, these numbers", never an
 * episode id, and a bare show id on a season or an episode is the parent's id, not the item's.
 */
function describesItem(kind: ItemKind, parsed: ParsedGuid): boolean {
  if (parsed.agent !== 'legacy' && parsed.agent !== 'bare') return true;
  if (parsed.season !== undefined || parsed.episode !== undefined) return false;
  if (parsed.provider === 'tvdb') return kind === 'show';
  // Audnexus names a book (an album) or an author (an artist); a track's GUID repeats its book's.
  if (parsed.provider === 'asin') return kind === 'album' || kind === 'artist';
  return kind === 'movie' || kind === 'show';
}

function isExported(provider: GuidSource): provider is GuidProvider {
  return (
    provider === 'imdb' || provider === 'tmdb' || provider === 'tvdb' || provider === 'plex' || provider === 'asin' || provider === 'mbid'
  );
}

/**
 * The canonical forms nearly every listing carries (`imdb://tt0111161`, `tmdb://278`, `tvdb://81189`,
 * `plex://movie/5d776…`: lower-case scheme, nothing to trim or strip), read without parseGuid's lower-casing,
 * scheme regex and splitting: a full sync reads half a million of them. Anything else returns null and goes
 * the long way; where both apply they agree (guid.test.ts compares them).
 */
export function canonicalExternalId(raw: string): { provider: GuidProvider; value: string } | null {
  const colon = raw.indexOf('://');
  if (colon < 4 || colon > 6) return null;
  const scheme = raw.slice(0, colon);
  const value = raw.slice(colon + 3);
  switch (scheme) {
    case 'imdb':
      return IMDB_ID.test(value) ? { provider: 'imdb', value } : null;
    case 'tmdb':
    case 'tvdb':
      return NUMERIC_ID.test(value) ? { provider: scheme, value } : null;
    case 'plex': {
      const slash = value.indexOf('/');
      if (slash === -1 || !PLEX_TYPES.has(value.slice(0, slash)) || !PLEX_ID.test(value.slice(slash + 1))) return null;
      return { provider: 'plex', value };
    }
    default:
      return null;
  }
}

function collect(into: ExternalIds, kind: ItemKind, raws: readonly unknown[]): void {
  for (const raw of raws) {
    if (typeof raw !== 'string') continue;
    // Canonical external and plex:// ids always describe the item they are attached to (describesItem).
    const canonical = canonicalExternalId(raw);
    if (canonical !== null) {
      into[canonical.provider] ??= canonical.value;
      continue;
    }
    const parsed = parseGuid(raw);
    if (!isExported(parsed.provider)) continue;
    if (into[parsed.provider] !== undefined) continue; // first value per provider wins
    if (!describesItem(kind, parsed)) continue;
    into[parsed.provider] = parsed.value;
  }
}

/**
 * The export-form ids of an item: `{ imdb: 'tt0111161', tmdb: '278', tvdb: '81189', plex: 'movie/5d77…' }`.
 * The `Guid[]` array wins over the primary GUID; the primary GUID only fills providers the array lacks.
 * Never throws.
 */
export function externalIdsFor(kind: ItemKind, guid: string | undefined, guids: readonly string[]): ExternalIds {
  const ids: ExternalIds = {};
  try {
    collect(ids, kind, Array.isArray(guids) ? guids : []);
    if (typeof guid === 'string') collect(ids, kind, [guid]);
  } catch {
    // parseGuid does not throw; this only guards against exotic inputs (e.g. proxies) from callers.
  }
  return ids;
}
