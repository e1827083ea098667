import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  grantAdministrator,
  revokeAdministrator,
} from '../../electron/vault/domain/administrators.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { insiderDb } from './insider.ts';

/**
 * Issue 13 (names and roles offline), what stays: `account_key_wraps.holder` is clear. It is
 * `team` or an administrator's member id, so someone with only the file (no passphrase) reads
 * which member ids hold an account's key, hence which ids are admins, how many each account
 * has, and, between two copies, when a grant began or ended. A removed member, who knew the ids
 * of the members of their time, can put names to them. It gives no name or role by itself (both
 * sealed, ADR 0022 and 0028) and decides nothing: whom a key is sealed to is the signed chain's
 * word (outsider-wrap-row-receives-rotated-password.test.ts). docs/THREAT-MODEL.md says why it
 * stays. This test pins that behaviour: if the column is ever hidden, it fails and the threat
 * model is to be changed with it.
 */
function holdersInFile(path: string): Map<string, string[]> {
  const db = insiderDb(path);
  try {
    const rows = db
      .prepare('SELECT account_id, holder FROM account_key_wraps ORDER BY account_id, holder')
      .all() as { account_id: string; holder: string }[];
    const byAccount = new Map<string, string[]>();
    for (const row of rows)
      byAccount.set(row.account_id, [...(byAccount.get(row.account_id) ?? []), row.holder]);
    return byAccount;
  } finally {
    db.close();
  }
}

describe("an outsider reads each account's administrators, by member id, from account_key_wraps", () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  let accounts: string[];
  let adminId: string;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    ({ accounts } = await populatedVault(path));
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      adminId = findMemberByName(lead, 'Ada Admin').id;
      grantAdministrator(lead, accounts[0]!, adminId);
    } finally {
      lead.close();
    }
  });
  afterEach(() => cleanup());

  it('the holder column names the granted admin and the team, and the admin id is their members row id', () => {
    const holders = holdersInFile(path);
    expect(holders.get(accounts[0]!)).toEqual([adminId, 'team'].sort());
    expect(holders.get(accounts[1]!)).toEqual(['team']);
    const db = insiderDb(path);
    try {
      expect(db.prepare('SELECT id FROM members WHERE id = ?').get(adminId)).toEqual({
        id: adminId,
      });
      // ...but not their name nor role: nothing clear in the row says either.
      const row = db.prepare('SELECT * FROM members WHERE id = ?').get(adminId) as Record<
        string,
        unknown
      >;
      const clear = Object.values(row)
        .filter((v) => typeof v === 'string')
        .join(' ');
      expect(clear).not.toMatch(/Ada|admin/i);
    } finally {
      db.close();
    }
  });

  it('a revoke takes the holder row away, so two copies tell when a grant ended', () => {
    const before = holdersInFile(path);
    return unlockAs(path, 'Lena Lead', PASSPHRASES.lead).then((lead) => {
      try {
        revokeAdministrator(lead, accounts[0]!, adminId);
      } finally {
        lead.close();
      }
      expect(before.get(accounts[0]!)).toContain(adminId);
      expect(holdersInFile(path).get(accounts[0]!)).toEqual(['team']);
    });
  });
});
