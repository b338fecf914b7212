// A known failure reads as itself in the app, never as "Something went wrong": a server that cannot be reached
// is named in the sync report with the engine's message, and its code leads to the server editor.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateServer } from '../../main/catalog/servers.js';
import { type E2E, startE2E } from './harness.js';

/** A port nobody listens on: bind one, note it, close it. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

describe('e2e: sync errors', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({ sim: { library: { movies: 20, shows: 1, episodes: 5 } }, addServer: true });
    if (e2e.serverId === null) throw new Error('no server');
    // The server moved after it was added: the catalog still has the old address.
    updateServer(e2e.catalog, e2e.secrets, e2e.serverId, { url: await closedPortUrl() });
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('names an unreachable server in the report and offers to check its URL', async () => {
    const { page } = e2e;
    await page.getByTestId('nav-sync').click();
    await page.getByRole('heading', { level: 1, name: 'Sync' }).waitFor();
    await page.getByRole('button', { name: 'Sync all' }).click();

    const serverErrors = page.getByTestId('sync-server-errors');
    await serverErrors.filter({ hasText: /Could not reach Plex server "Sim"/ }).waitFor({ timeout: 60_000 });
    await serverErrors.getByRole('button', { name: /Check the server’s URL — edit server/ }).waitFor();
    expect(await page.getByText(/Something went wrong/).count()).toBe(0);
    await e2e.screenshot('sync-server-unreachable');

    await serverErrors.getByRole('button', { name: /Check the server’s URL — edit server/ }).click();
    await page.getByRole('dialog').waitFor();
    expect(e2e.pageErrors).toEqual([]);
  }, 120_000);
});
