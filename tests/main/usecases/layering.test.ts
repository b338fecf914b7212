// Use cases sit below both faces: they import nothing of the CLI, the app, the IPC layer or Electron. (A lint
// rule is to enforce this for the whole tree; this keeps it checked until then.)
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const USECASES = new URL('../../../main/usecases/', import.meta.url);
const FORBIDDEN = /from\s+'(\.\.\/(cli|app|ipc|electron)\/[^']*|electron)'/;

describe('main/usecases', () => {
  it('imports nothing of main/cli, main/app, main/ipc or electron', () => {
    const files = readdirSync(USECASES).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    const offending = files.filter((name) => FORBIDDEN.test(readFileSync(new URL(name, USECASES), 'utf8')));
    expect(offending).toEqual([]);
  });
});
