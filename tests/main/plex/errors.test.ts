import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  PlexAbortedError,
  PlexBadResponseError,
  PlexError,
  PlexHttpError,
  PlexNetworkError,
  PlexNotFoundError,
  PlexTimeoutError,
  PlexUnauthorizedError,
  redactError,
  redactText,
  redactUrl,
} from '../../../main/plex/errors.js';

const TOKEN = 'sEcReT-t0ken_xyz';

describe('redactUrl', () => {
  it('replaces the X-Plex-Token query value, in any case and position', () => {
    expect(redactUrl(`http://h:32400/library/sections?X-Plex-Token=${TOKEN}`)).toBe(
      'http://h:32400/library/sections?X-Plex-Token=REDACTED',
    );
    expect(redactUrl(`http://h/a?type=4&x-plex-token=${TOKEN}&sort=id#frag`)).toBe('http://h/a?type=4&x-plex-token=REDACTED&sort=id#frag');
  });

  it('hides a password in the user-info part', () => {
    expect(redactUrl('https://user:hunter2@h/identity')).toBe('https://user:REDACTED@h/identity');
  });

  it('leaves URLs without secrets alone', () => {
    const url = 'http://127.0.0.1:32400/library/sections/1/all?type=4&X-Plex-Container-Start=0';
    expect(redactUrl(url)).toBe(url);
  });
});

describe('redactText', () => {
  it('removes known secrets, raw and URL-encoded', () => {
    const secret = 'a+b/c=';
    const text = `token ${secret} and ${encodeURIComponent(secret)}`;
    expect(redactText(text, [secret, undefined, ''])).toBe('token REDACTED and REDACTED');
  });

  it('removes token-looking header values and query parameters even when unknown', () => {
    expect(redactText(`headers: { 'x-plex-token': 'abc123' }`)).not.toContain('abc123');
    expect(redactText('X-Plex-Token: abc123\r\nAccept: */*')).not.toContain('abc123');
    expect(redactText('GET /x?X-Plex-Token=abc123 failed')).toBe('GET /x?X-Plex-Token=REDACTED failed');
  });
});

describe('redactError', () => {
  it('keeps an error that holds no secret as it is', () => {
    const error = new Error('plain');
    expect(redactError(error, [TOKEN])).toBe(error);
  });

  it('copies an error whose properties or causes mention a secret, with the secret removed', () => {
    const inner = Object.assign(new Error(`inner ${TOKEN}`), { code: 'EINNER' });
    const outer = Object.assign(new Error('outer', { cause: inner }), { options: { headers: { 'x-plex-token': TOKEN } } });
    const copy = redactError(outer, [TOKEN]);
    expect(copy).not.toBe(outer);
    expect(inspect(copy, { depth: 10 })).not.toContain(TOKEN);
    expect((copy as Error).message).toBe('outer');
    expect(((copy as Error).cause as Error & { code: string }).code).toBe('EINNER');
  });
});

describe('PlexError family', () => {
  const url = `http://10.0.0.2:32400/library/sections?X-Plex-Token=${TOKEN}`;
  const base = { serverName: 'Home', url, secrets: [TOKEN] };

  it('builds readable messages that name the server and the redacted URL', () => {
    const unauthorized = new PlexUnauthorizedError({ ...base, status: 401, tokenSent: true });
    expect(unauthorized.message).toBe(
      'Plex server "Home" refused the token (401) at http://10.0.0.2:32400/library/sections?X-Plex-Token=REDACTED',
    );
    expect(unauthorized.code).toBe('UNAUTHORIZED');
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.serverName).toBe('Home');
    expect(unauthorized.url).toBe('http://10.0.0.2:32400/library/sections?X-Plex-Token=REDACTED');
    expect(unauthorized.name).toBe('PlexUnauthorizedError');
    expect(unauthorized).toBeInstanceOf(PlexError);
    expect(unauthorized).toBeInstanceOf(Error);

    expect(new PlexUnauthorizedError({ ...base, status: 401, tokenSent: false }).message).toContain('requires a token');
    expect(new PlexNotFoundError({ ...base, status: 404 }).code).toBe('NOT_FOUND');
    expect(new PlexNetworkError({ ...base, reason: 'ECONNREFUSED', attempts: 4 }).message).toBe(
      'Could not reach Plex server "Home" at http://10.0.0.2:32400/library/sections?X-Plex-Token=REDACTED (connection refused) after 4 attempts',
    );
    expect(new PlexTimeoutError({ ...base, timeoutMs: 30_000 }).message).toContain('did not answer within 30 s');
    expect(new PlexBadResponseError({ ...base, reason: 'truncated' }).code).toBe('BAD_RESPONSE');
    const http = new PlexHttpError({ ...base, status: 502, statusText: 'Bad Gateway', attempts: 4 });
    expect(http.message).toContain('answered 502 Bad Gateway');
    expect(http.code).toBe('HTTP');
    expect(new PlexAbortedError(base).code).toBe('ABORTED');
  });

  it('never carries the token in message, stack or cause chain', () => {
    const cause = Object.assign(new Error(`socket hang up while sending X-Plex-Token: ${TOKEN}`), {
      options: { headers: { 'X-Plex-Token': TOKEN } },
    });
    const error = new PlexNetworkError({ ...base, reason: 'ECONNRESET', cause });
    expect(error.message).not.toContain(TOKEN);
    expect(error.stack ?? '').not.toContain(TOKEN);
    expect(inspect(error, { depth: 10 })).not.toContain(TOKEN);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(error.cause).toBeInstanceOf(Error);
  });
});
