// The one way the app opens a page outside itself for "Sign in with Plex": the user's browser, and only for
// Plex's own https pages. The renderer never names the URL (main builds it from the PIN), and the opener
// checks it again, so neither a bug nor a compromised renderer can make the app launch anything else
// (file:, custom schemes, a look-alike host). Electron-free: main/electron passes shell.openExternal in, the
// preview server and the tests pass a recorder.

/** Hosts whose https pages the opener may show: the sign-in page lives on app.plex.tv, the account on plex.tv. */
export const PLEX_SIGN_IN_HOSTS: ReadonlySet<string> = new Set(['app.plex.tv', 'plex.tv']);

/** Opens a URL outside the app; false when it was refused or could not be opened. */
export type ExternalOpener = (url: string) => Promise<boolean>;

/** https, a Plex sign-in host exactly (no subdomain tricks), the default port, no credentials in the URL. */
export function isPlexSignInUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    PLEX_SIGN_IN_HOSTS.has(parsed.hostname) &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * Wraps a raw opener (Electron's shell.openExternal) with the allow-list. A refused URL is logged by origin
 * only: the full URL of a legitimate page carries the PIN code, and a hostile one deserves no echo.
 */
export function allowListedOpener(open: (url: string) => Promise<void>, log: (message: string) => void = () => {}): ExternalOpener {
  return async (url) => {
    if (!isPlexSignInUrl(url)) {
      log(`Refused to open a page outside the app (${originOf(url)}): only Plex's https sign-in pages are opened.`);
      return false;
    }
    try {
      await open(url);
      return true;
    } catch (error) {
      log(`The browser could not be opened: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an invalid URL';
  }
}
