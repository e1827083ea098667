import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { revealPassword } from '../../electron/vault/domain/reveal.ts';
import { rotatePassword } from '../../electron/vault/domain/rotations.ts';
import type { VaultSession } from '../../electron/vault/session.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import {
  resignStateAs,
  restoreRows,
  signingKeysOf,
  type SigningKeys,
  keepCopy,
  putBack,
} from './insider.ts';

/**
 * Issue 13, attack 8 (second half): after a rotation, the previous `credentials` row and its key
 * wraps are copied back from an older copy of the file. Both are genuine sealed rows, so they
 * open: `reveal` printed the old password while the history said it had been rotated, and
 * `audit verify` passed. The signed checkpoint's state digest (ADR 0020) no longer matches, so
 * verify and unlock fail naming the table, and nothing prints the old password.
 */
describe('a credential rolled back to its previous row is caught (issue 13, attack 8)', () => {
  const dir = tempDir();
  const path = `${dir.dir}/rollback.vault`;
  const kept = `${dir.dir}/kept-copy.vault`;
  let accounts: string[];
  let lead: VaultSession;
  let sam: SigningKeys;

  beforeAll(async () => {
    ({ accounts } = await populatedVault(path));
    keepCopy(path, kept);
    const dmt = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      rotatePassword(dmt, accounts[0]!, { reason: 'scheduled', password: 'rotated-Password-3' });
    } finally {
      dmt.close();
    }
    sam = await signingKeysOf(path, { name: 'Sam Security', passphrase: PASSPHRASES.security });
    lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    expect(revealPassword(lead, accounts[0]!, 'before the rollback').expose()).toBe(
      'rotated-Password-3',
    );
    restoreRows(path, kept, [
      putBack('credentials', `account_id = '${accounts[0]}'`),
      putBack('account_key_wraps', `account_id = '${accounts[0]}'`),
    ]);
  });
  afterAll(() => dir.cleanup());

  it('audit verify fails, naming the credentials table', async () => {
    try {
      const report = await verifyVault(lead);
      expect(report.ok).toBe(false);
      expect(report.ok ? '' : `${report.where} ${report.problem}`).toContain('credentials');
    } finally {
      // Nothing more is written through it: the unlocks below need the writer lock.
      lead.abandon();
    }
  });

  it('unlock is refused, naming the credentials table, so no reveal prints the old password', async () => {
    for (const [name, passphrase] of [
      ['Lena Lead', PASSPHRASES.lead],
      ['Dev Dmt', PASSPHRASES.dmt],
    ] as const) {
      await expect(unlockAs(path, name, passphrase)).rejects.toMatchObject({
        code: 'INTEGRITY',
        message: expect.stringContaining('credentials'),
      });
    }
  });

  it('a member who signs the restored rows as the state still gets no old password from reveal', async () => {
    // Any current member can sign the edited rows as the vault's state (ADR 0020); the trail's
    // last credential entry still names the rotated credential by key id, version and blob hash.
    resignStateAs(path, sam);
    const again = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(() => revealPassword(again, accounts[0]!, 'after the rollback')).toThrow(
        expect.objectContaining({
          code: 'INTEGRITY',
          message: expect.stringContaining(`credentials row ${accounts[0]!}`),
        }),
      );
    } finally {
      again.abandon();
    }
  });
});
