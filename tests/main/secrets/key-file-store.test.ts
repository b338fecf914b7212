import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_FILE_NAME, openKeyFileSecretStore } from '../../../main/secrets/key-file-store.js';
import { SecretStoreError } from '../../../main/secrets/secret-store.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length > 0) rmSync(dirs.pop() ?? '', { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-secrets-'));
  dirs.push(dir);
  return dir;
}

const posix = process.platform !== 'win32';
const TOKEN = 'xYz-PlexToken-123456';

function errorOf(fn: () => unknown): SecretStoreError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SecretStoreError) return error;
    throw error;
  }
  throw new Error('expected a SecretStoreError');
}

describe('KeyFileSecretStore', () => {
  it('round-trips, with a fresh IV each time and a versioned text format', () => {
    const store = openKeyFileSecretStore(join(scratch(), 'config'));
    expect(store.kind).toBe('key-file');
    const a = store.encrypt(TOKEN);
    const b = store.encrypt(TOKEN);
    expect(a).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(TOKEN);
    expect(store.decrypt(a)).toBe(TOKEN);
    expect(store.decrypt(b)).toBe(TOKEN);
    expect(store.decrypt(store.encrypt(''))).toBe('');
    expect(store.decrypt(store.encrypt('ünïcødé ✓'))).toBe('ünïcødé ✓');
  });

  it.runIf(posix)('creates the key file 0600 in a 0700 directory, leaving no temporary file', () => {
    const dir = join(scratch(), 'config', 'marquee');
    openKeyFileSecretStore(dir);
    expect(statSync(join(dir, KEY_FILE_NAME)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual([KEY_FILE_NAME]);
  });

  it('rejects a tampered ciphertext with SECRET_UNREADABLE', () => {
    const store = openKeyFileSecretStore(scratch());
    const [version, iv, tag, data] = store.encrypt(TOKEN).split(':') as [string, string, string, string];
    const bytes = Buffer.from(data, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    const tampered = [version, iv, tag, bytes.toString('base64')].join(':');
    const error = errorOf(() => store.decrypt(tampered));
    expect(error.code).toBe('SECRET_UNREADABLE');
    expect(error.message).toMatch(/token again/i);
    for (const garbage of ['', 'plain-token', 'v2:a:b:c', 'v1:!!:??:**', `v1:${iv}:${tag}`]) {
      expect(errorOf(() => store.decrypt(garbage)).code).toBe('SECRET_UNREADABLE');
    }
  });

  it('a second store on the same directory decrypts; another directory cannot', () => {
    const dir = scratch();
    const ciphertext = openKeyFileSecretStore(dir).encrypt(TOKEN);
    expect(openKeyFileSecretStore(dir).decrypt(ciphertext)).toBe(TOKEN);
    const other = openKeyFileSecretStore(scratch());
    expect(errorOf(() => other.decrypt(ciphertext)).code).toBe('SECRET_UNREADABLE');
  });

  it('a replaced key file makes old ciphertexts unreadable', () => {
    const dir = scratch();
    const ciphertext = openKeyFileSecretStore(dir).encrypt(TOKEN);
    rmSync(join(dir, KEY_FILE_NAME));
    const replaced = openKeyFileSecretStore(dir);
    const error = errorOf(() => replaced.decrypt(ciphertext));
    expect(error.code).toBe('SECRET_UNREADABLE');
    expect(error.message).toContain(KEY_FILE_NAME);
  });

  it.runIf(posix)('refuses a key file readable by others, or fixes it when a warning callback is given', () => {
    const dir = scratch();
    const ciphertext = openKeyFileSecretStore(dir).encrypt(TOKEN);
    const keyFile = join(dir, KEY_FILE_NAME);
    chmodSync(keyFile, 0o644);
    expect(errorOf(() => openKeyFileSecretStore(dir)).code).toBe('SECRET_KEY_INSECURE');
    expect(statSync(keyFile).mode & 0o777).toBe(0o644);

    const warnings: string[] = [];
    const store = openKeyFileSecretStore(dir, { onInsecureKeyFile: (message) => warnings.push(message) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/0644/);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(store.decrypt(ciphertext)).toBe(TOKEN);
  });

  it('refuses a key file that holds no key', () => {
    const dir = scratch();
    writeFileSync(join(dir, KEY_FILE_NAME), 'not a key\n', { mode: 0o600 });
    expect(errorOf(() => openKeyFileSecretStore(dir)).code).toBe('SECRET_KEY_INVALID');
    expect(readFileSync(join(dir, KEY_FILE_NAME), 'utf8')).toBe('not a key\n');
  });

  it('keeps an existing key rather than overwriting it', () => {
    const dir = scratch();
    openKeyFileSecretStore(dir);
    const before = readFileSync(join(dir, KEY_FILE_NAME), 'utf8');
    openKeyFileSecretStore(dir);
    expect(readFileSync(join(dir, KEY_FILE_NAME), 'utf8')).toBe(before);
    expect(Buffer.from(before.trim(), 'base64')).toHaveLength(32);
    expect(existsSync(join(dir, KEY_FILE_NAME))).toBe(true);
  });
});
