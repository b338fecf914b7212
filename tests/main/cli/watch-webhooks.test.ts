// marquee watch --webhook-port: the URL with its secret is printed once, library.new from Plex lands as a change
// line, a later run keeps the URL without showing it again, and --webhook-new-secret retires the old one.
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/run-cli.js';
import { startPlexSim, type PlexSim } from '../../../tools/plex-sim/index.js';
import { capture, cliSandbox, type CliSandbox } from './harness.js';
import { until } from '../live/fixtures.js';

let sim: PlexSim | undefined;
let box: CliSandbox | undefined;

afterEach(async () => {
  await sim?.close();
  box?.cleanup();
  sim = undefined;
  box = undefined;
});

function watch(sandbox: CliSandbox, args: string[]) {
  const stdout = capture();
  const stderr = capture();
  const terminate = new AbortController();
  const done = runCli(['watch', '--webhook-host', '127.0.0.1', ...args], {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: { ...sandbox.env, MARQUEE_WATCH_BATCH_MS: '20' },
    isTTY: false,
    terminate: terminate.signal,
  });
  return { stdout, stderr, terminate, done };
}

function post(url: string, payload: object): Promise<Response> {
  const form = new FormData();
  form.set('payload', JSON.stringify(payload));
  return fetch(url, { method: 'POST', body: form });
}

describe('marquee watch --webhook-port', { timeout: 20_000 }, () => {
  it('prints the URL once, applies library.new, and keeps or renews the secret', async () => {
    sim = await startPlexSim({ seed: 6, library: { movies: 8, shows: 1, episodes: 4 }, notifications: { silent: true } });
    box = cliSandbox();
    expect((await box.run(['server', 'add', '--name', 'Home', '--url', sim.url], { env: { MARQUEE_TOKEN: sim.token } })).code).toBe(0);
    expect((await box.run(['sync'])).code).toBe(0);
    const movies = sim.library.sections().find((section) => section.type === 'movie')?.key ?? '';

    const first = watch(box, ['--webhook-port', '0']);
    await until(() => /http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+/.test(first.stdout.text()), 'the webhook URL');
    const url = /http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+/.exec(first.stdout.text())?.[0] ?? '';
    await until(() => first.stdout.text().includes('connected sync'), 'the catch-up sync');
    const key = sim.library.addMovie(movies, { title: 'Hooked In' });
    const answer = await post(url, {
      event: 'library.new',
      Server: { uuid: sim.machineIdentifier },
      Metadata: { ratingKey: key, librarySectionID: Number(movies), type: 'movie' },
    });
    expect(answer.status).toBe(200);
    await until(() => first.stdout.text().includes('added movie "Hooked In"'), 'the change line');
    expect((await fetch(url.replace(/\/[^/]+$/, '/wrong-secret-000000000'), { method: 'POST' })).status).toBe(404);
    first.terminate.abort();
    expect(await first.done).toBe(0);

    const secret = url.slice(url.lastIndexOf('/') + 1);
    const second = watch(box, ['--webhook-port', '0']);
    await until(() => second.stdout.text().includes('webhook: listening on port'), 'the webhook line');
    expect(second.stdout.text()).not.toContain(secret);
    second.terminate.abort();
    expect(await second.done).toBe(0);

    const renewed = watch(box, ['--webhook-port', '0', '--webhook-new-secret']);
    await until(() => renewed.stdout.text().includes('it is shown only now'), 'the new URL');
    const port = /127\.0\.0\.1:(\d+)\//.exec(renewed.stdout.text())?.[1] ?? '';
    expect((await post(`http://127.0.0.1:${port}/${secret}`, { event: 'library.new' })).status).toBe(404);
    renewed.terminate.abort();
    expect(await renewed.done).toBe(0);
    const all = first.stdout.text() + first.stderr.text() + second.stdout.text() + renewed.stdout.text();
    expect(all).not.toContain(sim.token);
  });
});
