// Duplicates across libraries and servers (issue 10): the same film in Movies and 4K Movies, or on two servers.
// Items are grouped, never merged: two items of the same kind are in one group when they share an IMDb, TMDb or
// TVDB id, directly or through a chain of items (A and B share an IMDb id, B and C a TMDb id: one group).
//
// Computed when asked rather than stored: a stored group id would need a pass over every external id after
// each sync, live batch and removal (and an index on external ids, which the schema leaves out because it
// tripled what a full sync writes). Asked for one item (Browse's details), the group costs a scan of
// external_ids per link of the chain (milliseconds at 300,000 rows); the export builds every group once, in
// memory, before its first row.
//
// The group id is stable and readable: `kind:provider:value` of the group's first id in the order imdb, tmdb,
// tvdb, then by value (`movie:imdb:tt0111161`). It stays the same when items join or leave the group as long as
// that id is still in it, and two catalogs give the same film the same group id. An item without any of those
// ids is a group of its own: `item:<catalog id>` (the catalog id survives Plex re-keys).
import { sql } from 'kysely';
import type { ItemKind } from '../../shared/domain.js';
import { type Catalog, queryAll, queryIterate } from './database.js';

/** The providers that identify a title across servers, in the order a group id prefers them. */
export const GROUP_PROVIDERS = ['imdb', 'tmdb', 'tvdb'] as const;
type GroupProvider = (typeof GROUP_PROVIDERS)[number];

/** A chain longer than this is cut (bad metadata could otherwise pull a whole catalog into one group). */
const MAX_GROUP_ROUNDS = 8;

interface IdKey {
  provider: GroupProvider;
  value: string;
}

function keyText(kind: string, key: IdKey): string {
  return `${kind}:${key.provider}:${key.value}`;
}

/** Orders ids as a group id prefers them: provider order first, then value. */
function compareKeys(a: IdKey, b: IdKey): number {
  const byProvider = GROUP_PROVIDERS.indexOf(a.provider) - GROUP_PROVIDERS.indexOf(b.provider);
  if (byProvider !== 0) return byProvider;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

export function soloGroupId(itemId: number): string {
  return `item:${itemId}`;
}

export interface DuplicateGroup {
  groupId: string;
  /** Every item of the group, the asked one included, in catalog id order. */
  itemIds: number[];
}

/** The group of one item (itself alone when it shares no id); null when there is no such item. */
export function duplicateGroupOf(catalog: Catalog, itemId: number): DuplicateGroup | null {
  const { db } = catalog;
  const item = queryAll(catalog, db.selectFrom('items').select('kind').where('id', '=', itemId))[0];
  if (item === undefined) return null;
  const members = new Set<number>([itemId]);
  const keys = new Map<string, IdKey>();
  let frontier = [itemId];
  for (let round = 0; round < MAX_GROUP_ROUNDS && frontier.length > 0; round++) {
    const fresh = idsOf(catalog, frontier).filter((key) => !keys.has(keyText(item.kind, key)));
    for (const key of fresh) keys.set(keyText(item.kind, key), key);
    if (fresh.length === 0) break;
    frontier = itemsWithIds(catalog, fresh, item.kind).filter((id) => !members.has(id));
    for (const id of frontier) members.add(id);
  }
  const best = [...keys.values()].sort(compareKeys)[0];
  return {
    groupId: best === undefined ? soloGroupId(itemId) : keyText(item.kind, best),
    itemIds: [...members].sort((a, b) => a - b),
  };
}

function idsOf(catalog: Catalog, itemIds: readonly number[]): IdKey[] {
  const rows = queryAll(
    catalog,
    catalog.db
      .selectFrom('external_ids')
      .select(['provider', 'value'])
      .where('item_id', 'in', itemIds)
      .where('provider', 'in', [...GROUP_PROVIDERS]),
  );
  return rows.map((row) => ({ provider: row.provider as GroupProvider, value: row.value }));
}

/** Items of this kind carrying any of these ids. external_ids has no index on values: one scan of it. */
function itemsWithIds(catalog: Catalog, keys: readonly IdKey[], kind: ItemKind): number[] {
  const pairs = sql.join(keys.map((key) => sql`(${key.provider}, ${key.value})`));
  const ids = queryAll(
    catalog,
    catalog.db
      .selectFrom('external_ids')
      .select('item_id')
      .distinct()
      .where(sql<boolean>`(provider, value) IN (VALUES ${pairs})`),
  ).map((row) => row.item_id);
  if (ids.length === 0) return [];
  return queryAll(catalog, catalog.db.selectFrom('items').select('id').where('id', 'in', ids).where('kind', '=', kind)).map(
    (row) => row.id,
  );
}

/**
 * Every item's group id, for the export: one pass over the external ids (a union-find over items sharing one),
 * held in memory (about 100 bytes per item). Items missing from the map are groups of their own.
 */
export function allGroupIds(catalog: Catalog): Map<number, string> {
  const parent = new Map<number, number>();
  const find = (id: number): number => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    // Path compression: later finds are one step.
    let node = id;
    while (node !== root) {
      const next = parent.get(node) ?? root;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  const firstHolder = new Map<string, number>();
  const bestOfItem = new Map<number, { text: string; key: IdKey }>();
  const rows = queryIterate(
    catalog,
    catalog.db
      .selectFrom('external_ids as x')
      .innerJoin('items as i', 'i.id', 'x.item_id')
      .select(['x.item_id', 'i.kind', 'x.provider', 'x.value'])
      .where('x.provider', 'in', [...GROUP_PROVIDERS]),
  );
  for (const row of rows) {
    const key: IdKey = { provider: row.provider as GroupProvider, value: row.value };
    const text = keyText(row.kind, key);
    if (!parent.has(row.item_id)) parent.set(row.item_id, row.item_id);
    const best = bestOfItem.get(row.item_id);
    if (best === undefined || compareKeys(key, best.key) < 0) bestOfItem.set(row.item_id, { text, key });
    const holder = firstHolder.get(text);
    if (holder === undefined) {
      firstHolder.set(text, row.item_id);
      continue;
    }
    const a = find(holder);
    const b = find(row.item_id);
    if (a !== b) parent.set(b, a);
  }
  // The group's id: the best id of any of its members.
  const bestOfRoot = new Map<number, { text: string; key: IdKey }>();
  for (const [itemId, best] of bestOfItem) {
    const root = find(itemId);
    const current = bestOfRoot.get(root);
    if (current === undefined || compareKeys(best.key, current.key) < 0) bestOfRoot.set(root, best);
  }
  const groups = new Map<number, string>();
  for (const itemId of bestOfItem.keys()) {
    const best = bestOfRoot.get(find(itemId));
    if (best !== undefined) groups.set(itemId, best.text);
  }
  return groups;
}
