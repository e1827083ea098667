import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUNDLE_FORMAT, type HeaderLine } from '../../../electron/vault/audit/bundle.ts';
import { SealDigest } from '../../../electron/vault/audit/seal.ts';
import { canonicalJson } from '../../../electron/vault/canonical-json.ts';

const header: HeaderLine = {
  type: 'header',
  format: BUNDLE_FORMAT,
  vault: 'v',
  origin: 'custodian.vault/v',
  exportedAt: '2026-12-01T00:00:00.000Z',
  exportedBy: { id: 'm', name: 'Lena Lead' },
  filters: {},
  filtered: false,
  treeSize: 1,
  root: '0'.repeat(64),
};

// Issue 17: the seal gathers single leaves before hashing them. Its digest must stay SHA-256 over
// the canonical header and the leaves in order, however they are fed: one at a time (the
// verifier), in pages (the export), or both, across the gathering buffer's edge.
describe('the seal digest', () => {
  it('is SHA-256 over the header and the leaves in order, whatever the grouping', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1500 }), { minLength: 1, maxLength: 6 }),
        fc.integer(),
        (groups, seed) => {
          const leaves = groups.map((count, g) =>
            Uint8Array.from({ length: count * 32 }, (_, i) => (i * 7 + g * 13 + seed) & 0xff),
          );
          const seal = new SealDigest(header);
          leaves.forEach((group, g) => {
            // Odd groups one leaf at a time, even groups as one page.
            if (g % 2 === 1) {
              for (let i = 0; i < group.length; i += 32) seal.add(group.subarray(i, i + 32));
            } else {
              seal.add(group, group.length / 32);
            }
          });
          const expected = createHash('sha256').update(canonicalJson(header));
          for (const group of leaves) expected.update(group);
          expect(Buffer.from(seal.digest()).toString('hex')).toBe(expected.digest('hex'));
          expect(seal.count).toBe(groups.reduce((a, b) => a + b, 0));
        },
      ),
      { numRuns: 200 },
    );
  });
});
