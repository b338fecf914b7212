// Encoding: every response is first built as a small tree of PlexNodes, then written either as XML
// (Plex's default) or as JSON (`Accept: application/json`). One tree for both keeps the two formats
// equivalent by construction; only the spelling differs, as on a real server:
// - XML: `<Video>` for movies/episodes, `<Directory>` for shows/seasons/sections, flags as 1/0, text with
//   named/numeric character references (`&amp;`, `&#39;`, `&#233;`, `&#10;`);
// - JSON: children grouped in arrays (`Metadata[]`, `Directory[]`, `Media[].Part[]`, `Guid[]`,
//   `Location[]`, `Hub[]`), flags as booleans, ids as strings, counters as bare numbers — including
//   contentChangedAt beyond 2^53, which JSON.parse will round (real servers do exactly that).

import type { SimItem, SimLibraryImpl, SimSection } from './library.js';
import { audioProfileOf, richMetadataOf, SIM_TAG_ELEMENTS, type SimRichMetadata, streamFactsOf, videoProfileOf } from './rich.js';

export type AttrValue = string | number | boolean | bigint | undefined;

export interface PlexNode {
  tag: string;
  /** The array this node goes into in JSON (`Metadata`, `Directory`, `Media`, …). */
  jsonKey: string;
  /** Flat name/value pairs, in output order: [name0, value0, name1, value1, …]. Undefined values are skipped. */
  attrs: AttrValue[];
  children: PlexNode[];
}

/**
 * Children made one at a time while writing (after the eager `children`), all in one JSON array. A page
 * of 1000 items then never holds 1000 trees at once: the garbage dies young, which is most of the speed.
 */
export interface LazyChildren {
  jsonKey: string;
  count: number;
  node(index: number): PlexNode;
}

export interface PlexContainer extends PlexNode {
  lazy?: LazyChildren;
}

function flatten(attrs: Record<string, AttrValue>): AttrValue[] {
  const flat: AttrValue[] = [];
  for (const name in attrs) {
    const value = attrs[name];
    if (value !== undefined) flat.push(name, value);
  }
  return flat;
}

export function el(tag: string, jsonKey: string, attrs: Record<string, AttrValue>, children: PlexNode[] = []): PlexNode {
  return { tag, jsonKey, attrs: flatten(attrs), children };
}

export function mediaContainer(attrs: Record<string, AttrValue>, children: PlexNode[] = [], lazy?: LazyChildren): PlexContainer {
  const container: PlexContainer = el('MediaContainer', 'MediaContainer', attrs, children);
  if (lazy) container.lazy = lazy;
  return container;
}

// ---- XML ------------------------------------------------------------------------------------------

// Anything outside printable ASCII, plus the five XML specials, is written as a reference.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const XML_NEEDS_ESCAPE = /[\u0000-\u001f"&'<>\u007f-\uffff]/;

export function escapeXmlAttribute(text: string): string {
  if (!XML_NEEDS_ESCAPE.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code === 0x26) out += '&amp;';
    else if (code === 0x3c) out += '&lt;';
    else if (code === 0x3e) out += '&gt;';
    else if (code === 0x22) out += '&quot;';
    else if (code === 0x27) out += '&#39;';
    else if (code < 0x20 || code >= 0x7f) out += `&#${code};`;
    else out += ch;
  }
  return out;
}

function xmlValue(value: Exclude<AttrValue, undefined>): string {
  if (typeof value === 'string') return escapeXmlAttribute(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/**
 * Output goes straight into a growing Buffer, one write per element: building a megabyte-sized string
 * from ropes and joining it measured about twice as slow (most of it spent flattening and collecting).
 */
class ByteSink {
  private buf: Buffer;
  private pos = 0;

  constructor(
    private readonly encoding: 'latin1' | 'utf8',
    sizeHint: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(4_096, sizeHint));
  }

  write(text: string): void {
    const worst = this.encoding === 'utf8' ? text.length * 3 : text.length;
    if (this.pos + worst > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + worst));
      this.buf.copy(grown, 0, 0, this.pos);
      this.buf = grown;
    }
    this.pos += this.buf.write(text, this.pos, this.encoding);
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** A rough size guess so a page of items rarely has to regrow its buffer. */
function sizeHint(container: PlexContainer): number {
  return 1_024 + (container.children.length + (container.lazy?.count ?? 0)) * 1_600;
}

function xmlAttributes(node: PlexNode): string {
  let out = '';
  const attrs = node.attrs;
  for (let i = 0; i < attrs.length; i += 2) {
    const value = attrs[i + 1];
    if (value !== undefined) out += ` ${attrs[i] as string}="${xmlValue(value)}"`;
  }
  return out;
}

function writeXml(node: PlexNode, sink: ByteSink): void {
  const open = `<${node.tag}${xmlAttributes(node)}`;
  const children = node.children;
  if (children.length === 0) {
    sink.write(`${open} />\n`);
    return;
  }
  sink.write(`${open}>\n`);
  for (let i = 0; i < children.length; i++) writeXml(children[i] as PlexNode, sink);
  sink.write(`</${node.tag}>\n`);
}

/** XML bytes. Every non-ASCII character is a reference, so the output is pure ASCII (hence valid UTF-8). */
export function encodeXml(container: PlexContainer): Buffer {
  const sink = new ByteSink('latin1', sizeHint(container));
  // The container always has an open and a close tag, even when empty (as PMS writes it).
  sink.write(`<?xml version="1.0" encoding="UTF-8"?>\n<${container.tag}${xmlAttributes(container)}>\n`);
  for (const child of container.children) writeXml(child, sink);
  const lazy = container.lazy;
  if (lazy) for (let i = 0; i < lazy.count; i++) writeXml(lazy.node(i), sink);
  sink.write(`</${container.tag}>\n`);
  return sink.bytes();
}

// ---- JSON -----------------------------------------------------------------------------------------

// Strings without quotes, backslashes, control characters or surrogates need no JSON escaping.
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON must escape
const JSON_NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function jsonValue(value: Exclude<AttrValue, undefined>): string {
  if (typeof value === 'string') return JSON_NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  // A bigint is written as a bare number literal, exactly as Plex prints its counters.
  return String(value);
}

function jsonAttributes(node: PlexNode): string {
  let out = '';
  const attrs = node.attrs;
  for (let i = 0; i < attrs.length; i += 2) {
    const value = attrs[i + 1];
    if (value !== undefined) out += `${out === '' ? '' : ','}"${attrs[i] as string}":${jsonValue(value)}`;
  }
  return out;
}

/** Children grouped by their JSON array name, in order of first appearance. */
function jsonGroups(children: readonly PlexNode[]): Map<string, PlexNode[]> {
  const groups = new Map<string, PlexNode[]>();
  for (const child of children) {
    const group = groups.get(child.jsonKey);
    if (group) group.push(child);
    else groups.set(child.jsonKey, [child]);
  }
  return groups;
}

function writeJson(node: PlexNode, sink: ByteSink): void {
  const attrs = jsonAttributes(node);
  sink.write(`{${attrs}`);
  let first = attrs === '';
  if (node.children.length > 0) {
    for (const [key, members] of jsonGroups(node.children)) {
      sink.write(`${first ? '' : ','}"${key}":[`);
      first = false;
      for (let i = 0; i < members.length; i++) {
        if (i > 0) sink.write(',');
        writeJson(members[i] as PlexNode, sink);
      }
      sink.write(']');
    }
  }
  sink.write('}');
}

/** JSON bytes (UTF-8), `{"MediaContainer":{…}}`. */
export function encodeJson(container: PlexContainer): Buffer {
  const sink = new ByteSink('utf8', sizeHint(container));
  const lazy = container.lazy;
  if (!lazy || lazy.count === 0) {
    sink.write('{"MediaContainer":');
    writeJson(container, sink);
    sink.write('}');
    return sink.bytes();
  }
  const attrs = jsonAttributes(container);
  sink.write(`{"MediaContainer":{${attrs}`);
  let first = attrs === '';
  const groups = jsonGroups(container.children);
  // Lazy items join the eager array of the same name, or get their own array after the eager ones.
  const lazyGroupSeparate = !groups.has(lazy.jsonKey);
  const writeLazy = (): void => {
    for (let i = 0; i < lazy.count; i++) {
      if (i > 0) sink.write(',');
      writeJson(lazy.node(i), sink);
    }
  };
  for (const [key, members] of groups) {
    sink.write(`${first ? '' : ','}"${key}":[`);
    first = false;
    for (let i = 0; i < members.length; i++) {
      if (i > 0) sink.write(',');
      writeJson(members[i] as PlexNode, sink);
    }
    if (key === lazy.jsonKey) {
      if (members.length > 0) sink.write(',');
      writeLazy();
    }
    sink.write(']');
  }
  if (lazyGroupSeparate) {
    sink.write(`${first ? '' : ','}"${lazy.jsonKey}":[`);
    writeLazy();
    sink.write(']');
  }
  sink.write('}}');
  return sink.bytes();
}

// ---- library objects as nodes ---------------------------------------------------------------------

export interface ItemView {
  /** Full metadata (`/library/metadata/…`): Guid[] always, a show's Location[]. */
  full: boolean;
  /** `includeGuids=1` on a listing. */
  includeGuids: boolean;
  /** Put librarySectionID/Title/Key on each item instead of relying on the container's hoisted copy. */
  sectionOnItem: boolean;
  /** Answering a token that is not the owner's (a shared server): Parts carry no `file`. */
  withoutFiles?: boolean;
  /** Parts carry their `Stream` elements (always with `full`; in listings only with the `listingStreams` option). */
  streams?: boolean;
  /**
   * "Hide seasons for single-season series": episodes of such shows lose parentRatingKey/parentKey
   * ('keep-index'), and on some servers parentIndex too ('drop-index'); parentThumb still names the season.
   */
  hiddenSeasons?: 'keep-index' | 'drop-index';
}

/** Whether a show's only season is hidden under the view's "hide seasons for single-season series". */
export function seasonHidden(show: SimItem | undefined, view: Pick<ItemView, 'hiddenSeasons'>): boolean {
  return view.hiddenSeasons !== undefined && show !== undefined && show.children.length === 1;
}

function thumb(item: SimItem, kind: 'thumb' | 'art' = 'thumb'): string {
  return `/library/metadata/${item.ratingKey}/${kind}/${item.updatedAt ?? item.addedAt}`;
}

export function sectionAttrs(section: SimSection | undefined): Record<string, AttrValue> {
  if (!section) return {};
  return { librarySectionID: Number(section.key), librarySectionTitle: section.title, librarySectionUUID: section.uuid };
}

function mediaNodes(item: SimItem, withFiles: boolean, withStreams: boolean): PlexNode[] {
  const nodes: PlexNode[] = [];
  for (const media of item.media) {
    const parts: PlexNode[] = [];
    for (const part of media.parts) {
      parts.push({
        tag: 'Part',
        jsonKey: 'Part',
        children: withStreams ? streamNodes(media) : [],
        attrs: [
          'id',
          part.id,
          'key',
          `/library/parts/${part.id}/${part.stamp}/file.${part.container}`,
          'duration',
          part.duration,
          'file',
          withFiles ? part.file : undefined,
          'size',
          part.size,
          'container',
          part.container,
          // Flags every real Part carries; nothing an importer keeps, but bytes every listing pays for.
          'has64bitOffsets',
          false,
          'optimizedForStreaming',
          part.container === 'mp4',
        ],
      });
    }
    nodes.push({
      tag: 'Media',
      jsonKey: 'Media',
      children: parts,
      attrs: [
        'id',
        media.id,
        'duration',
        media.duration,
        'bitrate',
        media.bitrate,
        'width',
        media.width,
        'height',
        media.height,
        'aspectRatio',
        media.aspectRatio,
        'audioChannels',
        media.audioChannels,
        'audioCodec',
        media.audioCodec,
        'videoCodec',
        media.videoCodec,
        'videoResolution',
        media.videoResolution,
        'container',
        media.container,
        'videoFrameRate',
        media.videoFrameRate,
        'audioProfile',
        audioProfileOf(media.audioCodec, media.id),
        'videoProfile',
        videoProfileOf(media.videoCodec, media.id),
        'has64bitOffsets',
        false,
        'optimizedForStreaming',
        media.container === 'mp4',
      ],
    });
  }
  return nodes;
}

/** A track's Media: audio only (python-plexapi media.py Media: audioChannels, audioCodec, bitrate, container). */
function audioMediaNodes(item: SimItem, withFiles: boolean): PlexNode[] {
  return item.media.map((media) => ({
    tag: 'Media',
    jsonKey: 'Media',
    attrs: [
      'id',
      media.id,
      'duration',
      media.duration,
      'bitrate',
      media.bitrate,
      'audioChannels',
      media.audioChannels,
      'audioCodec',
      media.audioCodec,
      'container',
      media.container,
    ],
    children: media.parts.map((part) => ({
      tag: 'Part',
      jsonKey: 'Part',
      children: [],
      attrs: [
        'id',
        part.id,
        'key',
        `/library/parts/${part.id}/${part.stamp}/file.${part.container}`,
        'duration',
        part.duration,
        'file',
        withFiles ? part.file : undefined,
        'size',
        part.size,
        'container',
        part.container,
      ],
    })),
  }));
}

/** A Part's streams (python-plexapi media.py VideoStream/AudioStream/SubtitleStream), derived from the Media. */
function streamNodes(media: SimItem['media'][number]): PlexNode[] {
  const facts = streamFactsOf(media.id, media.videoCodec);
  const nodes: PlexNode[] = [
    {
      tag: 'Stream',
      jsonKey: 'Stream',
      attrs: ['streamType', 1, 'codec', media.videoCodec, 'DOVIPresent', facts.dolbyVision ? true : undefined, 'colorTrc', facts.colorTrc],
      children: [],
    },
  ];
  for (const language of facts.audioLanguages) {
    nodes.push({
      tag: 'Stream',
      jsonKey: 'Stream',
      attrs: ['streamType', 2, 'codec', media.audioCodec, 'languageCode', language],
      children: [],
    });
  }
  for (const language of facts.subtitleLanguages) {
    nodes.push({ tag: 'Stream', jsonKey: 'Stream', attrs: ['streamType', 3, 'codec', 'srt', 'languageCode', language], children: [] });
  }
  return nodes;
}

/** Plex writes the critic rating, the audience rating and the tagline together, after the summary. */
function ratingAttrs(rich: SimRichMetadata): AttrValue[] {
  return [
    'rating',
    rich.rating,
    'audienceRating',
    rich.audienceRating,
    'tagline',
    rich.tagline,
    'ratingImage',
    rich.ratingImage,
    'audienceRatingImage',
    rich.audienceRatingImage,
  ];
}

/** `<Genre tag="Drama"/>` (XML), `"Genre": [{"tag": "Drama"}]` (JSON), after the Media elements as Plex does. */
function pushTagNodes(rich: SimRichMetadata, into: PlexNode[]): void {
  for (const element of SIM_TAG_ELEMENTS) {
    const names = rich.tags[element];
    if (names === undefined) continue;
    for (const name of names) into.push({ tag: element, jsonKey: element, attrs: ['tag', name], children: [] });
  }
}

/**
 * `Image` (the artwork of recent servers: coverPoster, background, clearLogo) and `UltraBlurColors` (the
 * colours Plex's clients blur behind an item), as recent PMS listings carry them. The catalog keeps none of it,
 * but every listing pays for its bytes: with them an episode weighs about 1.8 KB as JSON, as on real servers
 * (issue 10), so the benchmark's floor and sync read what a real library sends. Derived from the ratingKey.
 */
function pushArtworkNodes(item: SimItem, into: PlexNode[]): void {
  if (item.type === 'artist') return;
  const image = (type: string, url: string): PlexNode => ({
    tag: 'Image',
    jsonKey: 'Image',
    attrs: ['alt', item.title, 'type', type, 'url', url],
    children: [],
  });
  into.push(image('coverPoster', thumb(item)));
  if (item.type === 'movie' || item.type === 'show') {
    into.push(image('background', thumb(item, 'art')));
    if (Number(item.ratingKey) % 3 === 0)
      into.push(image('clearLogo', `/library/metadata/${item.ratingKey}/clearLogo/${item.addedAt ?? 0}`));
  }
  if (item.type === 'season') return;
  const n = Number(item.ratingKey);
  const colour = (salt: number): string => ((Math.imul(n + salt, 2_654_435_761) >>> 8) & 0xffffff).toString(16).padStart(6, '0');
  into.push({
    tag: 'UltraBlurColors',
    jsonKey: 'UltraBlurColors',
    attrs: ['topLeft', colour(1), 'topRight', colour(2), 'bottomRight', colour(3), 'bottomLeft', colour(4)],
    children: [],
  });
}

/** Attribute lists are built per type in Plex's own order; undefined values are dropped when written. */
export function itemNode(lib: SimLibraryImpl, item: SimItem, view: ItemView): PlexNode {
  const rk = item.ratingKey;
  const section: AttrValue[] = view.sectionOnItem
    ? [
        'librarySectionTitle',
        lib.section(item.sectionKey)?.title,
        'librarySectionID',
        Number(item.sectionKey),
        'librarySectionKey',
        `/library/sections/${item.sectionKey}`,
      ]
    : [];
  const rich = richMetadataOf(rk, item.type, item.richOverride);
  let attrs: AttrValue[];
  switch (item.type) {
    case 'movie':
      attrs = [
        'ratingKey',
        rk,
        'key',
        `/library/metadata/${rk}`,
        'guid',
        item.guid,
        ...section,
        'studio',
        item.studio,
        'type',
        'movie',
        'title',
        item.title,
        'titleSort',
        item.titleSort,
        'originalTitle',
        rich.originalTitle,
        'editionTitle',
        rich.editionTitle,
        'contentRating',
        item.contentRating,
        'summary',
        item.summary,
        ...ratingAttrs(rich),
        'year',
        item.year,
        'thumb',
        thumb(item),
        'art',
        thumb(item, 'art'),
        'duration',
        item.duration,
        'originallyAvailableAt',
        item.originallyAvailableAt,
        'addedAt',
        item.addedAt,
        'updatedAt',
        item.updatedAt,
      ];
      break;
    case 'show':
      attrs = [
        'ratingKey',
        rk,
        'key',
        `/library/metadata/${rk}/children`,
        'guid',
        item.guid,
        ...section,
        'studio',
        item.studio,
        'type',
        'show',
        'title',
        item.title,
        'titleSort',
        item.titleSort,
        'originalTitle',
        rich.originalTitle,
        'contentRating',
        item.contentRating,
        'summary',
        item.summary,
        ...ratingAttrs(rich),
        'index',
        item.index,
        'year',
        item.year,
        'thumb',
        thumb(item),
        'art',
        thumb(item, 'art'),
        'duration',
        item.duration,
        'originallyAvailableAt',
        item.originallyAvailableAt,
        'leafCount',
        lib.leafCount(item),
        'viewedLeafCount',
        0,
        'childCount',
        item.children.length,
        'addedAt',
        item.addedAt,
        'updatedAt',
        item.updatedAt,
      ];
      break;
    case 'season': {
      const show = lib.parentOf(item);
      attrs = [
        'ratingKey',
        rk,
        'key',
        `/library/metadata/${rk}/children`,
        'parentRatingKey',
        item.parentKey,
        'guid',
        item.guid,
        'parentGuid',
        show?.guid,
        ...section,
        'type',
        'season',
        'title',
        item.title,
        'titleSort',
        item.titleSort,
        'parentKey',
        `/library/metadata/${item.parentKey ?? ''}`,
        'parentTitle',
        show?.title,
        'summary',
        item.summary,
        'index',
        item.index,
        'parentIndex',
        show?.index,
        'parentYear',
        show?.year,
        'year',
        item.year,
        'thumb',
        thumb(item),
        'parentThumb',
        show ? thumb(show) : undefined,
        'leafCount',
        item.children.length,
        'viewedLeafCount',
        0,
        'addedAt',
        item.addedAt,
        'updatedAt',
        item.updatedAt,
      ];
      break;
    }
    case 'episode': {
      const season = lib.parentOf(item);
      const show = lib.showOf(item);
      const hidden = seasonHidden(show, view);
      const parentKey = hidden ? undefined : item.parentKey;
      attrs = [
        'ratingKey',
        rk,
        'key',
        `/library/metadata/${rk}`,
        'parentRatingKey',
        parentKey,
        'grandparentRatingKey',
        item.grandparentKey,
        'guid',
        item.guid,
        'parentGuid',
        season?.guid,
        'grandparentGuid',
        show?.guid,
        'type',
        'episode',
        'title',
        item.title,
        'titleSort',
        item.titleSort,
        'grandparentKey',
        `/library/metadata/${item.grandparentKey ?? ''}`,
        'parentKey',
        parentKey === undefined ? undefined : `/library/metadata/${parentKey}`,
        ...section,
        'grandparentTitle',
        show?.title,
        'parentTitle',
        season?.title,
        'contentRating',
        item.contentRating,
        'summary',
        item.summary,
        ...ratingAttrs(rich),
        'index',
        item.index,
        'parentIndex',
        hidden && view.hiddenSeasons === 'drop-index' ? undefined : season?.index,
        'year',
        item.year,
        'thumb',
        thumb(item),
        'parentThumb',
        season ? thumb(season) : undefined,
        'grandparentThumb',
        show ? thumb(show) : undefined,
        'grandparentArt',
        show ? thumb(show, 'art') : undefined,
        'duration',
        item.duration,
        'originallyAvailableAt',
        item.originallyAvailableAt,
        'addedAt',
        item.addedAt,
        'updatedAt',
        item.updatedAt,
      ];
      break;
    }
    case 'artist':
      // No leafCount or childCount: python-plexapi audio.py Artist reads neither (albums and tracks are asked for).
      attrs = [
        'ratingKey',
        rk,
        'key',
        `/library/metadata/${rk}/children`,
        'guid',
        item.guid,
        ...section,
        'type',
        'artist',
        'title',
        item.title,
        'titleSort',
        item.titleSort,
        'summary',
        item.summary,
        'index',
        item.index,
        'thumb',
        thumb(item),
        'addedAt',
        item.addedAt,
        'updatedAt',
        item.updatedAt,
      ];
      break;
    case 'album': {
      // python-plexapi audio.py Album: parentTitle is the artist (an audiobook's author), leafCount its tracks.
      const artist = lib.parentOf(item);
      attrs = [
        'ratingKey',
        rk,
        'key',
        `/library/metadata/${rk}/children`,
        'parentRatingKey',
        item.parentKey,
        'guid',
        item.guid,
        'parentGuid',
        artist?.guid,
        ...section,
        'studio',
        item.studio,
        'type',
        'album',
        'title',
        item.title,
        'titleSort',
        item.titleSort,
        'parentKey',
        `/library/metadata/${item.parentKey ?? ''}`,
        'parentTitle',
        artist?.title,
        'summary',
        item.summary,
        'index',
        item.index,
        'year',
        item.year,
        'thumb',
        thumb(item),
        'parentThumb',
        artist ? thumb(artist) : undefined,
        'originallyAvailableAt',
        item.originallyAvailableAt,
        'leafCount',
        item.children.length,
        'viewedLeafCount',
        0,
        'addedAt',
        item.addedAt,
        'updatedAt',
        item.updatedAt,
      ];
      break;
    }
    case 'track': {
      // python-plexapi audio.py Track: index is the track number, parentIndex the disc.
      const album = lib.parentOf(item);
      const artist = lib.showOf(item);
      attrs = [
        'ratingKey',
        rk,
        'key',
        `/library/metadata/${rk}`,
        'parentRatingKey',
        item.parentKey,
        'grandparentRatingKey',
        item.grandparentKey,
        'guid',
        item.guid,
        'parentGuid',
        album?.guid,
        'grandparentGuid',
        artist?.guid,
        'type',
        'track',
        'title',
        item.title,
        'grandparentKey',
        `/library/metadata/${item.grandparentKey ?? ''}`,
        'parentKey',
        `/library/metadata/${item.parentKey ?? ''}`,
        ...section,
        'grandparentTitle',
        artist?.title,
        'parentTitle',
        album?.title,
        'summary',
        item.summary,
        'index',
        item.index,
        'parentIndex',
        item.disc,
        'parentYear',
        album?.year,
        'thumb',
        album ? thumb(album) : undefined,
        'parentThumb',
        album ? thumb(album) : undefined,
        'grandparentThumb',
        artist ? thumb(artist) : undefined,
        'duration',
        item.duration,
        'addedAt',
        item.addedAt,
        'updatedAt',
        item.updatedAt,
      ];
      break;
    }
  }
  const children =
    item.type === 'track'
      ? audioMediaNodes(item, view.withoutFiles !== true)
      : mediaNodes(item, view.withoutFiles !== true, view.full || view.streams === true);
  pushArtworkNodes(item, children);
  pushTagNodes(rich, children);
  if ((view.full || view.includeGuids) && item.guids.length > 0) {
    for (const id of item.guids) children.push({ tag: 'Guid', jsonKey: 'Guid', attrs: ['id', id], children: [] });
  }
  if (view.full && item.type === 'show') {
    for (const path of item.locations) children.push({ tag: 'Location', jsonKey: 'Location', attrs: ['path', path], children: [] });
  }
  const tag = item.type === 'movie' || item.type === 'episode' ? 'Video' : item.type === 'track' ? 'Track' : 'Directory';
  return { tag, jsonKey: 'Metadata', attrs, children };
}

const SECTION_ART: Record<string, string> = { movie: 'movie', show: 'show', artist: 'artist' };

export function sectionNode(section: SimSection): PlexNode {
  const art = SECTION_ART[section.type] ?? 'movie';
  return el(
    'Directory',
    'Directory',
    {
      allowSync: true,
      art: `/:/resources/${art}-fanart.jpg`,
      composite: `/library/sections/${section.key}/composite/${section.updatedAt}`,
      filters: true,
      refreshing: false,
      thumb: `/:/resources/${art}.png`,
      key: section.key,
      type: section.type,
      title: section.title,
      agent: section.agent,
      scanner: section.scanner,
      language: section.language,
      uuid: section.uuid,
      updatedAt: section.updatedAt,
      createdAt: section.createdAt,
      scannedAt: section.scannedAt,
      content: true,
      directory: true,
      contentChangedAt: BigInt(section.contentChangedAt),
      hidden: section.hidden,
    },
    section.locations.map((location) => el('Location', 'Location', { id: location.id, path: location.path })),
  );
}
