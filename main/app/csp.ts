// The app page's Content Security Policy, one definition for every way the page is served: a <meta> tag in
// the built index.html (Electron loads it from a file, where no response header exists), the response header
// of the preview server, and the header Electron adds in development.
//
// No 'unsafe-inline' anywhere in the build: React sets `style` props through the CSSOM, which style-src does
// not restrict; only <style> elements and style="" attributes written as markup would need it.

const BASE_DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // marquee-image: posters and backgrounds, answered by the main process (main/electron/artwork-protocol.ts).
  "img-src 'self' data: marquee-image:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** For the <meta> tag: frame-ancestors is ignored (with a console warning) when delivered that way. */
export const CONTENT_SECURITY_POLICY_META = BASE_DIRECTIVES.join('; ');

/** For HTTP responses. */
export const CONTENT_SECURITY_POLICY = [...BASE_DIRECTIVES, "frame-ancestors 'none'"].join('; ');

/**
 * Development only (electron-vite dev server): Vite's React refresh injects an inline preamble and talks to
 * the dev server over a WebSocket. Never used for a build.
 */
export function devContentSecurityPolicy(devOrigin: string): string {
  const ws = devOrigin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: marquee-image:",
    `connect-src 'self' ${ws}`,
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');
}
