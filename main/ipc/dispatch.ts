// The one entry point for a request from outside main: Electron's ipcMain handlers, the preview server's
// bridge and the tests all call dispatch(). It never throws: unknown channel, bad input, a failing handler
// all come back as an IpcFailure.
import { type IpcResult, isRequestName, type RequestName, type RequestOutput } from '../../shared/ipc.js';
import { toIpcFailure } from '../app/errors.js';
import type { RequestHandlers } from '../app/service.js';
import { validateInput } from './validators.js';

export interface DispatchOptions {
  /** Told about failures that are not the user's doing (code FAILED), for a log. The message is redacted. */
  onUnexpectedError?: (name: RequestName, message: string, error: unknown) => void;
}

export async function dispatch<N extends RequestName>(
  service: { handlers: RequestHandlers },
  name: N,
  rawInput: unknown,
  options?: DispatchOptions,
): Promise<IpcResult<RequestOutput<N>>>;
export async function dispatch(
  service: { handlers: RequestHandlers },
  name: unknown,
  rawInput: unknown,
  options?: DispatchOptions,
): Promise<IpcResult<unknown>>;
export async function dispatch(
  service: { handlers: RequestHandlers },
  name: unknown,
  rawInput: unknown,
  options: DispatchOptions = {},
): Promise<IpcResult<unknown>> {
  if (!isRequestName(name)) {
    const shown = typeof name === 'string' ? `"${name.slice(0, 60)}"` : typeof name;
    return { ok: false, error: { code: 'INVALID_INPUT', errorCode: 'INVALID_INPUT', message: `Unknown request ${shown}.` } };
  }
  const input = validateInput(name, rawInput);
  if (!input.ok) return { ok: false, error: { code: 'INVALID_INPUT', errorCode: 'INVALID_INPUT', message: input.message } };
  try {
    const handler = service.handlers[name] as (value: unknown) => unknown;
    return { ok: true, value: await handler(input.value) };
  } catch (error) {
    // Plex errors are redacted already; the token of this very request is scrubbed too, belt and braces.
    const failure = toIpcFailure(error, secretsOf(input.value));
    if (failure.code === 'FAILED') options.onUnexpectedError?.(name, failure.message, error);
    return { ok: false, error: failure };
  }
}

function secretsOf(input: unknown): string[] {
  if (typeof input !== 'object' || input === null) return [];
  const token = (input as { token?: unknown }).token;
  return typeof token === 'string' && token.trim() !== '' ? [token, token.trim()] : [];
}
