// Errors crossing the sync worker boundary: plain data through structured clone, rebuilt as their layer's type.
import { describe, expect, it } from 'vitest';
import { AppError, knownErrorCode, rebuildError, serializeError, toIpcFailure } from '../../../main/app/errors.js';
import { CatalogBusyError, CatalogError } from '../../../main/catalog/errors.js';
import { PlexError, PlexNetworkError, PlexUnauthorizedError } from '../../../main/plex/errors.js';
import { SecretStoreError } from '../../../main/secrets/secret-store.js';
import { SyncError } from '../../../main/sync/errors.js';

function acrossTheWorker(error: unknown): Error {
  return rebuildError(structuredClone(serializeError(error)));
}

describe('errors across the worker boundary', () => {
  it('rebuilds a Plex error as a PlexError with its code, message and context', () => {
    const original = new PlexNetworkError({
      serverName: 'Den',
      url: 'http://den:32400/identity?X-Plex-Token=secret',
      reason: 'ECONNREFUSED',
    });
    const rebuilt = acrossTheWorker(original);
    expect(rebuilt).toBeInstanceOf(PlexError);
    expect(rebuilt).toMatchObject({ code: 'NETWORK', name: 'PlexNetworkError', message: original.message, serverName: 'Den' });
    expect((rebuilt as PlexError).url).not.toContain('secret');
    expect(toIpcFailure(rebuilt)).toEqual(toIpcFailure(original));
    expect(toIpcFailure(rebuilt)).toMatchObject({ code: 'UNREACHABLE', errorCode: 'PLEX_NETWORK' });
  });

  it('keeps a refused token a refused token', () => {
    const rebuilt = acrossTheWorker(
      new PlexUnauthorizedError({ serverName: 'Den', url: 'http://den:32400/library/sections', status: 401, tokenSent: true }),
    );
    expect(toIpcFailure(rebuilt)).toMatchObject({ code: 'UNAUTHORIZED', errorCode: 'PLEX_UNAUTHORIZED' });
    expect((rebuilt as PlexError).status).toBe(401);
  });

  it('rebuilds catalog, secret store, sync and app errors as their classes', () => {
    const cases: [Error, abstract new (...args: never[]) => Error][] = [
      [new CatalogBusyError('A sync of the CLI is running.'), CatalogError],
      [new SecretStoreError('SECRET_UNREADABLE', 'Enter the token again.'), SecretStoreError],
      [new SyncError('LIBRARY_NOT_FOUND', 'There is no library "Films" on this server.'), SyncError],
      [new AppError('WORKER_FAILED', 'The sync worker crashed.'), AppError],
    ];
    for (const [original, type] of cases) {
      const rebuilt = acrossTheWorker(original);
      expect(rebuilt).toBeInstanceOf(type);
      expect(knownErrorCode(rebuilt)).toBe(knownErrorCode(original));
      expect(rebuilt.message).toBe(original.message);
      expect(toIpcFailure(rebuilt).message).not.toMatch(/Something went wrong/);
    }
    expect(toIpcFailure(acrossTheWorker(new CatalogBusyError('busy'))).code).toBe('BUSY');
  });

  it('keeps an untyped error unexpected, with its text', () => {
    const rebuilt = acrossTheWorker(new TypeError('x is undefined'));
    expect(knownErrorCode(rebuilt)).toBeNull();
    expect(rebuilt.name).toBe('TypeError');
    expect(toIpcFailure(rebuilt)).toEqual({
      code: 'FAILED',
      errorCode: 'FAILED',
      message: 'Something went wrong in Marquee: x is undefined',
    });
  });
});
