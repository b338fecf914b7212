// Translates file paths as the Plex server sees them into paths on this machine.
// Pure: no Node imports (node:path would apply *this* machine's rules, while Plex may run on Windows
// and Marquee on Linux, or the other way round).

import type { PathMapping } from './domain.js';

export type MappingRule = Pick<PathMapping, 'id' | 'serverId' | 'libraryId' | 'plexPrefix' | 'localPrefix'>;

export interface MappingScope {
  serverId: number;
  /** null: a server-level path (e.g. while listing sections): only server-wide mappings apply. */
  libraryId: number | null;
}

export interface ResolvedPath {
  localPath: string;
  mapped: boolean;
  mappingId: number | null;
}

export type PathResolver = (plexPath: string, scope: MappingScope) => ResolvedPath;

/**
 * Windows paths: a drive letter (`D:\`, `d:/`, `D:`) or a UNC path (`\\NAS\share`, or with either
 * separator, `//NAS/share`). A POSIX path never starts with two separators in practice (Linux and macOS
 * collapse them), so those are read as UNC.
 */
export function isWindowsPath(path: string): boolean {
  if (typeof path !== 'string') return false;
  const c0 = path.charCodeAt(0);
  const c1 = path.charCodeAt(1);
  if (c1 === 58 /* : */ && ((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122))) {
    const c2 = path.charCodeAt(2);
    return path.length === 2 || c2 === 92 || c2 === 47;
  }
  return (c0 === 92 || c0 === 47) && (c1 === 92 || c1 === 47);
}

/** ASCII-only lower-casing that never changes the string's length (toLowerCase can: 'İ' → 'i̇'). */
function foldCase(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (const ch of text) {
    const folded = ch.toLowerCase();
    out += folded.length === ch.length ? folded : ch;
  }
  return out;
}

/**
 * The comparison key of a prefix: surrounding whitespace trimmed (as the resolver does), Windows paths
 * lower-cased with `/` separators, POSIX paths as they are, trailing separators removed (so the roots `/`
 * and `D:\` become '' and 'd:'). Two prefixes with the same key match exactly the same paths.
 */
export function normalizePrefix(prefix: string): string {
  const trimmed = typeof prefix === 'string' ? prefix.trim() : '';
  const windows = isWindowsPath(trimmed);
  let key = windows ? foldCase(trimmed).replaceAll('\\', '/') : trimmed;
  let end = key.length;
  while (end > 0 && key.charCodeAt(end - 1) === 47) end--;
  if (end !== key.length) key = key.slice(0, end);
  return key;
}

/** Why a mapping cannot be saved, or null when it is fine. */
export function validateMapping(plexPrefix: string, localPrefix: string): string | null {
  return checkPrefix('Plex', plexPrefix) ?? checkPrefix('local', localPrefix);
}

const UNC_WITH_HOST = /^[\\/]{2}[^\\/]/;

function checkPrefix(side: 'Plex' | 'local', prefix: string): string | null {
  const trimmed = typeof prefix === 'string' ? prefix.trim() : '';
  if (trimmed === '') return `The ${side} path prefix is empty.`;
  const startsUnc = /^[\\/]{2}/.test(trimmed);
  if (startsUnc && !UNC_WITH_HOST.test(trimmed)) return `The ${side} path prefix "${trimmed}" names no server.`;
  if (startsUnc || trimmed.startsWith('/') || isWindowsPath(trimmed)) return null;
  return `The ${side} path prefix "${trimmed}" is not absolute (expected /…, D:\\… or \\\\server\\share).`;
}

interface CompiledRule {
  id: number;
  serverId: number;
  libraryId: number | null;
  windows: boolean;
  /** Comparison key of the Plex prefix (see normalizePrefix). */
  key: string;
  /** Local prefix without trailing separators ('' for POSIX root, 'Z:' for a drive root). */
  localBase: string;
  /** The local prefix as the user would see it when nothing is appended: '/', 'Z:\', '/mnt/tv'. */
  localRoot: string;
  localSeparator: '/' | '\\';
}

function compileRule(rule: MappingRule): CompiledRule | null {
  if (rule === null || typeof rule !== 'object') return null;
  const plexPrefix = typeof rule.plexPrefix === 'string' ? rule.plexPrefix.trim() : '';
  const localPrefix = typeof rule.localPrefix === 'string' ? rule.localPrefix.trim() : '';
  if (validateMapping(plexPrefix, localPrefix) !== null) return null;

  const localSeparator = isWindowsPath(localPrefix) ? '\\' : '/';
  let end = localPrefix.length;
  while (end > 0 && (localPrefix[end - 1] === '/' || localPrefix[end - 1] === '\\')) end--;
  const localBase = localPrefix.slice(0, end);
  // A UNC prefix without a host was rejected above, so an empty base is the POSIX root.
  const localRoot = localBase === '' || /^[A-Za-z]:$/.test(localBase) ? localBase + localSeparator : localBase;

  return {
    id: rule.id,
    serverId: rule.serverId,
    libraryId: rule.libraryId ?? null,
    windows: isWindowsPath(plexPrefix),
    key: normalizePrefix(plexPrefix),
    localBase,
    localRoot,
    localSeparator,
  };
}

/** Longest prefix first; on equal length a library mapping beats a server-wide one; then by id. */
function compareRules(a: CompiledRule, b: CompiledRule): number {
  if (a.key.length !== b.key.length) return b.key.length - a.key.length;
  const aScoped = a.libraryId === null ? 1 : 0;
  const bScoped = b.libraryId === null ? 1 : 0;
  if (aScoped !== bScoped) return aScoped - bScoped;
  return a.id - b.id;
}

function unmapped(plexPath: string): ResolvedPath {
  return { localPath: plexPath, mapped: false, mappingId: null };
}

/** Re-joins what follows the matched prefix with the local prefix's separator. */
function joinRemainder(rule: CompiledRule, remainder: string, windowsSource: boolean): string {
  let start = 0;
  while (start < remainder.length && (remainder[start] === '/' || (windowsSource && remainder[start] === '\\'))) start++;
  if (start === remainder.length) return rule.localRoot;
  let rest = remainder.slice(start);
  if (windowsSource) {
    if (rule.localSeparator === '/') rest = rest.replaceAll('\\', '/');
    else rest = rest.replaceAll('/', '\\');
  } else if (rule.localSeparator === '\\') {
    rest = rest.replaceAll('/', '\\');
  }
  return rule.localBase + rule.localSeparator + rest;
}

/**
 * Prepares a set of mappings for many look-ups (every file of a library): rules are compiled once, and
 * the candidates of each (server, library) scope are sorted once, on first use.
 */
export function compileMappings(mappings: readonly MappingRule[]): PathResolver {
  const rules: CompiledRule[] = [];
  // Array.isArray narrows to any[]: the check guards untyped callers, the elements are still MappingRules.
  for (const mapping of Array.isArray(mappings) ? (mappings as readonly MappingRule[]) : []) {
    const compiled = compileRule(mapping);
    if (compiled !== null) rules.push(compiled);
  }
  const byScope = new Map<string, { windows: CompiledRule[]; posix: CompiledRule[] }>();

  function candidates(scope: MappingScope): { windows: CompiledRule[]; posix: CompiledRule[] } {
    const scopeKey = `${scope.serverId}:${scope.libraryId ?? ''}`;
    let found = byScope.get(scopeKey);
    if (found === undefined) {
      const applicable = rules
        .filter((r) => r.serverId === scope.serverId && (r.libraryId === null || r.libraryId === scope.libraryId))
        .sort(compareRules);
      found = { windows: applicable.filter((r) => r.windows), posix: applicable.filter((r) => !r.windows) };
      byScope.set(scopeKey, found);
    }
    return found;
  }

  return (plexPath, scope) => {
    if (typeof plexPath !== 'string' || plexPath === '' || rules.length === 0) return unmapped(plexPath);
    const windows = isWindowsPath(plexPath);
    const list = windows ? candidates(scope).windows : candidates(scope).posix;
    if (list.length === 0) return unmapped(plexPath);
    const key = windows ? foldCase(plexPath).replaceAll('\\', '/') : plexPath;
    for (const rule of list) {
      if (!key.startsWith(rule.key)) continue;
      // Only on a path boundary: /media/tv matches /media/tv and /media/tv/x, never /media/tv2/x.
      if (key.length !== rule.key.length && key.charCodeAt(rule.key.length) !== 47) continue;
      return {
        localPath: joinRemainder(rule, plexPath.slice(rule.key.length), windows),
        mapped: true,
        mappingId: rule.id,
      };
    }
    return unmapped(plexPath);
  };
}
