// Which view is shown, plus requests one view makes of another (e.g. a sync error's "edit server" link
// opens that server's edit dialog in the Servers view).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SecretStorageStatus } from '../../shared/ipc.js';
import type { Api } from '../api.js';

export const VIEWS = ['servers', 'libraries', 'mappings', 'sync', 'discover', 'browse', 'live'] as const;
export type View = (typeof VIEWS)[number];

export interface UiState {
  view: View;
  /** A server whose edit dialog the Servers view should open (focusToken: to replace a refused token). */
  editRequest: { serverId: number; focusToken: boolean } | null;
  /** The server the Mappings view should show. */
  mappingsServerId: number | null;
  appVersion: string | null;
  secretStorage: SecretStorageStatus | null;
  // Actions are closures over the store (no `this`): components may take them out of the state unbound.
  navigate: (view: View) => void;
  editServer: (serverId: number, focusToken?: boolean) => void;
  editedServer: () => void;
  showMappings: (serverId: number) => void;
  loadInfo: () => Promise<void>;
}

export type UiStore = StoreApi<UiState>;

export function createUiStore(api: Api): UiStore {
  return createStore<UiState>()((set) => ({
    view: 'servers',
    editRequest: null,
    mappingsServerId: null,
    appVersion: null,
    secretStorage: null,
    navigate(view) {
      set({ view });
    },
    editServer(serverId, focusToken = false) {
      set({ view: 'servers', editRequest: { serverId, focusToken } });
    },
    editedServer() {
      set({ editRequest: null });
    },
    showMappings(serverId) {
      set({ view: 'mappings', mappingsServerId: serverId });
    },
    async loadInfo() {
      try {
        const info = await api.request('app:info', {});
        set({ appVersion: info.version, secretStorage: info.secretStorage });
      } catch {
        // The header shows no version; every other view reports its own errors.
      }
    },
  }));
}
