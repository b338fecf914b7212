import { describe, expect, it } from 'vitest';
import { type AppLocation, appLocationFromDevUrl, isAppUrl, isExternalWebUrl, senderRefusal } from '../../../main/ipc/sender-policy.js';

const packaged: AppLocation = { kind: 'file', indexUrl: 'file:///opt/Marquee/resources/app.asar/out/renderer/index.html' };
const dev = appLocationFromDevUrl('http://localhost:5173/');

describe('sender policy', () => {
  it('accepts the app page itself, with any query or fragment', () => {
    expect(isAppUrl('file:///opt/Marquee/resources/app.asar/out/renderer/index.html', packaged)).toBe(true);
    expect(isAppUrl('file:///opt/Marquee/resources/app.asar/out/renderer/index.html#/servers', packaged)).toBe(true);
    expect(isAppUrl('file:///opt/Marquee/resources/app.asar/out/renderer/index.html?x=1', packaged)).toBe(true);
    expect(isAppUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5173/#/browse', dev)).toBe(true);
  });

  it('refuses other files, other origins and odd schemes', () => {
    for (const url of [
      'file:///opt/Marquee/resources/app.asar/out/renderer/other.html',
      'file:///tmp/index.html',
      'file:///opt/Marquee/resources/app.asar/out/renderer/index.html/../../../../tmp/evil.html',
      'file://evil-host/opt/Marquee/resources/app.asar/out/renderer/index.html',
      'https://example.com/index.html',
      'http://localhost:5173/',
      'data:text/html,<script>alert(1)</script>',
      'javascript:alert(1)',
      'about:blank',
      'devtools://devtools/bundled/inspector.html',
      '',
      'not a url',
    ]) {
      expect(isAppUrl(url, packaged), url).toBe(false);
    }
    for (const url of [
      'http://localhost:5174/',
      'http://127.0.0.1:5173/',
      'https://localhost:5173/',
      'file:///index.html',
      'ws://localhost:5173/',
    ]) {
      expect(isAppUrl(url, dev), url).toBe(false);
    }
  });

  it('refuses sub-frames and vanished frames, and explains why', () => {
    const url = 'file:///opt/Marquee/resources/app.asar/out/renderer/index.html';
    expect(senderRefusal({ url, isTopFrame: true }, packaged)).toBeNull();
    expect(senderRefusal({ url, isTopFrame: false }, packaged)).toMatch(/sub-frame/);
    expect(senderRefusal(null, packaged)).toMatch(/gone/);
    expect(senderRefusal({ url: 'https://evil.example/x', isTopFrame: true }, packaged)).toMatch(/https:\/\/evil.example/);
  });

  it('opens only plain http(s) links externally', () => {
    expect(isExternalWebUrl('https://www.imdb.com/title/tt0111161/')).toBe(true);
    expect(isExternalWebUrl('http://example.com')).toBe(true);
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://nas/share',
      'ms-settings:',
      'https://user:pw@example.com/',
      'nonsense',
    ]) {
      expect(isExternalWebUrl(url), url).toBe(false);
    }
  });
});
