// Turns a Plex response body (JSON or XML) into the one typed shape of model.ts. No HTTP here.
//
// Both formats are first reduced to the same plain tree: an element is an object whose scalar properties
// are its attributes and whose array properties are its child elements (`Metadata`, `Media`, `Part`,
// `Guid`, `Location`, …), which is what Plex's JSON already looks like. The decoders below read it with the
// lenient readers of node-readers.ts: numbers as strings or numbers, booleans as 0/1/true/false, ids as strings.

import { XMLParser } from 'fast-xml-parser';

import { asBoolean, asId, asNumber, asText, childNodes, isNode, type PlexNode as Node } from './node-readers.js';

import type {
  PlexContainer,
  PlexIdentity,
  PlexItem,
  PlexMedia,
  PlexPart,
  PlexSection,
  PlexStream,
  PlexTag,
  PlexTagElement,
} from './model.js';

export type PlexBodyFormat = 'json' | 'xml';

/** The body is not a usable Plex MediaContainer (truncated, HTML error page, empty, not JSON/XML). */
export class PlexDecodeError extends Error {
  readonly code = 'BAD_RESPONSE' as const;

  constructor(reason: string) {
    super(reason);
    this.name = 'PlexDecodeError';
  }
}

// ---------------------------------------------------------------------------------------------------
// Format detection

/** First character that is not whitespace (or a byte-order mark), or '' for a blank body. */
function firstSignificantChar(body: string): string {
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff) continue;
    return body.charAt(i);
  }
  return '';
}

/**
 * The body's format. The body wins over the Content-Type header: servers answer XML (or an HTML error
 * page) to requests that asked for JSON. Only a body that starts with neither `{`/`[` nor `<` falls back
 * to the header, and then to XML, Plex's default.
 */
export function detectFormat(contentType: string | undefined, body: string): PlexBodyFormat {
  const first = typeof body === 'string' ? firstSignificantChar(body) : '';
  if (first === '{' || first === '[') return 'json';
  if (first === '<') return 'xml';
  return typeof contentType === 'string' && /json/i.test(contentType) ? 'json' : 'xml';
}

// ---------------------------------------------------------------------------------------------------
// Tree → model

function decodePart(node: Node): PlexPart {
  return {
    id: asId(node.id),
    key: asText(node.key),
    file: asText(node.file),
    size: asNumber(node.size),
    duration: asNumber(node.duration),
    container: asText(node.container),
    // Absent rather than empty: every listing's parts have none, and undefined costs no allocation.
    streams: node.Stream === undefined ? undefined : childNodes(node, 'Stream').map(decodeStream),
  };
}

function decodeStream(node: Node): PlexStream {
  return {
    streamType: asNumber(node.streamType),
    languageCode: asText(node.languageCode),
    doviPresent: asBoolean(node.DOVIPresent),
    colorTrc: asText(node.colorTrc),
  };
}

export function decodeMedia(node: Node): PlexMedia {
  return {
    id: asId(node.id),
    duration: asNumber(node.duration),
    container: asText(node.container),
    videoResolution: asText(node.videoResolution),
    width: asNumber(node.width),
    height: asNumber(node.height),
    bitrate: asNumber(node.bitrate),
    aspectRatio: asNumber(node.aspectRatio),
    audioChannels: asNumber(node.audioChannels),
    audioCodec: asText(node.audioCodec),
    audioProfile: asText(node.audioProfile),
    videoCodec: asText(node.videoCodec),
    videoProfile: asText(node.videoProfile),
    videoFrameRate: asText(node.videoFrameRate),
    parts: childNodes(node, 'Part').map(decodePart),
  };
}

const TAG_ELEMENTS: readonly PlexTagElement[] = ['Genre', 'Label', 'Collection', 'Country', 'Director', 'Writer', 'Role'];

/** Calls `visit` with each tag of the item (element name, trimmed text), in the listing's order, until it returns false. */
export function forEachTag(node: Node, visit: (element: PlexTagElement, tag: string) => boolean): void {
  for (const element of TAG_ELEMENTS) {
    if (node[element] === undefined) continue;
    for (const entry of childNodes(node, element)) {
      const tag = asText(entry.tag)?.trim();
      if (tag === undefined || tag === '') continue;
      if (!visit(element, tag)) return;
    }
  }
}

/** The item's tag elements; undefined when it has none (seasons, most listings of other servers). */
function tagsOf(node: Node): PlexTag[] | undefined {
  let out: PlexTag[] | undefined;
  forEachTag(node, (element, tag) => {
    (out ??= []).push({ element, tag });
    return true;
  });
  return out;
}

export function guidIds(node: Node): string[] {
  const out: string[] = [];
  for (const entry of childNodes(node, 'Guid')) {
    const id = asText(entry.id);
    if (id !== undefined && id !== '') out.push(id);
  }
  return out;
}

function locationPaths(node: Node): string[] {
  const out: string[] = [];
  for (const entry of childNodes(node, 'Location')) {
    const path = asText(entry.path);
    if (path !== undefined && path !== '') out.push(path);
  }
  return out;
}

/** Container attributes that apply to items lacking their own value. */
export interface PlexHoisted {
  librarySectionID: string | undefined;
  librarySectionTitle: string | undefined;
}

/**
 * Turns one item element (it has a rating key) into what the caller keeps, or null to leave it out. The default
 * gives a PlexItem; the sync's listings decode straight into catalog records (sync/listing-record.ts).
 */
export type ItemDecoder<I> = (node: Node, ratingKey: string, hoisted: PlexHoisted) => I | null;

function isAllEpisodesEntry(node: Node): boolean {
  const key = node.key;
  return typeof key === 'string' && key.endsWith('/allLeaves');
}

export function decodeItem(node: Node, ratingKey: string, hoisted: PlexHoisted): PlexItem {
  return {
    ratingKey,
    type: asText(node.type) ?? '',
    title: asText(node.title) ?? '',
    guid: asText(node.guid),
    guids: guidIds(node),
    year: asNumber(node.year),
    originallyAvailableAt: asText(node.originallyAvailableAt),
    index: asNumber(node.index),
    parentIndex: asNumber(node.parentIndex),
    parentRatingKey: asId(node.parentRatingKey),
    parentTitle: asText(node.parentTitle),
    // Only needed where hidden seasons dropped the parent's key: python-plexapi reads the key from the thumb.
    parentThumb: node.parentRatingKey === undefined ? asText(node.parentThumb) : undefined,
    grandparentRatingKey: asId(node.grandparentRatingKey),
    grandparentTitle: asText(node.grandparentTitle),
    addedAt: asNumber(node.addedAt),
    updatedAt: asNumber(node.updatedAt),
    leafCount: asNumber(node.leafCount),
    childCount: asNumber(node.childCount),
    librarySectionID: asId(node.librarySectionID) ?? hoisted.librarySectionID,
    librarySectionTitle: asText(node.librarySectionTitle) ?? hoisted.librarySectionTitle,
    duration: asNumber(node.duration),
    summary: asText(node.summary),
    tagline: asText(node.tagline),
    contentRating: asText(node.contentRating),
    studio: asText(node.studio),
    originalTitle: asText(node.originalTitle),
    titleSort: asText(node.titleSort),
    editionTitle: asText(node.editionTitle),
    rating: asNumber(node.rating),
    ratingImage: asText(node.ratingImage),
    audienceRating: asNumber(node.audienceRating),
    audienceRatingImage: asText(node.audienceRatingImage),
    tags: tagsOf(node),
    media: childNodes(node, 'Media').map(decodeMedia),
    locations: locationPaths(node),
  };
}

/**
 * A library section: a Directory without ratingKey whose key is a plain section key ("1", not a path like
 * "/library/metadata/1/allLeaves" or "all"/"search?type=1" filter entries, which have no type), and which
 * carries something only libraries have.
 */
function decodeSection(node: Node): PlexSection | null {
  if (node.ratingKey !== undefined) return null;
  const key = asId(node.key);
  const type = asText(node.type);
  if (key === undefined || key.includes('/') || key.includes('?') || type === undefined || type === '') return null;
  const locations = locationPaths(node);
  const looksLikeLibrary = node.uuid !== undefined || node.agent !== undefined || node.scanner !== undefined || locations.length > 0;
  if (!looksLikeLibrary) return null;
  const contentChangedAt = asText(node.contentChangedAt)?.trim();
  return {
    key,
    type,
    title: asText(node.title) ?? '',
    uuid: asText(node.uuid),
    agent: asText(node.agent),
    scanner: asText(node.scanner),
    language: asText(node.language),
    updatedAt: asNumber(node.updatedAt),
    scannedAt: asNumber(node.scannedAt),
    contentChangedAt: contentChangedAt === '' ? undefined : contentChangedAt,
    hidden: asNumber(node.hidden),
    locations,
  };
}

/**
 * Element names that hold items: JSON uses Metadata (and Directory); XML uses Video (movies, episodes),
 * Directory (shows, seasons, artists, albums) and Track (tracks, python-plexapi audio.py Track.TAG).
 */
const ITEM_ELEMENTS = ['Metadata', 'Video', 'Directory', 'Track'] as const;

/** Decodes the item elements of `parent` into `into`; returns how many there were (kept or not). */
function collectItems<I>(parent: Node, hoisted: PlexHoisted, decode: ItemDecoder<I>, into: I[]): number {
  let entries = 0;
  for (const name of ITEM_ELEMENTS) {
    for (const node of childNodes(parent, name)) {
      const ratingKey = asId(node.ratingKey);
      if (ratingKey === undefined || isAllEpisodesEntry(node)) continue;
      entries += 1;
      const item = decode(node, ratingKey, hoisted);
      if (item !== null) into.push(item);
    }
  }
  return entries;
}

function containerAttributes(container: Node): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const name of Object.keys(container)) {
    if (name.startsWith('#')) continue; // XML text between child elements
    const value = container[name];
    if (typeof value === 'string') attributes[name] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) attributes[name] = String(value);
    // Booleans as XML spells them, so both formats give the same text.
    else if (typeof value === 'boolean') attributes[name] = value ? '1' : '0';
  }
  return attributes;
}

function decodeTree<I>(container: Node, decode: ItemDecoder<I>): PlexContainer<I> {
  const hoisted: PlexHoisted = {
    librarySectionID: asId(container.librarySectionID),
    librarySectionTitle: asText(container.librarySectionTitle),
  };

  const items: I[] = [];
  let entries = collectItems(container, hoisted, decode, items);
  // /hubs/search: items grouped in hubs; /library/search: items wrapped in SearchResult.
  for (const hub of childNodes(container, 'Hub')) entries += collectItems(hub, hoisted, decode, items);
  for (const result of childNodes(container, 'SearchResult')) entries += collectItems(result, hoisted, decode, items);

  const sections: PlexSection[] = [];
  for (const node of childNodes(container, 'Directory')) {
    const section = decodeSection(node);
    if (section !== null) sections.push(section);
  }

  return {
    size: asNumber(container.size),
    totalSize: asNumber(container.totalSize),
    offset: asNumber(container.offset),
    attributes: containerAttributes(container),
    items,
    entries,
    sections,
  };
}

// ---------------------------------------------------------------------------------------------------
// JSON

/**
 * `contentChangedAt` is a counter that can exceed 2^53 (8457612157633039800 was seen on a real server);
 * JSON.parse would round it. A body whose parse holds such a value is parsed again with the counters quoted,
 * so they stay exact text. A match cannot come from inside a JSON string: there the quotes around the name would
 * be escaped. (Searching every body for the name first cost 1 ms a page: pages are megabytes of listing.)
 */
const CONTENT_CHANGED_AT = /"contentChangedAt"(\s*):(\s*)(-?\d+)(?=\s*[,}\]])/g;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PlexDecodeError(`invalid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

function isInexact(value: unknown): boolean {
  return typeof value === 'number' && !Number.isSafeInteger(value);
}

/** The container or one of its Directory entries (sections) carries a counter JSON.parse could not keep exact. */
function hasInexactCounter(container: Node): boolean {
  if (isInexact(container.contentChangedAt)) return true;
  const directories = container.Directory;
  if (!Array.isArray(directories)) return isNode(directories) && isInexact(directories.contentChangedAt);
  for (const entry of directories) if (isNode(entry) && isInexact(entry.contentChangedAt)) return true;
  return false;
}

function containerOf(parsed: unknown): Node {
  if (!isNode(parsed)) throw new PlexDecodeError('JSON body is not an object');
  const container = parsed.MediaContainer;
  if (!isNode(container)) throw new PlexDecodeError('JSON body has no MediaContainer');
  return container;
}

function decodeJson<I>(body: string, decode: ItemDecoder<I>): PlexContainer<I> {
  let container = containerOf(parseJson(body));
  if (hasInexactCounter(container)) container = containerOf(parseJson(body.replace(CONTENT_CHANGED_AT, '"contentChangedAt"$1:$2"$3"')));
  return decodeTree(container, decode);
}

// ---------------------------------------------------------------------------------------------------
// XML

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeCharacterReference(token: string): string | undefined {
  const hex = token.charCodeAt(1) === 120 /* x */ || token.charCodeAt(1) === 88; /* X */
  const digits = token.slice(hex ? 2 : 1);
  if (digits === '' || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) return undefined;
  const codePoint = parseInt(digits, hex ? 16 : 10);
  // NUL, surrogates and out-of-range values are not characters: keep the reference as written.
  if (codePoint === 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return undefined;
  return String.fromCodePoint(codePoint);
}

/**
 * Decodes the five predefined XML entities and numeric character references (`&#233;`, `&#x263A;`) in
 * one pass, so `&amp;#39;` stays the literal text `&#39;`. Entities declared in a DOCTYPE are not
 * expanded (fast-xml-parser's own entity handling is switched off), and unknown ones stay as written.
 */
export function decodeXmlEntities(value: string): string {
  let amp = value.indexOf('&');
  if (amp === -1) return value;
  let out = '';
  let last = 0;
  while (amp !== -1) {
    const semi = value.indexOf(';', amp + 1);
    if (semi === -1) break;
    if (semi - amp <= 12) {
      const token = value.slice(amp + 1, semi);
      const replacement = token.charCodeAt(0) === 35 /* # */ ? decodeCharacterReference(token) : PREDEFINED_ENTITIES[token];
      if (replacement !== undefined) {
        out += value.slice(last, amp) + replacement;
        last = semi + 1;
      }
    }
    amp = value.indexOf('&', amp + 1);
  }
  return last === 0 ? value : out + value.slice(last);
}

/**
 * Attributes read below any container (items, Media, Part, Guid, Location, sections). Others are dropped
 * while parsing, which saves a quarter of the XML time. Reading a new attribute in the decoders above
 * means adding it here: the JSON/XML equivalence test fails otherwise.
 */
const READ_ATTRIBUTES: ReadonlySet<string> = new Set([
  // items
  'ratingKey',
  'key',
  'type',
  'title',
  'guid',
  'year',
  'originallyAvailableAt',
  'index',
  'parentIndex',
  'parentRatingKey',
  'parentTitle',
  'parentThumb',
  'grandparentRatingKey',
  'grandparentTitle',
  'addedAt',
  'updatedAt',
  'leafCount',
  'childCount',
  'librarySectionID',
  'librarySectionTitle',
  'duration',
  'summary',
  'tagline',
  'contentRating',
  'studio',
  'originalTitle',
  'titleSort',
  'editionTitle',
  'rating',
  'ratingImage',
  'audienceRating',
  'audienceRatingImage',
  // Genre, Label, Collection, Country, Director, Writer, Role
  'tag',
  // Media, Part, Stream, Guid, Location
  'id',
  'container',
  'videoResolution',
  'width',
  'height',
  'bitrate',
  'aspectRatio',
  'audioChannels',
  'audioCodec',
  'audioProfile',
  'videoCodec',
  'videoProfile',
  'videoFrameRate',
  'streamType',
  'languageCode',
  'DOVIPresent',
  'colorTrc',
  'file',
  'size',
  'path',
  // sections
  'uuid',
  'agent',
  'scanner',
  'language',
  'scannedAt',
  'contentChangedAt',
  'hidden',
]);

interface DepthAware {
  getDepth(): number;
}

function hasDepth(value: unknown): value is DepthAware {
  return typeof value === 'object' && value !== null && typeof (value as Partial<DepthAware>).getDepth === 'function';
}

const xmlParser = new XMLParser({
  attributeNamePrefix: '',
  parseAttributeValue: false, // keep text: contentChangedAt may exceed 2^53, ids stay strings
  parseTagValue: false,
  trimValues: false, // titles with trailing spaces are real ("TV Series "), and JSON keeps them
  processEntities: false, // decoded exactly by decodeXmlEntities; DOCTYPE entities never expanded
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  jPath: false, // callbacks get the parser's matcher instead of a freshly built path string
  isArray: (tagName: string, _path: unknown, _isLeaf: boolean, isAttribute: boolean) => !isAttribute && tagName !== 'MediaContainer',
  // Keep every attribute of the container itself (depth 1), only the read ones below it.
  ignoreAttributes: (name: string, matcher: unknown) => !READ_ATTRIBUTES.has(name) && !(hasDepth(matcher) && matcher.getDepth() <= 1),
  attributeValueProcessor: (_name: string, value: string) => decodeXmlEntities(value),
});

function looksLikeHtml(body: string): boolean {
  const head = body.slice(0, 512).toLowerCase();
  return head.includes('<html') || head.includes('<!doctype html');
}

/**
 * fast-xml-parser accepts unclosed elements, so a truncated body would pass for a short page. A complete
 * body ends with `</MediaContainer>`, or is one self-closing `<MediaContainer …/>`. (XMLValidator would
 * also catch mismatched tags mid-body, but doubles the cost; truncation is the failure seen in practice.)
 */
function isComplete(body: string, rootStart: number): boolean {
  const end = body.trimEnd();
  if (end.endsWith('</MediaContainer>')) return true;
  return end.endsWith('/>') && end.lastIndexOf('<') === rootStart;
}

function decodeXml<I>(body: string, decode: ItemDecoder<I>): PlexContainer<I> {
  if (looksLikeHtml(body)) throw new PlexDecodeError('HTML page instead of a MediaContainer');
  const rootStart = body.indexOf('<MediaContainer');
  if (rootStart === -1) throw new PlexDecodeError('XML body has no MediaContainer');
  if (!isComplete(body, rootStart)) throw new PlexDecodeError('truncated XML (no closing </MediaContainer>)');
  let parsed: unknown;
  try {
    parsed = xmlParser.parse(body);
  } catch (error) {
    throw new PlexDecodeError(`invalid XML (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isNode(parsed)) throw new PlexDecodeError('XML body has no MediaContainer');
  const container = parsed.MediaContainer;
  // <MediaContainer/> without attributes or children parses as an empty string.
  if (container === '') return decodeTree({}, decode);
  if (!isNode(container)) throw new PlexDecodeError('XML body has no MediaContainer');
  return decodeTree(container, decode);
}

// ---------------------------------------------------------------------------------------------------
// Entry points

/**
 * Decodes a MediaContainer. `format` is what the caller expects (usually from `detectFormat`); a body
 * that plainly starts as the other format (`<` vs `{`) is decoded as what it is.
 * @throws PlexDecodeError when the body is empty, truncated, not JSON/XML or has no MediaContainer.
 */
export function decodeContainer(body: string, format: PlexBodyFormat): PlexContainer;
/** The same, each item decoded by `decode` (a listing straight into catalog records). */
export function decodeContainer<I>(body: string, format: PlexBodyFormat, decode: ItemDecoder<I>): PlexContainer<I>;
export function decodeContainer(body: string, format: PlexBodyFormat, decode: ItemDecoder<unknown> = decodeItem): PlexContainer<unknown> {
  if (typeof body !== 'string') throw new PlexDecodeError('body is not text');
  const first = firstSignificantChar(body);
  if (first === '') throw new PlexDecodeError('empty body');
  const actual: PlexBodyFormat = first === '<' ? 'xml' : first === '{' || first === '[' ? 'json' : format;
  return actual === 'json' ? decodeJson(body, decode) : decodeXml(body, decode);
}

/** The answer of `GET /identity` (or `GET /`, which also carries friendlyName). */
export function decodeIdentity(container: PlexContainer): PlexIdentity {
  const attributes = container.attributes;
  const machineIdentifier = attributes.machineIdentifier?.trim();
  if (machineIdentifier === undefined || machineIdentifier === '') {
    throw new PlexDecodeError('identity has no machineIdentifier');
  }
  const identity: PlexIdentity = { machineIdentifier };
  const version = attributes.version;
  if (version !== undefined && version !== '') identity.version = version;
  const claimed = asBoolean(attributes.claimed);
  if (claimed !== undefined) identity.claimed = claimed;
  const friendlyName = attributes.friendlyName;
  if (friendlyName !== undefined && friendlyName !== '') identity.friendlyName = friendlyName;
  return identity;
}
