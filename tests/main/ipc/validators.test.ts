import { describe, expect, it } from 'vitest';
import { REQUEST_NAMES, type RequestName } from '../../../shared/ipc.js';
import { LIMITS, REQUEST_SCHEMAS, validateInput } from '../../../main/ipc/validators.js';

function refused(name: RequestName, input: unknown): string {
  const result = validateInput(name, input);
  if (result.ok) throw new Error(`${name} accepted ${JSON.stringify(input)}`);
  return result.message;
}

function accepted(name: RequestName, input: unknown): unknown {
  const result = validateInput(name, input);
  if (!result.ok) throw new Error(`${name} refused ${JSON.stringify(input)}: ${result.message}`);
  return result.value;
}

describe('request validators', () => {
  it('has exactly one schema per contract channel', () => {
    expect(Object.keys(REQUEST_SCHEMAS).sort()).toEqual(Object.keys(REQUEST_NAMES).sort());
  });

  it('accepts well-formed inputs and returns them unchanged', () => {
    expect(accepted('app:info', {})).toEqual({});
    expect(accepted('servers:add', { name: 'Home', url: 'http://10.0.0.2:32400', token: 'abc-DEF_123' })).toEqual({
      name: 'Home',
      url: 'http://10.0.0.2:32400',
      token: 'abc-DEF_123',
    });
    expect(accepted('servers:update', { id: 3, active: false })).toEqual({ id: 3, active: false });
    expect(accepted('mappings:add', { serverId: 1, libraryId: null, plexPrefix: 'D:\\Media', localPrefix: '/mnt/media' })).toBeTruthy();
    expect(accepted('mappings:update', { id: 1, libraryId: null })).toEqual({ id: 1, libraryId: null });
    expect(accepted('mappings:preview', { serverId: 1, libraryId: 2, candidate: { plexPrefix: '', localPrefix: '' } })).toBeTruthy();
    expect(accepted('sync:start', {})).toEqual({});
    expect(accepted('sync:cancel', { runId: '5b0c1c9e-4a55-4f0e-9c55-0d5f5c1b2a3e' })).toBeTruthy();
    expect(accepted('discovery:search', { serverId: 1, title: 'Star', year: 1977 })).toBeTruthy();
    expect(accepted('discovery:import', { serverId: 1, ratingKey: '12345' })).toBeTruthy();
    expect(accepted('browse:search', { kind: 'show', query: '100% _real_', offset: 0, limit: 500 })).toBeTruthy();
  });

  it('refuses wrong types', () => {
    expect(refused('servers:remove', { id: '1' })).toMatch(/id/);
    expect(refused('servers:add', { name: 1, url: 'http://x', token: 't' })).toMatch(/name/);
    expect(refused('libraries:setEnabled', { libraryId: 1, enabled: 'yes' })).toMatch(/enabled/);
    // Kinds are data (the catalog gains new ones): any lower-case word, nothing else.
    expect(refused('browse:search', { kind: 'Episode; DROP', offset: 0, limit: 10 })).toMatch(/kind/);
    expect(refused('browse:search', { kind: 4, offset: 0, limit: 10 })).toMatch(/kind/);
    expect(accepted('browse:search', { kind: 'album', genre: 'Jazz', yearFrom: 1990, sort: 'added', offset: 0, limit: 10 })).toEqual({
      kind: 'album',
      genre: 'Jazz',
      yearFrom: 1990,
      sort: 'added',
      offset: 0,
      limit: 10,
    });
    expect(refused('browse:search', { sort: 'rating', offset: 0, limit: 10 })).toMatch(/sort/);
    expect(refused('browse:search', { yearFrom: 20000, offset: 0, limit: 10 })).toMatch(/yearFrom/);
    expect(refused('mappings:add', { serverId: 1, plexPrefix: '/a', localPrefix: '/b' })).toMatch(/libraryId/);
  });

  it('refuses inputs that are not plain objects', () => {
    for (const input of [undefined, null, 42, 'servers', [], [{ id: 1 }], true]) {
      expect(refused('servers:remove', input)).toMatch(/^Invalid input for servers:remove: /);
    }
    expect(refused('app:info', null)).toMatch(/input/);
  });

  it('refuses extra keys, including prototype pollution keys', () => {
    expect(refused('app:info', { verbose: true })).toMatch(/unexpected field "verbose"/);
    expect(refused('servers:remove', { id: 1, cascade: true })).toMatch(/cascade/);
    // JSON.parse makes __proto__ an own property, as the preview bridge would receive it.
    const polluted = JSON.parse('{"id": 1, "__proto__": {"isAdmin": true}}') as unknown;
    expect(refused('servers:remove', polluted)).toMatch(/__proto__/);
    const constructorKey = JSON.parse('{"id": 1, "constructor": {"prototype": {"isAdmin": true}}}') as unknown;
    expect(refused('servers:remove', constructorKey)).toMatch(/constructor/);
    const nested = JSON.parse(
      '{"serverId": 1, "libraryId": null, "candidate": {"plexPrefix": "/a", "localPrefix": "/b", "__proto__": {"x": 1}}}',
    ) as unknown;
    expect(refused('mappings:preview', nested)).toMatch(/candidate/);
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });

  it("returns a fresh object, never the caller's", () => {
    const input = { id: 7 };
    const value = accepted('servers:remove', input);
    expect(value).toEqual(input);
    expect(value).not.toBe(input);
  });

  it('refuses NaN, infinities, fractions, zero and negative ids', () => {
    for (const id of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5, 0, -1, -0, 2 ** 60]) {
      expect(refused('browse:item', { itemId: id })).toMatch(/itemId/);
    }
    expect(refused('browse:search', { kind: 'movie', offset: -1, limit: 10 })).toMatch(/offset/);
    expect(refused('browse:search', { kind: 'movie', offset: 0, limit: 0 })).toMatch(/limit/);
    expect(refused('browse:search', { kind: 'movie', offset: 0, limit: LIMITS.pageSize + 1 })).toMatch(/limit/);
    expect(refused('browse:search', { kind: 'movie', offset: Number.NaN, limit: 10 })).toMatch(/offset/);
    expect(refused('mappings:preview', { serverId: 1, libraryId: null, candidate: null, sampleSize: 10_000 })).toMatch(/sampleSize/);
    expect(refused('discovery:search', { serverId: 1, title: 'x', year: 20_000 })).toMatch(/year/);
  });

  it('refuses huge strings without echoing them', () => {
    const huge = 'A'.repeat(5_000_000);
    const message = refused('servers:add', { name: 'x', url: 'http://x', token: huge });
    expect(message).toMatch(/token/);
    expect(message.length).toBeLessThan(500);
    expect(refused('servers:add', { name: 'n'.repeat(LIMITS.name + 1), url: 'http://x', token: 't' })).toMatch(/name/);
    expect(refused('mappings:add', { serverId: 1, libraryId: null, plexPrefix: '/'.repeat(LIMITS.prefix + 1), localPrefix: '/b' })).toMatch(
      /plexPrefix/,
    );
    expect(refused('browse:search', { kind: 'movie', query: 'q'.repeat(LIMITS.searchText + 1), offset: 0, limit: 1 })).toMatch(/query/);
  });

  it('never repeats a token in its message', () => {
    const message = refused('servers:add', { name: 'x', url: 'http://x', token: 'secret-token\u0000value' });
    expect(message).toMatch(/token/);
    expect(message).not.toContain('secret-token');
  });

  it('refuses blank and control-character text', () => {
    expect(refused('servers:add', { name: '   ', url: 'http://x', token: 't' })).toMatch(/name: must not be empty/);
    expect(refused('servers:add', { name: 'a\nb', url: 'http://x', token: 't' })).toMatch(/control characters/);
    expect(refused('servers:add', { name: 'a', url: 'http://x', token: 'abc\r\nX-Injected: 1' })).toMatch(/token/);
    expect(refused('servers:add', { name: 'a', url: 'http://x', token: 'tökén' })).toMatch(/token/);
    expect(refused('mappings:add', { serverId: 1, libraryId: null, plexPrefix: '/a\u0000b', localPrefix: '/b' })).toMatch(/NUL/);
    expect(refused('discovery:import', { serverId: 1, ratingKey: '1,2' })).toMatch(/ratingKey/);
    expect(refused('discovery:import', { serverId: 1, ratingKey: '../1' })).toMatch(/ratingKey/);
    expect(refused('sync:cancel', { runId: '<script>' })).toMatch(/runId/);
  });

  it('summarizes many issues briefly and keeps hostile key names short', () => {
    const keys = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${'k'.repeat(200)}${i}`, i]));
    const message = refused('app:info', keys);
    expect(message.length).toBeLessThan(500);
    expect(message).toMatch(/unexpected fields/);
    const many = refused('browse:search', { kind: 1, query: 2, serverId: 'a', libraryId: 'b', offset: 'c', limit: 'd' });
    expect(many).toMatch(/and \d+ more/);
  });
});
