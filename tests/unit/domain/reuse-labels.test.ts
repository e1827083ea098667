import { copyFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hmacSha256, toHex, utf8 } from '../../../electron/vault/crypto/hash.ts';
import { isTeamKeyedLabel } from '../../../electron/vault/crypto/fingerprint.ts';
import { openAccountProfile, writeAccountRecord } from '../../../electron/vault/domain/accounts.ts';
import { removeMember } from '../../../electron/vault/domain/members.ts';
import { evaluateHealth } from '../../../electron/vault/health/evaluate.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { accountStore } from '../../../electron/vault/store/account-store.ts';
import { resignStateAs, signingKeysOf } from '../../attacks/insider.ts';
import { entriesOfKind } from '../../helpers/audit.ts';
import {
  FORMAT_4_FIXTURE,
  PASSPHRASES,
  populatedVault,
  tempDir,
  unlockAs,
} from '../../helpers/vault.ts';

/** Reuse labels keyed by the team secret (issue 13, attack 9): kept current through every change. */
const labels = (session: VaultSession) =>
  accountStore
    .all(session.db)
    .map((row) => openAccountProfile(session, row).passwordCheck?.fingerprint);

describe('reuse labels', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
  });
  afterEach(() => cleanup());

  it('are made again under the new team key when a dmt member leaves', async () => {
    await populatedVault(path);
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      const before = labels(lead);
      expect(before.every((label) => label?.startsWith('t1:'))).toBe(true);
      removeMember(lead, 'Dev Dmt');
      const after = labels(lead);
      expect(after.every((label) => label?.startsWith('t2:'))).toBe(true);
      // A new key, so the labels differ entirely, not only in their prefix.
      expect(after.map((l) => l!.slice(3))).not.toEqual(before.map((l) => l!.slice(3)));
      expect(entriesOfKind(lead, 'reuse.relabelled').at(-1)?.details).toMatchObject({
        generation: 2,
        accounts: 2,
      });
    } finally {
      lead.close();
    }
  });

  it("made before (keyed by K_vault) are removed at a security member's unlock and remade by the lead", async () => {
    await populatedVault(path);
    // A vault from before this change: K_vault fingerprints, and no 'reuse' row.
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      const subkey = hmacSha256(lead.keys.vault.reveal(), utf8('custodian/reuse-fingerprint/v1'));
      // Audited like any write: the checkpoint commits to the state it leaves (ADR 0020).
      lead.write(({ db, audit }) => {
        audit({ kind: 'account.updated' });
        for (const row of accountStore.all(db)) {
          const record = openAccountProfile(lead, row);
          writeAccountRecord(lead, db, row, {
            ...record,
            passwordCheck: {
              ...record.passwordCheck!,
              fingerprint: toHex(hmacSha256(subkey, utf8(row.id))),
            },
          });
        }
      });
    } finally {
      lead.close();
    }
    const keys = await signingKeysOf(path, { name: 'Lena Lead', passphrase: PASSPHRASES.lead });
    const db = new Database(path);
    db.prepare("DELETE FROM settings WHERE id = 'reuse'").run();
    db.close();
    // That older vault's rows as its own state: signed, as its checkpoint would have been.
    resignStateAs(path, keys);
    const sam = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
    try {
      expect(labels(sam)).toEqual([undefined, undefined]);
      expect(evaluateHealth(sam).filter((f) => f.rule === 'reused-password')).toEqual([]);
    } finally {
      sam.close();
    }
    const again = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(labels(again).every((label) => label !== undefined && isTeamKeyedLabel(label))).toBe(
        true,
      );
    } finally {
      again.close();
    }
  });

  it('of a format-4 vault are team-keyed after its upgrade by the lead', async () => {
    copyFileSync(FORMAT_4_FIXTURE, path);
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      const all = labels(lead).filter((label) => label !== undefined);
      expect(all.length).toBeGreaterThan(0);
      expect(all.every((label) => isTeamKeyedLabel(label))).toBe(true);
    } finally {
      lead.close();
    }
  });
});
