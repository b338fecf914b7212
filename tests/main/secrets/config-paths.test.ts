import { basename, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCatalogFile, defaultConfigDir, defaultDataDir } from '../../../main/secrets/config-paths.js';

describe('config paths', () => {
  it('puts the catalog in the data dir and uses no -nodejs suffix', () => {
    expect(basename(defaultCatalogFile())).toBe('catalog.sqlite');
    expect(dirname(defaultCatalogFile())).toBe(defaultDataDir());
    for (const dir of [defaultDataDir(), defaultConfigDir()]) {
      expect(dir.toLowerCase()).toContain('marquee');
      expect(dir).not.toContain('nodejs');
    }
  });
});
