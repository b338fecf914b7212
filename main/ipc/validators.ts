// Runtime schemas for every request input of shared/ipc.ts. Whatever arrives over IPC or the preview bridge
// is untrusted: a compromised or buggy renderer can send any structured-clone value. Each schema is strict
// (unknown keys are refused, which also refuses `__proto__` and `constructor` keys), bounds every string and
// number, and outputs a fresh object.
//
// The contract's input types stay hand-written in shared/ipc.ts (shared/ and preload/ keep the schema library
// out), and tsc checks every schema against them in both directions (see SchemaMatchesContract below): a
// channel without a schema, a schema lacking a field of the contract (optional ones included, which
// `satisfies` alone lets through and the strict schema then refuses at run time), a field the contract does
// not have, or a different type, each fails `tsc`. The bounds come from IPC_LIMITS in shared/ipc.ts.
import { z } from 'zod';
import type { ItemKind } from '../../shared/domain.js';
import { IPC_LIMITS, type RequestInput, type RequestName } from '../../shared/ipc.js';
import { NUMERIC_SETTINGS } from '../catalog/settings.js';

/** The contract's limits (one definition, in shared/ipc.ts). */
export const LIMITS = IPC_LIMITS;

// Control characters have no business in names, URLs or tokens; in a token they could split an HTTP header.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const id = z.int().positive();
const notBlank = (value: string): boolean => value.trim() !== '';
const noControl = (value: string): boolean => !CONTROL.test(value);

const text = (max: number) => z.string().max(max).refine(noControl, 'must not contain control characters');
const requiredText = (max: number) => text(max).refine(notBlank, 'must not be empty');
/** Paths may contain nearly anything, but never NUL (it ends a C string in every OS API). */
const prefix = z
  .string()
  .max(LIMITS.prefix)
  .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters');
const requiredPrefix = prefix.refine(notBlank, 'must not be empty');

const token = z
  .string()
  .max(LIMITS.token)
  .refine((value) => /^[\x20-\x7e]*$/.test(value), 'must contain printable ASCII characters only')
  .refine(notBlank, 'must not be empty');

// Same rule as the Plex client's metadata(): a single path segment without list separators.
const ratingKey = z
  .string()
  .min(1)
  .max(LIMITS.ratingKey)
  .regex(/^[^,/?#\s]+$/, 'is not a Plex rating key');
const runId = z
  .string()
  .min(1)
  .max(LIMITS.runId)
  .regex(/^[A-Za-z0-9-]+$/, 'is not a run id');
const year = z.int().min(1800).max(3000);
// plex.tv's clientIdentifier of a server (its machineIdentifier): hex or a UUID in practice.
const machineIdentifier = z
  .string()
  .min(1)
  .max(LIMITS.machineIdentifier)
  .regex(/^[A-Za-z0-9-]+$/, 'is not a Plex machine identifier');
// A PIN id from plex.tv: a positive integer, larger than a small int but well inside a double's safe range.
const pinId = z.int().positive().max(Number.MAX_SAFE_INTEGER);
const empty = z.strictObject({});
// Kinds are data (the catalog grows new ones: artists, albums, tracks): any lower-case word is accepted and a
// kind the catalog does not hold matches nothing.
const itemKind = z.custom<ItemKind>((value) => typeof value === 'string' && /^[a-z]{1,32}$/.test(value), 'is not an item kind');

export const REQUEST_SCHEMAS = {
  'app:info': empty,
  'servers:list': empty,
  'servers:add': z.strictObject({ name: requiredText(LIMITS.name), url: requiredText(LIMITS.url), token }),
  'servers:update': z.strictObject({
    id,
    name: requiredText(LIMITS.name).optional(),
    url: requiredText(LIMITS.url).optional(),
    token: token.optional(),
    active: z.boolean().optional(),
  }),
  'servers:remove': z.strictObject({ id }),
  'servers:test': z.strictObject({ id }),
  'libraries:list': z.strictObject({ serverId: id.optional() }),
  'libraries:setEnabled': z.strictObject({ libraryId: id, enabled: z.boolean() }),
  'mappings:list': z.strictObject({ serverId: id.optional() }),
  'mappings:add': z.strictObject({
    serverId: id,
    libraryId: id.nullable(),
    plexPrefix: requiredPrefix,
    localPrefix: requiredPrefix,
  }),
  'mappings:update': z.strictObject({
    id,
    libraryId: id.nullable().optional(),
    plexPrefix: requiredPrefix.optional(),
    localPrefix: requiredPrefix.optional(),
  }),
  'mappings:remove': z.strictObject({ id }),
  // The candidate is what the user is typing: anything bounded goes, the preview explains what is wrong.
  'mappings:preview': z.strictObject({
    serverId: id,
    libraryId: id.nullable(),
    candidate: z.strictObject({ plexPrefix: prefix, localPrefix: prefix }).nullable(),
    replacingId: id.optional(),
    sampleSize: z.int().min(0).max(LIMITS.previewSamples).optional(),
  }),
  'sync:start': z.strictObject({ serverId: id.optional(), libraryId: id.optional(), full: z.boolean().optional() }),
  'sync:cancel': z.strictObject({ runId }),
  'sync:state': empty,
  'sync:history': empty,
  'discovery:search': z.strictObject({ serverId: id, title: requiredText(LIMITS.searchText), year: year.optional() }),
  'discovery:import': z.strictObject({ serverId: id, ratingKey }),
  'browse:search': z.strictObject({
    kind: itemKind.optional(),
    query: text(LIMITS.searchText).optional(),
    serverId: id.optional(),
    libraryId: id.optional(),
    genre: text(LIMITS.filterValue).optional(),
    contentRating: text(LIMITS.filterValue).optional(),
    yearFrom: year.optional(),
    yearTo: year.optional(),
    resolution: text(LIMITS.filterValue).optional(),
    hdr: z.boolean().optional(),
    unmapped: z.boolean().optional(),
    sort: z.enum(['title', 'year', 'added', 'updated']).optional(),
    descending: z.boolean().optional(),
    offset: z.int().min(0).max(LIMITS.offset),
    limit: z.int().min(1).max(LIMITS.pageSize),
  }),
  'browse:facets': empty,
  'browse:show': z.strictObject({ showId: id }),
  'browse:item': z.strictObject({ itemId: id }),
  'browse:artist': z.strictObject({ artistId: id }),
  'live:state': empty,
  'settings:get': empty,
  'settings:set': z.strictObject({
    keepRunningInTray: z.boolean().optional(),
    startAtLogin: z.boolean().optional(),
    artworkCacheMb: z.number().int().min(NUMERIC_SETTINGS.artworkCacheMb.min).max(NUMERIC_SETTINGS.artworkCacheMb.max).optional(),
  }),
  'details:state': empty,
  'details:set': z.strictObject({ enabled: z.boolean() }),
  'plex:scan': z.strictObject({ libraryId: id, path: requiredText(LIMITS.prefix).optional() }),
  'plex:refresh': z.strictObject({ itemId: id }),
  'account:startSignIn': empty,
  'account:openSignInPage': z.strictObject({ pinId }),
  'account:cancelSignIn': z.strictObject({ pinId }),
  'account:info': empty,
  'account:signOut': empty,
  'account:discover': empty,
  'account:addServers': z.strictObject({ ids: z.array(machineIdentifier).min(1).max(LIMITS.serversPerAdd) }),
  'servers:connections': z.strictObject({ id, probe: z.boolean().optional() }),
  'servers:useConnection': z.strictObject({ id, uri: requiredText(LIMITS.url) }),
  'jobs:list': empty,
  'jobs:cancel': z.strictObject({ id }),
} satisfies RequestSchemas;

type RequestSchemas = { [N in RequestName]: z.ZodType<RequestInput<N>> };

/**
 * Whether two types are the same: mutually assignable, and with the same keys at every level (assignability
 * alone ignores an optional key one side lacks). Arrays and primitives compare by assignability.
 */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? SameKeysDeep<A, B> : false) : false;

type SameKeysDeep<A, B> = A extends readonly unknown[]
  ? true
  : A extends object
    ? B extends object
      ? [keyof A] extends [keyof B]
        ? [keyof B] extends [keyof A]
          ? false extends { [K in keyof A & keyof B]-?: SameShape<NonNullable<A[K]>, NonNullable<B[K]>> }[keyof A & keyof B]
            ? false
            : true
          : false
        : false
      : false
    : true;

/** A schema matches its channel when what it accepts (`z.input`) and what it yields (`z.output`) are the contract's input. */
export type SchemaMatchesContract<S extends z.ZodType, N extends RequestName> =
  SameShape<z.input<S>, RequestInput<N>> extends true ? SameShape<z.output<S>, RequestInput<N>> : false;

type ContractMismatches = {
  [N in RequestName]: SchemaMatchesContract<(typeof REQUEST_SCHEMAS)[N], N> extends true ? never : N;
}[RequestName];

/** Fails tsc naming every channel whose schema and contract disagree (`never` when they all match). */
const contractAgrees: [ContractMismatches] extends [never] ? true : ContractMismatches = true;
void contractAgrees;
/** The same record, typed per channel so that a lookup by a generic name keeps its input type. */
const SCHEMAS_BY_NAME: RequestSchemas = REQUEST_SCHEMAS;

export type ValidationResult<N extends RequestName> = { ok: true; value: RequestInput<N> } | { ok: false; message: string };

const MAX_SUMMARY = 400;
const MAX_KEY = 40;

/** Parses the input of `name`; a refusal explains itself without echoing the values (they may be tokens). */
export function validateInput<N extends RequestName>(name: N, input: unknown): ValidationResult<N> {
  const schema = SCHEMAS_BY_NAME[name];
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, message: `Invalid input for ${name}: ${summarizeIssues(parsed.error.issues)}` };
}

export function summarizeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 3).map(describeIssue);
  if (issues.length > 3) parts.push(`and ${issues.length - 3} more`);
  const summary = parts.join('; ');
  return summary.length > MAX_SUMMARY ? `${summary.slice(0, MAX_SUMMARY - 1)}…` : summary;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length === 0 ? 'input' : issue.path.map((part) => shorten(String(part))).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys
      .slice(0, 5)
      .map((key) => `"${shorten(key)}"`)
      .join(', ');
    return `${where}: unexpected field${issue.keys.length === 1 ? '' : 's'} ${keys}${issue.keys.length > 5 ? ', …' : ''}`;
  }
  return `${where}: ${issue.message}`;
}

function shorten(key: string): string {
  const printable = key.replace(CONTROL_GLOBAL, '?');
  return printable.length > MAX_KEY ? `${printable.slice(0, MAX_KEY)}…` : printable;
}

// eslint-disable-next-line no-control-regex
const CONTROL_GLOBAL = /[\u0000-\u001f\u007f]/g;
