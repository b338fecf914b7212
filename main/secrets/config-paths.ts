// Where Marquee keeps its files by default: the desktop app's userData folder, so the CLI and the app share one
// catalog. `$MARQUEE_DB`, `$MARQUEE_CONFIG_DIR` and command-line flags are the CLI's business.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Electron's app.getPath('userData') for productName "Marquee": appData + name, computed without Electron. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return join(appDataDir(env, platform), 'Marquee');
}

function appDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  if (platform === 'win32') return env.APPDATA ?? join(homedir(), 'AppData', 'Roaming');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
}

/** Holds the token key file (marquee.key), mode 0600: the same per-user folder. */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return defaultDataDir(env, platform);
}

export function defaultCatalogFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return join(defaultDataDir(env, platform), 'catalog.sqlite');
}
