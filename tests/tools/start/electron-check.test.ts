import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronBinaryProblem } from '../../../tools/start/electron-check.js';

describe('npm start: the Electron binary check', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'marquee-electron-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names a package installed without its binary', () => {
    writeFileSync(join(dir, 'package.json'), '{}');
    expect(electronBinaryProblem(dir, {})).toMatch(/never downloaded/);
    writeFileSync(join(dir, 'path.txt'), 'electron');
    expect(electronBinaryProblem(dir, {})).toMatch(/binary .*dist\/electron is missing/);
  });

  it('passes once the binary is in place, or when ELECTRON_OVERRIDE_DIST_PATH points at one', () => {
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(join(dir, 'path.txt'), 'electron');
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'electron'), '');
    expect(electronBinaryProblem(dir, {})).toBeNull();
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'electron'), '');
    rmSync(join(dir, 'path.txt'));
    expect(electronBinaryProblem(dir, { ELECTRON_OVERRIDE_DIST_PATH: elsewhere })).toBeNull();
  });

  it('says when the electron package itself is absent', () => {
    expect(electronBinaryProblem(join(dir, 'nothing'), {})).toMatch(/not installed/);
  });
});
