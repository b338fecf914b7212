// Turns a decoded Plex item into the record the catalog stores. Pure: no HTTP, no SQL.
import { hash } from 'node:crypto';
import type { ExternalIds, ItemKind } from '../../shared/domain.js';
import { externalIdsFor } from '../../shared/guid.js';
import type { PlexItem } from '../plex/model.js';

export interface CatalogFileInput {
  mediaIndex: number;
  partIndex: number;
  plexPath: string;
  size: number | null;
  durationMs: number | null;
  container: string | null;
}

export interface CatalogItemInput {
  kind: ItemKind;
  ratingKey: string;
  guid: string | null;
  title: string;
  year: number | null;
  addedAt: number | null;
  updatedAt: number | null;
  externalIds: ExternalIds;
  originallyAvailableAt: string | null;
  durationMs: number | null;
  /** Shows. */
  leafCount: number | null;
  childCount: number | null;
  /** Seasons and episodes: their show. Episodes: their season (absent for hidden seasons). */
  showRatingKey: string | null;
  showTitle: string | null;
  seasonRatingKey: string | null;
  seasonTitle: string | null;
  seasonNumber: number | null;
  episodeNumber: number | null;
  files: CatalogFileInput[];
  /** Hash of every stored field: equal fingerprints mean nothing to write. */
  fingerprint: string;
}

const KINDS: ReadonlySet<string> = new Set<ItemKind>(['movie', 'show', 'season', 'episode']);

export function isCatalogKind(type: string): type is ItemKind {
  return KINDS.has(type);
}

/** The catalog record for a Plex item, or null for types the catalog does not keep (tracks, photos…). */
export function toCatalogItem(item: PlexItem): CatalogItemInput | null {
  if (!isCatalogKind(item.type)) return null;
  const kind = item.type;
  const record: Omit<CatalogItemInput, 'fingerprint'> = {
    kind,
    ratingKey: item.ratingKey,
    guid: item.guid ?? null,
    title: item.title,
    year: item.year ?? null,
    addedAt: item.addedAt ?? null,
    updatedAt: item.updatedAt ?? null,
    externalIds: externalIdsFor(kind, item.guid, item.guids),
    originallyAvailableAt: item.originallyAvailableAt ?? null,
    durationMs: item.duration ?? null,
    leafCount: kind === 'show' ? (item.leafCount ?? null) : null,
    childCount: kind === 'show' ? (item.childCount ?? null) : null,
    showRatingKey: showKeyOf(item),
    showTitle: kind === 'season' ? (item.parentTitle ?? null) : kind === 'episode' ? (item.grandparentTitle ?? null) : null,
    seasonRatingKey: kind === 'episode' ? (item.parentRatingKey ?? null) : null,
    seasonTitle: kind === 'episode' ? (item.parentTitle ?? null) : null,
    seasonNumber: kind === 'season' ? (item.index ?? null) : kind === 'episode' ? (item.parentIndex ?? null) : null,
    episodeNumber: kind === 'episode' ? (item.index ?? null) : null,
    files: kind === 'movie' || kind === 'episode' ? filesOf(item) : [],
  };
  return { ...record, fingerprint: fingerprintOf(record) };
}

function showKeyOf(item: PlexItem): string | null {
  if (item.type === 'season') return item.parentRatingKey ?? null;
  if (item.type === 'episode') return item.grandparentRatingKey ?? null;
  return null;
}

function filesOf(item: PlexItem): CatalogFileInput[] {
  const files: CatalogFileInput[] = [];
  item.media.forEach((media, mediaIndex) => {
    media.parts.forEach((part, partIndex) => {
      if (part.file === undefined || part.file === '') return;
      files.push({
        mediaIndex,
        partIndex,
        plexPath: part.file,
        size: part.size ?? null,
        durationMs: part.duration ?? media.duration ?? null,
        container: part.container ?? media.container ?? null,
      });
    });
  });
  return files;
}

/** Values only, in a fixed order: shorter to serialise than the record with its keys. */
function fingerprintOf(record: Omit<CatalogItemInput, 'fingerprint'>): string {
  const files = record.files.map((f) => [f.mediaIndex, f.partIndex, f.plexPath, f.size, f.durationMs, f.container]);
  const ids = [record.externalIds.imdb, record.externalIds.tmdb, record.externalIds.tvdb, record.externalIds.plex];
  const values = [
    record.kind, record.ratingKey, record.guid, record.title, record.year, record.addedAt, record.updatedAt, ids,
    record.originallyAvailableAt, record.durationMs, record.leafCount, record.childCount, record.showRatingKey, record.showTitle,
    record.seasonRatingKey, record.seasonTitle, record.seasonNumber, record.episodeNumber, files,
  ];
  return hash('sha1', JSON.stringify(values), 'base64url');
}

/** The newest Plex timestamp of an item: the next incremental sync asks for changes after it. */
export function newestTimestamp(item: Pick<CatalogItemInput, 'addedAt' | 'updatedAt'>): number | null {
  if (item.addedAt === null) return item.updatedAt;
  if (item.updatedAt === null) return item.addedAt;
  return Math.max(item.addedAt, item.updatedAt);
}
