import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { removeThirdPartyApp } from '../../electron/vault/domain/third-party-apps.ts';
import { thirdPartyAppsTable } from '../../electron/vault/store/registry-tables.ts';
import { sealRow } from '../../electron/vault/store/sealed-row.ts';
import { PASSPHRASES, tempDir, unlockAs } from '../helpers/vault.ts';
import {
  corporateCommunicationsAppVault,
  editVault,
  resignStateAs,
  signingKeysOf,
} from './insider.ts';

/**
 * Policy 6.3 again: every member holds K_vault, so an administrator can re-seal the app's row to
 * say their own team added it, sign the edited state as theirs, and then ask the core to remove
 * it. Who added an app is read from the signed trail entry the row points at, not from the row:
 * the core finds the row disagreeing with that entry and refuses as tampering, writing nothing;
 * `audit verify` names the row.
 */
describe('a Corporate Communications app re-sealed as the account team’s is still protected (6.3)', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  let app: string;

  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/app-reseal.vault`;
    app = await corporateCommunicationsAppVault(path);
  });
  afterEach(() => dir.cleanup());

  it('the core refuses the removal as tampering, and verify names the row', async () => {
    const keys = await signingKeysOf(path, { name: 'Ada Admin', passphrase: PASSPHRASES.admin });
    const ada = await unlockAs(path, 'Ada Admin', PASSPHRASES.admin);
    let sealed: Buffer;
    try {
      const row = thirdPartyAppsTable.get(ada.db, ada.keys.vault, app)!;
      sealed = sealRow(
        ada.keys.vault,
        { table: 'third_party_apps', id: app, version: row.version, clear: row.clear },
        { ...row.value, addedBy: 'account-team', addedByName: 'PC Lowe' },
      );
    } finally {
      ada.close();
    }
    editVault(path, 'UPDATE third_party_apps SET sealed = ? WHERE id = ?', sealed, app);
    resignStateAs(path, keys);

    const again = await unlockAs(path, 'Ada Admin', PASSPHRASES.admin);
    try {
      expect(() => removeThirdPartyApp(again, { app, reason: 'Ours now' })).toThrow(
        expect.objectContaining({
          code: ErrorCode.INTEGRITY,
          message: expect.stringContaining(`third_party_apps row ${app}`),
        }),
      );
      expect(thirdPartyAppsTable.get(again.db, again.keys.vault, app)!.clear.removed_on).toBeNull();
    } finally {
      again.close();
    }
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(await verifyVault(lead)).toMatchObject({ ok: false });
    } finally {
      lead.close();
    }
  });
});
