// The per-item decision of a page write, apart from SQL: existing catalog rows + incoming items → actions.
// The catalog looks the rows up and applies the actions in one transaction (catalog/item-writer.ts).
import { REPEATED, type CatalogItemInput, type ExistingItem, type PageAction } from '../catalog/item-input.js';
import { isCurrentFingerprint, legacyFingerprintOf } from './fingerprint.js';

export function planPage<I extends CatalogItemInput>(
  items: readonly I[],
  existing: readonly (ExistingItem | typeof REPEATED | undefined)[],
  libraryId: number,
): PageAction<I>[] {
  // A listing that repeats an item (Plex paging over a moving list) must not write it twice.
  return items.map((item, index) => {
    const row = existing[index];
    return row === REPEATED ? { type: 'repeat', item } : planItem(item, row, libraryId);
  });
}

function planItem<I extends CatalogItemInput>(item: I, row: ExistingItem | undefined, libraryId: number): PageAction<I> {
  if (row === undefined) return { type: 'insert', item };
  // Moved to another library counts as a change even with the same fields.
  if (row.libraryId === libraryId) {
    if (row.fingerprint === item.fingerprint) return { type: 'keep', item, id: row.id };
    // Stored before the current fingerprint (fingerprint.ts): unchanged if the old kind of hash agrees, and then
    // only the fingerprint is rewritten, once. Not asked for the current kind; a stub's 'stub' never agrees.
    if (!isCurrentFingerprint(row.fingerprint) && row.fingerprint === legacyFingerprintOf(item))
      return { type: 'keep', item, id: row.id, restampFrom: row.fingerprint };
  }
  // Plex reused a rating key for an item of another kind: the old item and what hangs off it go.
  if (row.kind !== item.kind) return { type: 'replace', item, id: row.id };
  return { type: 'update', item, id: row.id };
}
