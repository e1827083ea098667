import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../../electron/vault/domain/account-creation.ts';
import { rotatePassword } from '../../../electron/vault/domain/rotations.ts';
import { closeAccount } from '../../../electron/vault/domain/requests.ts';
import { addDevice, reportLostDevice } from '../../../electron/vault/domain/devices.ts';
import { accountHistory } from '../../../electron/vault/domain/history.ts';
import { addPerson } from '../../../electron/vault/domain/people.ts';
import { grantAccess, revokeAccess } from '../../../electron/vault/domain/teams.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { createVault } from '../../../electron/vault/vault.ts';
import { PASSPHRASES, TEST_KDF, tempDir } from '../../helpers/vault.ts';

describe("an account's history (9.9, 10.1, 10.2)", () => {
  let cleanup: () => void;
  let session: VaultSession;
  let now: Date;
  const at = (time: string) => (now = new Date(`2026-03-02T${time}:00.000Z`));

  beforeEach(async () => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    at('08:00');
    session = await createVault(`${dir}/h.vault`, {
      founderName: 'Lena Lead',
      passphrase: PASSPHRASES.lead,
      kdf: TEST_KDF,
      clock: () => now,
    });
  });
  afterEach(() => {
    session.close();
    cleanup();
  });

  it('is in audit sequence order within a day (no grant after a later revoke) and carries the time of day', () => {
    at('09:00');
    const { id } = createAccount(session, {
      platform: 'x',
      handle: 'NorfolkPolice',
      force: 'norfolk',
      unitType: 'department',
      unitName: 'Corporate Communications',
      username: 'norfolk-comms',
      password: 'first-Password-1',
    });
    addPerson(session, { name: 'Kay Patel' });
    addPerson(session, { name: 'Max Manager' });
    const device = addDevice(session, {
      owner: 'Kay Patel',
      kind: 'force',
      label: 'Phone 7',
      accounts: [id],
    });
    at('09:05');
    rotatePassword(session, id, {
      reason: 'scheduled',
      password: 'second-Password-2',
      informed: [],
    });
    at('09:10');
    grantAccess(session, { account: id, person: 'Kay Patel' });
    at('09:20');
    grantAccess(session, { account: id, person: 'Max Manager' });
    at('09:30');
    revokeAccess(session, { account: id, person: 'Kay Patel', why: 'left the team' });
    at('09:35');
    reportLostDevice(session, { device: device.id });
    at('09:40');
    revokeAccess(session, { account: id, person: 'Max Manager' });

    const history = accountHistory(session, id);
    expect(history.map((e) => [e.at.slice(11, 16), e.kind, e.summary.split(' ')[0]])).toEqual([
      ['09:00', 'registered', 'registered'],
      ['09:05', 'rotation', 'password'],
      ['09:10', 'access-granted', 'Kay'],
      ['09:20', 'access-granted', 'Max'],
      ['09:30', 'access-revoked', 'Kay'],
      ['09:35', 'device-lost', 'exposed'],
      ['09:40', 'access-revoked', 'Max'],
    ]);
  });

  it('a grant recorded with an earlier date keeps its place in the trail and says the date it took effect', () => {
    at('09:00');
    const { id } = createAccount(session, {
      platform: 'x',
      handle: 'NorfolkPolice',
      force: 'norfolk',
      unitType: 'department',
      unitName: 'Corporate Communications',
      username: 'norfolk-comms',
      password: 'first-Password-1',
    });
    addPerson(session, { name: 'Kay Patel' });
    at('10:00');
    grantAccess(session, { account: id, person: 'Kay Patel', on: '2026-01-02' });
    const history = accountHistory(session, id);
    expect(history.map((e) => e.kind)).toEqual(['registered', 'access-granted']);
    expect(history[1]).toMatchObject({
      at: '2026-03-02T10:00:00.000Z',
      summary: expect.stringMatching(/Kay Patel given access.*from 2026-01-02/),
    });
  });

  it('9.11, 9.12: each step of a closure is in the history, in its place, and a hand-over names who continues it', () => {
    at('09:00');
    const account = (handle: string) =>
      createAccount(session, {
        platform: 'x',
        handle,
        force: 'norfolk',
        unitType: 'department',
        unitName: 'Corporate Communications',
        username: `${handle}-login`,
        password: 'first-Password-1',
      }).id;
    const closing = account('NorfolkPolice');
    const handed = account('NorfolkRoads');
    addPerson(session, { name: 'Sgt Ann Reid' });
    at('09:30');
    closeAccount(session, { account: closing, consultedOn: '2026-03-01' });
    at('10:00');
    rotatePassword(session, closing, {
      reason: 'scheduled',
      password: 'second-Password-2',
      informed: [],
    });
    at('11:00');
    closeAccount(session, {
      account: closing,
      consultedOn: '2026-03-01',
      publicNoticeOn: '2026-03-02',
      alternativeChannel: 'x:NorfolkConstab',
    });
    closeAccount(session, {
      account: handed,
      consultedOn: '2026-03-01',
      continuedBy: 'Sgt Ann Reid',
    });

    expect(
      accountHistory(session, closing).map((e) => [e.at.slice(11, 16), e.kind, e.summary]),
    ).toEqual([
      ['09:00', 'registered', 'registered in the vault'],
      [
        '09:30',
        'closure',
        'closure begun (9.11); Corporate Communications consulted on 2026-03-01; closed once the public is told where to go instead',
      ],
      ['10:00', 'rotation', expect.stringMatching(/^password rotated/)],
      [
        '11:00',
        'closure',
        'closed (9.11); Corporate Communications consulted on 2026-03-01, the public told where to go instead',
      ],
    ]);
    expect(accountHistory(session, handed).at(-1)).toMatchObject({
      kind: 'closure',
      summary:
        'handed over to Sgt Ann Reid, to be continued (9.12); Corporate Communications consulted on 2026-03-01',
    });
  });
});
