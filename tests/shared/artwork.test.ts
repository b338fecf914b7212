// The image URL's strict reading: what the desktop app's protocol handler and the preview's image route accept.
import { describe, expect, it } from 'vitest';
import { ARTWORK_MAX_SIDE, artworkPath, artworkProtocolUrl, parseArtworkPath, parseArtworkProtocolUrl } from '../../shared/artwork.js';

describe('marquee-image:// URLs', () => {
  it('round-trips every valid request', () => {
    for (const request of [
      { itemId: 1, role: 'poster' as const, width: 1, height: 1 },
      { itemId: 42, role: 'background' as const, width: 1920, height: 1080 },
      { itemId: 2 ** 40, role: 'poster' as const, width: ARTWORK_MAX_SIDE, height: ARTWORK_MAX_SIDE },
    ]) {
      expect(artworkProtocolUrl(request)).toBe(`marquee-image://item/${request.itemId}/${request.role}/${request.width}x${request.height}`);
      expect(parseArtworkProtocolUrl(artworkProtocolUrl(request))).toEqual(request);
      expect(parseArtworkPath(artworkPath(request))).toEqual(request);
    }
  });

  it.each([
    ['another scheme', 'https://item/42/poster/240x360'],
    ['another host', 'marquee-image://server/42/poster/240x360'],
    ['a user', 'marquee-image://user@item/42/poster/240x360'],
    ['a port', 'marquee-image://item:80/42/poster/240x360'],
    ['a query', 'marquee-image://item/42/poster/240x360?token=x'],
    ['a fragment', 'marquee-image://item/42/poster/240x360#x'],
    ['an unknown role', 'marquee-image://item/42/thumb/240x360'],
    ['an upper-case role', 'marquee-image://item/42/Poster/240x360'],
    ['a negative id', 'marquee-image://item/-42/poster/240x360'],
    ['id zero', 'marquee-image://item/0/poster/240x360'],
    ['a leading zero', 'marquee-image://item/042/poster/240x360'],
    ['a fractional id', 'marquee-image://item/4.2/poster/240x360'],
    ['an id beyond safe integers', 'marquee-image://item/900719925474099300/poster/240x360'],
    ['a width of zero', 'marquee-image://item/42/poster/0x360'],
    ['a width too large', `marquee-image://item/42/poster/${ARTWORK_MAX_SIDE + 1}x360`],
    ['a height too large', 'marquee-image://item/42/poster/240x99999'],
    ['a missing size', 'marquee-image://item/42/poster'],
    ['an extra segment', 'marquee-image://item/42/poster/240x360/more'],
    ['a trailing slash', 'marquee-image://item/42/poster/240x360/'],
    ['dot segments', 'marquee-image://item/42/../43/poster/240x360'],
    ['escapes', 'marquee-image://item/%34%32/poster/240x360'],
    ['a server path', 'marquee-image://item/library/metadata/42/thumb'],
    ['nothing', ''],
  ])('refuses %s', (_what, url) => {
    expect(parseArtworkProtocolUrl(url)).toBeNull();
  });
});
