// Small helpers shared by the simulator's own tests: real HTTP with fetch, XML parsed with fast-xml-parser.
import { XMLParser } from 'fast-xml-parser';

import type { PlexSim } from '../../../tools/plex-sim/server.js';

export interface Fetched {
  status: number;
  headers: Headers;
  text: string;
}

export interface GetOptions {
  json?: boolean;
  /** false: send no token; a string: send that token. Default: the sim's token as a header. */
  token?: string | false;
  headers?: Record<string, string>;
}

export async function get(sim: PlexSim, path: string, options: GetOptions = {}): Promise<Fetched> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== false) headers['X-Plex-Token'] = options.token ?? sim.token;
  if (options.json) headers['Accept'] = 'application/json';
  const response = await fetch(sim.url + path, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The tag elements an item carries (Genre, Director, …): arrays in both formats. */
export const TAG_ELEMENTS = ['Genre', 'Country', 'Collection', 'Label', 'Director', 'Writer', 'Role'] as const;

/** Adds paging parameters to a path. */
export function paged(path: string, start: number, size: number): string {
  return `${path}${path.includes('?') ? '&' : '?'}X-Plex-Container-Start=${start}&X-Plex-Container-Size=${size}`;
}

const ARRAY_TAGS = new Set(['Video', 'Directory', 'Media', 'Part', 'Guid', 'Location', 'Hub', 'Image', 'UltraBlurColors', ...TAG_ELEMENTS]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  htmlEntities: true,
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => ARRAY_TAGS.has(name),
});

export type XmlElement = Record<string, unknown>;

/** The MediaContainer element of an XML answer; throws on anything that is not well-formed. */
export function parseXml(text: string): XmlElement {
  const doc = parser.parse(text, true) as Record<string, unknown>;
  const container = doc['MediaContainer'];
  if (typeof container !== 'object' || container === null) throw new Error('no MediaContainer');
  return container as XmlElement;
}

export function elements(parent: XmlElement, tag: string): XmlElement[] {
  const value = parent[tag];
  return Array.isArray(value) ? (value as XmlElement[]) : [];
}

export type JsonObject = Record<string, unknown>;

export function parseJsonContainer(text: string): JsonObject {
  const doc = JSON.parse(text) as { MediaContainer?: JsonObject };
  if (!doc.MediaContainer) throw new Error('no MediaContainer');
  return doc.MediaContainer;
}

export function jsonArray(parent: JsonObject, key: string): JsonObject[] {
  const value = parent[key];
  return Array.isArray(value) ? (value as JsonObject[]) : [];
}

/** The ratingKeys of the items of a JSON answer. */
export function ratingKeys(container: JsonObject): string[] {
  return jsonArray(container, 'Metadata').map((item) => String(item['ratingKey']));
}

/** Waits for a condition by polling the event loop, never by a fixed sleep. */
export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
