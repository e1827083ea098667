import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROTATION_REASONS } from '../../../shared/domain/accounts.ts';
import { grantAdministrator } from '../../../electron/vault/domain/administrators.ts';
import { openCredential } from '../../../electron/vault/domain/credentials.ts';
import { setCredentialExtras } from '../../../electron/vault/domain/credential-extras.ts';
import { rotatePassword } from '../../../electron/vault/domain/rotations.ts';
import { findMemberByName } from '../../../electron/vault/domain/members.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { populatedVault, tempDir, unlockAs, PASSPHRASES } from '../../helpers/vault.ts';

const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DP';
const CODES = ['aaaa-1111', 'bbbb-2222'];

/**
 * Issue 11: no operation may drop a credential field it was not asked to change. Policy 9.8: the
 * TOTP secret and recovery codes are registered so that the account can be recovered if hacked.
 */
describe('no credential operation drops a field it was not asked to change (9.8)', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  let accounts: string[];
  let lead: VaultSession;

  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/fields.vault`;
    ({ accounts } = await populatedVault(path));
    lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    setCredentialExtras(lead, accounts[0]!, { totpSecret: TOTP_SECRET, recoveryCodes: CODES });
  });
  afterEach(() => {
    lead.close();
    dir.cleanup();
  });

  it.each(ROTATION_REASONS)(
    'a rotation (%s) keeps the TOTP secret and recovery codes (9.8, 9.10)',
    (reason) => {
      rotatePassword(lead, accounts[0]!, { reason, password: `rotated-${reason}-Pass-9` });
      expect(openCredential(lead, accounts[0]!)).toMatchObject({
        username: 'norfolk-comms',
        password: `rotated-${reason}-Pass-9`,
        totpSecret: TOTP_SECRET,
        recoveryCodes: CODES,
      });
    },
  );

  it("an administrator's rotation keeps them too, and the administrator can still read it (10.2)", async () => {
    grantAdministrator(lead, accounts[0]!, findMemberByName(lead, 'Ada Admin').id);
    lead.close();
    const admin = await unlockAs(path, 'Ada Admin', PASSPHRASES.admin);
    rotatePassword(admin, accounts[0]!, {
      reason: 'membership-change',
      password: 'admin-Rotated-1',
    });
    expect(openCredential(admin, accounts[0]!)).toMatchObject({
      totpSecret: TOTP_SECRET,
      recoveryCodes: CODES,
      password: 'admin-Rotated-1',
    });
    admin.close();
    lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
  });

  it('setting recovery codes alone keeps the TOTP secret, and setting the secret alone keeps the codes', () => {
    setCredentialExtras(lead, accounts[0]!, { recoveryCodes: ['cccc-3333'] });
    expect(openCredential(lead, accounts[0]!)).toMatchObject({
      totpSecret: TOTP_SECRET,
      recoveryCodes: ['cccc-3333'],
    });
    setCredentialExtras(lead, accounts[0]!, { totpSecret: 'KNAUGUSKGNBUGQZUMFZWCZLPOI' });
    expect(openCredential(lead, accounts[0]!)).toMatchObject({
      totpSecret: 'KNAUGUSKGNBUGQZUMFZWCZLPOI',
      recoveryCodes: ['cccc-3333'],
      password: 'first-Password-1',
    });
  });
});

describe('changing one credential field keeps the others (9.8, 9.9)', () => {
  let dir: ReturnType<typeof tempDir>;
  let accounts: string[];
  let lead: VaultSession;

  beforeEach(async () => {
    dir = tempDir();
    const path = `${dir.dir}/one-field.vault`;
    ({ accounts } = await populatedVault(path));
    lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    setCredentialExtras(lead, accounts[0]!, { totpSecret: TOTP_SECRET, recoveryCodes: CODES });
  });
  afterEach(() => {
    lead.close();
    dir.cleanup();
  });

  it('a new username (9.9) keeps the password, its history, the TOTP secret and the codes', () => {
    rotatePassword(lead, accounts[0]!, { reason: 'scheduled', password: 'second-Pass-22' });
    setCredentialExtras(lead, accounts[0]!, { username: 'norfolk-comms-2' });
    const credential = openCredential(lead, accounts[0]!);
    expect(credential).toMatchObject({
      username: 'norfolk-comms-2',
      password: 'second-Pass-22',
      totpSecret: TOTP_SECRET,
      recoveryCodes: CODES,
    });
    expect(credential.history.map((h) => h.password)).toEqual(['first-Password-1']);
  });

  it('clearing the TOTP secret removes only the secret', () => {
    setCredentialExtras(lead, accounts[0]!, { clearTotp: true });
    const credential = openCredential(lead, accounts[0]!);
    expect(credential.totpSecret).toBeUndefined();
    expect(credential).toMatchObject({
      username: 'norfolk-comms',
      password: 'first-Password-1',
      recoveryCodes: CODES,
    });
  });

  it('asking to set and clear the secret at once, or to change nothing, is refused and changes nothing', () => {
    const before = openCredential(lead, accounts[0]!);
    expect(() =>
      setCredentialExtras(lead, accounts[0]!, { totpSecret: TOTP_SECRET, clearTotp: true }),
    ).toThrow(/not both/);
    expect(() => setCredentialExtras(lead, accounts[0]!, {})).toThrow(/Nothing to change/);
    expect(() => setCredentialExtras(lead, accounts[0]!, { username: '  ' })).toThrow(
      /Username: username must not be empty/,
    );
    expect(openCredential(lead, accounts[0]!)).toEqual(before);
  });
});
