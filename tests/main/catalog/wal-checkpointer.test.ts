// The WAL checkpoint thread of a full sync (wal-checkpointer.ts), on a real catalog file.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { beginBulkWrites, openCatalog } from '../../../main/catalog/database.js';
import { startWalCheckpointer } from '../../../main/catalog/wal-checkpointer.js';
import { createTestCatalog, type TestCatalog } from '../sync/fixtures.js';

let test: TestCatalog;

beforeEach(() => {
  test = createTestCatalog();
});

afterEach(() => test.cleanup());

/**
 * The WAL index (the -shm file, native byte order): mxFrame is the last committed frame (header, offset 16),
 * nBackfill how many frames a checkpoint has copied into the database file (checkpoint info, offset 96).
 */
function walIndex(file: string): { mxFrame: number; nBackfill: number } {
  const shm = readFileSync(`${file}-shm`);
  return { mxFrame: shm.readUInt32LE(16), nBackfill: shm.readUInt32LE(96) };
}

/** One transaction of about a megabyte. */
function writeMegabyte(test: TestCatalog, round: number): void {
  const { sqlite } = test.catalog;
  sqlite.exec('CREATE TABLE IF NOT EXISTS filler (round INTEGER, data BLOB)');
  sqlite.prepare('INSERT INTO filler VALUES (?, randomblob(1048576))').run(round);
}

describe('WAL checkpoints beside a full sync', () => {
  it("checkpoint on their thread while the catalog's own connection does not, and stop with the run", async () => {
    const { sqlite } = test.catalog;
    const before = sqlite.pragma('wal_autocheckpoint', { simple: true });
    const bulk = beginBulkWrites(test.catalog);
    bulk.offloadCheckpoints();
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    writeMegabyte(test, 1);
    const written = walIndex(test.file).mxFrame;
    expect(written).toBeGreaterThan(200);
    // Nothing on this thread checkpoints: only the checkpoint thread can copy those frames.
    await vi.waitFor(() => expect(walIndex(test.file).nBackfill).toBe(written), { timeout: 10_000, interval: 20 });
    await bulk.end();
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(before);
  });

  it('leaves checkpoints to the connection when there is no file to share', async () => {
    const memory = openCatalog(':memory:');
    try {
      const bulk = beginBulkWrites(memory);
      bulk.offloadCheckpoints();
      expect(memory.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
      await bulk.end();
    } finally {
      memory.close();
    }
  });

  it('reports a thread that cannot work, so that the connection checkpoints again', async () => {
    const failure = new Promise<Error>((resolve) => startWalCheckpointer(`${test.dir}/missing/catalog.sqlite`, resolve));
    expect((await failure).message).toMatch(/unable to open|directory does not exist|SQLITE_CANTOPEN/i);
  });
});
