// Which frames may call the app's IPC handlers, and which URLs the window may show: only the app's own
// top-level page. Electron-free so it can be tested against hostile URLs in Node; main/electron passes in
// the frame's URL and whether it is the top frame.

/** Where the app's page comes from: its index.html on disk (production) or the electron-vite dev server. */
export type AppLocation = { kind: 'file'; indexUrl: string } | { kind: 'dev'; origin: string };

export function appLocationFromDevUrl(devUrl: string): AppLocation {
  return { kind: 'dev', origin: new URL(devUrl).origin };
}

/** Whether `url` is the app's page (query and fragment aside: the renderer may route with either). */
export function isAppUrl(url: string, app: AppLocation): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (app.kind === 'dev') {
    // The dev server serves the app from its root; 'null' origins (data:, file:) never match a real one.
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === app.origin;
  }
  if (parsed.protocol !== 'file:') return false;
  const index = new URL(app.indexUrl);
  return parsed.host === index.host && decodeURIComponent(parsed.pathname) === decodeURIComponent(index.pathname);
}

export interface SenderFrame {
  url: string;
  /** The frame is its page's main frame (not an iframe). */
  isTopFrame: boolean;
}

/** Null when the sender may call handlers, else why not (for the log: every refusal names its rule). */
export function senderRefusal(frame: SenderFrame | null, app: AppLocation): string | null {
  if (frame === null) return 'the sending frame is gone (navigated away or destroyed)';
  if (!frame.isTopFrame) return 'only the top frame may call the app (this came from a sub-frame)';
  if (!isAppUrl(frame.url, app)) return `only the app page may call the app (this came from ${describeUrl(frame.url)})`;
  return null;
}

/** An http(s) link the user may open in their browser; everything else (file:, javascript:, custom schemes) is refused. */
export function isExternalWebUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'file:' ? `file ${parsed.pathname}` : parsed.origin;
  } catch {
    return 'an unparsable URL';
  }
}
