import { describe, expect, it } from 'vitest';
import { auditEntryAddress } from '../../../electron/vault/audit/log.ts';
import { associatedData } from '../../../electron/vault/store/sealed-row.ts';

describe('audit entry associated data', () => {
  it('the precomputed bytes equal the generic encoding, for entries with and without an account', () => {
    for (const account_id of ['a'.repeat(32), null]) {
      const row = {
        seq: 42,
        at: '2026-11-24T10:00:00.000Z',
        kind: 'credential.revealed',
        actor_id: 'b'.repeat(32),
        account_id,
        leaf_hash: new Uint8Array(32).fill(7),
      };
      const address = auditEntryAddress(row);
      const { encoded, ...generic } = address;
      expect(Buffer.from(encoded).toString()).toBe(Buffer.from(associatedData(generic)).toString());
    }
  });
});
