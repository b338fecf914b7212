// The allow-list of the one external opener: https pages of Plex's sign-in hosts only.
import { describe, expect, it } from 'vitest';
import { allowListedOpener, isPlexSignInUrl } from '../../../main/app/external-opener.js';

describe('isPlexSignInUrl', () => {
  it("accepts Plex's https sign-in pages", () => {
    expect(isPlexSignInUrl('https://app.plex.tv/auth#?clientID=abc&code=XYZ&context%5Bdevice%5D%5Bproduct%5D=Marquee')).toBe(true);
    expect(isPlexSignInUrl('https://plex.tv/link')).toBe(true);
    expect(isPlexSignInUrl('https://APP.PLEX.TV/auth')).toBe(true);
  });

  it.each([
    ['plain http', 'http://app.plex.tv/auth'],
    ['a look-alike host', 'https://app.plex.tv.evil.example/auth'],
    ['a subdomain not on the list', 'https://evil.plex.tv/auth'],
    ['the host only in the query', 'https://evil.example/?next=app.plex.tv'],
    ['credentials before the host', 'https://app.plex.tv@evil.example/'],
    ['credentials with the host', 'https://user:pw@app.plex.tv/auth'],
    ['another port', 'https://app.plex.tv:8443/auth'],
    ['a file', 'file:///etc/passwd'],
    ['script', 'javascript:alert(1)'],
    ['a custom scheme', 'plex://app.plex.tv/auth'],
    ['not a URL', 'app.plex.tv/auth'],
    ['nothing', ''],
  ])('refuses %s', (_what, url) => {
    expect(isPlexSignInUrl(url)).toBe(false);
  });
});

describe('allowListedOpener', () => {
  it('hands only allowed URLs to the raw opener, and says when opening failed', async () => {
    const opened: string[] = [];
    const logged: string[] = [];
    const open = allowListedOpener(
      (url) => {
        opened.push(url);
        return Promise.resolve();
      },
      (message) => logged.push(message),
    );
    expect(await open('https://app.plex.tv/auth#?code=1')).toBe(true);
    expect(await open('file:///etc/passwd')).toBe(false);
    expect(await open('https://evil.example/?code=secret')).toBe(false);
    expect(opened).toEqual(['https://app.plex.tv/auth#?code=1']);
    // A refusal names the origin only, never the rest of the URL.
    expect(logged.join('\n')).toContain('https://evil.example');
    expect(logged.join('\n')).not.toContain('secret');

    const broken = allowListedOpener(() => Promise.reject(new Error('no browser')));
    expect(await broken('https://app.plex.tv/auth')).toBe(false);
  });
});
