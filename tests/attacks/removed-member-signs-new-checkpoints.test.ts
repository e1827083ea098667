import { existsSync, readFileSync } from 'node:fs';
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
  let keys: Parameters<typeof appendAsHolderOf>[1];
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    await populatedVault(path);
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
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

  // A session open before the append: since the file's state check runs whenever another
  // connection wrote (ADR 0031, the insider who patches digests while a console is open), its
  // next request refuses the vault as unlock does, before anything is verified, exported or
  // signed, naming the checkpoint the removed member signed. Nothing of Custodian's own then
  // exports the trail; the last test here makes the bundle an exporter with that check taken out
  // would, for the offline verifier's own check of a removed signer.
  const refusal = {
    code: 'INTEGRITY',
    message: expect.stringContaining('is not signed by a member of the signed membership chain'),
  };

  it('audit verify in a session open before the append fails the vault, naming the signer', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    appendAfterRemoval();
    try {
      // The report of a vault that cannot be read on: its whole, naming the checkpoint's signer.
      expect(await verifyVault(lead)).toMatchObject({
        ok: false,
        where: 'vault',
        problem: refusal.message,
      });
    } finally {
      lead.abandon();
    }
  });

  it('an export from that session is refused the same way, and writes nothing', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    appendAfterRemoval();
    const out = `${dir}/trail.jsonl`;
    try {
      await expect(exportAudit(lead, { format: 'jsonl', out })).rejects.toMatchObject(refusal);
    } finally {
      lead.abandon();
    }
    expect(existsSync(out)).toBe(false);
  });

  // The bundle comes to the offline verifier from outside Custodian's checks: an exporter on a
  // workstation whose build had the state check taken out (or a bundle put together by hand). It
  // is made here by the real export with only that check replaced, so every line of it is as an
  // export writes it, the removed member's entry and checkpoint included. `verify-export` knows the
  // removal from the trail's own `member.removed` entry and names the entry written after it.
  it('a bundle of that trail from an exporter that checked nothing fails verify-export, naming the entry after the removal', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    const founder = keyFingerprint(lead.keys.signing.publicKey);
    const out = `${dir}/trail.jsonl`;
    try {
      lead.followStateWith(() => undefined, { everyCatchUp: false });
      appendAfterRemoval();
      await exportAudit(lead, { format: 'jsonl', out });
    } finally {
      lead.abandon();
    }
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.some((line) => line.includes('"member.removed"'))).toBe(true);
    const verdict = await verifyExport(out, { founder });
    expect(verdict).toMatchObject({ ok: false });
    if (verdict.ok) return;
    expect(verdict.problem).toMatch(
      /^was written by Rob Leaver after their removal \(recorded at entry #\d+\)$/,
    );
  });

  it('the same exporter on the trail before the append makes a bundle that verifies', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    const founder = keyFingerprint(lead.keys.signing.publicKey);
    const out = `${dir}/trail.jsonl`;
    try {
      lead.followStateWith(() => undefined, { everyCatchUp: false });
      await exportAudit(lead, { format: 'jsonl', out });
    } finally {
      lead.abandon();
    }
    expect(await verifyExport(out, { founder })).toMatchObject({ ok: true });
  });
});
