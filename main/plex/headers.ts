// The X-Plex-* headers a client sends about itself. Node refuses header values outside Latin-1 (and control
// characters), so a value taken from the OS (the host name: "Ana’s MacBook", "Аня-ПК", "北京的电脑") must be made
// sendable here: folded to ASCII where that keeps it readable, percent-encoded (UTF-8) where nothing readable
// exists. A header that cannot be sent is a bug of ours, never a network error to retry.
import os from 'node:os';
import { APP_NAME, APP_VERSION } from '../app-info.js';

/** Longest header value sent; PMS shows the device name in its dashboard, where longer names are noise. */
export const MAX_HEADER_VALUE_LENGTH = 128;

const PUNCTUATION: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u02bc': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2033': '"',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u00a0': ' ',
  '\u2007': ' ',
  '\u202f': ' ',
  '\u00df': 'ss',
  '\u00e6': 'ae',
  '\u00c6': 'AE',
  '\u00f8': 'o',
  '\u00d8': 'O',
  '\u0142': 'l',
  '\u0141': 'L',
  '\u0111': 'd',
  '\u0110': 'D',
  '\u00fe': 'th',
  '\u00de': 'Th',
};

// ISO 9 / common practice, enough to keep Russian, Ukrainian, Belarusian, Serbian and Bulgarian names readable.
const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'yo',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  і: 'i',
  ї: 'yi',
  є: 'ye',
  ґ: 'g',
  ў: 'u',
  ђ: 'dj',
  ј: 'j',
  љ: 'lj',
  њ: 'nj',
  ћ: 'c',
  џ: 'dz',
};

/** Printable ASCII only: what every HTTP stack accepts in a header value and every log shows as it is. */
export function isSendableHeaderValue(value: string): boolean {
  return /^[\x20-\x7e]*$/.test(value);
}

/**
 * A readable, sendable form of any text for an X-Plex-* header: typographic punctuation and accents folded,
 * Cyrillic transliterated, control characters dropped, anything else percent-encoded as UTF-8, at most
 * MAX_HEADER_VALUE_LENGTH characters (never cutting an escape), `fallback` when nothing is left.
 */
export function toHeaderValue(text: string, fallback: string): string {
  let out = '';
  for (const char of foldText(text)) {
    const piece = sendableForm(char);
    if (out.length + piece.length > MAX_HEADER_VALUE_LENGTH) break;
    out += piece;
  }
  out = out.trim();
  return out === '' ? fallback : out;
}

function foldText(text: string): string {
  const replaced = Array.from(text, (char) => PUNCTUATION[char] ?? transliterate(char)).join('');
  // NFKD splits "é" into "e" + a combining accent (dropped); full-width forms become ASCII.
  return replaced
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/\s+/g, ' ');
}

function transliterate(char: string): string {
  const lower = char.toLowerCase();
  const latin = CYRILLIC[lower];
  if (latin === undefined) return char;
  if (lower === char || latin === '') return latin;
  return latin.charAt(0).toUpperCase() + latin.slice(1);
}

function sendableForm(char: string): string {
  if (isSendableHeaderValue(char)) return char;
  try {
    return encodeURIComponent(char);
  } catch {
    return '?'; // a lone surrogate (broken UTF-16 from the OS) has no UTF-8 form
  }
}

/** What names this installation to Plex (a server or plex.tv): the same on every request, so both see one client. */
export interface PlexClientIdentity {
  /** X-Plex-Client-Identifier: stable per installation, persisted by the caller. */
  clientIdentifier: string;
  /** X-Plex-Product, default 'Marquee'. */
  product?: string;
  /** X-Plex-Version, default the app's version. */
  version?: string;
  /** X-Plex-Platform, default from the OS. */
  platform?: string;
  /** X-Plex-Device (the kind of device), default the platform. */
  device?: string;
  /** X-Plex-Device-Name, default the host name. */
  deviceName?: string;
}

/** The identity headers of every request to a server or plex.tv, each made sendable whatever the OS reports. */
export function plexClientHeaders(identity: PlexClientIdentity): Record<string, string> {
  const product = toHeaderValue(identity.product ?? APP_NAME, APP_NAME);
  const version = toHeaderValue(identity.version ?? APP_VERSION, APP_VERSION);
  const platform = toHeaderValue(identity.platform ?? platformName(), 'Unknown');
  const headers: Record<string, string> = {
    'user-agent': `${product}/${version}`,
    'x-plex-client-identifier': toHeaderValue(identity.clientIdentifier, 'marquee'),
    'x-plex-product': product,
    'x-plex-version': version,
    'x-plex-platform': platform,
    'x-plex-device': toHeaderValue(identity.device ?? platform, platform),
    'x-plex-device-name': toHeaderValue(identity.deviceName ?? hostName(), product),
  };
  for (const [name, value] of Object.entries(headers)) {
    if (!isSendableHeaderValue(value)) throw new TypeError(`Header ${name} is not sendable: ${JSON.stringify(value)}`);
  }
  return headers;
}

function hostName(): string {
  try {
    return os.hostname();
  } catch {
    return '';
  }
}

export function platformName(): string {
  switch (process.platform) {
    case 'darwin':
      return 'macOS';
    case 'win32':
      return 'Windows';
    case 'linux':
      return 'Linux';
    default:
      return process.platform;
  }
}

/** What a Plex Media Server client says of itself: the identity, and which format it asks for. */
export interface ClientIdentity extends PlexClientIdentity {
  /** Default true: Accept: application/json. */
  preferJson?: boolean;
}

/** The headers every request to a Plex Media Server carries. */
export function clientHeaders(options: ClientIdentity): Record<string, string> {
  return { accept: options.preferJson === false ? 'application/xml' : 'application/json', ...plexClientHeaders(options) };
}
