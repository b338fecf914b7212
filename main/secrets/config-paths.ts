// Where Marquee keeps its files by default. `$MARQUEE_DB` and command-line flags are the CLI's business.
import { join } from 'node:path';
import envPaths from 'env-paths';

/** No '-nodejs' suffix: these are Marquee's own folders, shared by the CLI and the desktop app. */
function paths(): ReturnType<typeof envPaths> {
  return envPaths('marquee', { suffix: '' });
}

/** e.g. ~/.local/share/marquee, ~/Library/Application Support/marquee, %LOCALAPPDATA%\marquee\Data. */
export function defaultDataDir(): string {
  return paths().data;
}

/** Holds the token key file (marquee.key): e.g. ~/.config/marquee, %APPDATA%\marquee\Config. */
export function defaultConfigDir(): string {
  return paths().config;
}

export function defaultCatalogFile(): string {
  return join(defaultDataDir(), 'catalog.sqlite');
}
