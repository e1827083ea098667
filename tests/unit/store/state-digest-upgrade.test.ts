import { sqliteConnection } from '../../../electron/vault/store/connection.ts';
import { copyFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import { Frontier } from '../../../electron/vault/audit/merkle.ts';
import { readySodium } from '../../../electron/vault/crypto/sodium.ts';
import { revealPassword } from '../../../electron/vault/domain/reveal.ts';
import { auditStore } from '../../../electron/vault/store/audit-store.ts';
import { readHeader } from '../../../electron/vault/store/header-store.ts';
import { schemaVersion, SCHEMA_VERSION } from '../../../electron/vault/store/migrate.ts';
import { stateCommitment, stateDigestStore } from '../../../electron/vault/store/state-digest.ts';
import { editVault } from '../../attacks/insider.ts';
import { FORMAT_4_FIXTURE, PASSPHRASES, tempDir, unlockAs } from '../../helpers/vault.ts';

/**
 * Migration 007 and the first unlock after it (ADR 0020): a vault from before state-committing
 * checkpoints (here the format-4 fixture, with members, grants, two removals and their owed
 * rotations) gets its state digests computed from its rows, and from then on every checkpoint
 * commits to them, so the attack-8 edits fail on it as on a new vault.
 */
describe('a vault from before state commitments upgrades to them (migration 007)', () => {
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
    await readySodium();
    let dir: string;
    ({ dir, cleanup } = tempDir());
    path = `${dir}/old.vault`;
    copyFileSync(FORMAT_4_FIXTURE, path);
  });
  afterEach(() => cleanup());

  const lead = () => unlockAs(path, 'Lena Lead', PASSPHRASES.lead);

  it('the first unlock commits to the rows as they stand, and the vault verifies', async () => {
    const before = new Database(path, { readonly: true });
    expect(schemaVersion(sqliteConnection(before))).toBeLessThan(7);
    const owed = (before.prepare('SELECT COUNT(*) AS n FROM rotation_due').get() as { n: number })
      .n;
    before.close();
    expect(owed).toBeGreaterThan(0);

    const session = await lead();
    try {
      expect(schemaVersion(session.db)).toBe(SCHEMA_VERSION);
      const since = readHeader(session.db)!.state_since!;
      expect(since).toBeGreaterThan(1);
      const checkpoints = auditStore.checkpoints(session.db);
      // Before the upgrade no checkpoint committed to the state; every one from it on does.
      expect(checkpoints.filter((c) => c.size < since).every((c) => c.state === null)).toBe(true);
      const after = checkpoints.filter((c) => c.size >= since);
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((c) => c.state?.length === 32)).toBe(true);
      const digests = stateDigestStore.recompute(session.db);
      expect(stateDigestStore.stored(session.db)).toEqual(digests);
      expect(new Uint8Array(after.at(-1)!.state!)).toEqual(stateCommitment(digests));
      expect(digests.find((d) => d.table === 'rotation_due')!.rows).toBe(owed);
      expect(await verifyVault(session)).toMatchObject({ ok: true });
    } finally {
      session.close();
    }
    // Every member still gets in and reads what they read before.
    const dev = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      const account = dev.db.prepare('SELECT id FROM accounts ORDER BY rowid').pluck().get();
      expect(revealPassword(dev, account as string, 'after the upgrade').expose()).toBeTruthy();
      expect(await verifyVault(dev)).toMatchObject({ ok: true });
    } finally {
      dev.close();
    }
  });

  it('on the upgraded vault, deleting the owed rotations (attack 8) fails verify and unlock', async () => {
    (await lead()).close();
    const open = await lead();
    editVault(path, 'DELETE FROM rotation_due');
    try {
      const report = await verifyVault(open);
      expect(report.ok ? '' : `${report.where} ${report.problem}`).toContain('rotation_due');
    } finally {
      open.abandon();
    }
    await expect(lead()).rejects.toMatchObject({
      code: 'INTEGRITY',
      message: expect.stringContaining('rotation_due table'),
    });
  });

  it('cutting the trail back to before the first commitment, to skip the check, is refused', async () => {
    (await lead()).close();
    (await lead()).close();
    const db = new Database(path);
    const since = db.prepare('SELECT state_since FROM vault_header').pluck().get() as number;
    // Everything from the first committing checkpoint on goes, and the tree's edge is rebuilt to
    // match: no key is needed for that. Then the owed rotations are deleted.
    db.transaction(() => {
      db.prepare('DELETE FROM audit_entries WHERE seq >= ?').run(since);
      db.prepare('DELETE FROM audit_checkpoints WHERE size >= ?').run(since);
      const frontier = new Frontier();
      for (const leaf of db
        .prepare('SELECT leaf_hash FROM audit_entries ORDER BY seq')
        .pluck()
        .all() as Buffer[])
        frontier.append(new Uint8Array(leaf));
      db.prepare('DELETE FROM merkle_frontier').run();
      const node = db.prepare('INSERT INTO merkle_frontier (level, hash) VALUES (?, ?)');
      for (const { level, hash } of frontier.nodes) node.run(level, Buffer.from(hash));
      db.prepare('DELETE FROM rotation_due').run();
    })();
    db.close();
    // The first commitment's transaction here also signed the chain's upgrade, so the chain's
    // truncation check may name it first; either way the cut is refused.
    await expect(lead()).rejects.toMatchObject({
      code: 'INTEGRITY',
      message: expect.stringMatching(/the trail was cut back|membership_chain/),
    });
    // Clearing where the commitments begin breaks the header's MAC instead.
    editVault(path, 'UPDATE vault_header SET state_since = NULL');
    await expect(lead()).rejects.toMatchObject({
      code: 'INTEGRITY',
      message: expect.stringContaining('vault_header'),
    });
  });
});
