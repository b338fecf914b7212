// The app service on a real temp catalog, a key-file secret store and the simulated Plex server; requests go
// through dispatch(), the same path Electron's ipcMain and the preview bridge take.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName, Events, IpcFailure, IpcResult, RequestInput, RequestName, RequestOutput } from '../../../shared/ipc.js';
import type { AppLiveOptions } from '../../../main/app/live.js';
import type { AccountOptions } from '../../../main/app/account-handlers.js';
import { type AppService, createAppService } from '../../../main/app/service.js';
import { createInProcessSyncRunner, type SyncRunner } from '../../../main/app/sync-runner.js';
import { createWorkerSyncRunner } from '../../../main/app/worker-sync-runner.js';
import { type Catalog, openCatalog } from '../../../main/catalog/database.js';
import { dispatch } from '../../../main/ipc/dispatch.js';
import { openKeyFileSecretStore } from '../../../main/secrets/key-file-store.js';
import type { SecretStore } from '../../../main/secrets/secret-store.js';
import { type PlexSim, type PlexSimOptions, startPlexSim } from '../../../tools/plex-sim/server.js';

/** Loads main/app/sync-worker.ts in a worker thread through tsx. */
export const TS_WORKER_BOOTSTRAP = new URL('./sync-worker.bootstrap.mjs', import.meta.url);

/** Fail fast against the local simulator: no retries, short timeouts. */
export const TEST_CLIENT_OPTIONS = { retries: 0, retryBaseMs: 1, retryMaxMs: 5, timeoutMs: 5_000 };

export interface AppFixture {
  dir: string;
  sim: PlexSim;
  catalog: Catalog;
  secrets: SecretStore;
  service: AppService;
  runner: SyncRunner;
  /** The envelope, as the renderer gets it. */
  call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<IpcResult<RequestOutput<N>>>;
  /** The value, or a thrown Error naming the failure. */
  ok<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>>;
  /** The failure; throws when the call succeeded. */
  fail<N extends RequestName>(name: N, input: unknown): Promise<IpcFailure>;
  /** Every event the service emitted, in order. */
  events: { name: EventName; payload: unknown }[];
  /** Resolves with the first (next) event of that name matching the predicate. */
  nextEvent<E extends EventName>(name: E, matches?: (payload: Events[E]) => boolean): Promise<Events[E]>;
  /** Adds the simulated server through servers:add and returns its id. */
  addSimServer(name?: string): Promise<number>;
  close(): Promise<void>;
}

export interface AppFixtureOptions {
  runner?: 'in-process' | 'worker';
  sim?: PlexSimOptions;
  /** The live catalog's options (it runs only once `service.live.start()` is called). */
  live?: AppLiveOptions;
  /** Sign in with Plex: the simulated plex.tv's address, a recording opener, probe settings. */
  account?: AccountOptions;
}

export async function startAppFixture(options: AppFixtureOptions = {}): Promise<AppFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-app-'));
  const sim = await startPlexSim(options.sim);
  const catalog = openCatalog(join(dir, 'catalog.sqlite'));
  const secrets = openKeyFileSecretStore(join(dir, 'config'));
  const runner =
    options.runner === 'worker'
      ? createWorkerSyncRunner({ workerUrl: TS_WORKER_BOOTSTRAP, catalog, secrets, clientOptions: TEST_CLIENT_OPTIONS })
      : createInProcessSyncRunner({ catalog, secrets, clientOptions: TEST_CLIENT_OPTIONS });
  const logged: string[] = [];
  const service = createAppService({
    catalog,
    secrets,
    secretStatus: { kind: 'key-file', warning: null },
    syncRunner: runner,
    clientOptions: TEST_CLIENT_OPTIONS,
    log: (message) => logged.push(message),
    ...(options.live !== undefined ? { liveOptions: options.live } : {}),
    ...(options.account !== undefined ? { account: options.account } : {}),
  });
  const events: { name: EventName; payload: unknown }[] = [];
  const waiters = new Set<{ name: EventName; test: (payload: unknown) => boolean; resolve: (payload: unknown) => void }>();
  service.events.onAny((name, payload) => {
    events.push({ name, payload });
    for (const waiter of [...waiters]) {
      if (waiter.name === name && waiter.test(payload)) {
        waiters.delete(waiter);
        waiter.resolve(payload);
      }
    }
  });

  const call = <N extends RequestName>(name: N, input: RequestInput<N>) => dispatch(service, name, input);
  const fixture: AppFixture = {
    dir,
    sim,
    catalog,
    secrets,
    service,
    runner,
    call,
    async ok(name, input) {
      const result = await call(name, input);
      if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
      return result.value;
    },
    async fail(name, input) {
      const result = await dispatch(service, name, input);
      if (result.ok) throw new Error(`${name} was expected to fail but returned ${JSON.stringify(result.value)}`);
      return result.error;
    },
    events,
    nextEvent<E extends EventName>(name: E, matches: (payload: Events[E]) => boolean = () => true) {
      return new Promise<Events[E]>((resolve) => {
        waiters.add({
          name,
          test: (payload) => matches(payload as Events[E]),
          resolve: (payload) => resolve(payload as Events[E]),
        });
      });
    },
    async addSimServer(name = 'Sim') {
      const server = await fixture.ok('servers:add', { name, url: sim.url, token: sim.token });
      return server.id;
    },
    async close() {
      await service.close();
      catalog.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** A port nobody listens on: bind one, note it, close it. */
export async function closedPortUrl(): Promise<string> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}
