import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCatalogFile, defaultConfigDir, defaultDataDir } from '../../../main/secrets/config-paths.js';

describe('config paths', () => {
  it('puts the catalog in the data dir', () => {
    expect(basename(defaultCatalogFile())).toBe('catalog.sqlite');
    expect(dirname(defaultCatalogFile())).toBe(defaultDataDir());
  });

  it.each([
    ['linux', {}, join(homedir(), '.config', 'Marquee')],
    ['linux', { XDG_CONFIG_HOME: '/xdg' }, join('/xdg', 'Marquee')],
    ['darwin', {}, join(homedir(), 'Library', 'Application Support', 'Marquee')],
    ['win32', { APPDATA: '/appdata' }, join('/appdata', 'Marquee')],
  ] as const)('matches the desktop app userData folder on %s %o', (platform, env, expected) => {
    expect(defaultDataDir(env, platform)).toBe(expected);
    expect(defaultConfigDir(env, platform)).toBe(expected);
  });
});
