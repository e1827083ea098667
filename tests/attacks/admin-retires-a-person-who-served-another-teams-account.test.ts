import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { editPerson, resolvePerson, retirePerson } from '../../electron/vault/domain/people.ts';
import { revokeAccess } from '../../electron/vault/domain/teams.ts';
import { adminScopeVault, THEIRS } from '../helpers/admin-scope.ts';
import { PASSPHRASES, tempDir, unlockAs } from '../helpers/vault.ts';

/**
 * Review of the "every account" rule (10.2, 9.14): a person may be retired only once they have no
 * access left, so the rule, asked of the accounts they reach now, held for every retirable person,
 * and any administrator could retire or rename someone who had only ever served another team's
 * account. The record is judged by every account the person has had access to, ended or not: Lee
 * Other's access to facebook:SuffolkRoadsPolicing (not Ada Admin's) ended, and Ada still may not
 * retire or rename him; the lead still may.
 */
describe("an administrator retiring a person who served only another team's account", () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/retire.vault`;
    await adminScopeVault(path);
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      revokeAccess(lead, { account: THEIRS, person: 'Lee Other', why: 'moved on' });
    } finally {
      lead.close();
    }
  });
  afterEach(() => dir.cleanup());

  it('is refused, as is a rename, and nothing is written; the lead may', async () => {
    const ada = await unlockAs(path, 'Ada Admin', PASSPHRASES.admin);
    try {
      expect(() => retirePerson(ada, 'Lee Other', { reason: 'Left the force' })).toThrow(
        expect.objectContaining({ code: ErrorCode.FORBIDDEN }),
      );
      expect(() => editPerson(ada, 'Lee Other', { name: 'Lee Renamed' })).toThrow(
        expect.objectContaining({ code: ErrorCode.FORBIDDEN }),
      );
      expect(resolvePerson(ada, 'Lee Other').value.retiredOn).toBeUndefined();
    } finally {
      ada.close();
    }
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(
        retirePerson(lead, 'Lee Other', { reason: 'Left the force' }).value.retiredOn,
      ).toBeDefined();
    } finally {
      lead.close();
    }
  });
});
