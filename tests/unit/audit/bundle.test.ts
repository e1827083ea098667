import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryLine, quickEntryLine } from '../../../electron/vault/audit/bundle.ts';
import { AUDIT_KINDS } from '../../../shared/domain/audit.ts';

// Issue 17: the verifier checks entry lines by hand before it asks zod. The hand check must never
// accept a line the schema refuses, and must give what the schema gives.
const hash = fc.stringMatching(/^[0-9a-f]{64}$/);
const valid = fc.record(
  {
    type: fc.constant('entry'),
    seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    at: fc.string(),
    kind: fc.constantFrom(...AUDIT_KINDS),
    actor: fc.string(),
    account: fc.option(fc.string(), { nil: null }),
    details: fc.dictionary(
      fc.string(),
      fc.oneof(fc.constant(null), fc.string(), fc.boolean(), fc.integer(), fc.array(fc.string())),
    ),
    leaf: hash,
    proof: fc.array(hash, { maxLength: 3 }),
    extra: fc.string(),
  },
  { requiredKeys: ['type', 'seq', 'at', 'kind', 'actor', 'account', 'details', 'leaf'] },
);
// Any field replaced by something else: a wrong type, a bad number, a near-miss string.
const odd = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(0),
  fc.constant(-1),
  fc.constant(1.5),
  fc.constant(2 ** 53),
  fc.constant(Number.NaN),
  fc.constant('entry'),
  fc.constant('credential'),
  fc.constant('A'.repeat(64)),
  fc.constant(['x']),
  fc.constant({ a: { nested: true } }),
  fc.constant({ a: [1] }),
  fc.string(),
  hash.map((h) => `${h}0`),
);
const field = fc.constantFrom(
  'type',
  'seq',
  'at',
  'kind',
  'actor',
  'account',
  'details',
  'leaf',
  'proof',
);
const line = fc.oneof(
  valid,
  fc.tuple(valid, field, odd).map(([v, key, value]) => ({ ...v, [key]: value })),
);

describe('the quick entry line check', () => {
  it('accepts only what the schema accepts, and gives what the schema gives', () => {
    fc.assert(
      fc.property(line, (raw) => {
        const quick = quickEntryLine(raw);
        const parsed = entryLine.safeParse(raw);
        if (quick !== undefined) {
          expect(parsed.success).toBe(true);
          expect(quick).toEqual(parsed.data);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts every valid entry line, so the schema is the slow path only', () => {
    fc.assert(
      fc.property(valid, (raw) => {
        expect(quickEntryLine(raw)).toEqual(entryLine.parse(raw));
      }),
      { numRuns: 2000 },
    );
  });
});
