import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { addMember, changeOwnPassphrase } from '../../electron/vault/domain/members.ts';
import {
  defaultKeyDerivation,
  setDefaultKeyDerivation,
} from '../../electron/vault/domain/settings.ts';
import { createVault } from '../../electron/vault/vault.ts';
import { PASSPHRASES, newVault, tempDir, unlockAs, vaultLocation } from '../helpers/vault.ts';
import { kdfJson, lowerDefaultKdfAsMember, insiderDb } from './insider.ts';

/**
 * Issue 13, "Floors": the vault's default key derivation is signed by a lead (ADR 0030). The
 * header's copy is under a MAC every member can make (K_vault), so a member with sqlite3 and
 * K_vault rewrites it to the floor and re-MACs the header (and re-signs the state, as any member
 * can). Before, the next slot took the stronger of that and the acting member's own slot, so a
 * lead who had raised the default above their own slot, or a member changing passphrase, got a
 * slot at the floor. Now the header is used only if it is what a lead signed.
 */
const security = { name: 'Sam Security', passphrase: PASSPHRASES.security };
const raised = { algorithm: 'argon2id', memoryKiB: 32 * 1024, passes: 3, parallelism: 1 };
const floor = JSON.parse(kdfJson(19, 2)) as unknown;

function slotKdfs(path: string): unknown[] {
  const db = insiderDb(path);
  try {
    return (db.prepare('SELECT kdf FROM key_slots ORDER BY rowid').all() as { kdf: string }[]).map(
      (row) => JSON.parse(row.kdf) as unknown,
    );
  } finally {
    db.close();
  }
}

describe('a member lowers the vault default key derivation that a lead signed', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    // Made at the floor (as for a slow workstation), then raised by the lead: every slot so far,
    // the lead's own included, is weaker than the signed default.
    const lead = await newVault(path);
    try {
      await addMember(lead, {
        name: security.name,
        role: 'security',
        passphrase: security.passphrase,
      });
      await addMember(lead, { name: 'Dev Dmt', role: 'dmt', passphrase: PASSPHRASES.dmt });
      setDefaultKeyDerivation(lead, { memoryMib: 32, passes: 3 });
    } finally {
      lead.close();
    }
    await lowerDefaultKdfAsMember(path, security, kdfJson(19, 2));
  });
  afterEach(() => cleanup());

  it('a lead adding a member after the edit gives them a slot at the signed default, not the floor', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(defaultKeyDerivation(lead)).toMatchObject({ signed: false });
      await addMember(lead, {
        name: 'New Starter',
        role: 'dmt',
        passphrase: 'a long new passphrase 5',
      });
    } finally {
      lead.close();
    }
    // Founder, security and dmt at the floor as they were made; the new member at the signed default
    // or stronger (the fallback takes the app's default where it is stronger).
    const kdfs = slotKdfs(path) as { memoryKiB: number; passes: number }[];
    expect(kdfs.filter((kdf) => JSON.stringify(kdf) === JSON.stringify(floor))).toHaveLength(3);
    const made = kdfs.find((kdf) => JSON.stringify(kdf) !== JSON.stringify(floor))!;
    expect(made.memoryKiB).toBeGreaterThanOrEqual(raised.memoryKiB);
    expect(made.passes).toBeGreaterThanOrEqual(raised.passes);
  });

  it("a member's passphrase change after the edit does not stay at the floor", async () => {
    const dmt = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      await changeOwnPassphrase(dmt, 'a brand new dmt passphrase 7');
    } finally {
      dmt.close();
    }
    const kdfs = slotKdfs(path) as { memoryKiB: number; passes: number }[];
    expect(kdfs.filter((kdf) => JSON.stringify(kdf) === JSON.stringify(floor))).toHaveLength(2);
  });

  it('audit verify names the header whose default no lead signed', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      const report = await verifyVault(lead);
      expect(report).toMatchObject({ ok: false, where: 'vault_header' });
      expect(report.ok ? '' : report.problem).toContain('no lead signed');
    } finally {
      lead.close();
    }
  });

  it('a member cannot sign a default of their own: only a lead may set it', async () => {
    const member = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      expect(() => setDefaultKeyDerivation(member, { memoryMib: 19, passes: 2 })).toThrow(
        /lead|Not permitted/,
      );
    } finally {
      member.close();
    }
  });
});

describe('a member lowers the default the founder signed, with no raise since', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('audit verify no longer passes a header default that a member lowered and re-MACed', async () => {
    const path = `${dir}/team.vault`;
    const founder = await createVault(vaultLocation(path), {
      founderName: 'Lena Lead',
      passphrase: PASSPHRASES.lead,
      kdf: raised as never,
    });
    await addMember(founder, {
      name: security.name,
      role: 'security',
      passphrase: security.passphrase,
    });
    founder.close();
    await lowerDefaultKdfAsMember(path, security, kdfJson(19, 2));
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      const report = await verifyVault(lead);
      expect(report).toMatchObject({ ok: false, where: 'vault_header' });
    } finally {
      lead.close();
    }
  });
});
