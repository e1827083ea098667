import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestOf, ResponseOf } from '../../shared/ipc/contract.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';
import { VaultRouter } from '../../electron/vault/router.ts';
import { MemoryClipboard } from '../../scripts/preview/console-page.ts';
import { unlockAt } from '../helpers/router.ts';
import { ManualTimers } from '../helpers/timers.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../helpers/vault.ts';

/**
 * Issue 14, optimistic versions through the IPC contract (ADR 0023): every request that edits an
 * existing account carries the version its form was opened on. Opened before another member's
 * change, it is refused as CONFLICT naming who changed it and when, and nothing is written — no
 * change, no audit entry. Opened on the current version, it is written and the version goes up.
 */
type Edit = {
  [
    C in
      | 'credentials.rotate'
      | 'credentials.set-extras'
      | 'accounts.set-details'
      | 'accounts.rename'
      | 'accounts.activity'
  ]: { channel: C; request: (account: string, n: number) => RequestOf<C> };
}[
  | 'credentials.rotate'
  | 'credentials.set-extras'
  | 'accounts.set-details'
  | 'accounts.rename'
  | 'accounts.activity'];

const EDITS: Edit[] = [
  {
    channel: 'credentials.rotate',
    request: (account, n) => ({
      account,
      reason: 'scheduled',
      password: `Conflict-Test-Password-${n}-x9`,
      informed: [],
    }),
  },
  {
    channel: 'credentials.set-extras',
    request: (account, n) => ({ account, username: `login-${n}` }),
  },
  {
    channel: 'accounts.set-details',
    request: (account, n) => ({ account, notes: `notes ${n}` }),
  },
  {
    channel: 'accounts.rename',
    request: (account, n) => ({ account, handle: `NorfolkPolice${n}`, informed: [] }),
  },
  {
    channel: 'accounts.activity',
    request: (account, n) => ({ account, on: `2026-0${n}-01` }),
  },
];

describe('a stale expected version through the router', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  let account: string;
  let router: VaultRouter;

  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/conflicts.vault`;
    ({
      accounts: [account = ''],
    } = await populatedVault(path));
    router = new VaultRouter({
      clipboard: new MemoryClipboard(),
      timers: new ManualTimers(),
      files: typedPathChooser,
    });
  });
  afterEach(() => {
    router.lock('quit');
    dir.cleanup();
  });

  const as = async (name: string, passphrase: string) => {
    router.lock('asked');
    expect((await unlockAt(router, path, name, passphrase)).ok).toBe(true);
  };
  const detail = async () => {
    const result = await router.invoke('accounts.detail', { account });
    if (!result.ok) throw new Error(result.error.message);
    return (result.value as ResponseOf<'accounts.detail'>).account;
  };
  const trailSize = async () => {
    const page = await router.invoke('audit.page', { offset: 0, limit: 1 });
    if (!page.ok) throw new Error(page.error.message);
    return (page.value as ResponseOf<'audit.page'>).total;
  };
  const send = (edit: Edit, n: number, expectedVersion: number) =>
    router.invoke(edit.channel, { ...edit.request(account, n), expectedVersion });

  it.each(EDITS.map((edit) => [edit.channel, edit] as const))(
    '%s: refused on the version the form opened on once Dev Dmt rotated since, written on the new one',
    async (_, edit) => {
      await as('Lena Lead', PASSPHRASES.lead);
      const opened = await detail();

      // Another member's change between loading the form and saving it.
      await as('Dev Dmt', PASSPHRASES.dmt);
      const rotated = await router.invoke('credentials.rotate', {
        account,
        reason: 'security-risk',
        password: 'Dev-Changed-It-First-77',
        informed: [],
        expectedVersion: opened.version,
      });
      expect(rotated.ok).toBe(true);

      await as('Lena Lead', PASSPHRASES.lead);
      const before = await detail();
      expect(before.version).toBe(opened.version + 1);
      const entries = await trailSize();

      const refused = await send(edit, 2, opened.version);
      expect(refused.ok).toBe(false);
      if (refused.ok) return;
      expect(refused.error.code).toBe(ErrorCode.CONFLICT);
      expect(refused.error.message).toMatch(
        /^Dev Dmt rotated x:NorfolkPolice at \d\d:\d\d UTC while you were editing; nothing was saved\./,
      );
      // Nothing written: the account is as Dev left it, and the trail has no entry for the attempt.
      expect(await detail()).toEqual(before);
      expect(await trailSize()).toBe(entries);

      const saved = await send(edit, 3, before.version);
      expect(saved).toMatchObject({ ok: true });
      expect((await detail()).version).toBe(before.version + 1);
      expect(await trailSize()).toBeGreaterThan(entries);
    },
  );

  it('the account version covers its credential: new login details make a rotation form opened before them stale', async () => {
    await as('Dev Dmt', PASSPHRASES.dmt);
    const opened = await detail();
    expect(
      await router.invoke('credentials.set-extras', { account, username: 'renamed-login' }),
    ).toMatchObject({ ok: true });
    const rotated = await router.invoke('credentials.rotate', {
      account,
      reason: 'scheduled',
      password: 'After-The-Login-Changed-4',
      informed: [],
      expectedVersion: opened.version,
    });
    expect(rotated).toMatchObject({
      ok: false,
      error: {
        code: ErrorCode.CONFLICT,
        message: expect.stringMatching(/^Dev Dmt changed the login details of x:NorfolkPolice at /),
      },
    });
  });

  it('without an expected version (a one-shot command) the request is checked against what it read itself', async () => {
    await as('Lena Lead', PASSPHRASES.lead);
    const before = await detail();
    const saved = await router.invoke('accounts.set-details', { account, notes: 'from the CLI' });
    expect(saved.ok).toBe(true);
    expect((await detail()).version).toBe(before.version + 1);
  });

  it('people.train and devices.edit: refused on the version the form opened on, naming who changed it; written on the new one', async () => {
    await as('Lena Lead', PASSPHRASES.lead);
    const person = await router.invoke('people.add', { name: 'Pat Person' });
    if (!person.ok) throw new Error(person.error.message);
    const personId = (person.value as { id: string }).id;
    const device = await router.invoke('devices.add', {
      owner: 'Pat Person',
      kind: 'force',
      label: 'Work iPhone',
      accounts: [account],
    });
    expect(device.ok).toBe(true);
    const people = async () => {
      const r = await router.invoke('people.list', {});
      if (!r.ok) throw new Error(r.error.message);
      return (r.value as ResponseOf<'people.list'>).find((p) => p.id === personId)!;
    };
    const devices = async () => {
      const r = await router.invoke('devices.list', {});
      if (!r.ok) throw new Error(r.error.message);
      return (r.value as ResponseOf<'devices.list'>).devices[0]!;
    };
    const openedPerson = await people();
    const openedDevice = await devices();

    await as('Dev Dmt', PASSPHRASES.dmt);
    expect(
      await router.invoke('people.train', { person: personId, masterclassOn: '2026-02-01' }),
    ).toMatchObject({ ok: true });
    expect(
      await router.invoke('devices.edit', { device: openedDevice.id, label: 'Work iPhone 15' }),
    ).toMatchObject({ ok: true });

    await as('Lena Lead', PASSPHRASES.lead);
    const personNow = await people();
    const deviceNow = await devices();
    const entries = await trailSize();
    expect(
      await router.invoke('people.train', {
        person: personId,
        refresherOn: '2026-03-01',
        expectedVersion: openedPerson.version,
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: ErrorCode.CONFLICT,
        message: expect.stringMatching(
          /^Dev Dmt recorded training for Pat Person at \d\d:\d\d UTC while you were editing; nothing was saved/,
        ),
      },
    });
    expect(
      await router.invoke('devices.edit', {
        device: openedDevice.id,
        label: 'Lena typed this',
        expectedVersion: openedDevice.version,
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: ErrorCode.CONFLICT,
        message: expect.stringMatching(
          /^Dev Dmt changed Work iPhone 15 at \d\d:\d\d UTC while you were editing; nothing was saved/,
        ),
      },
    });
    expect(await people()).toEqual(personNow);
    expect(await devices()).toEqual(deviceNow);
    expect(await trailSize()).toBe(entries);

    expect(
      await router.invoke('people.train', {
        person: personId,
        refresherOn: '2026-03-01',
        expectedVersion: personNow.version,
      }),
    ).toMatchObject({ ok: true });
    expect((await people()).version).toBe(personNow.version + 1);
    expect(
      await router.invoke('devices.edit', {
        device: openedDevice.id,
        label: 'Lena typed this',
        expectedVersion: deviceNow.version,
      }),
    ).toMatchObject({ ok: true });
    expect((await devices()).version).toBe(deviceNow.version + 1);
  });
});
