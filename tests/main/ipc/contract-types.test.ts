// The IPC contract (shared/ipc.ts) and its schemas (main/ipc/validators.ts) checked against each other by tsc,
// both ways. The checks run at compile time (`npm run typecheck` covers tests/); each `@ts-expect-error` below
// proves the check refuses a kind of drift: if the check stopped catching it, the unused directive fails tsc.
// Schemas named `_x` exist only for their type.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { IPC_LIMITS } from '../../../shared/ipc.js';
import { LIMITS, type REQUEST_SCHEMAS, type SameShape, type SchemaMatchesContract } from '../../../main/ipc/validators.js';

const id = z.int().positive();

describe('IPC contract and schemas', () => {
  it('accepts the real schemas', () => {
    const update: SchemaMatchesContract<(typeof REQUEST_SCHEMAS)['servers:update'], 'servers:update'> = true;
    const preview: SchemaMatchesContract<(typeof REQUEST_SCHEMAS)['mappings:preview'], 'mappings:preview'> = true;
    expect([update, preview]).toEqual([true, true]);
  });

  it('refuses a schema lacking an optional field of the contract (what `satisfies` let through)', () => {
    const _lacking = z.strictObject({ id, name: z.string().optional(), url: z.string().optional(), token: z.string().optional() });
    // @ts-expect-error `active` is missing from the schema
    const check: SchemaMatchesContract<typeof _lacking, 'servers:update'> = true;
    expect(check).toBe(true);
  });

  it('refuses a schema with a field the contract does not have, also nested', () => {
    const _extra = z.strictObject({
      serverId: id,
      libraryId: id.nullable(),
      candidate: z.strictObject({ plexPrefix: z.string(), localPrefix: z.string(), note: z.string().optional() }).nullable(),
      replacingId: id.optional(),
      sampleSize: z.int().optional(),
    });
    // @ts-expect-error `candidate.note` is not in the contract
    const check: SchemaMatchesContract<typeof _extra, 'mappings:preview'> = true;
    expect(check).toBe(true);
  });

  it('refuses a schema whose input and output differ (a default makes the field required in the output)', () => {
    const _defaulted = z.strictObject({
      serverId: id,
      libraryId: id.nullable(),
      candidate: z.strictObject({ plexPrefix: z.string(), localPrefix: z.string() }).nullable(),
      replacingId: id.optional(),
      sampleSize: z.int().default(20),
    });
    // @ts-expect-error z.output has a required sampleSize, the contract an optional one
    const check: SchemaMatchesContract<typeof _defaulted, 'mappings:preview'> = true;
    expect(check).toBe(true);
  });

  it('compares shapes, not just assignability', () => {
    const same: SameShape<{ a: number; b?: string }, { a: number; b?: string | undefined }> = true;
    // @ts-expect-error an optional key one side lacks is a difference
    const missing: SameShape<{ a: number; b?: string }, { a: number }> = true;
    expect([same, missing]).toEqual([true, true]);
  });

  it('uses the limits written once in shared/', () => {
    expect(LIMITS).toBe(IPC_LIMITS);
  });
});
