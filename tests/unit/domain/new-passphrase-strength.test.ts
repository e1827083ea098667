import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import { addMember, changeOwnPassphrase } from '../../../electron/vault/domain/members.ts';
import { checkNewPassphrase } from '../../../electron/vault/domain/new-passphrase.ts';
import { createVault } from '../../../electron/vault/vault.ts';
import { VaultRouter } from '../../../electron/vault/router.ts';
import { MemoryClipboard } from '../../../scripts/preview/console-page.ts';
import { ManualTimers } from '../../helpers/timers.ts';
import { PASSPHRASES, populatedVault, tempDir, TEST_KDF, unlockAs } from '../../helpers/vault.ts';

/**
 * Issue 15: "password1234" was accepted as a member's passphrase, which alone guards their keys
 * against anyone holding a copy of the file. A new passphrase needs at least 12 characters and a
 * zxcvbn score of at least 3, judged with the member's name as context.
 */
describe('a new passphrase', () => {
  it('is refused when it is guessable, however long, saying what to do', () => {
    for (const weak of ['password1234', 'aaaaaaaaaaaaaaaa', 'custodian2026!', 'qwertyuiop123']) {
      expect(() => checkNewPassphrase(weak), weak).toThrow(
        /too easy to guess \(strength [0-2] of 4; at least 3 is needed\)\. Use three or four unrelated words/,
      );
    }
  });

  it('is refused when it is the member’s own name with a year', () => {
    expect(() => checkNewPassphrase('Rosalind Okafor 2026', ['Rosalind Okafor'])).toThrow(
      /too easy to guess/,
    );
    // The same words from someone else are only words.
    expect(() => checkNewPassphrase('Rosalind Okafor 2026')).not.toThrow();
  });

  it('is still refused when short, and accepted when long and unguessable', () => {
    expect(() => checkNewPassphrase('Zq7!x')).toThrow(/too short: use at least 12 characters/);
    expect(() => checkNewPassphrase('otter lantern quietly banjo')).not.toThrow();
  });

  describe('everywhere one is chosen', () => {
    let dir: { dir: string; cleanup: () => void };
    let path: string;
    beforeEach(async () => {
      dir = tempDir();
      path = `${dir.dir}/team.vault`;
      await populatedVault(path);
    });
    afterEach(() => dir.cleanup());

    it('creating a vault with a weak founder passphrase writes no file', async () => {
      const fresh = `${dir.dir}/fresh.vault`;
      await expect(
        createVault(fresh, { founderName: 'Lena Lead', passphrase: 'password1234', kdf: TEST_KDF }),
      ).rejects.toMatchObject({ code: ErrorCode.INVALID_INPUT });
      expect(existsSync(fresh)).toBe(false);
    });

    it('adding a member or changing one’s own passphrase refuses a weak one and changes nothing', async () => {
      const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
      try {
        await expect(
          addMember(lead, { name: 'Nia Newcomer', role: 'dmt', passphrase: 'password1234' }),
        ).rejects.toMatchObject({ code: ErrorCode.INVALID_INPUT });
        await expect(changeOwnPassphrase(lead, 'password1234')).rejects.toMatchObject({
          code: ErrorCode.INVALID_INPUT,
        });
      } finally {
        lead.close();
      }
      await expect(unlockAs(path, 'Nia Newcomer', 'password1234')).rejects.toMatchObject({
        code: ErrorCode.AUTH_FAILED,
      });
      (await unlockAs(path, 'Lena Lead', PASSPHRASES.lead)).close();
    });
  });

  it('the console asks the core before anyone is unlocked, and hears the same rule', async () => {
    const router = new VaultRouter({
      clipboard: new MemoryClipboard(),
      timers: new ManualTimers(),
    });
    expect(
      await router.invoke('generator.passphrase-check', { passphrase: 'password1234' }),
    ).toMatchObject({
      ok: true,
      value: { problem: expect.stringMatching(/too easy to guess/) },
    });
    expect(
      await router.invoke('generator.passphrase-check', {
        passphrase: 'Rosalind Okafor 2026',
        name: 'Rosalind Okafor',
      }),
    ).toMatchObject({ ok: true, value: { problem: expect.stringMatching(/too easy to guess/) } });
    const good = await router.invoke('generator.passphrase-check', {
      passphrase: 'otter lantern quietly banjo',
    });
    expect(good).toMatchObject({ ok: true, value: { problem: null } });
    expect((good as { value: { score: number } }).value.score).toBeGreaterThanOrEqual(3);
  });
});
