import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../../electron/vault/domain/account-creation.ts';
import { addPerson } from '../../../electron/vault/domain/people.ts';
import { closeAccount } from '../../../electron/vault/domain/requests.ts';
import { grantAccess, membershipsOf, revokeAccess } from '../../../electron/vault/domain/teams.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { newVault, tempDir } from '../../helpers/vault.ts';

/** 9.11: a closed account has no team to join; those who had access can still be taken off it. */
describe('a closed account', () => {
  let cleanup: () => void;
  let session: VaultSession;
  let id: string;

  beforeEach(async () => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    session = await newVault(`${dir}/c.vault`);
    ({ id } = createAccount(session, {
      platform: 'x',
      handle: 'NorfolkPolice',
      force: 'norfolk',
      unitType: 'department',
      unitName: 'Corporate Communications',
      username: 'norfolk-comms',
      password: 'first-Password-1',
    }));
    addPerson(session, { name: 'Kay Patel' });
    addPerson(session, { name: 'Lee Other' });
    grantAccess(session, { account: id, person: 'Kay Patel' });
  });
  afterEach(() => {
    session.close();
    cleanup();
  });

  it('gives nobody access once closed, and says so; removing access still works', () => {
    closeAccount(session, {
      account: id,
      consultedOn: '2026-03-01',
      publicNoticeOn: '2026-03-02',
      alternativeChannel: 'x:NorfolkConstab',
    });
    expect(() => grantAccess(session, { account: id, person: 'Lee Other' })).toThrow(
      /x:NorfolkPolice is closed \(9\.11\): nobody is given access/,
    );
    expect(membershipsOf(session, id).map((m) => m.clear.revoked_on)).toEqual([null]);
    revokeAccess(session, { account: id, person: 'Kay Patel', why: 'account closed' });
    expect(membershipsOf(session, id).map((m) => m.clear.revoked_on)).not.toContain(null);
  });

  it('still takes a team while its closure is only begun (the public not yet told)', () => {
    closeAccount(session, { account: id, consultedOn: '2026-03-01' });
    expect(() => grantAccess(session, { account: id, person: 'Lee Other' })).not.toThrow();
  });
});
