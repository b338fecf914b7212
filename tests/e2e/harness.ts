// End-to-end harness: the built renderer in Debian's Chromium (playwright-core, no downloaded browser),
// served by the preview server on the real handlers, over a temp catalog and the simulated Plex server.
// Electron itself cannot run here; the preview bridge gives the page the same `window.marquee` contract.
//
//   const e2e = await startE2E({ addServer: true });
//   await e2e.page.getByRole('button', { name: 'Sync' }).click();
//   await e2e.screenshot('after-sync');
//   await e2e.close();
//
// The renderer must be built (`npm run build:app`); if out/renderer/index.html is missing, the harness
// builds it once, under a lock shared by parallel test files.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import type { IpcResult, RequestInput, RequestName, RequestOutput } from '../../shared/ipc.js';
import { allowListedOpener } from '../../main/app/external-opener.js';
import { type AppService, createAppService } from '../../main/app/service.js';
import { createInProcessSyncRunner } from '../../main/app/sync-runner.js';
import { type Catalog, openCatalog } from '../../main/catalog/database.js';
import { dispatch } from '../../main/ipc/dispatch.js';
import { ensureRendererBuilt } from '../../tools/preview/build-renderer.js';
import { type PreviewServer, startPreviewServer } from '../../tools/preview/server.js';
import type { PlexClientOptions } from '../../main/plex/client.js';
import type { AppLiveOptions } from '../../main/app/live.js';
import { openKeyFileSecretStore } from '../../main/secrets/key-file-store.js';
import type { SecretStore } from '../../main/secrets/secret-store.js';
import { type PlexSim, type PlexSimOptions, startPlexSim } from '../../tools/plex-sim/server.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Whether the element has the keyboard focus. Tests compile without the DOM library: only what the check reads is typed. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element: { ownerDocument: { activeElement: unknown } }) => element === element.ownerDocument.activeElement);
}

/** The `data-outcome` of each matching row, read in one go. */
export function outcomesOf(rows: Locator): Promise<(string | null)[]> {
  return rows.evaluateAll((elements: { getAttribute(name: string): string | null }[]) =>
    elements.map((element) => element.getAttribute('data-outcome')),
  );
}
export const SCREENSHOT_DIR = fileURLToPath(new URL('../artifacts/screenshots/', import.meta.url));

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where plex.tv "is" unless a test starts a simulated one: a port nothing listens on. */
const CLOSED_PLEXTV_URL = 'http://127.0.0.1:9';

/** Plex client settings for the local simulator: fail fast, no retries. */
const SIM_CLIENT_OPTIONS = { retries: 0, retryBaseMs: 1, retryMaxMs: 5, timeoutMs: 5_000 };

export interface E2EOptions {
  /** Options for the simulated Plex server (library size, seed, xmlOnly…). */
  sim?: PlexSimOptions;
  /** Add the simulated server to the catalog (through servers:add) before the page opens. Default false. */
  addServer?: boolean | { name?: string };
  /** Also sync it before the page opens (implies addServer). Default false. */
  sync?: boolean;
  /** Warning shown as `app:info` secretStorage.warning. Default null. */
  secretWarning?: string | null;
  viewport?: { width: number; height: number };
  /**
   * After the setup (addServer, sync), start a fresh service on the same catalog, as a restarted app would:
   * `sync:state` then knows no run, and past syncs come from the catalog only. Default false.
   */
  restartAfterSetup?: boolean;
  /** Rebuild the renderer even if out/renderer exists. Default false. */
  rebuild?: boolean;
  /** Plex client settings over the harness's fail-fast ones (retries, timeouts), e.g. to see the engine wait. */
  clientOptions?: Partial<PlexClientOptions>;
  /** Run the live catalog (as the app does) once the setup is done, with these options. Default: not run. */
  live?: AppLiveOptions;
  /**
   * Sign in with Plex against a simulated plex.tv (tools/plextv-sim): its URL, the certificate its https target
   * uses, a short probe timeout. Without it, plex.tv is a closed local port: no test ever reaches the real one.
   */
  account?: { plexTvUrl: string; ca?: string[]; probeTimeoutMs?: number };
}

export interface E2E {
  page: Page;
  context: BrowserContext;
  sim: PlexSim;
  service: AppService;
  catalog: Catalog;
  secrets: SecretStore;
  preview: PreviewServer;
  /** The preview server's origin (http://127.0.0.1:PORT). */
  baseUrl: string;
  /** The app URL with its access key: what the page was opened with. */
  appUrl: string;
  /** The server id when `addServer` or `sync` was asked for. */
  serverId: number | null;
  /** Calls a handler directly (setup and assertions), through the same dispatch() as the page. */
  call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<IpcResult<RequestOutput<N>>>;
  /** Page errors, console errors and CSP violations seen so far. */
  pageErrors: string[];
  /** What the app's external opener was asked to open (allow-listed: Plex's https pages only). */
  openedUrls: string[];
  /** Saves tests/artifacts/screenshots/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startE2E(options: E2EOptions = {}): Promise<E2E> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The end-to-end tests drive Debian's Chromium at ${CHROMIUM_PATH}: install it (apt-get install chromium), as .ci/run does.`,
    );
  }
  const rendererDir = await ensureRendererBuilt({ force: options.rebuild === true });
  const dir = mkdtempSync(join(tmpdir(), 'marquee-e2e-'));
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  const runCleanups = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch {
        // Keep closing the rest.
      }
    }
  };
  try {
    const sim = await startPlexSim(options.sim);
    cleanups.push(() => sim.close());
    const catalog = openCatalog(join(dir, 'catalog.sqlite'));
    cleanups.push(() => catalog.close());
    const secrets = openKeyFileSecretStore(join(dir, 'config'));
    const clientOptions = { ...SIM_CLIENT_OPTIONS, ...options.clientOptions };
    // No browser to open here: the opener records, behind the same allow-list as the app's.
    const openedUrls: string[] = [];
    const openExternal = allowListedOpener((url) => {
      openedUrls.push(url);
      return Promise.resolve();
    });
    const account = {
      plexTvUrl: options.account?.plexTvUrl ?? CLOSED_PLEXTV_URL,
      openExternal,
      pollIntervalMs: 100,
      probe: {
        timeoutMs: options.account?.probeTimeoutMs ?? 1500,
        ...(options.account?.ca !== undefined ? { ca: options.account.ca } : {}),
      },
    };
    const createService = (): AppService =>
      createAppService({
        catalog,
        secrets,
        secretStatus: { kind: 'key-file', warning: options.secretWarning ?? null },
        syncRunner: createInProcessSyncRunner({ catalog, secrets, clientOptions }),
        clientOptions,
        log: () => {},
        ...(options.live !== undefined ? { liveOptions: options.live } : {}),
        account,
      });
    const setupService = createService();
    cleanups.push(() => setupService.close());
    let service = setupService;
    const call = <N extends RequestName>(name: N, input: RequestInput<N>) => dispatch(service, name, input);

    let serverId: number | null = null;
    if ((options.addServer !== undefined && options.addServer !== false) || options.sync === true) {
      const name = typeof options.addServer === 'object' ? (options.addServer.name ?? 'Sim') : 'Sim';
      const added = await call('servers:add', { name, url: sim.url, token: sim.token });
      if (!added.ok) throw new Error(`Adding the simulated server failed: ${added.error.message}`);
      serverId = added.value.id;
    }
    if (options.sync === true && serverId !== null) await syncNow(service, serverId);
    if (options.restartAfterSetup === true) {
      // The app as it starts on a catalog filled earlier: nothing of the setup is in its memory.
      await setupService.close();
      service = createService();
      const restarted = service;
      cleanups.push(() => restarted.close());
    }

    if (options.live !== undefined) await service.live.start();
    const preview = await startPreviewServer({ service, rendererDir });
    cleanups.push(() => preview.close());

    const profile = join(dir, 'chromium-profile');
    // launchPersistentContext: Playwright refuses --user-data-dir in args; this is how it takes a fresh one.
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1280, height: 800 },
    });
    cleanups.push(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console: ${message.text()} (${message.location().url})`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) pageErrors.push(`http ${response.status()}: ${new URL(response.url()).pathname}`);
    });
    await page.goto(preview.url);

    return {
      page,
      context,
      sim,
      service,
      catalog,
      secrets,
      preview,
      baseUrl: preview.origin,
      appUrl: preview.url,
      serverId,
      call,
      pageErrors,
      openedUrls,
      async screenshot(name) {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        const path = join(SCREENSHOT_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
        await page.screenshot({ path, fullPage: true });
        return path;
      },
      close: runCleanups,
    };
  } catch (error) {
    await runCleanups();
    throw error;
  }
}

/** Runs a sync to its end through the service (for setup). */
async function syncNow(service: AppService, serverId: number): Promise<void> {
  const finished = new Promise<void>((resolve, reject) => {
    const off = service.events.on('sync:finished', (event) => {
      off();
      if (event.report.ok) resolve();
      else reject(new Error(`The setup sync failed: ${JSON.stringify(event.report.serverErrors)} ${event.error ?? ''}`));
    });
  });
  const started = await dispatch(service, 'sync:start', { serverId });
  if (!started.ok) throw new Error(`The setup sync could not start: ${started.error.message}`);
  await finished;
}
