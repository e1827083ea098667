import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import { revealCredentialField } from '../../../electron/vault/domain/reveal.ts';
import { setCredentialExtras } from '../../../electron/vault/domain/credential-extras.ts';
import { VaultError } from '../../../electron/vault/errors.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { entriesOfKind } from '../../helpers/audit.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

/** Issue 11, 9.8: what is registered so the account can be recovered if hacked can be read back. */
describe('revealing a field of a credential (9.8, 6.5)', () => {
  let dir: ReturnType<typeof tempDir>;
  let accounts: string[];
  let lead: VaultSession;

  beforeEach(async () => {
    dir = tempDir();
    const path = `${dir.dir}/reveal.vault`;
    ({ accounts } = await populatedVault(path));
    lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
  });
  afterEach(() => {
    lead.close();
    dir.cleanup();
  });

  it('recovery codes written can be read back, one per line, by a reveal audited with its field (9.8)', () => {
    setCredentialExtras(lead, accounts[0]!, { recoveryCodes: ['aaaa-1111', 'bbbb-2222'] });
    const codes = revealCredentialField(lead, accounts[0]!, 'recovery-codes', 'account hacked');
    expect(codes.expose()).toBe('aaaa-1111\nbbbb-2222');
    expect(JSON.stringify(codes)).not.toContain('aaaa');
    const [entry] = entriesOfKind(lead, 'credential.revealed');
    expect(entry).toMatchObject({
      account: accounts[0],
      actor: lead.member.id,
      details: { field: 'recovery-codes', reason: 'account hacked' },
    });
  });

  it('the username and the password are revealed by field too, each entry naming its field', () => {
    expect(revealCredentialField(lead, accounts[0]!, 'username', 'logging in').expose()).toBe(
      'norfolk-comms',
    );
    expect(revealCredentialField(lead, accounts[0]!, 'password', 'logging in').expose()).toBe(
      'first-Password-1',
    );
    expect(entriesOfKind(lead, 'credential.revealed').map((e) => e.details['field'])).toEqual([
      'username',
      'password',
    ]);
  });

  it('an account without recovery codes says so and how to register them, and records no reveal', () => {
    let error: unknown;
    try {
      revealCredentialField(lead, accounts[0]!, 'recovery-codes', 'account hacked');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).code).toBe(ErrorCode.INVALID_INPUT);
    expect((error as VaultError).message).toMatch(/No recovery codes.*9\.8.*--recovery-codes-file/);
    expect(entriesOfKind(lead, 'credential.revealed')).toEqual([]);
  });
});
