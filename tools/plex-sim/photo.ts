// The photo transcoder, as Marquee uses it: `GET /photo/:/transcode?url=/library/metadata/{key}/thumb|art[/{stamp}]
// &width=W&height=H[&minSize=1&upscale=1]` (the parameters python-plexapi's PlexServer.transcodeImage sends,
// plexapi/server.py). Token required like every library call (server.ts checks it). Answers a small generated PNG:
// one flat colour derived from the item's key and the role, so a test can tell images apart, at the asked size
// capped to keep it cheap. Items that do not exist, and sources that are not an item's thumb or art, answer 404.
import { deflateSync } from 'node:zlib';

export interface SimPhotoOptions {
  /** Every transcode answers this much later (slow images). */
  delayMs?: number;
  /** Every transcode answers 500 (a transcoder that fails). */
  failing?: boolean;
  /** These ratingKeys have no artwork: their transcodes answer 404 (an item without a poster). */
  missing?: readonly string[];
}

/** What the transcoder saw: for tests of caches and concurrency caps. */
export interface SimPhotoStats {
  /** Transcode requests received (any answer). */
  requests: number;
  /** Received and not yet answered. */
  inFlight: number;
  /** The most that were in flight at once. */
  peakInFlight: number;
}

export const PHOTO_TRANSCODE_PATH = '/photo/:/transcode';
/** The generated image is never larger than this on either side: plenty for tests, cheap to make. */
const MAX_GENERATED_SIDE = 64;

export type PhotoAnswer = { status: 200; contentType: 'image/png'; body: Buffer } | { status: 400 | 404 };

const SOURCE_PATTERN = /^\/library\/metadata\/([^/]+)\/(thumb|art)(?:\/\d+)?$/;

/** The answer to one transcode request; `exists` says whether the library holds a ratingKey. */
export function transcodePhoto(params: URLSearchParams, exists: (ratingKey: string) => boolean, options: SimPhotoOptions): PhotoAnswer {
  const source = SOURCE_PATTERN.exec(params.get('url') ?? '');
  const width = Number(params.get('width'));
  const height = Number(params.get('height'));
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) return { status: 400 };
  if (source === null) return { status: 404 };
  const [, ratingKey = '', kind = ''] = source;
  if (!exists(ratingKey) || (options.missing ?? []).includes(ratingKey)) return { status: 404 };
  const side = (value: number): number => Math.min(value, MAX_GENERATED_SIDE);
  return { status: 200, contentType: 'image/png', body: solidPng(side(width), side(height), colourOf(`${ratingKey}/${kind}`)) };
}

/** The colour an item's thumb or art is drawn in: stable per key, so tests can recognise an image. */
export function colourOf(key: string): [number, number, number] {
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619) >>> 0;
  return [hash & 0xff, (hash >>> 8) & 0xff, (hash >>> 16) & 0xff];
}

/** A width×height PNG of one RGB colour (8-bit truecolour, no filter). */
export function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed), 0);
  return Buffer.concat([length, typed, crc]);
}

let crcTable: Uint32Array | undefined;

function crc32(bytes: Buffer): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
