import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { PASSPHRASES, tempDir, unlockAs } from '../helpers/vault.ts';
import {
  corporateCommunicationsAppVault,
  editVault,
  resignStateAs,
  signingKeysOf,
} from './insider.ts';

/**
 * Policy 6.3: an app Corporate Communications added must not be deleted. An administrator who
 * cannot remove it through the core deletes its row with sqlite3 instead. The row is in the
 * signed state (ADR 0020), so unlock refuses the file naming the table; and if the administrator
 * then signs the edited state as their own (any member can), `audit verify` still finds the app
 * the trail recorded as added with no row to hold it.
 */
describe('a Corporate Communications app row deleted with sqlite3 is caught (6.3)', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  let app: string;

  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/app-delete.vault`;
    app = await corporateCommunicationsAppVault(path);
  });
  afterEach(() => dir.cleanup());

  it('unlock refuses the file, naming the third_party_apps table', async () => {
    editVault(path, 'DELETE FROM third_party_apps WHERE id = ?', app);
    for (const [name, passphrase] of [
      ['Lena Lead', PASSPHRASES.lead],
      ['Ada Admin', PASSPHRASES.admin],
    ] as const) {
      await expect(unlockAs(path, name, passphrase)).rejects.toMatchObject({
        code: ErrorCode.INTEGRITY,
        message: expect.stringContaining('third_party_apps'),
      });
    }
  });

  it('re-signed as the administrator, audit verify names the missing row and the entry that added it', async () => {
    const ada = await signingKeysOf(path, { name: 'Ada Admin', passphrase: PASSPHRASES.admin });
    editVault(path, 'DELETE FROM third_party_apps WHERE id = ?', app);
    resignStateAs(path, ada);
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      const report = await verifyVault(lead);
      expect(report).toMatchObject({ ok: false, where: `third_party_apps row ${app}` });
      expect(report.ok ? '' : report.problem).toMatch(/is missing: audit entry #\d+ recorded Orlo/);
    } finally {
      lead.close();
    }
  });
});
