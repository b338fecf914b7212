// Sign in with Plex: who is signed in, the sign-in under way (its code, how it ended), the account's servers
// found on plex.tv and which the user picked, and each catalogued server's connections. Main keeps every token;
// this store only ever holds codes, names, URIs and probe outcomes.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  AccountInfo,
  AddServersResult,
  DiscoveredServerView,
  ServerConnectionsView,
  SignInEvent,
  SignInStarted,
} from '../../shared/ipc.js';
import { toUiError, type Api, type UiError } from '../api.js';

export type SignInStatus = 'starting' | 'waiting' | 'approved' | 'expired' | 'failed';

export interface SignInState {
  status: SignInStatus;
  /** null while the PIN is being asked for. */
  started: SignInStarted | null;
  /** Whether the browser was opened (null: not asked yet). */
  opened: boolean | null;
  error: UiError | null;
}

export type DiscoveryState =
  { status: 'idle' } | { status: 'loading' } | { status: 'done'; servers: DiscoveredServerView[] } | { status: 'error'; error: UiError };

export type ConnectionsState =
  | { status: 'loading'; view: ServerConnectionsView | null }
  | { status: 'done'; view: ServerConnectionsView }
  | { status: 'error'; view: ServerConnectionsView | null; error: UiError };

export interface AccountState {
  info: AccountInfo | null;
  loadError: UiError | null;
  /** The sign-in dialog's state; null when it is closed. */
  signIn: SignInState | null;
  discovery: DiscoveryState;
  /** Discovered server ids the user ticked. */
  selected: string[];
  adding: boolean;
  addResult: AddServersResult | null;
  addError: UiError | null;
  signingOut: boolean;
  signOutError: UiError | null;
  /** Per catalogued server id: its connections as last listed or probed. */
  connections: Record<number, ConnectionsState>;
  /** The connection being switched to, per server id. */
  switching: Record<number, string>;
  load: () => Promise<void>;
  /** Opens the sign-in dialog and asks main for a code. */
  startSignIn: () => Promise<void>;
  openSignInPage: () => Promise<void>;
  /** Cancels the sign-in under way (if any) and closes the dialog. */
  cancelSignIn: () => Promise<void>;
  /** Closes the dialog after an ending (approved, expired, failed). */
  closeSignIn: () => void;
  signOut: () => Promise<void>;
  discover: () => Promise<void>;
  toggle: (id: string, selected: boolean) => void;
  addSelected: () => Promise<void>;
  loadConnections: (serverId: number, probe?: boolean) => Promise<void>;
  switchConnection: (serverId: number, uri: string) => Promise<void>;
  /** Subscribes to main's `account:signin` events; returns the unsubscribe. */
  attach: () => () => void;
}

export type AccountStore = StoreApi<AccountState>;

export interface AccountStoreOptions {
  /** Servers were added or a server's connection or tokens changed: the other stores reload. */
  onServersChanged?: () => void;
}

export function createAccountStore(api: Api, options: AccountStoreOptions = {}): AccountStore {
  return createStore<AccountState>()((set, get) => {
    const setConnections = (serverId: number, state: ConnectionsState) => set({ connections: { ...get().connections, [serverId]: state } });
    const currentView = (serverId: number) => get().connections[serverId]?.view ?? null;

    const onSignInEvent = (event: SignInEvent) => {
      const signIn = get().signIn;
      // Events of an older sign-in (replaced, or from another window) do not touch this one.
      if (signIn?.started?.pinId !== event.pinId) {
        if (event.state === 'approved') void get().load();
        return;
      }
      switch (event.state) {
        case 'waiting':
          return;
        case 'cancelled':
          set({ signIn: null });
          return;
        case 'expired':
          set({ signIn: { ...signIn, status: 'expired' } });
          return;
        case 'failed':
          set({ signIn: { ...signIn, status: 'failed', error: { code: 'FAILED', message: event.message } } });
          return;
        case 'approved':
          set({ signIn: null });
          // Fresh tokens may have brought servers back from "sign in again".
          options.onServersChanged?.();
          void get()
            .load()
            .then(() => get().discover());
      }
    };

    return {
      info: null,
      loadError: null,
      signIn: null,
      discovery: { status: 'idle' },
      selected: [],
      adding: false,
      addResult: null,
      addError: null,
      signingOut: false,
      signOutError: null,
      connections: {},
      switching: {},

      async load() {
        try {
          const info = await api.request('account:info', {});
          set({ info, loadError: null });
          // A sign-in started before a reload: show its code again.
          if (info.pendingSignIn !== null && get().signIn === null) {
            set({ signIn: { status: 'waiting', started: info.pendingSignIn, opened: null, error: null } });
          }
        } catch (error) {
          set({ loadError: toUiError(error) });
        }
      },

      async startSignIn() {
        set({ signIn: { status: 'starting', started: null, opened: null, error: null } });
        try {
          const started = await api.request('account:startSignIn', {});
          if (get().signIn?.status !== 'starting') {
            // Cancelled while the code was being asked for.
            void api.request('account:cancelSignIn', { pinId: started.pinId }).catch(() => {});
            return;
          }
          set({ signIn: { status: 'waiting', started, opened: null, error: null } });
        } catch (error) {
          set({ signIn: { status: 'failed', started: null, opened: null, error: toUiError(error) } });
        }
      },

      async openSignInPage() {
        const signIn = get().signIn;
        if (signIn?.started == null) return;
        try {
          const { opened } = await api.request('account:openSignInPage', { pinId: signIn.started.pinId });
          const now = get().signIn;
          if (now !== null) set({ signIn: { ...now, opened } });
        } catch (error) {
          const now = get().signIn;
          if (now !== null) set({ signIn: { ...now, opened: false, error: toUiError(error) } });
        }
      },

      async cancelSignIn() {
        const signIn = get().signIn;
        set({ signIn: null });
        if (signIn?.started == null || signIn.status !== 'waiting') return;
        try {
          await api.request('account:cancelSignIn', { pinId: signIn.started.pinId });
        } catch {
          // Main ends it on its own when the PIN expires; nothing to show once the dialog is gone.
        }
      },

      closeSignIn() {
        set({ signIn: null });
      },

      async signOut() {
        set({ signingOut: true, signOutError: null });
        try {
          await api.request('account:signOut', {});
          set({ signingOut: false, discovery: { status: 'idle' }, selected: [], addResult: null });
          await get().load();
        } catch (error) {
          set({ signingOut: false, signOutError: toUiError(error) });
        }
      },

      async discover() {
        // Probing every connection takes seconds: one discovery at a time.
        if (get().discovery.status === 'loading') return;
        set({ discovery: { status: 'loading' }, addResult: null, addError: null });
        try {
          const servers = await api.request('account:discover', {});
          // Preselect what can be added: not catalogued yet, and reachable.
          const selected = servers.filter((server) => server.cataloguedAs === null && server.chosen !== null).map((server) => server.id);
          set({ discovery: { status: 'done', servers }, selected });
        } catch (error) {
          set({ discovery: { status: 'error', error: toUiError(error) } });
        }
      },

      toggle(id, selected) {
        const others = get().selected.filter((entry) => entry !== id);
        set({ selected: selected ? [...others, id] : others });
      },

      async addSelected() {
        const ids = get().selected;
        if (ids.length === 0) return;
        set({ adding: true, addError: null, addResult: null });
        try {
          const addResult = await api.request('account:addServers', { ids });
          set({ adding: false, addResult, selected: [] });
          options.onServersChanged?.();
          await get().load();
          // The list now says which are catalogued.
          const discovery = get().discovery;
          if (discovery.status === 'done') {
            const names = new Map(addResult.added.map((server) => [server.name, server.name]));
            set({
              discovery: {
                status: 'done',
                servers: discovery.servers.map((server) =>
                  server.cataloguedAs === null && names.has(server.name) ? { ...server, cataloguedAs: server.name } : server,
                ),
              },
            });
          }
        } catch (error) {
          set({ adding: false, addError: toUiError(error) });
        }
      },

      async loadConnections(serverId, probe = false) {
        setConnections(serverId, { status: 'loading', view: currentView(serverId) });
        try {
          const view = await api.request('servers:connections', probe ? { id: serverId, probe: true } : { id: serverId });
          setConnections(serverId, { status: 'done', view });
          if (view.switched) {
            options.onServersChanged?.();
            void get().load();
          }
        } catch (error) {
          setConnections(serverId, { status: 'error', view: currentView(serverId), error: toUiError(error) });
        }
      },

      async switchConnection(serverId, uri) {
        set({ switching: { ...get().switching, [serverId]: uri } });
        try {
          const view = await api.request('servers:useConnection', { id: serverId, uri });
          setConnections(serverId, { status: 'done', view });
          options.onServersChanged?.();
          void get().load();
        } catch (error) {
          setConnections(serverId, { status: 'error', view: currentView(serverId), error: toUiError(error) });
        } finally {
          const { [serverId]: _done, ...rest } = get().switching;
          set({ switching: rest });
        }
      },

      attach() {
        return api.on('account:signin', onSignInEvent);
      },
    };
  });
}
