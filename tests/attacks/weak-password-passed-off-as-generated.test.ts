import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultRouter } from '../../electron/vault/router.ts';
import { unlockAt, consoleRouter } from '../helpers/router.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../helpers/vault.ts';

/**
 * Attack: a member (or a script in a compromised window) rotates an account to a weak password
 * and has it stored as strong, so the weak-password finding (NIST SP 800-63B, 9.10) never shows:
 * by claiming the password was generated, or by rotating right after asking for a generated one.
 * A generated password's strength is known without zxcvbn (issue 17), but only the core's own
 * record of what it generated counts; nothing the caller says does.
 */
describe('a weak password passed off as a generated one', () => {
  let dir: ReturnType<typeof tempDir>;
  let accounts: string[];
  let router: VaultRouter;

  beforeEach(async () => {
    dir = tempDir();
    const path = `${dir.dir}/attack.vault`;
    ({ accounts } = await populatedVault(path));
    router = consoleRouter();
    expect((await unlockAt(router, path, 'Dev Dmt', PASSPHRASES.dmt)).ok).toBe(true);
  });
  afterEach(() => {
    router.lock('quit');
    dir.cleanup();
  });

  it("refuses a claim in the request, and stores zxcvbn's score for a password it did not generate", async () => {
    const account = accounts[0]!;
    const claimed = await router.invoke('credentials.rotate', {
      account,
      reason: 'scheduled',
      password: 'password1',
      informed: [],
      generated: true,
      score: 4,
    });
    expect(claimed).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    // A generated password is asked for (the session now knows one), and a weak one sent instead.
    const generated = await router.invoke('generator.generate', { kind: 'characters' });
    expect(generated).toMatchObject({ ok: true, value: { score: 4 } });
    const rotated = await router.invoke('credentials.rotate', {
      account,
      reason: 'scheduled',
      password: 'password1',
      informed: [],
    });
    expect(rotated.ok).toBe(true);
    const shown = await router.invoke('accounts.show', { account });
    expect(shown).toMatchObject({ ok: true, value: { passwordStrength: 0 } });
    const findings = await router.invoke('health.report', { account });
    expect(JSON.stringify(findings)).toContain('Password strength 0/4');
  });
});
