// dispatch() against the real service on a temp catalog (the sim stays idle: these requests need no server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../main/app/errors.js';
import type { RequestHandlers } from '../../../main/app/service.js';
import { CatalogConflictError } from '../../../main/catalog/errors.js';
import { dispatch } from '../../../main/ipc/dispatch.js';
import { PlexNetworkError } from '../../../main/plex/errors.js';
import { SyncError } from '../../../main/sync/errors.js';
import { type AppFixture, startAppFixture } from '../app/fixtures.js';

describe('dispatch', () => {
  let app: AppFixture;

  beforeAll(async () => {
    app = await startAppFixture();
  });

  afterAll(async () => {
    await app.close();
  });

  it('returns the handler value in an ok envelope', async () => {
    expect(await dispatch(app.service, 'servers:list', {})).toEqual({ ok: true, value: [] });
  });

  it('refuses unknown request names, including inherited property names', async () => {
    for (const name of [
      'servers:drop',
      'toString',
      '__proto__',
      'constructor',
      'hasOwnProperty',
      42,
      null,
      undefined,
      { name: 'app:info' },
    ]) {
      const result = await dispatch(app.service, name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    const long = await dispatch(app.service, 'x'.repeat(10_000), {});
    expect(long.ok ? '' : long.error.message.length).toBeLessThan(200);
  });

  it('turns invalid input into INVALID_INPUT without calling the handler', async () => {
    const result = await dispatch(app.service, 'servers:remove', { id: -1 });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        errorCode: 'INVALID_INPUT',
        message: expect.stringMatching(/^Invalid input for servers:remove: id:/) as string,
      },
    });
  });

  it('maps handler errors to codes and never throws', async () => {
    const failing = (error: unknown): { handlers: RequestHandlers } => ({
      // Some cases reject with what is not an Error (a string, undefined): dispatch must survive those too.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- deliberately not always an Error
      handlers: { ...app.service.handlers, 'servers:list': () => Promise.reject(error) },
    });
    const cases: [unknown, string, string][] = [
      [new AppError('BUSY', 'A sync is running.'), 'BUSY', 'BUSY'],
      [new CatalogConflictError('A server called "x" already exists.'), 'CONFLICT', 'CATALOG_CONFLICT'],
      [new PlexNetworkError({ serverName: 'S', url: 'http://s/identity', reason: 'ECONNREFUSED' }), 'UNREACHABLE', 'PLEX_NETWORK'],
      [new SyncError('LIBRARY_NOT_FOUND', 'There is no library "x" on this server.'), 'NOT_FOUND', 'LIBRARY_NOT_FOUND'],
      [new TypeError('boom'), 'FAILED', 'FAILED'],
      ['a string', 'FAILED', 'FAILED'],
      [undefined, 'FAILED', 'FAILED'],
    ];
    for (const [error, code, errorCode] of cases) {
      const result = await dispatch(failing(error), 'servers:list', {});
      expect(result).toMatchObject({ ok: false, error: { code, errorCode } });
    }
    const unexpected = await dispatch(failing(new TypeError('boom')), 'servers:list', {});
    expect(unexpected).toEqual({
      ok: false,
      error: { code: 'FAILED', errorCode: 'FAILED', message: 'Something went wrong in Marquee: boom' },
    });
    // A typed error is known: its own message, never "Something went wrong".
    const library = await dispatch(
      failing(new SyncError('LIBRARY_NOT_FOUND', 'There is no library "x" on this server.')),
      'servers:list',
      {},
    );
    expect(library).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', errorCode: 'LIBRARY_NOT_FOUND', message: 'There is no library "x" on this server.' },
    });
  });

  it('reports unexpected failures to the log hook, and only those', async () => {
    const seen: string[] = [];
    const service = {
      handlers: {
        ...app.service.handlers,
        'servers:list': async () => Promise.reject(new Error('disk full')),
        'servers:test': async () => Promise.reject(new AppError('NOT_FOUND', 'gone')),
      },
    };
    await dispatch(service, 'servers:list', {}, { onUnexpectedError: (name, message) => seen.push(`${name}: ${message}`) });
    await dispatch(service, 'servers:test', { id: 1 }, { onUnexpectedError: (name, message) => seen.push(`${name}: ${message}`) });
    expect(seen).toEqual(['servers:list: Something went wrong in Marquee: disk full']);
  });

  it("scrubs the request's own token from any error message", async () => {
    const token = 'tok-ABCDEFGHIJKLMNOP';
    const service = {
      handlers: {
        ...app.service.handlers,
        'servers:add': async () => Promise.reject(new Error(`rejected ${token} at http://x/?X-Plex-Token=${token}`)),
      },
    };
    const result = await dispatch(service, 'servers:add', { name: 'n', url: 'http://x', token });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(token);
  });
});
