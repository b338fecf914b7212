// live:*, settings:* and plex:* — the live catalog's state, the app's own settings, and the actions Marquee asks
// of Plex (main/usecases/plex-actions.ts). Their results arrive through the notification socket as `live:change`.
import type { AppSettings, DetailPassState } from '../../../shared/ipc.js';
import { getNumericSetting, getSetting, setNumericSetting, setSetting } from '../../catalog/settings.js';
import { describeItem } from '../../usecases/browse.js';
import { configureDetailPass, detailPassStatus } from '../../usecases/details.js';
import { inTurn } from '../../usecases/deps.js';
import { requireLibrary } from '../../usecases/libraries.js';
import { refreshItemMetadata, scanLibrary } from '../../usecases/plex-actions.js';
import type { Catalog } from '../../catalog/database.js';
import type { AppLive } from '../live.js';
import type { HandlerContext, RequestHandlers } from './types.js';

type LiveHandlers = Pick<
  RequestHandlers,
  'live:state' | 'settings:get' | 'settings:set' | 'details:state' | 'details:set' | 'plex:scan' | 'plex:refresh'
>;

/** Keys in the catalog's settings table; a value other than 'true' (unset, hand-edited) reads as off. */
const SETTING_KEYS: Record<'keepRunningInTray' | 'startAtLogin', string> = {
  keepRunningInTray: 'app.keepRunningInTray',
  startAtLogin: 'app.startAtLogin',
};

export function readAppSettings(catalog: Catalog): AppSettings {
  return {
    keepRunningInTray: getSetting(catalog, SETTING_KEYS.keepRunningInTray) === 'true',
    startAtLogin: getSetting(catalog, SETTING_KEYS.startAtLogin) === 'true',
    artworkCacheMb: getNumericSetting(catalog, 'artworkCacheMb'),
  };
}

export function liveHandlers(
  { usecases }: HandlerContext,
  live: AppLive,
  onSettingsChanged: (settings: AppSettings) => void,
): LiveHandlers {
  return {
    'live:state': () => live.state(),
    'settings:get': () => readAppSettings(usecases.catalog),
    'settings:set': async (input) => {
      // An edit like any other: in its turn in the job queue (between two pages of a running sync).
      await inTurn(usecases, 'change a setting', () => {
        for (const name of ['keepRunningInTray', 'startAtLogin'] as const) {
          const value = input[name];
          if (value !== undefined) setSetting(usecases.catalog, SETTING_KEYS[name], String(value));
        }
        // The artwork service reads the cap at its next check: a smaller one evicts with the next image stored.
        if (input.artworkCacheMb !== undefined) setNumericSetting(usecases.catalog, 'artworkCacheMb', input.artworkCacheMb);
      });
      const settings = readAppSettings(usecases.catalog);
      onSettingsChanged(settings);
      return settings;
    },
    'details:state': () => detailState(usecases, live),
    'details:set': async (input) => {
      configureDetailPass(usecases, { enabled: input.enabled });
      await live.detailSettingChanged();
      return detailState(usecases, live);
    },
    'plex:scan': async (input) => {
      const { server, library } = requireLibrary(usecases, { id: input.libraryId });
      const started = await scanLibrary(usecases, {
        server: { id: server.id },
        library: library.sectionKey,
        ...(input.path !== undefined ? { path: input.path } : {}),
      });
      return { libraryTitle: started.library.title, path: started.path };
    },
    'plex:refresh': async (input) => {
      const item = describeItem(usecases, input.itemId);
      const started = await refreshItemMetadata(usecases, { server: { nameOrId: item.serverName }, ratingKey: item.ratingKey });
      return { ratingKey: started.ratingKey };
    },
  };
}

function detailState(usecases: HandlerContext['usecases'], live: AppLive): DetailPassState {
  const { enabled, requestIntervalMs, servers, cost } = detailPassStatus(usecases);
  return { enabled, running: live.detailsRunning, requestIntervalMs, servers, cost };
}
