// Posters and backgrounds for the page, fetched by the main process only: the item's server and rating key come
// from the catalog, the image from Plex's photo transcoder with the server's token (which never leaves this
// process), at one of a few bucket sizes. Images are cached on disk (content-addressed files, an index in the
// catalog), evicted least-recently-shown first under a size cap, and when their item changes or goes.
//
// get() never throws: anything that goes wrong answers null and the page shows its placeholder. A 401 puts an
// account's server in the "sign in again" state, as a sync does; its images are not asked for until then.
import { existsSync } from 'node:fs';
import type { ArtworkRequest } from '../../shared/artwork.js';
import { markNeedsSignIn, requireAccountServer } from '../catalog/accounts.js';
import {
  type ArtworkCacheEntry,
  type ArtworkCacheKey,
  artworkCacheBytes,
  artworkHashes,
  artworkItem,
  type ArtworkItem,
  deleteArtwork,
  deleteStaleArtwork,
  evictArtworkOverCap,
  findArtwork,
  putArtwork,
  touchArtwork,
} from '../catalog/artwork.js';
import type { Catalog } from '../catalog/database.js';
import { getServer, serverToken } from '../catalog/servers.js';
import { getNumericSetting } from '../catalog/settings.js';
import type { PlexClient, PlexClientOptions } from '../plex/client.js';
import { PlexNotFoundError, PlexUnauthorizedError } from '../plex/errors.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { connectToServer } from '../sync/plex-connection.js';
import { ArtworkFileStore, hashOf } from './file-store.js';
import { ConcurrencyLimiter } from './limiter.js';
import { bucketSize } from './sizes.js';
import { artworkSourceId, plexImagePath } from './source.js';

export interface ArtworkImage {
  bytes: Buffer;
  contentType: string;
}

/** Transcodes running at once on one Plex server; the rest wait their turn. */
export const MAX_REQUESTS_PER_SERVER = 6;

export interface ArtworkServiceDeps {
  catalog: Catalog;
  secrets: SecretStore;
  /** Where the image files live (the app's data folder + `artwork`). */
  cacheDir: string;
  /** Tests shorten Plex timeouts through this. */
  clientOptions?: Partial<PlexClientOptions>;
  /** Milliseconds since the epoch. */
  clock?: () => number;
  /** Why an image could not be had (token-free: PlexErrors never carry it). */
  log?: (message: string) => void;
  /** The size cap in bytes; default the catalog's `artworkCacheMb` setting, read at each check. */
  capBytes?: () => number;
  maxRequestsPerServer?: number;
}

interface ServerClient {
  /** URL and token ciphertext the client was built with: either changing builds a new one. */
  fingerprint: string;
  client: PlexClient;
}

/** How many images failing with 404 are remembered (so scrolling back does not ask again). */
const MISSING_MEMORY = 5000;

export class ArtworkService {
  private readonly files: ArtworkFileStore;
  private readonly limiters = new Map<number, ConcurrencyLimiter>();
  private readonly clients = new Map<number, ServerClient>();
  private readonly inFlight = new Map<string, Promise<ArtworkImage | null>>();
  /** Hashes written to disk whose index row is not committed yet: a sweep must not take their files. */
  private readonly pending = new Set<string>();
  private readonly missing = new Set<string>();
  /** Bytes the index accounts for, read once and kept up to date by puts; eviction re-reads it. */
  private knownBytes: number | null = null;
  private readonly clock: () => number;
  private readonly log: (message: string) => void;
  private readonly maxPerServer: number;

  constructor(private readonly deps: ArtworkServiceDeps) {
    this.files = new ArtworkFileStore(deps.cacheDir);
    this.clock = deps.clock ?? Date.now;
    this.log = deps.log ?? (() => {});
    this.maxPerServer = deps.maxRequestsPerServer ?? MAX_REQUESTS_PER_SERVER;
  }

  /** The image, from the cache or from Plex; null when there is none or it cannot be had now. Never throws. */
  async get(request: ArtworkRequest): Promise<ArtworkImage | null> {
    try {
      return await this.resolve(request);
    } catch (error) {
      this.log(`Artwork for item ${request.itemId} could not be read: ${messageOf(error)}`);
      return null;
    }
  }

  /**
   * Housekeeping: drops entries of items that changed, files no entry refers to (items removed, crashes), and
   * least recently shown images over the cap. The app runs it at start; safe to run at any time.
   */
  async sweep(): Promise<void> {
    await this.removeFiles(deleteStaleArtwork(this.deps.catalog));
    const { hashes, temporaries } = await this.files.list();
    const pendingBefore = new Set(this.pending);
    const indexed = artworkHashes(this.deps.catalog);
    const unreferenced = hashes.filter((hash) => !indexed.has(hash) && !pendingBefore.has(hash) && !this.pending.has(hash));
    await this.removeFiles(unreferenced);
    const ownMarker = `.${process.pid}.`;
    await Promise.all(temporaries.filter((path) => !path.includes(ownMarker)).map((path) => this.files.removePath(path)));
    this.knownBytes = null;
    await this.enforceCap();
  }

  /** Whether the cache folder exists (an app that never showed an image has nothing to tidy). */
  hasFiles(): boolean {
    return existsSync(this.deps.cacheDir);
  }

  /** Closes the keep-alive connections to the servers. */
  close(): void {
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
  }

  private async resolve(request: ArtworkRequest): Promise<ArtworkImage | null> {
    const { catalog } = this.deps;
    const item = artworkItem(catalog, request.itemId);
    if (item === null) return null;
    const sourceId = artworkSourceId(item, request.role);
    const source = sourceId === item.id ? item : (artworkItem(catalog, sourceId) ?? item);
    const key: ArtworkCacheKey = { itemId: source.id, role: request.role, ...bucketSize(request.role, request.width, request.height) };
    const cached = await this.fromCache(key, source.stamp);
    if (cached !== null) return cached;
    const flightKey = `${key.itemId}/${key.role}/${key.width}x${key.height}@${source.stamp}`;
    if (this.missing.has(flightKey)) return null;
    let flight = this.inFlight.get(flightKey);
    if (flight === undefined) {
      flight = this.fetchAndStore(source, key, flightKey).finally(() => this.inFlight.delete(flightKey));
      this.inFlight.set(flightKey, flight);
    }
    return flight;
  }

  /** The cached image when its entry is of the item's current state and its file is there; stale entries go. */
  private async fromCache(key: ArtworkCacheKey, stamp: string): Promise<ArtworkImage | null> {
    const { catalog } = this.deps;
    const entry = findArtwork(catalog, key);
    if (entry === null) return null;
    if (entry.itemStamp === stamp) {
      const bytes = await this.files.read(entry.hash);
      if (bytes !== null) {
        touchArtwork(catalog, key, this.nowSeconds());
        return { bytes, contentType: entry.contentType };
      }
    }
    // The item changed since, or the file went: forget the entry (and its file when nothing else uses it).
    const orphan = deleteArtwork(catalog, key);
    this.knownBytes = null;
    if (orphan !== null) await this.files.remove(orphan);
    return null;
  }

  private async fetchAndStore(source: ArtworkItem, key: ArtworkCacheKey, flightKey: string): Promise<ArtworkImage | null> {
    const client = this.clientFor(source.serverId);
    if (client === null) return null;
    let image;
    try {
      image = await this.limiterFor(source.serverId).run(() =>
        client.photo(plexImagePath(source.ratingKey, key.role), { width: key.width, height: key.height }),
      );
    } catch (error) {
      this.noteFailure(source, flightKey, error);
      return null;
    }
    await this.store(key, source.stamp, image);
    return image;
  }

  private async store(key: ArtworkCacheKey, stamp: string, image: ArtworkImage): Promise<void> {
    const hash = hashOf(image.bytes);
    this.pending.add(hash);
    try {
      await this.files.write(hash, image.bytes);
      const entry: ArtworkCacheEntry = {
        ...key,
        itemStamp: stamp,
        hash,
        bytes: image.bytes.length,
        contentType: image.contentType,
        lastUsedAt: this.nowSeconds(),
      };
      const { stored, orphaned } = putArtwork(this.deps.catalog, entry);
      if (orphaned !== null) await this.files.remove(orphaned);
      if (!stored) return;
      if (this.knownBytes !== null) this.knownBytes += entry.bytes;
    } finally {
      this.pending.delete(hash);
    }
    await this.enforceCap();
  }

  private async enforceCap(): Promise<void> {
    const cap = this.capBytes();
    this.knownBytes ??= artworkCacheBytes(this.deps.catalog);
    if (this.knownBytes <= cap) return;
    const freed = evictArtworkOverCap(this.deps.catalog, cap);
    this.knownBytes = artworkCacheBytes(this.deps.catalog);
    await this.removeFiles(freed);
  }

  private capBytes(): number {
    return this.deps.capBytes?.() ?? getNumericSetting(this.deps.catalog, 'artworkCacheMb') * 1024 * 1024;
  }

  private async removeFiles(hashes: readonly string[]): Promise<void> {
    // A hash being written again right now keeps its file: its new entry is about to refer to it.
    await Promise.all(hashes.filter((hash) => !this.pending.has(hash)).map((hash) => this.files.remove(hash)));
  }

  private noteFailure(source: ArtworkItem, flightKey: string, error: unknown): void {
    if (error instanceof PlexNotFoundError) {
      if (this.missing.size >= MISSING_MEMORY) this.missing.clear();
      this.missing.add(flightKey);
      return;
    }
    if (error instanceof PlexUnauthorizedError) {
      const account = requireAccountServer(this.deps.catalog, source.serverId);
      // Servers of an account go to "sign in again", as a sync puts them; a server added by token stays as it is.
      if (account.accountId !== null) markNeedsSignIn(this.deps.catalog, source.serverId);
    }
    this.log(`Artwork for item ${source.id} could not be fetched: ${messageOf(error)}`);
  }

  /** The server's client, or null when its images cannot be asked for (gone, waiting for a new sign-in, no token). */
  private clientFor(serverId: number): PlexClient | null {
    const { catalog, secrets } = this.deps;
    const server = getServer(catalog, serverId);
    if (server === null || requireAccountServer(catalog, serverId).needsSignIn) return null;
    let fingerprint: string;
    try {
      // A new address or a new token (signed in again) makes a new client; the map keeps a hash, not the token.
      fingerprint = `${server.url}\n${hashOf(Buffer.from(serverToken(catalog, secrets, serverId), 'utf8'))}`;
    } catch (error) {
      this.log(`Artwork of server "${server.name}" cannot be fetched: ${messageOf(error)}`);
      return null;
    }
    const known = this.clients.get(serverId);
    if (known !== undefined && known.fingerprint === fingerprint) return known.client;
    known?.client.close();
    const client = connectToServer(this.deps, server);
    this.clients.set(serverId, { fingerprint, client });
    return client;
  }

  private limiterFor(serverId: number): ConcurrencyLimiter {
    let limiter = this.limiters.get(serverId);
    if (limiter === undefined) {
      limiter = new ConcurrencyLimiter(this.maxPerServer);
      this.limiters.set(serverId, limiter);
    }
    return limiter;
  }

  private nowSeconds(): number {
    return Math.floor(this.clock() / 1000);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
