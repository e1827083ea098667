import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import {
  copyCredentialField,
  currentTotpCode,
  revealCredentialField,
  revealPassword,
} from '../../../electron/vault/domain/reveal.ts';
import { setCredentialExtras } from '../../../electron/vault/domain/credential-extras.ts';
import { VaultError } from '../../../electron/vault/errors.ts';
import { entriesOfKind, SALTED } from '../../helpers/audit.ts';
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

/**
 * Issue 11: a reveal, copy or TOTP code refused for the member's role is itself an audit entry
 * (who, which account, what was asked), so security staff see attempts, not only successes (6.5).
 */
describe('refused attempts leave a trace (6.5)', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  let accounts: string[];

  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/refused.vault`;
    ({ accounts } = await populatedVault(path));
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    setCredentialExtras(lead, accounts[0]!, {
      totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DP',
      recoveryCodes: ['recovery-code-secret-1'],
    });
    lead.close();
  });
  afterEach(() => dir.cleanup());

  it('a refused member who gives no reason is still refused for the role, and recorded (reason null)', async () => {
    const security = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
    try {
      expect(codeOf(() => revealPassword(security, accounts[0]!, '   '))).toBe(ErrorCode.FORBIDDEN);
      expect(codeOf(() => currentTotpCode(security, accounts[0]!, ''))).toBe(ErrorCode.FORBIDDEN);
      expect(entriesOfKind(security, 'credential.refused')).toEqual([
        expect.objectContaining({
          details: expect.objectContaining({ asked: 'reveal', reason: null }),
        }),
        expect.objectContaining({
          details: expect.objectContaining({ asked: 'totp', reason: null }),
        }),
      ]);
    } finally {
      security.close();
    }
  });

  it('a security member refused a reveal, a copy and a TOTP code is recorded for each, with no secret', async () => {
    const security = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
    expect(
      codeOf(() => revealCredentialField(security, accounts[0]!, 'recovery-codes', 'curious')),
    ).toBe(ErrorCode.FORBIDDEN);
    expect(codeOf(() => copyCredentialField(security, accounts[0]!, 'password', 'curious'))).toBe(
      ErrorCode.FORBIDDEN,
    );
    expect(codeOf(() => currentTotpCode(security, accounts[1]!, 'curious'))).toBe(
      ErrorCode.FORBIDDEN,
    );
    const refused = entriesOfKind(security, 'credential.refused');
    expect(refused).toEqual([
      expect.objectContaining({
        actor: security.member.id,
        account: accounts[0],
        details: {
          asked: 'reveal',
          field: 'recovery-codes',
          role: 'security',
          reason: 'curious',
          ...SALTED,
        },
      }),
      expect.objectContaining({
        account: accounts[0],
        details: {
          asked: 'copy',
          field: 'password',
          role: 'security',
          reason: 'curious',
          ...SALTED,
        },
      }),
      expect.objectContaining({
        account: accounts[1],
        details: { asked: 'totp', field: null, role: 'security', reason: 'curious', ...SALTED },
      }),
    ]);
    const text = JSON.stringify(refused);
    for (const secret of ['first-Password-1', 'recovery-code-secret-1', 'JBSWY3DP']) {
      expect(text).not.toContain(secret);
    }
    expect((await verifyVault(security)).ok).toBe(true);
    security.close();
  });

  it('an administrator asking for an account they do not administer is recorded too (10.2)', async () => {
    const admin = await unlockAs(path, 'Ada Admin', PASSPHRASES.admin);
    expect(codeOf(() => revealPassword(admin, accounts[1]!, 'curious'))).toBe(ErrorCode.FORBIDDEN);
    expect(entriesOfKind(admin, 'credential.refused')).toEqual([
      expect.objectContaining({
        actor: admin.member.id,
        account: accounts[1],
        details: {
          asked: 'reveal',
          field: 'password',
          role: 'admin',
          reason: 'curious',
          ...SALTED,
        },
      }),
    ]);
    admin.close();
  });

  it('an allowed reveal records a reveal and no refusal', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    revealPassword(lead, accounts[0]!, 'posting an appeal');
    expect(entriesOfKind(lead, 'credential.refused')).toEqual([]);
    lead.close();
  });
});
