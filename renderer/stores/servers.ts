// Servers: the list, adding (tested by main before it is saved), editing, removing, testing a connection.
// Tokens pass through `add`/`update` as arguments and are never kept in the store's state.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { NewServer, ServerSummary } from '../../shared/domain.js';
import type { ConnectionTest } from '../../shared/ipc.js';
import { toUiError, type Api, type UiError } from '../api.js';

export interface ServerEdit {
  name?: string;
  url?: string;
  /** Only when the user typed a new one; an empty string is never sent. */
  token?: string;
}

export type ConnectionCheck = { status: 'testing' } | { status: 'done'; result: ConnectionTest } | { status: 'error'; error: UiError };

export interface ServersState {
  servers: ServerSummary[];
  loaded: boolean;
  loadError: UiError | null;
  adding: boolean;
  addError: UiError | null;
  savingId: number | null;
  editError: UiError | null;
  /** Per server: the last failed toggle or removal, shown on its row. */
  rowErrors: Record<number, UiError>;
  checks: Record<number, ConnectionCheck>;
  // Actions are closures over the store (no `this`): components may take them out of the state unbound.
  load: () => Promise<void>;
  /** The saved server, or null with `addError` set (e.g. the token was refused). */
  add: (input: NewServer) => Promise<ServerSummary | null>;
  update: (id: number, edit: ServerEdit) => Promise<ServerSummary | null>;
  setActive: (id: number, active: boolean) => Promise<void>;
  remove: (id: number) => Promise<boolean>;
  test: (id: number) => Promise<void>;
  clearAddError: () => void;
  clearEditError: () => void;
}

export type ServersStore = StoreApi<ServersState>;

export interface ServersStoreOptions {
  /** Called after a server was added or removed (its libraries and mappings come or go with it). */
  onChanged?: () => void;
}

export function createServersStore(api: Api, options: ServersStoreOptions = {}): ServersStore {
  return createStore<ServersState>()((set, get) => {
    const replace = (server: ServerSummary) => set({ servers: get().servers.map((entry) => (entry.id === server.id ? server : entry)) });
    const setRowError = (id: number, error: UiError | null) => {
      const { [id]: _old, ...rest } = get().rowErrors;
      set({ rowErrors: error === null ? rest : { ...rest, [id]: error } });
    };

    return {
      servers: [],
      loaded: false,
      loadError: null,
      adding: false,
      addError: null,
      savingId: null,
      editError: null,
      rowErrors: {},
      checks: {},

      async load() {
        try {
          const servers = await api.request('servers:list', {});
          set({ servers, loaded: true, loadError: null });
        } catch (error) {
          set({ loaded: true, loadError: toUiError(error) });
        }
      },

      async add(input) {
        set({ adding: true, addError: null });
        try {
          const server = await api.request('servers:add', { name: input.name.trim(), url: input.url.trim(), token: input.token.trim() });
          set({ servers: [...get().servers.filter((entry) => entry.id !== server.id), server], adding: false });
          options.onChanged?.();
          return server;
        } catch (error) {
          set({ adding: false, addError: toUiError(error) });
          return null;
        }
      },

      async update(id, edit) {
        set({ savingId: id, editError: null });
        const input: { id: number; name?: string; url?: string; token?: string } = { id };
        if (edit.name !== undefined) input.name = edit.name.trim();
        if (edit.url !== undefined) input.url = edit.url.trim();
        if (edit.token !== undefined && edit.token.trim() !== '') input.token = edit.token.trim();
        try {
          const server = await api.request('servers:update', input);
          replace(server);
          set({ savingId: null });
          return server;
        } catch (error) {
          set({ savingId: null, editError: toUiError(error) });
          return null;
        }
      },

      async setActive(id, active) {
        setRowError(id, null);
        try {
          replace(await api.request('servers:update', { id, active }));
        } catch (error) {
          setRowError(id, toUiError(error));
        }
      },

      async remove(id) {
        setRowError(id, null);
        try {
          await api.request('servers:remove', { id });
          const { [id]: _check, ...checks } = get().checks;
          set({ servers: get().servers.filter((entry) => entry.id !== id), checks });
          options.onChanged?.();
          return true;
        } catch (error) {
          setRowError(id, toUiError(error));
          return false;
        }
      },

      async test(id) {
        set({ checks: { ...get().checks, [id]: { status: 'testing' } } });
        let check: ConnectionCheck;
        try {
          check = { status: 'done', result: await api.request('servers:test', { id }) };
        } catch (error) {
          check = { status: 'error', error: toUiError(error) };
        }
        set({ checks: { ...get().checks, [id]: check } });
      },

      clearAddError() {
        set({ addError: null });
      },

      clearEditError() {
        set({ editError: null });
      },
    };
  });
}
