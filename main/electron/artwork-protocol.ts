// `marquee-image://item/{itemId}/{role}/{width}x{height}`: the page's only way to an image. The scheme is
// registered as privileged before the app is ready (a standard, secure scheme: it behaves like https for the
// page, without CORS or fetch access); the handler reads the URL strictly (shared/artwork.ts) and answers from
// the ArtworkService, which alone talks to Plex with the server's token: the page sees bytes, never a token,
// a server address or a Plex path. Anything else (another method, a malformed URL, no image) is an empty 404,
// and the <img> shows its placeholder.
import { protocol, type Session } from 'electron';
import { ARTWORK_SCHEME, parseArtworkProtocolUrl } from '../../shared/artwork.js';
import type { ArtworkService } from '../artwork/service.js';

/** Must run before the app's `ready` event (Electron refuses it later). */
export function registerArtworkScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: ARTWORK_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, bypassCSP: false, stream: false },
    },
  ]);
}

/** Answers the scheme in `target`'s pages; returns the unregistration. */
export function handleArtworkProtocol(target: Session, artwork: ArtworkService | null): () => void {
  target.protocol.handle(ARTWORK_SCHEME, async (request) => {
    const wanted = request.method === 'GET' ? parseArtworkProtocolUrl(request.url) : null;
    if (wanted === null || artwork === null) return notFound();
    // get() never throws: a failure is null, like a missing image.
    const image = await artwork.get(wanted);
    if (image === null) return notFound();
    return new Response(image.bytes, {
      status: 200,
      headers: { 'content-type': image.contentType, 'cache-control': 'private, max-age=3600', 'x-content-type-options': 'nosniff' },
    });
  });
  return () => target.protocol.unhandle(ARTWORK_SCHEME);
}

function notFound(): Response {
  return new Response(null, { status: 404 });
}
