// The sync's writer thread, seen from the sync: pages go to a worker thread with its own SQLite connection
// (page-writer-worker.ts), so that SQLite writes page n while this thread decodes page n+1 and the request for
// page n+2 is in flight. Each page is still one transaction there: a crash loses at most the page being
// written, never corrupts, and a failed page is rolled back whole.
//
// Pages are written in the order they are posted (one port, one thread, one message at a time). The sync keeps
// at most one page in flight (LibrarySync waits for page n before posting page n+1): a failure then stops
// the listing before anything after the failed page is written, as on a single thread.
import { Worker } from 'node:worker_threads';
import type { CatalogItemInput } from '../catalog/item-input.js';
import type { PageChanges, WriteCounts } from '../catalog/item-writer.js';
import { SyncError } from './errors.js';
import { packPage } from './page-rows.js';
import type { FromPageWriter, PageWriterData, ToPageWriter } from './page-writer-protocol.js';

/** Where the writer thread's code is: a built .js file, or a bootstrap that loads the TypeScript through tsx. */
export type PageWriterEntry = URL | string;

/** A page the writer thread could not write (rolled back there); the pages before it are committed. */
export class PageWriteError extends SyncError {
  /** The SQLite error code when there was one (SQLITE_BUSY, SQLITE_CONSTRAINT_…). */
  readonly sqliteCode: string | null;

  constructor(message: string, sqliteCode: string | null) {
    super('CATALOG_WRITE_FAILED', message);
    this.sqliteCode = sqliteCode;
  }
}

export interface WrittenPage {
  counts: WriteCounts;
  changes: Omit<PageChanges, 'room'>;
}

interface Pending {
  items: number;
  resolve: (page: WrittenPage) => void;
  reject: (error: Error) => void;
}

export class PageWriterThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextSeq = 0;
  /** Set once the thread died or was closed: later pages fail at once. */
  private ended: Error | undefined;
  private readonly exited: Promise<void>;

  constructor(entry: PageWriterEntry, catalogFile: string) {
    const data: PageWriterData = { catalogFile };
    this.worker = new Worker(entry, { workerData: data });
    this.worker.on('message', (message: FromPageWriter) => this.answered(message));
    this.worker.on('error', (error: Error) => this.end(new PageWriteError(`The catalog writer thread failed: ${error.message}`, null)));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        this.end(new PageWriteError(`The catalog writer thread stopped (exit code ${code})`, null));
        resolve();
      });
    });
  }

  /** The pages that follow belong to this library. */
  startLibrary(serverId: number, libraryId: number): void {
    this.post({ type: 'library', serverId, libraryId });
  }

  /** Writes one page on the writer thread; resolves once it is committed, rejects (PageWriteError) once rolled back. */
  write(items: CatalogItemInput[], room: PageChanges['room'], now: number): Promise<WrittenPage> {
    if (this.ended !== undefined) return Promise.reject(this.ended);
    const seq = this.nextSeq++;
    return new Promise<WrittenPage>((resolve, reject) => {
      this.pending.set(seq, { items: items.length, resolve, reject });
      // Posted as one flat array of values: a fraction of the cost of cloning the records (page-rows.ts).
      this.post({ type: 'page', seq, page: packPage(items), room, now });
    });
  }

  /** Lets the thread finish what it was given, checkpoint and close its connection; resolves once it ended. */
  async close(): Promise<void> {
    if (this.ended === undefined) this.post({ type: 'close' });
    await this.exited;
  }

  private post(message: ToPageWriter): void {
    this.worker.postMessage(message);
  }

  private answered(message: FromPageWriter): void {
    const page = this.pending.get(message.seq);
    if (page === undefined) return;
    this.pending.delete(message.seq);
    if (message.type === 'written') {
      page.resolve({ counts: message.counts, changes: message.changes });
      return;
    }
    const { error } = message;
    page.reject(
      new PageWriteError(
        `Writing a page of ${page.items} items to the catalog failed, and nothing of that page was kept: ${error.message}`,
        error.code,
      ),
    );
  }

  /** The thread is gone: every page still waiting fails (its transaction, if it had begun, was rolled back). */
  private end(reason: Error): void {
    this.ended ??= reason;
    for (const page of this.pending.values()) page.reject(this.ended);
    this.pending.clear();
  }
}
