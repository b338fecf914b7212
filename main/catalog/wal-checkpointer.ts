// Checkpoints the catalog's WAL on a thread of its own while a long run of page transactions writes it.
// Copying the WAL back into the database file is a fifth of what a full sync's commits cost on the sync's
// thread (bench: commits 0.55 s of a 146,000-item import, 0.15–0.3 s of it checkpoints); here it runs beside
// the sync instead, on a core that mostly waits for Plex.
//
// A PASSIVE checkpoint never blocks the writer and is safe from any connection: SQLite copies only committed
// frames no reader still needs. A checkpoint that finds SQLite busy is simply tried again at the next tick.
//
// The thread is a small eval'd script that loads the very better-sqlite3 the catalog uses (resolved here), so
// the CLI's bundle, Electron's and tsx need no script file of their own. If it cannot start or dies, the
// catalog's own connection checkpoints again as before (onFailure): the WAL never grows unchecked.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { isInMemoryCatalog } from './catalog-file.js';

export interface WalCheckpointer {
  /** Checkpoints once more and closes; resolves once the thread ended (the sync then leaves nothing running). */
  stop(): Promise<void>;
}

/** Plain CommonJS: it runs as an eval'd worker, outside every bundle. */
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the next tick tries again */ }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/** Often enough that the WAL stays a few pages of a sync long (a 1,000-item page writes about 0.7 MB). */
export const CHECKPOINT_INTERVAL_MS = 250;

/** Starts the thread for a catalog file; undefined when there is no file to share (in-memory catalogs). */
export function startWalCheckpointer(file: string, onFailure: (error: Error) => void): WalCheckpointer | undefined {
  if (isInMemoryCatalog(file)) return undefined;
  let worker: Worker;
  try {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    worker = new Worker(CHECKPOINTER_SOURCE, { eval: true, workerData: { driver, file, intervalMs: CHECKPOINT_INTERVAL_MS } });
  } catch (error) {
    onFailure(error instanceof Error ? error : new Error(String(error)));
    return undefined;
  }
  let stopped = false;
  worker.once('error', (error) => {
    if (!stopped) onFailure(error);
  });
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', (code) => {
      if (!stopped) onFailure(new Error(`the checkpoint thread stopped (exit code ${code})`));
      resolve();
    });
  });
  // Never keeps a process alive on its own (a sync that throws past its cleanup must not hang the CLI).
  worker.unref();
  return {
    stop() {
      if (!stopped) {
        stopped = true;
        // Whoever waits for the end must be kept alive until it comes (an unref'd thread's exit would not).
        worker.ref();
        worker.postMessage('stop');
      }
      return exited;
    },
  };
}
