// The writer thread's side: its own better-sqlite3 connection (handles never cross threads) and one ItemWriter
// per library, writing the pages the sync posts, in order, one transaction each, exactly as the sync's own
// thread would. Electron's bundle, the CLI's bundle and the tsx bootstraps of tests and the bench all just
// call startPageWriterWorker().
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { attachCatalog, beginBulkWrites } from '../catalog/database.js';
import { ItemWriter, type PageChanges } from '../catalog/item-writer.js';
import { mappingResolverFor } from '../catalog/mappings.js';
import { zeroKindCounts } from './report.js';
import { planPage } from './page-planner.js';
import { unpackPage } from './page-rows.js';
import { type FromPageWriter, isToPageWriter, type PageWriterData, type ToPageWriter } from './page-writer-protocol.js';

export function startPageWriterWorker(): void {
  const port = parentPort;
  if (isMainThread || port === null) throw new Error('startPageWriterWorker() must run inside a worker thread.');
  const data = workerData as PageWriterData;
  const catalog = attachCatalog(data.catalogFile);
  // Checkpoints are per connection: this one writes the bulk of a full sync, so it checkpoints like the sync's.
  // It writes only full passes: their WAL is checkpointed on a thread of its own.
  const bulkWrites = beginBulkWrites(catalog);
  bulkWrites.offloadCheckpoints();
  let writer: ItemWriter | undefined;
  /** The page being written stamps synced_at with the sync's clock, sent along with it. */
  let pageNow = 0;
  const post = (message: FromPageWriter): void => port.postMessage(message);

  const onMessage = (message: ToPageWriter): void => {
    if (message.type === 'close') {
      void bulkWrites.end().finally(() => {
        catalog.close();
        // Without a listener and with the port closed, the thread ends.
        port.close();
      });
      return;
    }
    if (message.type === 'library') {
      writer = new ItemWriter(catalog, {
        serverId: message.serverId,
        libraryId: message.libraryId,
        resolvePath: mappingResolverFor(catalog, message.serverId, message.libraryId),
        now: () => pageNow,
        planPage,
      });
      return;
    }
    const changes: PageChanges = { added: zeroKindCounts(), updated: zeroKindCounts(), room: message.room, named: [] };
    try {
      if (writer === undefined) throw new Error('a page came before its library');
      pageNow = message.now;
      const counts = writer.writePage(unpackPage(message.page), changes);
      post({
        type: 'written',
        seq: message.seq,
        counts,
        changes: { added: changes.added, updated: changes.updated, named: changes.named },
      });
    } catch (error) {
      // writePage rolled the page back: nothing of it is stored, nothing of it is remembered.
      const failure = error instanceof Error ? error : new Error(String(error));
      const code = (failure as { code?: unknown }).code;
      post({
        type: 'failed',
        seq: message.seq,
        error: { name: failure.name, message: failure.message, code: typeof code === 'string' ? code : null },
      });
    }
  };
  port.on('message', (message: unknown) => {
    if (isToPageWriter(message)) onMessage(message);
  });
}
