import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { recordComplaint } from '../../electron/vault/domain/complaints.ts';
import { evaluateHealth } from '../../electron/vault/health/evaluate.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { editVault } from './insider.ts';

/**
 * Policy 6.4: a breach recorded against an account is an open finding until it is referred to
 * line management and closed. Someone who would rather it were forgotten deletes the complaint
 * row with sqlite3 (no key is needed to delete a row). The complaints table is in the signed
 * state (ADR 0020), so the vault no longer unlocks, naming the table, instead of losing the record.
 */
describe('an open complaint row deleted to clear the 6.4 finding is caught', () => {
  const dir = tempDir();
  const path = `${dir.dir}/complaint-delete.vault`;

  beforeAll(async () => {
    const [x] = (await populatedVault(path)).accounts as [string];
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      recordComplaint(lead, {
        account: x,
        kind: 'breach',
        summary: 'Password posted in a public reply',
        receivedOn: '2026-11-01',
      });
      expect(evaluateHealth(lead).filter((f) => f.rule === 'complaint-referral')).toHaveLength(1);
    } finally {
      lead.close();
    }
    editVault(path, 'DELETE FROM complaints');
  });
  afterAll(() => dir.cleanup());

  it('unlock is refused as tampering, naming the complaints table', async () => {
    for (const [name, passphrase] of [
      ['Lena Lead', PASSPHRASES.lead],
      ['Sam Security', PASSPHRASES.security],
    ] as const) {
      await expect(unlockAs(path, name, passphrase)).rejects.toMatchObject({
        code: ErrorCode.INTEGRITY,
        message: expect.stringContaining('complaints'),
      });
    }
  });
});
