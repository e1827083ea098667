import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/ipc/contract.ts';
import { grantAccess } from '../../electron/vault/domain/teams.ts';
import { resolvePerson } from '../../electron/vault/domain/people.ts';
import { adminScopeVault, MINE } from '../helpers/admin-scope.ts';
import { consoleRouter, unlockAt } from '../helpers/router.ts';
import { PASSPHRASES, tempDir, unlockAs } from '../helpers/vault.ts';

/**
 * Attack: Lee Other is on the team of an account Ada Admin administers and of one she does not.
 * Policy 10.2 gives each administrator "details of all staff members with access" to *their*
 * account, and 9.14 puts the rest with that account's own line manager: the record of a person who
 * also works on another team's account is that account's administrator's as much as hers. So an
 * administrator corrects a person's record only when they administer every account the person has
 * access to; with one of them, she could rename someone on another team's account (and the trail
 * and health findings of that account would name the new name). Refused, nothing written; the
 * console offers no Edit; the lead and the DMT still may.
 */
describe('an administrator editing a person who also has access to an account she does not administer', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/attack.vault`;
    await adminScopeVault(path);
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      grantAccess(lead, { account: MINE, person: 'Lee Other' });
    } finally {
      lead.close();
    }
  });
  afterEach(() => dir.cleanup());

  it('10.2, 9.14: people.edit is refused, nothing changes, and the list offers no Edit', async () => {
    const router = consoleRouter();
    expect(await unlockAt(router, path, 'Ada Admin', PASSPHRASES.admin)).toMatchObject({
      ok: true,
    });
    const edit = await router.invoke('people.edit', { person: 'Lee Other', name: 'Lee Renamed' });
    expect(edit).toMatchObject({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: expect.stringMatching(/every account.*10\.2, 9\.14/),
      },
    });
    const list = await router.invoke('people.list', {});
    expect(list.ok).toBe(true);
    const people = list.ok ? (list.value as ResponseOf<'people.list'>) : [];
    expect(people.find((p) => p.person.name === 'Lee Other')).toMatchObject({ canEdit: false });
    // Kay Patel is on Ada's account only: hers to correct.
    expect(people.find((p) => p.person.name === 'Kay Patel')).toMatchObject({ canEdit: true });
    expect(
      await router.invoke('people.edit', { person: 'Kay Patel', department: 'Roads' }),
    ).toMatchObject({ ok: true });
    router.lock('quit');

    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(resolvePerson(lead, 'Lee Other').value.name).toBe('Lee Other');
      expect(resolvePerson(lead, 'Kay Patel').value.department).toBe('Roads');
    } finally {
      lead.close();
    }
  });

  it('the DMT corrects the same record (10.2: every account)', async () => {
    const router = consoleRouter();
    await unlockAt(router, path, 'Dev Dmt', PASSPHRASES.dmt);
    expect(
      await router.invoke('people.edit', { person: 'Lee Other', name: 'Lee Renamed' }),
    ).toMatchObject({ ok: true, value: { name: 'Lee Renamed' } });
    router.lock('quit');
  });
});
