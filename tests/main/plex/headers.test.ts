// X-Plex-* headers from whatever the OS reports: every value must be sendable (Node refuses non-Latin-1 and
// control characters before the request leaves) and stay readable.
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientHeaders } from '../../../main/plex/headers.js';
import { isSendableHeaderValue, MAX_HEADER_VALUE_LENGTH, toHeaderValue } from '../../../main/plex/headers.js';

const HOSTILE_NAMES: [string, string][] = [
  ['Ana’s MacBook', "Ana's MacBook"],
  ['北京的电脑', '%E5%8C%97%E4%BA%AC%E7%9A%84%E7%94%B5%E8%84%91'],
  ['Аня-ПК', 'Anya-PK'],
  ['Щука ёжик', 'Shchuka yozhik'],
  ['Café “Zoë” – Ärger', 'Cafe "Zoe" - Arger'],
  ['tab\there\r\nnewline\u0000nul', 'tab here newline nul'],
  ['ｆｕｌｌ ｗｉｄｔｈ', 'full width'],
  ['emoji 🎬 box', 'emoji %F0%9F%8E%AC box'],
  ['broken \ud800 surrogate', 'broken ? surrogate'],
];

/** What Node itself accepts as a header value: the check that fails the request before it is sent. */
function nodeAccepts(value: string): boolean {
  try {
    http.validateHeaderValue('x-plex-device-name', value);
    return true;
  } catch {
    return false;
  }
}

describe('toHeaderValue', () => {
  it.each(HOSTILE_NAMES)('%j → %j', (name, expected) => {
    const value = toHeaderValue(name, 'Marquee');
    expect(value).toBe(expected);
    expect(isSendableHeaderValue(value)).toBe(true);
    expect(nodeAccepts(value)).toBe(true);
  });

  it('falls back when nothing is left (empty, blank, control characters only)', () => {
    for (const name of ['', '   ', '\u0000\u0001\n']) expect(toHeaderValue(name, 'Marquee')).toBe('Marquee');
  });

  it('caps very long names without cutting an escape in half', () => {
    for (const name of ['x'.repeat(10_000), '电'.repeat(1000), `a${'电'.repeat(1000)}`]) {
      const value = toHeaderValue(name, 'Marquee');
      expect(value.length).toBeLessThanOrEqual(MAX_HEADER_VALUE_LENGTH);
      expect(value.length).toBeGreaterThan(MAX_HEADER_VALUE_LENGTH - 9);
      expect(() => decodeURIComponent(value)).not.toThrow();
      expect(nodeAccepts(value)).toBe(true);
    }
  });

  it('leaves a plain ASCII name as it is', () => {
    expect(toHeaderValue('living-room-nas', 'Marquee')).toBe('living-room-nas');
  });
});

describe('clientHeaders', () => {
  it('makes every header sendable whatever the names and the platform are', () => {
    for (const [name] of HOSTILE_NAMES) {
      const headers = clientHeaders({ clientIdentifier: `id ${name}`, deviceName: name, platform: name, product: name, version: name });
      for (const value of Object.values(headers)) expect(nodeAccepts(value)).toBe(true);
    }
  });

  it('names the device after the host name by default', () => {
    expect(clientHeaders({ clientIdentifier: 'id' })['x-plex-device-name']).toMatch(/^[\x20-\x7e]+$/);
  });
});
