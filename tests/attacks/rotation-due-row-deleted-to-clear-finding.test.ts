import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { addMember, removeMember } from '../../electron/vault/domain/members.ts';
import { evaluateHealth } from '../../electron/vault/health/evaluate.ts';
import type { VaultSession } from '../../electron/vault/session.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { editVault } from './insider.ts';

/**
 * Issue 13, attack 8 (first half): a dmt member leaves, so every account they could read is owed
 * a rotation (policy 10.2). Anyone who can write the file runs `delete from rotation_due`: no key
 * is needed to delete a row, the 10.2 finding disappeared from health, and `audit verify` passed.
 * Every signed checkpoint now commits to a digest of every sealed table's rows (ADR 0020), so the
 * deletion fails verify and unlock, naming the table.
 */
describe('a deleted rotation_due row no longer clears the 10.2 finding unnoticed (issue 13, attack 8)', () => {
  const dir = tempDir();
  const path = `${dir.dir}/rotation-due.vault`;
  let lead: VaultSession;

  beforeAll(async () => {
    await populatedVault(path);
    const setup = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      await addMember(setup, {
        name: 'Lee Leaver',
        role: 'dmt',
        passphrase: 'leaving dmt phrase 5',
      });
      expect(removeMember(setup, 'Lee Leaver').accountsMarked).toBe(2);
      expect(evaluateHealth(setup).filter((f) => f.rule === 'leaver-rotation-due')).toHaveLength(2);
    } finally {
      setup.close();
    }
    // A session open before the edit, to run `audit verify` on the edited file.
    lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    editVault(path, 'DELETE FROM rotation_due');
  });
  afterAll(() => dir.cleanup());

  it('audit verify fails, naming the rotation_due table', async () => {
    try {
      const report = await verifyVault(lead);
      expect(report.ok).toBe(false);
      expect(report.ok ? '' : `${report.where} ${report.problem}`).toContain('rotation_due');
    } finally {
      // Nothing more is written through it: the unlocks below need the writer lock.
      lead.abandon();
    }
  });

  it('unlock is refused as tampering, naming the rotation_due table, and changes nothing', async () => {
    for (const [name, passphrase] of [
      ['Lena Lead', PASSPHRASES.lead],
      ['Sam Security', PASSPHRASES.security],
    ] as const) {
      await expect(unlockAs(path, name, passphrase)).rejects.toMatchObject({
        code: 'INTEGRITY',
        message: expect.stringContaining('rotation_due'),
      });
    }
  });
});
