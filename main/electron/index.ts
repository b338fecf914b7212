// The desktop app's composition root: the only module that wires real things together (catalog file,
// secret store, worker sync runner, window, IPC). Everything it composes runs in Node tests without
// Electron; this file is type-checked and bundled, never executed here.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, type Session, session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, devContentSecurityPolicy } from '../app/csp.js';
import { allowListedOpener } from '../app/external-opener.js';
import { type AppService, createAppService } from '../app/service.js';
import { createWorkerSyncRunner } from '../app/worker-sync-runner.js';
import { type Catalog, openCatalog } from '../catalog/database.js';
import { type AppLocation, appLocationFromDevUrl, isAppUrl, isExternalWebUrl } from '../ipc/sender-policy.js';
import { plexTvUrlFromEnv } from '../plextv/client.js';
import { defaultConfigDir } from '../secrets/config-paths.js';
import { readAppSettings } from '../app/handlers/live.js';
import { handleArtworkProtocol, registerArtworkScheme } from './artwork-protocol.js';
import { forwardEvents, registerIpcHandlers } from './ipc-registration.js';
import { openDesktopSecretStore } from './safe-storage-store.js';
import { DesktopSettings, HIDDEN_FLAG } from './tray.js';

/** Set by `electron-vite dev` only; a packaged app always loads its files. */
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
/** out/main, where this bundle and the sync worker live (inside app.asar once packaged). */
const bundleDir = dirname(fileURLToPath(import.meta.url));
const rendererIndex = join(bundleDir, '../renderer/index.html');
const preloadScript = join(bundleDir, '../preload/index.cjs');

function log(message: string): void {
  console.error(`[marquee] ${message}`);
}

/** Shipped as extraResources next to app.asar; in development the repository's own folder. */
function migrationsDir(): string {
  return app.isPackaged ? join(process.resourcesPath, 'migrations') : join(app.getAppPath(), 'migrations');
}

interface Running {
  catalog: Catalog;
  service: AppService;
  unregisterIpc: () => void;
  unregisterArtwork: () => void;
}

let running: Running | null = null;
let mainWindow: BrowserWindow | null = null;
let openMainWindow: () => void = () => {};
const desktop = new DesktopSettings({ showWindow: () => openMainWindow(), quit: () => app.quit() });

// Privileged schemes can only be registered before the app is ready.
registerArtworkScheme();

if (!app.requestSingleInstanceLock()) {
  // Another Marquee owns the catalog; it is told through 'second-instance' and comes to the front.
  app.quit();
} else {
  // Every renderer sandboxed, not only the windows created here.
  app.enableSandbox();
  app.on('second-instance', () => {
    if (mainWindow === null) return openMainWindow();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, appLocation()));
  // With "keep running in the tray" on, the live catalog keeps the catalog current without a window.
  app.on('window-all-closed', () => {
    if (!desktop.keepRunningInTray) app.quit();
  });
  let shuttingDown = false;
  app.on('before-quit', (event) => {
    if (shuttingDown || running === null) return;
    // Cancel a running sync and close the catalog before the process goes.
    event.preventDefault();
    shuttingDown = true;
    void shutdown().finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log(`Marquee could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      // Catalog and key-file errors are written for the user (a catalog from a newer Marquee, a key file
      // readable by others…): show them rather than vanish.
      dialog.showErrorBox('Marquee could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}

function appLocation(): AppLocation {
  return devServerUrl !== undefined ? appLocationFromDevUrl(devServerUrl) : { kind: 'file', indexUrl: pathToFileURL(rendererIndex).href };
}

async function start(): Promise<void> {
  const location = appLocation();
  const migrations = migrationsDir();
  const catalog = openCatalog(join(app.getPath('userData'), 'catalog.sqlite'), { migrationsDir: migrations });
  const { store, status } = openDesktopSecretStore(process.env['MARQUEE_CONFIG_DIR'] ?? defaultConfigDir());
  const syncRunner = createWorkerSyncRunner({
    workerUrl: new URL('./sync-worker.js', import.meta.url),
    catalog,
    secrets: store,
    migrationsDir: migrations,
  });
  const service = createAppService({
    catalog,
    secrets: store,
    secretStatus: status,
    syncRunner,
    version: app.getVersion(),
    log,
    onSettingsChanged: (settings) => desktop.apply(settings),
    account: {
      // MARQUEE_PLEXTV_URL is a test/development setting only (docs/plextv.md); unset, this is https://plex.tv.
      plexTvUrl: plexTvUrlFromEnv(),
      // "Sign in with Plex" opens the user's browser only for Plex's https sign-in pages.
      openExternal: allowListedOpener((url) => shell.openExternal(url), log),
    },
  });
  desktop.apply(readAppSettings(catalog));
  if (status.warning !== null) log(status.warning);
  lockDownSession(session.defaultSession, location);
  running = {
    catalog,
    service,
    unregisterIpc: registerIpcHandlers(service, location, log),
    // Images reach the page through marquee-image:// only; the token stays in this process.
    unregisterArtwork: handleArtworkProtocol(session.defaultSession, service.artwork),
  };
  // Drops images of items changed or removed while Marquee was closed, and keeps the cache under its cap.
  void service.artwork?.sweep().catch((error: unknown) => log(`The artwork cache could not be tidied: ${String(error)}`));
  // The live catalog runs in this process for as long as Marquee does, window or not.
  await service.live.start();
  openMainWindow = () => {
    if (mainWindow !== null) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.show();
      mainWindow.focus();
      return;
    }
    void openWindow(service).catch((error: unknown) => log(`The window could not open: ${String(error)}`));
  };
  // Started at login with the tray on: no window until the user asks for it.
  if (process.argv.includes(HIDDEN_FLAG) && desktop.keepRunningInTray) return;
  await openWindow(service);
}

async function openWindow(service: AppService): Promise<void> {
  const window = createWindow();
  mainWindow = window;
  const stopForwarding = forwardEvents(service, window.webContents);
  window.on('closed', () => {
    stopForwarding();
    mainWindow = null;
  });
  if (devServerUrl !== undefined) await window.loadURL(devServerUrl);
  else await window.loadFile(rendererIndex);
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Marquee',
    webPreferences: {
      preload: preloadScript,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  return window;
}

/** Applies to every web contents, including any a bug might create: only the app page, nothing else. */
function hardenContents(contents: WebContents, location: AppLocation): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url, location)) {
      event.preventDefault();
      log(`Blocked navigation away from the app (to ${safeOrigin(event.url)}).`);
    }
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url, location)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // No new windows, ever. An http(s) link with target=_blank opens in the user's browser instead.
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

function lockDownSession(target: Session, location: AppLocation): void {
  target.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  target.setPermissionCheckHandler(() => false);
  target.setDevicePermissionHandler(() => false);
  // The build carries the policy as a <meta> tag (file:// responses have no headers); the header covers the
  // dev server, with the relaxations Vite's dev client needs.
  const policy = location.kind === 'dev' ? devContentSecurityPolicy(location.origin) : CONTENT_SECURITY_POLICY;
  target.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
}

async function shutdown(): Promise<void> {
  const current = running;
  running = null;
  if (current === null) return;
  current.unregisterIpc();
  current.unregisterArtwork();
  desktop.dispose();
  try {
    await current.service.close();
  } finally {
    current.catalog.close();
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an invalid URL';
  }
}
