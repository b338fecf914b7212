// All stores, created from one Api and wired to each other where one's change makes another's data
// stale (a finished sync changes counts, last-sync times and the browse list).
import type { Api } from '../api.js';
import { createAccountStore, type AccountStore } from './account.js';
import { createBrowseStore, type BrowseStore, type BrowseStoreOptions } from './browse.js';
import type { FlushScheduler } from './coalesce.js';
import { createDiscoveryStore, type DiscoveryStore } from './discovery.js';
import { createLibrariesStore, type LibrariesStore } from './libraries.js';
import { createJobsStore, type JobsStore } from './jobs.js';
import { createLiveStore, type LiveStore } from './live.js';
import { createMappingsStore, type MappingsStore } from './mappings.js';
import { createServersStore, type ServersStore } from './servers.js';
import { createSyncStore, type SyncStore } from './sync.js';
import { createUiStore, type UiStore } from './ui.js';

export interface Stores {
  ui: UiStore;
  servers: ServersStore;
  libraries: LibrariesStore;
  mappings: MappingsStore;
  sync: SyncStore;
  discovery: DiscoveryStore;
  browse: BrowseStore;
  live: LiveStore;
  account: AccountStore;
  /** The catalog's job queue (every process's jobs). */
  jobs: JobsStore;
}

export interface StoresOptions {
  scheduleFlush?: FlushScheduler;
  previewDelayMs?: number;
  browse?: BrowseStoreOptions;
}

export function createStores(api: Api, options: StoresOptions = {}): Stores {
  const libraries = createLibrariesStore(api);
  const mappings = createMappingsStore(api, {
    ...(options.previewDelayMs === undefined ? {} : { previewDelayMs: options.previewDelayMs }),
    onChanged: () => void libraries.getState().load(),
  });
  const servers = createServersStore(api, {
    onChanged: () => {
      void libraries.getState().load();
      void mappings.getState().load();
    },
  });
  const browse = createBrowseStore(api, options.browse);
  const account = createAccountStore(api, {
    onServersChanged: () => {
      void servers.getState().load();
      void libraries.getState().load();
      void mappings.getState().load();
    },
  });
  const catalogChanged = () => {
    void servers.getState().load();
    void libraries.getState().load();
    // A sync may have put a server in the "sign in again" state, or failed over to another connection.
    void account.getState().load();
    browse.getState().reload();
  };
  const flush = options.scheduleFlush === undefined ? {} : { scheduleFlush: options.scheduleFlush };
  return {
    ui: createUiStore(api),
    servers,
    libraries,
    mappings,
    sync: createSyncStore(api, { ...flush, onFinished: catalogChanged }),
    discovery: createDiscoveryStore(api, { ...flush, onImported: catalogChanged }),
    browse,
    // Live changes: what Browse shows reloads, and the libraries' counts.
    live: createLiveStore(api, {
      ...flush,
      onChanged: () => {
        browse.getState().refreshShown();
        void libraries.getState().load();
      },
    }),
    account,
    jobs: createJobsStore(api),
  };
}

/** Subscribes to main's events and loads what every view needs; returns the unsubscribe. */
export function startStores(stores: Stores): () => void {
  const detachSync = stores.sync.getState().attach();
  const detachDiscovery = stores.discovery.getState().attach();
  const detachLive = stores.live.getState().attach();
  const detachAccount = stores.account.getState().attach();
  const detachJobs = stores.jobs.getState().attach();
  void stores.account.getState().load();
  void stores.ui.getState().loadInfo();
  void stores.servers.getState().load();
  void stores.libraries.getState().load();
  void stores.mappings.getState().load();
  void stores.sync.getState().hydrate();
  void stores.live.getState().hydrate();
  void stores.jobs.getState().hydrate();
  return () => {
    detachSync();
    detachDiscovery();
    detachLive();
    detachAccount();
    detachJobs();
  };
}
