// Messages between the sync and its writer thread (page-writer-worker.ts). Plain data only: they cross a thread
// boundary by structured clone.
import type { PageChanges, WriteCounts } from '../catalog/item-writer.js';
import type { PackedPage } from './page-rows.js';

/** What the writer thread is started with. */
export interface PageWriterData {
  /** The catalog file, opened and migrated already by the sync's own connection. */
  catalogFile: string;
}

export type ToPageWriter =
  /** The pages that follow belong to this library (a new ItemWriter: its memory is one library sync's). */
  | { type: 'library'; serverId: number; libraryId: number }
  /** Write one page in one transaction; `now` stamps synced_at (the sync's clock, which tests may set). */
  | { type: 'page'; seq: number; page: PackedPage; room: PageChanges['room']; now: number }
  /** No more pages: checkpoint, close the connection and end the thread. */
  | { type: 'close' };

export type FromPageWriter =
  | { type: 'written'; seq: number; counts: WriteCounts; changes: Omit<PageChanges, 'room'> }
  /** The page was rolled back; `error` is the failure as plain text and its SQLite code when it had one. */
  | { type: 'failed'; seq: number; error: { name: string; message: string; code: string | null } };

export function isToPageWriter(message: unknown): message is ToPageWriter {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'library' || type === 'page' || type === 'close';
}
