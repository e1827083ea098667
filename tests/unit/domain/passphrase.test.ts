import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import { changeOwnPassphrase } from '../../../electron/vault/domain/members.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

describe('changing your own passphrase', () => {
  let path: string;
  let cleanup: () => void;
  beforeEach(async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    path = `${temp.dir}/team.vault`;
    await populatedVault(path);
  });
  afterEach(() => cleanup());

  it('the new passphrase unlocks and the old one no longer does', async () => {
    const dmt = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    await changeOwnPassphrase(dmt, 'a brand new dmt passphrase');
    dmt.close();
    await expect(unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt)).rejects.toMatchObject({
      code: ErrorCode.AUTH_FAILED,
    });
    const again = await unlockAs(path, 'Dev Dmt', 'a brand new dmt passphrase');
    expect(again.team).toBeDefined();
    again.close();
  });

  it('a short passphrase is refused with advice, and the old one still works', async () => {
    const dmt = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    await expect(changeOwnPassphrase(dmt, 'short')).rejects.toMatchObject({
      code: ErrorCode.INVALID_INPUT,
    });
    dmt.close();
    (await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt)).close();
  });
});
