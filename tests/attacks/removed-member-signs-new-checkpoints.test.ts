import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportAudit } from '../../electron/vault/audit/export.ts';
import { verifyExport } from '../../electron/vault/audit/verify-export.ts';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { SecretBytes } from '../../electron/vault/crypto/secret-bytes.ts';
import { addMember, removeMember } from '../../electron/vault/domain/members.ts';
import { keyFingerprint } from '../../electron/vault/trust/chain.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { appendAsHolderOf } from './insider.ts';

/**
 * Issue 13, attack 6 (second half): a removed member's signing key was still accepted for new
 * checkpoints. With key epochs (ADR 0019) the K_vault they kept opens nothing written after their
 * removal, so here a current member helps them: the entry is sealed under the current K_vault and
 * signed with the removed member's kept key, a well-formed entry and checkpoint in their name. An
 * entry written by a member after the trail records their removal fails verify, in the vault and
 * in an export.
 */
const rob = { name: 'Rob Leaver', passphrase: 'leaving admin passphrase 1' };

describe("a removed member's key signs nothing after their removal (issue 13, attack 6)", () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  let founder: string;
  let keys: Parameters<typeof appendAsHolderOf>[1];
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    await populatedVault(path);
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    founder = keyFingerprint(lead.keys.signing.publicKey);
    try {
      await addMember(lead, { ...rob, role: 'dmt' });
    } finally {
      lead.close();
    }
    const robSession = await unlockAs(path, rob.name, rob.passphrase);
    keys = {
      vaultId: robSession.vaultId,
      memberId: robSession.member.id,
      vaultKey: new SecretBytes(robSession.keys.vault.reveal().slice()),
      signing: new SecretBytes(robSession.keys.signing.secretKey.reveal().slice()),
    };
    robSession.close();
    const again = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      removeMember(again, rob.name);
    } finally {
      again.close();
    }
    // The accomplice's current K_vault, after the removal's new epoch.
    const accomplice = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    keys = { ...keys, vaultKey: new SecretBytes(accomplice.keys.vault.reveal().slice()) };
    accomplice.close();
  });
  afterEach(() => cleanup());

  const appendAfterRemoval = () =>
    appendAsHolderOf(
      path,
      keys,
      [{ kind: 'session.unlocked', details: { role: 'dmt' } }],
      new Date().toISOString(),
    );

  it('unlock refuses a trail whose latest checkpoint the removed member signed', async () => {
    appendAfterRemoval();
    await expect(unlockAs(path, 'Lena Lead', PASSPHRASES.lead)).rejects.toMatchObject({
      code: 'INTEGRITY',
      message: expect.stringContaining('is not signed by a member of the signed membership chain'),
    });
  });

  // A session open before the append (unlock itself refuses after it, above).
  it('audit verify names the entry written after the removal', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    appendAfterRemoval();
    try {
      const report = await verifyVault(lead);
      expect(report).toMatchObject({ ok: false });
      if (report.ok) return;
      expect(report.where).toMatch(/^audit entry #\d+$/);
      expect(report.problem).toContain('after their removal');
    } finally {
      lead.close();
    }
  });

  it('verify-export of the trail fails the same way', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    appendAfterRemoval();
    const out = `${dir}/trail.jsonl`;
    try {
      await exportAudit(lead, { format: 'jsonl', out });
    } finally {
      lead.close();
    }
    const verdict = await verifyExport(out, { founder });
    expect(verdict).toMatchObject({ ok: false });
    if (verdict.ok) return;
    expect(verdict.problem).toContain('after their removal');
  });
});
