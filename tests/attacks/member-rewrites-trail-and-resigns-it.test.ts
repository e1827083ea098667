import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportAudit } from '../../electron/vault/audit/export.ts';
import { verifyExport } from '../../electron/vault/audit/verify-export.ts';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { revealPassword } from '../../electron/vault/domain/reveal.ts';
import { keyFingerprint } from '../../electron/vault/trust/chain.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { rewriteTrailAs } from './insider.ts';

/**
 * Issue 13, attack 6: any member could drop entries from the trail (their own reveal, or someone
 * else's), recompute the tree and sign every checkpoint after it with their own key; `audit
 * verify` and `verify-export` passed. A checkpoint now counts only if its signer is the actor of
 * every entry it adds (each transaction's checkpoint is signed by the member whose session wrote
 * it), so re-signing what others wrote shows, naming the checkpoint and whose entries it covers.
 */
const dev = { name: 'Dev Dmt', passphrase: PASSPHRASES.dmt };
const sam = { name: 'Sam Security', passphrase: PASSPHRASES.security };
const isReveal = (entry: { kind: string }) => entry.kind === 'credential.revealed';

describe('a member who rewrites the trail and re-signs it is caught (issue 13, attack 6)', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  let founder: string;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    const { accounts } = await populatedVault(path);
    const devSession = await unlockAs(path, dev.name, dev.passphrase);
    try {
      revealPassword(devSession, accounts[0]!, 'giving it to a journalist');
    } finally {
      devSession.close();
    }
    // Others write after the reveal: the lead's unlock and lock are entries of hers.
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    founder = keyFingerprint(lead.keys.signing.publicKey);
    lead.close();
  });
  afterEach(() => cleanup());

  it('the revealer who drops their own reveal fails audit verify, naming the re-signed checkpoint', async () => {
    expect((await rewriteTrailAs(path, dev, isReveal)).dropped).toBe(1);
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      const report = await verifyVault(lead);
      expect(report).toMatchObject({ ok: false });
      if (report.ok) return;
      expect(report.where).toMatch(/^checkpoint at size \d+$/);
      expect(report.problem).toContain('Lena Lead');
      expect(report.problem).toContain('Dev Dmt');
    } finally {
      lead.close();
    }
  });

  it("a security member who drops someone else's reveal and exports fails verify-export", async () => {
    await rewriteTrailAs(path, sam, isReveal);
    const session = await unlockAs(path, sam.name, sam.passphrase);
    const out = `${dir}/trail.jsonl`;
    try {
      await exportAudit(session, { format: 'jsonl', out });
    } finally {
      session.close();
    }
    const verdict = await verifyExport(out, { founder });
    expect(verdict).toMatchObject({ ok: false });
    if (verdict.ok) return;
    expect(verdict.where).toMatch(/^checkpoint at size \d+$/);
    expect(verdict.problem).toMatch(/signed by .* but adds entries written by/);
  });

  it('the untouched trail verifies in the vault and as an export', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    const out = `${dir}/trail.jsonl`;
    try {
      expect(await verifyVault(lead)).toMatchObject({ ok: true });
      await exportAudit(lead, { format: 'jsonl', out });
    } finally {
      lead.close();
    }
    expect(await verifyExport(out, { founder })).toMatchObject({ ok: true });
  });
});
