// Plex webhooks over real HTTP: the secret path, 404 with no body for anything else, size caps, the multipart
// `payload` field, and library.new bringing its item through the live batch (the socket stays silent here).
import { afterEach, describe, expect, it } from 'vitest';
import { hashWebhookSecret, MAX_WEBHOOK_BODY_BYTES, newWebhookSecret, WebhookListener } from '../../../main/live/webhooks.js';
import { sectionKeys } from '../sync/fixtures.js';
import { startLive, syncsFor, titleInCatalog, until, type LiveSetup } from './fixtures.js';

let setup: LiveSetup | undefined;
let listener: WebhookListener | undefined;

afterEach(async () => {
  await listener?.stop();
  await setup?.close();
  listener = undefined;
  setup = undefined;
});

async function webhookSetup(): Promise<{ live: LiveSetup; base: string; secret: string; rejected: string[] }> {
  setup = await startLive({ notifications: { silent: true } });
  const live = setup;
  const secret = newWebhookSecret();
  const rejected: string[] = [];
  listener = new WebhookListener({
    port: 0,
    host: '127.0.0.1',
    secretHash: hashWebhookSecret(secret),
    onEvent: (event) => void live.live.webhook(event),
    onRejected: (reason) => rejected.push(reason),
  });
  const port = await listener.start();
  return { live, base: `http://127.0.0.1:${port}`, secret, rejected };
}

/** What Plex sends: multipart/form-data with the JSON in `payload` (and a thumbnail on some events). */
function plexForm(payload: object, thumb?: Uint8Array): FormData {
  const form = new FormData();
  form.set('payload', JSON.stringify(payload));
  if (thumb !== undefined) form.set('thumb', new Blob([thumb], { type: 'image/jpeg' }), 'thumb.jpg');
  return form;
}

function libraryNew(ratingKey: string, sectionId: string, serverUuid: string): object {
  return {
    event: 'library.new',
    user: true,
    owner: true,
    Account: { id: 1, title: 'owner' },
    Server: { title: 'Home', uuid: serverUuid },
    Metadata: {
      librarySectionType: 'movie',
      ratingKey,
      key: `/library/metadata/${ratingKey}`,
      librarySectionID: Number(sectionId),
      type: 'movie',
    },
  };
}

describe('Plex webhooks', { timeout: 15_000 }, () => {
  it('answers 404 with no body to anything but a POST to the secret path', async () => {
    const { base, secret } = await webhookSetup();
    for (const [method, path] of [
      ['GET', '/'],
      ['POST', '/'],
      ['POST', '/not-the-secret-at-all-0000'],
      ['POST', `/${secret}/extra`],
      ['GET', `/${secret}`],
      ['POST', `/${secret.slice(0, -1)}`],
    ] as const) {
      const response = await fetch(base + path, { method, ...(method === 'POST' ? { body: plexForm({ event: 'library.new' }) } : {}) });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.text()).toBe('');
    }
  });

  it('library.new brings the item through the live batch, in one metadata request', async () => {
    const { live, base, secret } = await webhookSetup();
    const { sim, test } = live;
    await until(() => syncsFor(live.notices, 'connected') === 1, 'the catch-up sync');
    await live.live.idle();
    const movies = sectionKeys(sim).movies;
    const key = sim.library.addMovie(movies, { title: 'Told By Webhook' });
    sim.resetRequests();
    // Another server's webhook (Plex sends every server of the account to the same URL) changes nothing here.
    const foreign = await fetch(`${base}/${secret}`, { method: 'POST', body: plexForm(libraryNew(key, movies, 'another-server')) });
    expect(foreign.status).toBe(200);
    const response = await fetch(`${base}/${secret}`, {
      method: 'POST',
      body: plexForm(libraryNew(key, movies, sim.machineIdentifier), new Uint8Array(2000)),
    });
    expect(response.status).toBe(200);
    await until(() => titleInCatalog(test, key) === 'Told By Webhook', 'the webhook item');
    expect(sim.requests.filter((request) => request.path.startsWith('/library/metadata/'))).toHaveLength(1);
    expect(live.live.servers[0]?.stats).toMatchObject({ webhooks: 1, webhookItems: 1 });
  });

  it('other events are taken and ignored; malformed and oversized bodies are refused without harm', async () => {
    const { live, base, secret, rejected } = await webhookSetup();
    const play = await fetch(`${base}/${secret}`, {
      method: 'POST',
      body: plexForm({ event: 'media.play', Server: { uuid: live.sim.machineIdentifier }, Metadata: { ratingKey: '1' } }),
    });
    expect(play.status).toBe(200);
    await until(() => live.live.servers[0]?.stats.webhooks === 1, 'the event counted');
    expect(live.live.servers[0]?.stats.webhookItems).toBe(0);

    const notJson = new FormData();
    notJson.set('payload', '{"event": ');
    expect((await fetch(`${base}/${secret}`, { method: 'POST', body: notJson })).status).toBe(400);
    expect((await fetch(`${base}/${secret}`, { method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } })).status).toBe(
      400,
    );
    const big = await fetch(`${base}/${secret}`, {
      method: 'POST',
      body: plexForm({ event: 'library.new' }, new Uint8Array(MAX_WEBHOOK_BODY_BYTES + 10)),
    });
    expect(big.status).toBe(413);
    expect(await big.text()).toBe('');
    expect(rejected).toEqual([
      'the payload is not JSON',
      'not a form (Plex posts multipart/form-data)',
      `a webhook body over ${MAX_WEBHOOK_BODY_BYTES} bytes`,
    ]);
    expect(live.live.servers[0]?.stats.webhookItems).toBe(0);
  });
});
