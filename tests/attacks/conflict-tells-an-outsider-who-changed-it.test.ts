import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultRouter } from '../../electron/vault/router.ts';
import { unlockAt, consoleRouter } from '../helpers/router.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../helpers/vault.ts';

/**
 * Found in review of issue 14: an administrator who does not administer an account sent a wrong
 * `expectedVersion` to rotate it, or to set its extras, and was answered CONFLICT: "Lena Lead
 * registered x:NorfolkPolice at 20:49 UTC…", and FORBIDDEN only with the right version, so the
 * answers also told them the version. The member's right is checked first: whatever the version,
 * an outsider is refused as FORBIDDEN, and learns nothing of who changed the account or when.
 */
describe('a CONFLICT never answers a member with no right to the credential', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  let router: VaultRouter;

  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/outsider.vault`;
    await populatedVault(path);
    router = consoleRouter();
    expect((await unlockAt(router, path, 'Ada Admin', PASSPHRASES.admin)).ok).toBe(true);
  });
  afterEach(() => {
    router.lock('quit');
    dir.cleanup();
  });

  for (const expectedVersion of [1, 2, 3, 99]) {
    it(`rotation and extras at version ${expectedVersion}: FORBIDDEN, naming nobody`, async () => {
      const answers = [
        await router.invoke('credentials.rotate', {
          account: 'x:NorfolkPolice',
          reason: 'scheduled',
          password: 'An-Outsiders-Password-77',
          informed: [],
          expectedVersion,
        }),
        await router.invoke('credentials.set-extras', {
          account: 'x:NorfolkPolice',
          username: 'taken-over',
          expectedVersion,
        }),
      ];
      for (const answer of answers) {
        expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        expect(JSON.stringify(answer)).not.toMatch(/Lena Lead|registered|UTC/);
      }
    });
  }
});
