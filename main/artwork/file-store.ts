// The cache's files: content-addressed (named by the SHA-256 of their bytes, in 256 subfolders), written to a
// temporary name and renamed, so a reader never sees half an image and a crash leaves only a temp file that
// the next sweep removes.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const HASH_PATTERN = /^[0-9a-f]{64}$/;

export function hashOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class ArtworkFileStore {
  constructor(readonly dir: string) {}

  pathOf(hash: string): string {
    if (!HASH_PATTERN.test(hash)) throw new TypeError(`Not a SHA-256 hex digest: ${JSON.stringify(hash)}`);
    return join(this.dir, hash.slice(0, 2), hash);
  }

  /** The file's bytes, or null when it is gone (evicted meanwhile, deleted by hand). */
  async read(hash: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(hash));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async write(hash: string, bytes: Uint8Array): Promise<void> {
    const path = this.pathOf(hash);
    await mkdir(join(this.dir, hash.slice(0, 2)), { recursive: true });
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  }

  async remove(hash: string): Promise<void> {
    await rm(this.pathOf(hash), { force: true });
  }

  /** Removes a leftover temporary file found by list(). */
  async removePath(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  /** Every file name in the store that is a hash, and every leftover temporary file, by path. */
  async list(): Promise<{ hashes: string[]; temporaries: string[] }> {
    const hashes: string[] = [];
    const temporaries: string[] = [];
    let folders: string[];
    try {
      folders = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { hashes, temporaries };
      throw error;
    }
    for (const folder of folders.filter((name) => /^[0-9a-f]{2}$/.test(name))) {
      for (const name of await readdir(join(this.dir, folder)).catch(() => [] as string[])) {
        if (HASH_PATTERN.test(name)) hashes.push(name);
        else if (name.endsWith('.tmp')) temporaries.push(join(this.dir, folder, name));
      }
    }
    return { hashes, temporaries };
  }
}
