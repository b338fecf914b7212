// The catalog's place among the layers: all SQL lives in main/catalog, and the catalog imports nothing above
// it (the sync, the Plex wire model, the faces, the IPC contract). Reads the sources: a cheap guard that
// fails at the first stray query or upward import, until the ESLint layer rules run in CI.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

function sourcesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** What writes or reads SQL: a raw statement, the query builder, or the better-sqlite3 handle itself. */
const SQL_PATTERNS = [
  /\.prepare\(/,
  /\.exec\(\s*['"`]/,
  /\b(selectFrom|insertInto|replaceInto|updateTable|deleteFrom)\(/,
  /\bsql`/,
  /\.sqlite(\.\w+\(|,|\))/,
];

describe('the catalog layer', () => {
  it('holds every SQL statement of main/', () => {
    const offenders: string[] = [];
    for (const file of sourcesUnder('main')) {
      if (file.startsWith('main/catalog/')) continue;
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, index) => {
        if (SQL_PATTERNS.some((pattern) => pattern.test(line))) offenders.push(`${file}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('imports nothing of the sync, Plex, the faces or the IPC contract', () => {
    const upward = /from '(\.\.\/(sync|plex|app|cli|ipc|usecases|electron)\/|\.\.\/\.\.\/shared\/ipc\.js)/;
    const offenders: string[] = [];
    for (const file of sourcesUnder('main/catalog')) {
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, index) => {
        if (upward.test(line)) offenders.push(`${file}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});
