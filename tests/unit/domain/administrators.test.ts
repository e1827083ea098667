import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import { summarise } from '../../../electron/vault/domain/accounts.ts';
import {
  grantAdministrator,
  listAdministrators,
  revokeAdministrator,
} from '../../../electron/vault/domain/administrators.ts';
import { openCredential } from '../../../electron/vault/domain/credentials.ts';
import { setCredentialExtras } from '../../../electron/vault/domain/credential-extras.ts';
import { revealPassword } from '../../../electron/vault/domain/reveal.ts';
import { rotatePassword } from '../../../electron/vault/domain/rotations.ts';
import { findMemberByName } from '../../../electron/vault/domain/members.ts';
import { resolveAccount } from '../../../electron/vault/domain/accounts.ts';
import { VaultError } from '../../../electron/vault/errors.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { accountStore } from '../../../electron/vault/store/account-store.ts';
import { healthReport } from '../../../electron/vault/health/service.ts';
import { entriesOfKind } from '../../helpers/audit.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof VaultError) return error.code;
    throw error;
  }
  return undefined;
}

/** Issue 11, 10.2: an administrator's grant can be ended, and the account is then owed a rotation. */
describe("ending an administrator's grant (10.2)", () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  let accounts: string[];
  let lead: VaultSession;
  let ada: string;

  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/admins.vault`;
    ({ accounts } = await populatedVault(path));
    lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    ada = findMemberByName(lead, 'Ada Admin').id;
    setCredentialExtras(lead, accounts[0]!, { recoveryCodes: ['aaaa-1111'] });
    grantAdministrator(lead, accounts[0]!, ada);
  });
  afterEach(() => {
    lead.close();
    dir.cleanup();
  });

  it('removes their key wrap, so they can no longer read it, and makes the account rotation due (10.2)', async () => {
    expect(listAdministrators(lead, accounts[0]!)).toEqual([{ id: ada, name: 'Ada Admin' }]);
    expect(revokeAdministrator(lead, accounts[0]!, ada)).toEqual({ rotationDue: true });
    expect(accountStore.wrap(lead.db, accounts[0]!, ada)).toBeUndefined();
    expect(listAdministrators(lead, accounts[0]!)).toEqual([]);
    const account = summarise(lead, resolveAccount(lead, accounts[0]!));
    expect(account.rotationDueSince).not.toBeNull();
    expect(
      healthReport(lead, { account: accounts[0]! }).some(
        (f) => f.rule === 'leaver-rotation-due' && f.evidence.includes('Ada Admin'),
      ),
    ).toBe(true);
    // Nothing else about the credential changed.
    expect(openCredential(lead, accounts[0]!)).toMatchObject({
      password: 'first-Password-1',
      recoveryCodes: ['aaaa-1111'],
    });
    const [entry] = entriesOfKind(lead, 'account.admin-revoked');
    expect(entry).toMatchObject({ account: accounts[0], details: { member: ada } });
    lead.close();

    const admin = await unlockAs(path, 'Ada Admin', PASSPHRASES.admin);
    expect(codeOf(() => revealPassword(admin, accounts[0]!, 'posting'))).toBe(ErrorCode.FORBIDDEN);
    admin.close();
    lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    rotatePassword(lead, accounts[0]!, { reason: 'membership-change', password: 'after-Ada-1' });
    expect(summarise(lead, resolveAccount(lead, accounts[0]!)).rotationDueSince).toBeNull();
  });

  it('the remaining administrators keep their access', async () => {
    lead.close();
    lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    const { addMember } = await import('../../../electron/vault/domain/members.ts');
    const bo = (
      await addMember(lead, { name: 'Bo Admin', role: 'admin', passphrase: 'bo passphrase five' })
    ).id;
    grantAdministrator(lead, accounts[0]!, bo);
    revokeAdministrator(lead, accounts[0]!, ada);
    lead.close();
    const admin = await unlockAs(path, 'Bo Admin', 'bo passphrase five');
    expect(revealPassword(admin, accounts[0]!, 'posting').expose()).toBe('first-Password-1');
    admin.close();
    lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
  });

  it('someone who does not administer the account is refused by name, and nothing changes', () => {
    const before = accountStore.wrapsFor(lead.db, accounts[1]!);
    expect(() => revokeAdministrator(lead, accounts[1]!, ada)).toThrow(
      /Ada Admin does not administer facebook:SuffolkRoadsPolicing; nothing was changed/,
    );
    expect(accountStore.wrapsFor(lead.db, accounts[1]!)).toEqual(before);
    expect(summarise(lead, resolveAccount(lead, accounts[1]!)).rotationDueSince).toBeNull();
  });

  it('only the lead and the Digital Media Team end a grant (10.2)', async () => {
    lead.close();
    for (const [name, passphrase] of [
      ['Ada Admin', PASSPHRASES.admin],
      ['Sam Security', PASSPHRASES.security],
    ] as const) {
      const member = await unlockAs(path, name, passphrase);
      expect(codeOf(() => revokeAdministrator(member, accounts[0]!, ada))).toBe(
        ErrorCode.FORBIDDEN,
      );
      member.close();
    }
    lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    expect(listAdministrators(lead, accounts[0]!)).toHaveLength(1);
  });
});
