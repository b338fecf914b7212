// Sign in with Plex in the real renderer (Chromium), on the simulated plex.tv and Plex servers: from an empty app
// to a synced catalog without a token on screen; a server that loses its local connection and fails over to the
// remote one; a 401 that puts a server in the "sign in again" state and a new sign-in that brings it back.
// The browser is never opened: the harness's opener records the URL, and the test approves the PIN at the
// simulated plex.tv as the user would. Screenshots: tests/artifacts/screenshots/signin-*.png.
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startConnectionTargets,
  startPlexTvSim,
  type ConnectionTargets,
  type PlexTvSim,
  type PlexTvSimOptions,
  type SimResource,
  type TargetKind,
} from '../../tools/plextv-sim/index.js';
import { type E2E, startE2E } from './harness.js';
import { checkLayouts, focusStopsWithoutRing, SMALL_AND_COMMON } from './page-checks.js';

const HOME_ID = 'a'.repeat(40);
const SHARED_ID = 'b'.repeat(40);
const HOME_TOKEN = 'e2e-home-server-token-0123';
const SHARED_TOKEN = 'e2e-shared-server-token-4567';
const ACCOUNT_TOKEN = 'e2e-account-token-89abcdef';
const TOKENS = [HOME_TOKEN, SHARED_TOKEN, ACCOUNT_TOKEN];

interface World {
  plextv: PlexTvSim;
  targets: ConnectionTargets;
  close(): Promise<void>;
}

/** plex.tv with one owned server ("Home", reachable the given ways) and one shared server nobody can reach. */
async function startWorld(homeConnections: TargetKind[], plexTvOptions: Omit<PlexTvSimOptions, 'resources'> = {}): Promise<World> {
  const targets = await startConnectionTargets({ machineIdentifier: HOME_ID, token: HOME_TOKEN });
  const resources: SimResource[] = [
    {
      name: 'Home',
      clientIdentifier: HOME_ID,
      provides: 'server',
      owned: true,
      accessToken: HOME_TOKEN,
      publicAddressMatches: true,
      connections: homeConnections.map((kind) => targets.connections[kind]),
    },
    {
      name: 'Friend',
      clientIdentifier: SHARED_ID,
      provides: 'server',
      owned: false,
      accessToken: SHARED_TOKEN,
      publicAddressMatches: false,
      connections: [targets.connections.refuses],
    },
  ];
  // Never approved by polling alone: the test approves, as a user at plex.tv would.
  const plextv = await startPlexTvSim({ accountToken: ACCOUNT_TOKEN, resources, approveAfterPolls: null, ...plexTvOptions });
  return { plextv, targets, close: async () => void (await Promise.all([plextv.close(), targets.close()])) };
}

/**
 * Layout and axe at 900×600 and 1440×900, light and dark, with a screenshot of each, then Tab through the page
 * (or the open dialog) looking for a stop without a focus ring; returns the problems.
 */
async function checkScreen(e2e: E2E, name: string): Promise<string> {
  const failures = await checkLayouts(e2e, {
    sizes: SMALL_AND_COMMON,
    themes: ['light', 'dark'],
    label: (size, theme) => `signin-${name}-${size.width}x${size.height}-${theme ?? 'light'}`,
  });
  const withoutRing = await focusStopsWithoutRing(e2e.page, 25);
  if (withoutRing.size > 0) failures.push(`${name}: focused without a visible focus ring:\n${[...withoutRing].join('\n')}`);
  return failures.join('\n\n');
}

/** The PIN the app is waiting for, as main knows it (not a secret: the code's id at plex.tv). */
async function pendingPinId(e2e: E2E): Promise<number> {
  let pinId: number | null = null;
  await expect
    .poll(async () => {
      const info = await e2e.call('account:info', {});
      pinId = info.ok ? (info.value.pendingSignIn?.pinId ?? null) : null;
      return pinId;
    })
    .not.toBeNull();
  return pinId ?? 0;
}

async function expectNoTokenOnPage(page: Page): Promise<void> {
  const html = await page.content();
  for (const token of TOKENS) expect(html).not.toContain(token);
}

/** Sync all from the Sync screen and wait for the report. */
async function syncAll(page: Page): Promise<void> {
  await page.getByTestId('nav-sync').click();
  await page.getByTestId('sync-all').click();
  await page.getByTestId('sync-report').waitFor({ timeout: 60_000 });
  await page.getByTestId('sync-all').waitFor();
}

/** Signs in and adds Home through the handlers, for the tests that are about what happens afterwards. */
async function signInAndAddHome(e2e: E2E, world: World): Promise<number> {
  const started = await e2e.call('account:startSignIn', {});
  if (!started.ok) throw new Error(started.error.message);
  world.plextv.approvePin(started.value.pinId);
  await expect
    .poll(async () => {
      const info = await e2e.call('account:info', {});
      return info.ok && info.value.signedIn;
    })
    .toBe(true);
  const discovered = await e2e.call('account:discover', {});
  if (!discovered.ok) throw new Error(discovered.error.message);
  const added = await e2e.call('account:addServers', { ids: [HOME_ID] });
  if (!added.ok || added.value.added[0] === undefined) throw new Error(`Home was not added: ${JSON.stringify(added)}`);
  await e2e.page.reload();
  return added.value.added[0].serverId;
}

describe('e2e: sign in with Plex', () => {
  let e2e: E2E | undefined;
  let world: World | undefined;

  afterEach(async () => {
    await e2e?.close();
    await world?.close();
    e2e = undefined;
    world = undefined;
  });

  it("goes from an empty app to a synced catalog: sign in, the code, the account's servers, add, first sync; never a token", async () => {
    world = await startWorld(['relay', 'hangs', 'refuses', 'otherServer', 'tlsMismatch', 'works']);
    const { plextv, targets } = world;
    e2e = await startE2E({
      viewport: { width: 1440, height: 900 },
      account: { plexTvUrl: plextv.url, ca: [targets.certificatePem], probeTimeoutMs: 1500 },
    });
    const { page } = e2e;

    // The first screen: "Sign in with Plex" first, the address form only on demand.
    const firstRun = page.getByTestId('first-run');
    await firstRun.waitFor();
    expect(await page.getByTestId('add-server-form').count()).toBe(0);
    expect(await firstRun.getByRole('button', { name: 'Sign in with Plex' }).getAttribute('class')).toContain('primary');
    expect(await checkScreen(e2e, 'first-run')).toBe('');

    await firstRun.getByRole('button', { name: 'Sign in with Plex' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in with Plex' });
    const code = dialog.getByTestId('signin-code');
    await code.waitFor();
    const pinId = await pendingPinId(e2e);
    expect((await code.textContent())?.trim()).toMatch(/^[A-Z0-9]{4,}$/);
    await dialog.getByRole('progressbar', { name: 'Waiting for approval at plex.tv' }).waitFor();
    expect(await dialog.getByTestId('signin-waiting').getAttribute('aria-valuetext')).toMatch(/min .* left$/);
    // The time left counts down.
    const timeLeft = async () => (await dialog.locator('.signin-wait .tabular').textContent()) ?? '';
    const before = await timeLeft();
    await expect.poll(timeLeft, { timeout: 5_000 }).not.toBe(before);

    // "Open plex.tv": main opens Plex's https page for this code through the allow-listed opener.
    await dialog.getByRole('button', { name: 'Open plex.tv' }).click();
    await dialog.getByText('Opened in your browser').waitFor();
    expect(e2e.openedUrls).toHaveLength(1);
    const opened = new URL(e2e.openedUrls[0] ?? '');
    expect(opened.origin).toBe('https://app.plex.tv');
    expect(opened.hash).toContain(`code=${(await code.textContent())?.trim()}`);
    expect(await checkScreen(e2e, 'code')).toBe('');

    // The user approves at plex.tv: the dialog closes, the account's servers are listed with their connections probed.
    plextv.approvePin(pinId);
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('account-menu-button').getByText('marquee-user').waitFor();
    const home = page.locator('[data-testid="discovered-server"][data-server-name="Home"]');
    const friend = page.locator('[data-testid="discovered-server"][data-server-name="Friend"]');
    await home.waitFor({ timeout: 20_000 });
    expect(await home.getByText('Owned').count()).toBe(1);
    expect(await home.getByTestId('discovered-via').textContent()).toMatch(
      new RegExp(`^Local · \\d+ ms ${targets.connections.works.uri.replace(/[.]/g, '\\.')}$`),
    );
    expect(await home.getByRole('checkbox', { name: 'Home' }).isChecked()).toBe(true);
    expect(await friend.getByText('Shared', { exact: true }).count()).toBe(1);
    expect(await friend.getByTestId('discovered-via').textContent()).toContain('No connection answered');
    expect(await friend.getByRole('checkbox', { name: 'Friend' }).isDisabled()).toBe(true);
    // Why each other way in failed, in words.
    await home.locator('details > summary').click();
    await home.getByText('Another Plex server answers').waitFor();
    await home.getByText('certificate is not for 127.0.0.1').waitFor();
    expect(await checkScreen(e2e, 'servers-found')).toBe('');

    await page.getByRole('button', { name: /^Add selected/ }).click();
    await page.getByTestId('account-add-result').getByText('Added Home').waitFor();
    const row = page.locator('[data-testid="server-row"][data-server-name="Home"]');
    await row
      .getByTestId('server-via')
      .getByText(/^Local · \d+ ms$/)
      .waitFor();
    expect(await row.getByText('Owned').count()).toBe(1);
    expect(await checkScreen(e2e, 'added')).toBe('');

    await syncAll(page);
    const outcomes = await page
      .getByTestId('sync-report-row')
      .evaluateAll((rows: { getAttribute(name: string): string | null }[]) => rows.map((entry) => entry.getAttribute('data-outcome')));
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.every((outcome) => outcome === 'ok')).toBe(true);
    await e2e.screenshot('signin-first-sync');
    await page.getByTestId('nav-browse').click();
    await page.getByTestId('browse-row').first().waitFor();
    await e2e.screenshot('signin-synced-browse');

    await expectNoTokenOnPage(page);
    expect(e2e.pageErrors).toEqual([]);
  }, 180_000);

  it('lets the user pick another connection, probes again, and signs out from the account menu', async () => {
    world = await startWorld(['relay', 'refuses', 'works']);
    e2e = await startE2E({ viewport: { width: 1440, height: 900 }, account: { plexTvUrl: world.plextv.url, probeTimeoutMs: 1500 } });
    await signInAndAddHome(e2e, world);
    const { page } = e2e;
    const { connections } = world.targets;
    const row = page.locator('[data-testid="server-row"][data-server-name="Home"]');
    await row
      .getByTestId('server-via')
      .getByText(/^Local/)
      .waitFor();

    await row.getByRole('button', { name: 'Connections of Home' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connections of Home' });
    const option = (uri: string) => dialog.locator(`[data-testid="connection-option"][data-uri="${uri}"]`);
    await option(connections.works.uri).waitFor();
    expect(await option(connections.works.uri).getAttribute('data-in-use')).toBe('true');
    await option(connections.refuses.uri).getByText('Nothing accepts connections').waitFor();
    expect(await checkScreen(e2e, 'connections')).toBe('');

    await option(connections.relay.uri)
      .getByRole('button', { name: /Use this one/ })
      .click();
    await expect.poll(() => option(connections.relay.uri).getAttribute('data-in-use')).toBe('true');
    await dialog
      .getByText(/Only the Plex relay|relay/i)
      .first()
      .waitFor();
    await option(connections.refuses.uri)
      .getByRole('button', { name: /Use this one/ })
      .click();
    await dialog.getByTestId('connections-error').getByText('does not work now').waitFor();
    expect(await option(connections.relay.uri).getAttribute('data-in-use')).toBe('true');
    await e2e.screenshot('signin-connections-relay');

    await dialog.getByRole('button', { name: 'Probe again' }).click();
    await expect.poll(() => option(connections.works.uri).getAttribute('data-in-use')).toBe('true');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await row
      .getByTestId('server-via')
      .getByText(/^Local/)
      .waitFor();

    await page.getByTestId('account-menu-button').click();
    const panel = page.getByTestId('account-panel');
    await panel.getByText('Signed in to Plex as').waitFor();
    expect(await panel.textContent()).toContain('user@example.com');
    await e2e.screenshot('signin-account-menu');
    expect(await checkScreen(e2e, 'account-menu')).toBe('');
    // Tabbing through the page took the focus out of the menu, which closed it.
    await panel.waitFor({ state: 'detached' });
    await page.getByTestId('account-menu-button').click();
    await panel.waitFor();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    await page.getByTestId('account-menu-button').click();
    await panel.getByRole('button', { name: 'Sign out' }).click();
    await page.getByTestId('account-signin').waitFor();

    // Signing in from the menu; Escape cancels it (keyboard: the dialog holds the focus until then).
    await page.getByTestId('account-signin').click();
    const signInDialog = page.getByRole('dialog', { name: 'Sign in with Plex' });
    await signInDialog.getByTestId('signin-code').waitFor();
    await pendingPinId(e2e);
    expect(await page.evaluate(`document.querySelector('dialog[open]').contains(document.activeElement)`)).toBe(true);
    await page.keyboard.press('Escape');
    await signInDialog.waitFor({ state: 'detached' });
    await expect
      .poll(async () => {
        const info = await e2e?.call('account:info', {});
        return info?.ok === true ? info.value.pendingSignIn : 'failed';
      })
      .toBeNull();
    expect(e2e.openedUrls).toEqual([]);
    // The server stays, with its own access.
    await row.waitFor();
    await expectNoTokenOnPage(page);
    expect(e2e.pageErrors).toEqual([]);
  }, 120_000);

  it('fails over to the remote connection when the local one goes away, and says so', async () => {
    world = await startWorld(['remote', 'lan']);
    e2e = await startE2E({ viewport: { width: 1440, height: 900 }, account: { plexTvUrl: world.plextv.url, probeTimeoutMs: 1500 } });
    await signInAndAddHome(e2e, world);
    const { page } = e2e;
    const row = page.locator('[data-testid="server-row"][data-server-name="Home"]');
    await row
      .getByTestId('server-via')
      .getByText(/^Local/)
      .waitFor();
    await syncAll(page);

    // The laptop leaves home: the LAN address stops answering.
    await world.targets.cut('lan');
    await syncAll(page);
    const outcomes = await page
      .getByTestId('sync-report-row')
      .evaluateAll((rows: { getAttribute(name: string): string | null }[]) => rows.map((entry) => entry.getAttribute('data-outcome')));
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.every((outcome) => outcome === 'ok')).toBe(true);
    await page
      .getByTestId('sync-report')
      .getByText(`chosen by a new probe because ${world.targets.connections.lan.uri} stopped answering`)
      .first()
      .waitFor({ state: 'attached' });
    await e2e.screenshot('signin-failover-report');

    await page.getByTestId('nav-servers').click();
    await row
      .getByTestId('server-via')
      .getByText(/^Remote · \d+ ms$/)
      .waitFor();
    await e2e.screenshot('signin-failover-servers');
    expect(e2e.pageErrors).toEqual([]);
  }, 120_000);

  it('a 401 puts the server in the "sign in again" state; signing in again brings it back', async () => {
    world = await startWorld(['works']);
    e2e = await startE2E({ viewport: { width: 1440, height: 900 }, account: { plexTvUrl: world.plextv.url, probeTimeoutMs: 1500 } });
    await signInAndAddHome(e2e, world);
    const { page } = e2e;
    const { server } = world.targets;
    await syncAll(page);

    // The server stops accepting its token (the owner revoked this device).
    server.addFault({ match: /^\/library\//, kind: 'status', status: 401 });
    await syncAll(page);
    const skipped = page.locator('[data-testid="sync-report-row"][data-outcome="skipped"]');
    await skipped.first().waitFor();
    await page.getByTestId('remedy-signin').first().waitFor();
    await e2e.screenshot('signin-needs-signin-report');

    await page.getByTestId('nav-servers').click();
    const row = page.locator('[data-testid="server-row"][data-server-name="Home"]');
    await row.getByTestId('server-needs-signin').waitFor();
    expect(await row.getAttribute('data-needs-signin')).toBe('true');
    expect(await checkScreen(e2e, 'needs-signin')).toBe('');

    server.clearFaults();
    await row.getByRole('button', { name: 'Sign in again for Home' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in with Plex' });
    await dialog.getByTestId('signin-code').waitFor();
    world.plextv.approvePin(await pendingPinId(e2e));
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row.getAttribute('data-needs-signin')).toBeNull();
    expect(await row.getByTestId('server-needs-signin').count()).toBe(0);

    await syncAll(page);
    const outcomes = await page
      .getByTestId('sync-report-row')
      .evaluateAll((rows: { getAttribute(name: string): string | null }[]) => rows.map((entry) => entry.getAttribute('data-outcome')));
    expect(outcomes.every((outcome) => outcome === 'ok')).toBe(true);
    await e2e.screenshot('signin-back');
    await expectNoTokenOnPage(page);
    expect(e2e.pageErrors).toEqual([]);
  }, 120_000);

  it('shows the code again after a reload, says when it expired, and when plex.tv cannot be reached', async () => {
    // plex.tv's clock, moved forward to expire the code without waiting half an hour.
    let skewMs = 0;
    world = await startWorld(['works'], { now: () => Date.now() + skewMs });
    e2e = await startE2E({ viewport: { width: 900, height: 600 }, account: { plexTvUrl: world.plextv.url } });
    const { page } = e2e;
    await page.getByTestId('first-run-signin').click();
    const dialog = page.getByRole('dialog', { name: 'Sign in with Plex' });
    const code = (await dialog.getByTestId('signin-code').textContent())?.trim();
    expect(code).toBeTruthy();

    // A reload while waiting: main still waits for that code, and the page shows it again.
    await page.reload();
    await dialog
      .getByTestId('signin-code')
      .getByText(code ?? '-')
      .waitFor();

    skewMs = 3_600_000;
    await dialog.getByTestId('signin-expired').waitFor();
    expect(await checkScreen(e2e, 'expired')).toBe('');
    await dialog.getByRole('button', { name: 'Get a new code' }).click();
    await dialog.getByTestId('signin-code').waitFor();
    expect((await dialog.getByTestId('signin-code').textContent())?.trim()).not.toBe(code);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(e2e.pageErrors).toEqual([]);
    await e2e.close();

    // No plex.tv at all (offline, or blocked): the dialog says so, and the address path stays open.
    e2e = await startE2E({ viewport: { width: 900, height: 600 } });
    await e2e.page.getByTestId('first-run-signin').click();
    const offline = e2e.page.getByRole('dialog', { name: 'Sign in with Plex' });
    await offline.getByTestId('signin-error').getByText('Could not reach plex.tv').waitFor();
    expect(await checkScreen(e2e, 'unreachable')).toBe('');
    await e2e.page.keyboard.press('Escape');
    await offline.waitFor({ state: 'detached' });
    await e2e.page.getByRole('button', { name: 'Add a server by address and token' }).click();
    await e2e.page.getByTestId('add-server-form').getByLabel('Name').waitFor();
    expect(await e2e.page.evaluate(`document.activeElement?.getAttribute('name')`)).toBe('name');
    expect(e2e.pageErrors).toEqual([]);
  }, 120_000);
});
