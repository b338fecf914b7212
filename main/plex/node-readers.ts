// Lenient readers of a Plex element, whichever format it came in. Both formats are first reduced to the same plain
// tree (decode.ts): an element is an object whose scalar properties are its attributes and whose array properties
// are its child elements (`Metadata`, `Media`, `Part`, `Guid`, …), which is what Plex's JSON already looks like.
// These only deal with loose types: numbers as strings or numbers, booleans as 0/1/true/false, ids as strings.

/** One element of a decoded Plex answer. */
export type PlexNode = Record<string, unknown>;

export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Ids are always strings; empty ones are absent. */
export function asId(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    if (value.trim() === '') return undefined;
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1') return true;
  if (value === 0 || value === '0') return false;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true' || lower === '1') return true;
    if (lower === 'false' || lower === '0') return false;
  }
  return undefined;
}

export function isNode(value: unknown): value is PlexNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Child elements: JSON arrays (or a lone object), XML arrays (forced by the parser options). */
export function childNodes(node: PlexNode, name: string): PlexNode[] {
  const value = node[name];
  if (Array.isArray(value)) {
    // Fast path: Plex arrays hold objects only.
    let allNodes = true;
    for (const entry of value) {
      if (!isNode(entry)) {
        allNodes = false;
        break;
      }
    }
    return allNodes ? (value as PlexNode[]) : value.filter(isNode);
  }
  return isNode(value) ? [value] : [];
}
