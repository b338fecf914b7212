// A page of catalog items as one flat array of plain values, to post to the writer thread. Structured clone
// copies objects property by property (names included): a page of 1,000 episodes as records (some 25 objects
// each) took about five times longer to post than the same values in one flat array, and that time is the
// sync thread's. Pure: no SQL, no threads.
//
// Every field of CatalogItemInput is packed: the field lists (catalog/item-fields.ts) are checked by tsc.
import { DETAIL_FIELDS, FILE_FIELDS, ITEM_SCALAR_FIELDS, TAG_FIELDS, VERSION_FIELDS } from '../catalog/item-fields.js';
import type {
  CatalogFileInput,
  CatalogItemDetails,
  CatalogItemInput,
  CatalogTagInput,
  CatalogVersionInput,
} from '../catalog/item-input.js';

/** What one page of items becomes: values in the order of the field lists below. */
export type PackedPage = { count: number; values: unknown[] };

/** The item's scalars as packed: the catalog's list, then the fingerprint. */
const SCALARS = [...ITEM_SCALAR_FIELDS, 'fingerprint'] as const;

/** Absent optional parts (details, tags, versions) are marked apart from empty ones: the writer treats them apart. */
const ABSENT = -1;

export function packPage(items: readonly CatalogItemInput[]): PackedPage {
  const values: unknown[] = [];
  for (const item of items) {
    for (const field of SCALARS) values.push(item[field]);
    const ids = Object.entries(item.externalIds);
    values.push(ids.length);
    for (const [provider, value] of ids) values.push(provider, value);
    pushList(values, item.files, FILE_FIELDS);
    if (item.details === undefined) values.push(ABSENT);
    else {
      values.push(1);
      for (const field of DETAIL_FIELDS) values.push(item.details[field]);
    }
    pushList(values, item.tags, TAG_FIELDS);
    pushList(values, item.versions, VERSION_FIELDS);
  }
  return { count: items.length, values };
}

export function unpackPage(page: PackedPage): CatalogItemInput[] {
  const reader = { values: page.values, at: 0 };
  const items: CatalogItemInput[] = [];
  for (let index = 0; index < page.count; index++) {
    const item = readFields(reader, SCALARS) as unknown as CatalogItemInput;
    const idCount = next(reader) as number;
    const externalIds: Record<string, string> = {};
    for (let i = 0; i < idCount; i++) externalIds[next(reader) as string] = next(reader) as string;
    item.externalIds = externalIds;
    item.files = (readList(reader, FILE_FIELDS) ?? []) as unknown as CatalogFileInput[];
    if (next(reader) !== ABSENT) item.details = readFields(reader, DETAIL_FIELDS) as unknown as CatalogItemDetails;
    const tags = readList(reader, TAG_FIELDS) as unknown as CatalogTagInput[] | undefined;
    if (tags !== undefined) item.tags = tags;
    const versions = readList(reader, VERSION_FIELDS) as unknown as CatalogVersionInput[] | undefined;
    if (versions !== undefined) item.versions = versions;
    items.push(item);
  }
  return items;
}

function pushList<T>(values: unknown[], list: readonly T[] | undefined, fields: readonly (keyof T)[]): void {
  if (list === undefined) {
    values.push(ABSENT);
    return;
  }
  values.push(list.length);
  for (const entry of list) for (const field of fields) values.push(entry[field]);
}

interface Reader {
  values: unknown[];
  at: number;
}

function next(reader: Reader): unknown {
  return reader.values[reader.at++];
}

function readFields(reader: Reader, fields: readonly string[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const field of fields) object[field] = next(reader);
  return object;
}

/** The list, or undefined when it was absent (files are never absent: an empty list then). */
function readList(reader: Reader, fields: readonly string[]): Record<string, unknown>[] | undefined {
  const count = next(reader) as number;
  if (count === ABSENT) return undefined;
  const list: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) list.push(readFields(reader, fields));
  return list;
}
