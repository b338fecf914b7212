import { describe, expect, it } from 'vitest';
import { AppError, errorCode, toIpcFailure } from '../../../main/app/errors.js';
import { AppEvents } from '../../../main/app/events.js';
import { chooseSecretStorage } from '../../../main/app/secret-storage-choice.js';
import { TokenTableSecretStore } from '../../../main/app/token-table-store.js';
import { AmbiguousLibraryError, CatalogNotFoundError, CatalogValidationError } from '../../../main/catalog/errors.js';
import { PlexHttpError, PlexTimeoutError, PlexUnauthorizedError } from '../../../main/plex/errors.js';
import { SecretStoreError } from '../../../main/secrets/secret-store.js';

describe('error mapping', () => {
  const context = { serverName: 'Home', url: 'http://home:32400/library/sections?X-Plex-Token=abcdef123' };

  it('maps engine errors to contract codes', () => {
    expect(errorCode(new CatalogNotFoundError('gone'))).toBe('NOT_FOUND');
    expect(errorCode(new CatalogValidationError('bad'))).toBe('INVALID_INPUT');
    expect(errorCode(new AmbiguousLibraryError('Movies', []))).toBe('INVALID_INPUT');
    expect(errorCode(new PlexUnauthorizedError({ ...context, status: 401, tokenSent: true }))).toBe('UNAUTHORIZED');
    expect(errorCode(new PlexTimeoutError({ ...context, timeoutMs: 1000 }))).toBe('UNREACHABLE');
    expect(errorCode(new PlexHttpError({ ...context, status: 500 }))).toBe('FAILED');
    expect(errorCode(new SecretStoreError('SECRET_UNREADABLE', 'enter it again'))).toBe('FAILED');
    expect(errorCode(new AppError('BUSY', 'busy'))).toBe('BUSY');
  });

  it('keeps user-facing messages and never a token', () => {
    const failure = toIpcFailure(new PlexUnauthorizedError({ ...context, status: 401, tokenSent: true }));
    expect(failure.message).toMatch(/^Plex server "Home" refused the token/);
    expect(failure.message).not.toContain('abcdef123');
    const raw = toIpcFailure(new Error('request to http://x/?X-Plex-Token=zzz999 failed'));
    expect(raw.message).not.toContain('zzz999');
    expect(raw.message).toMatch(/^Something went wrong in Marquee: /);
    expect(toIpcFailure(new Error('x'.repeat(10_000))).message.length).toBeLessThanOrEqual(2000);
  });
});

describe('secret storage choice', () => {
  it('uses safeStorage only when it really encrypts', () => {
    expect(chooseSecretStorage({ encryptionAvailable: true, linuxBackend: null }, '/k')).toEqual({ kind: 'safe-storage', warning: null });
    expect(chooseSecretStorage({ encryptionAvailable: true, linuxBackend: 'gnome_libsecret' }, '/k').kind).toBe('safe-storage');
    const basic = chooseSecretStorage({ encryptionAvailable: true, linuxBackend: 'basic_text' }, '/home/u/.config/marquee/marquee.key');
    expect(basic.kind).toBe('key-file');
    expect(basic.warning).toMatch(/keyring/);
    expect(basic.warning).toContain('/home/u/.config/marquee/marquee.key');
    expect(chooseSecretStorage({ encryptionAvailable: false, linuxBackend: null }, '/k').kind).toBe('key-file');
  });

  it('gives the worker only tokens, by ciphertext, and refuses to encrypt', () => {
    const store = new TokenTableSecretStore(new Map([['v1:abc', 'token-1']]));
    expect(store.decrypt('v1:abc')).toBe('token-1');
    expect(() => store.decrypt('v1:other')).toThrow(SecretStoreError);
    expect(() => store.encrypt()).toThrow(/cannot store tokens/);
  });
});

describe('app events', () => {
  it('delivers to named and catch-all listeners, survives a throwing one, and unsubscribes', () => {
    const problems: unknown[] = [];
    const events = new AppEvents((error) => problems.push(error));
    const named: unknown[] = [];
    const all: string[] = [];
    events.on('sync:finished', () => {
      throw new Error('listener bug');
    });
    const off = events.on('sync:finished', (payload) => named.push(payload.runId));
    events.onAny((name) => all.push(name));
    const report = { startedAt: 0, finishedAt: 0, libraries: [], serverErrors: [], ok: true };
    events.emit('sync:finished', { runId: 'r1', report, cancelled: false, error: null, errorCode: null });
    off();
    events.emit('sync:finished', { runId: 'r2', report, cancelled: false, error: null, errorCode: null });
    expect(named).toEqual(['r1']);
    expect(all).toEqual(['sync:finished', 'sync:finished']);
    expect(problems).toHaveLength(2);
  });
});
