// Token encryption for the CLI: AES-256-GCM with a random key kept in `<dir>/marquee.key` (mode 0600).
// The key never leaves this computer; a catalog copied elsewhere keeps its tokens unreadable.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { type SecretStore, SecretStoreError, unreadableSecretError } from './secret-store.js';

export const KEY_FILE_NAME = 'marquee.key';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';
/** Binds ciphertexts to their purpose and format version. */
const ASSOCIATED_DATA = Buffer.from('marquee-token:v1', 'utf8');

export interface KeyFileStoreOptions {
  /**
   * Called when the key file can be read by other users: the store then tightens it to 0600 and carries on.
   * Without it, such a key file is refused (SecretStoreError 'SECRET_KEY_INSECURE').
   */
  onInsecureKeyFile?: (message: string) => void;
}

export class KeyFileSecretStore implements SecretStore {
  readonly kind = 'key-file';

  constructor(
    private readonly key: Buffer,
    /** Only for messages. */
    readonly keyFile: string,
  ) {
    if (key.length !== KEY_BYTES) throw new RangeError(`An AES-256 key has ${KEY_BYTES} bytes, not ${key.length}.`);
  }

  /** `v1:<iv>:<tag>:<data>`, each part base64. */
  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(ASSOCIATED_DATA);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString('base64'), tag.toString('base64'), data.toString('base64')].join(':');
  }

  decrypt(ciphertext: string): string {
    const parts = ciphertext.split(':');
    if (ciphertext.startsWith('ss1:')) {
      throw unreadableSecretError('it was saved by the desktop app with the system keychain, which only the app can read');
    }
    if (parts.length !== 4 || parts[0] !== VERSION) {
      throw unreadableSecretError(`it is not a ${VERSION} key-file ciphertext`);
    }
    const iv = fromBase64(parts[1] ?? '');
    const tag = fromBase64(parts[2] ?? '');
    const data = fromBase64(parts[3] ?? '');
    if (iv === null || tag === null || data === null || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw unreadableSecretError('it is malformed');
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(ASSOCIATED_DATA);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
    } catch (error) {
      throw unreadableSecretError(`it does not match the key in ${this.keyFile}`, error);
    }
  }
}

/** Opens the key file of `dir`, creating the directory (0700) and a new random key (0600) on first use. */
export function openKeyFileSecretStore(dir: string, options: KeyFileStoreOptions = {}): KeyFileSecretStore {
  ensurePrivateDir(dir);
  const keyFile = join(dir, KEY_FILE_NAME);
  let key = readKey(keyFile, options);
  if (key === null) {
    createKeyFile(keyFile);
    key = readKey(keyFile, options);
    if (key === null) throw new SecretStoreError('SECRET_KEY_INVALID', `The key file ${keyFile} vanished right after it was created.`);
  }
  return new KeyFileSecretStore(key, keyFile);
}

function ensurePrivateDir(dir: string): void {
  const created = mkdirSync(dir, { recursive: true, mode: 0o700 });
  // An existing directory is the user's choice (e.g. ~/.config itself); only ours is forced private.
  if (created !== undefined && process.platform !== 'win32') chmodSync(dir, 0o700);
}

/** The key, or null when there is no key file yet. */
function readKey(keyFile: string, options: KeyFileStoreOptions): Buffer | null {
  let text: string;
  try {
    checkPermissions(keyFile, options);
    text = readFileSync(keyFile, 'utf8');
  } catch (error) {
    if (isErrnoError(error, 'ENOENT')) return null;
    throw error;
  }
  const key = fromBase64(text.trim());
  if (key === null || key.length !== KEY_BYTES) {
    throw new SecretStoreError(
      'SECRET_KEY_INVALID',
      `The key file ${keyFile} does not hold a ${KEY_BYTES}-byte key. Restore it from a backup, or delete it ` +
        'and enter every server token again.',
    );
  }
  return key;
}

function checkPermissions(keyFile: string, options: KeyFileStoreOptions): void {
  // Windows has no POSIX modes; the file lives in the user's own profile there.
  if (process.platform === 'win32') return;
  const mode = statSync(keyFile).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  const octal = mode.toString(8).padStart(4, '0');
  if (options.onInsecureKeyFile === undefined) {
    throw new SecretStoreError(
      'SECRET_KEY_INSECURE',
      `The key file ${keyFile} can be read by other users (mode ${octal}). Run \`chmod 600 ${keyFile}\` and try again.`,
    );
  }
  chmodSync(keyFile, 0o600);
  options.onInsecureKeyFile(`The key file ${keyFile} could be read by other users (mode ${octal}); it is now 0600.`);
}

/**
 * Writes the key to a private temporary file, then hard-links it into place: the key file appears complete
 * or not at all, and if another process won the race its key is kept (link never overwrites).
 */
function createKeyFile(keyFile: string): void {
  const contents = `${randomBytes(KEY_BYTES).toString('base64')}\n`;
  const temporary = `${keyFile}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writePrivateFile(temporary, contents, 'wx');
  try {
    linkSync(temporary, keyFile);
  } catch (error) {
    if (isErrnoError(error, 'EEXIST')) return;
    // Some file systems (FAT, some network shares) have no hard links: fall back to an exclusive create.
    if (isErrnoError(error, 'EPERM') || isErrnoError(error, 'ENOTSUP') || isErrnoError(error, 'EXDEV')) {
      try {
        writePrivateFile(keyFile, contents, 'wx');
      } catch (fallbackError) {
        if (!isErrnoError(fallbackError, 'EEXIST')) throw fallbackError;
      }
      return;
    }
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function writePrivateFile(file: string, contents: string, flag: 'wx'): void {
  const fd = openSync(file, flag, 0o600);
  try {
    writeSync(fd, contents);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // The umask can only remove bits, but a filesystem may ignore the mode: make sure.
  if (process.platform !== 'win32') chmodSync(file, 0o600);
}

function fromBase64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  return Buffer.from(text, 'base64');
}

function isErrnoError(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
