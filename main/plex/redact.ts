// Keeping Plex tokens out of error messages, `cause` chains and log lines.
// A token is a bearer credential for the whole server: anything that may be shown, logged or stored
// goes through these helpers first.

import { inspect } from 'node:util';

export const REDACTED = 'REDACTED';

// `X-Plex-Token=…` in a query string (any case), up to the next separator.
const TOKEN_QUERY = /([?&;]x-plex-token=)[^&#\s"'<>]*/gi;
// `X-Plex-Token: …` / `"x-plex-token": "…"` as a header line or a dumped header object.
const TOKEN_HEADER = /(x-plex-token['"]?\s*[:=]\s*['"]?)[^'"\s,}&#]+/gi;

/** The URL with any `X-Plex-Token` query value replaced by `REDACTED` (and a password in user-info hidden). */
export function redactUrl(url: string): string {
  return url.replace(TOKEN_QUERY, `$1${REDACTED}`).replace(/(\/\/[^/:@\s]*:)[^/@\s]*@/, `$1${REDACTED}@`);
}

/**
 * The text with every occurrence of each secret (raw and URL-encoded) replaced by `REDACTED`,
 * plus any token-looking query parameter or header value, whether or not it is a known secret.
 */
export function redactText(text: string, secrets: readonly (string | undefined)[] = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length === 0) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) result = result.split(form).join(REDACTED);
  }
  return redactUrl(result).replace(TOKEN_HEADER, `$1${REDACTED}`);
}

/** Whether any known secret appears anywhere in the text. */
function containsSecret(text: string, secrets: readonly (string | undefined)[]): boolean {
  return secrets.some((secret) => secret !== undefined && secret.length > 0 && text.includes(secret));
}

/**
 * An error safe to keep as a `cause`: the original when nothing about it (message, stack, own properties,
 * nested causes) mentions a secret, otherwise a plain copy carrying only redacted name, code, message and stack.
 * Pass `alwaysCopy` for errors that hold request objects (e.g. got's, whose options include the headers).
 */
export function redactError(error: unknown, secrets: readonly (string | undefined)[], alwaysCopy = false): unknown {
  if (!(error instanceof Error)) {
    return typeof error === 'string' ? redactText(error, secrets) : error;
  }
  if (!alwaysCopy && !containsSecret(inspect(error, { depth: 6 }), secrets)) return error;
  const copy = new Error(redactText(error.message, secrets));
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') Object.assign(copy, { code });
  copy.stack = redactText(error.stack ?? `${error.name}: ${error.message}`, secrets);
  if (error.cause !== undefined) copy.cause = redactError(error.cause, secrets);
  return copy;
}
