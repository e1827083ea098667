import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import {
  addThirdPartyApp,
  removeThirdPartyApp,
} from '../../electron/vault/domain/third-party-apps.ts';
import { thirdPartyAppsTable } from '../../electron/vault/store/registry-tables.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';

/**
 * Policy 6.3: "Any applications added to social media accounts by Corporate Communications must
 * not be deleted." The console hides Remove from an administrator, but the administrator holds
 * the account and can call the core directly (a script over the vault core, as the CLI does).
 * The core refuses, and nothing is written.
 */
describe('an administrator removing a Corporate Communications app through the core is refused (6.3)', () => {
  const dir = tempDir();
  const path = `${dir.dir}/app-core.vault`;
  let app: string;

  beforeAll(async () => {
    const [x] = (await populatedVault(path)).accounts as [string];
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      grantAdministrator(lead, x, findMemberByName(lead, 'Ada Admin').id);
      app = addThirdPartyApp(lead, {
        account: x,
        name: 'Orlo',
        addedBy: 'corporate-communications',
        addedByName: 'Corporate Communications',
        addedOn: '2026-10-01',
        reaches: ['publish', 'direct-messages'],
      }).id;
    } finally {
      lead.close();
    }
  });
  afterAll(() => dir.cleanup());

  it('the administrator of the account is refused, citing 6.3, and the app stays on record', async () => {
    const ada = await unlockAs(path, 'Ada Admin', PASSPHRASES.admin);
    try {
      const before = thirdPartyAppsTable.get(ada.db, ada.keys.vault, app)!;
      expect(() => removeThirdPartyApp(ada, { app, reason: 'Not needed' })).toThrow(
        expect.objectContaining({
          code: ErrorCode.FORBIDDEN,
          message: expect.stringMatching(/Corporate Communications.*6\.3/),
        }),
      );
      expect(thirdPartyAppsTable.get(ada.db, ada.keys.vault, app)).toEqual(before);
    } finally {
      ada.close();
    }
  });
});
