import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { grantAdministrator } from '../../../electron/vault/domain/administrators.ts';
import { findMemberByName } from '../../../electron/vault/domain/members.ts';
import { evaluateHealth } from '../../../electron/vault/health/evaluate.ts';
import type { VaultRouter } from '../../../electron/vault/router.ts';
import { entriesOfKind, SALTED } from '../../helpers/audit.ts';
import { call, routerAs, value } from '../../helpers/policy-routers.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

type AppView = {
  id: string;
  name: string;
  addedBy: string;
  addedByName: string;
  addedOn: string;
  reaches: string[];
  removedOn: string | null;
  protectedByPolicy: boolean;
  canRemove: boolean;
  recordedBy: string;
};

/** 6.3, 10.2: apps added to accounts — which, who added it, when, what it reaches. */
describe('third-party applications on accounts (6.3, 10.2)', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  let x: string;

  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/apps.vault`;
    [x] = (await populatedVault(path)).accounts as [string, string];
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    grantAdministrator(lead, x, findMemberByName(lead, 'Ada Admin').id);
    lead.close();
  });
  afterEach(() => dir.cleanup());

  const add = (via: VaultRouter, addedBy: string, name: string, extra: object = {}) =>
    value<{ id: string }>(via, 'apps.add', {
      account: x,
      name,
      addedBy,
      addedByName: addedBy === 'corporate-communications' ? 'Corporate Communications' : 'PC Lowe',
      addedOn: '2026-11-02',
      reaches: ['publish', 'analytics'],
      ...extra,
    }).then((r) => r.id);
  const apps = (via: VaultRouter) => value<AppView[]>(via, 'apps.list', { account: x });

  async function as<T>(name: string, passphrase: string, use: (r: VaultRouter) => Promise<T>) {
    const router = await routerAs(path, name, passphrase);
    try {
      return await use(router);
    } finally {
      router.lock('quit');
    }
  }

  it('records which app, who added it, when and what it can reach, audited with the same', async () => {
    const id = await as('Dev Dmt', PASSPHRASES.dmt, (dmt) =>
      add(dmt, 'corporate-communications', 'Hootsuite'),
    );
    const listed = await as('Sam Security', PASSPHRASES.security, apps);
    expect(listed).toEqual([
      expect.objectContaining({
        id,
        name: 'Hootsuite',
        addedBy: 'corporate-communications',
        addedByName: 'Corporate Communications',
        addedOn: '2026-11-02',
        reaches: ['publish', 'analytics'],
        removedOn: null,
        protectedByPolicy: true,
        recordedBy: 'Dev Dmt',
        // Security staff read the registry and change nothing.
        canRemove: false,
      }),
    ]);
    const session = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
    try {
      expect(entriesOfKind(session, 'third-party-app.added')[0]).toMatchObject({
        account: x,
        details: {
          app: id,
          name: 'Hootsuite',
          addedBy: 'corporate-communications',
          addedByName: 'Corporate Communications',
          addedOn: '2026-11-02',
          reaches: ['publish', 'analytics'],
          ...SALTED,
        },
      });
    } finally {
      session.close();
    }
  });

  it('6.3: an app Corporate Communications added is not removed by the account administrator; the DMT may', async () => {
    const id = await as('Dev Dmt', PASSPHRASES.dmt, (dmt) =>
      add(dmt, 'corporate-communications', 'Hootsuite'),
    );
    await as('Ada Admin', PASSPHRASES.admin, async (admin) => {
      expect((await apps(admin))[0]).toMatchObject({ protectedByPolicy: true, canRemove: false });
      const refused = await call(admin, 'apps.remove', { app: id, reason: 'We do not use it' });
      expect(refused).toMatchObject({
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message: expect.stringMatching(/Corporate Communications.*6\.3/),
        },
      });
      expect((await apps(admin))[0]!.removedOn).toBeNull();
    });
    await as('Dev Dmt', PASSPHRASES.dmt, async (dmt) => {
      await value(dmt, 'apps.remove', {
        app: id,
        reason: 'Contract ended (Corporate Communications)',
      });
      expect((await apps(dmt))[0]!.removedOn).not.toBeNull();
      expect(await call(dmt, 'apps.remove', { app: id, reason: 'again' })).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(/already removed/) },
      });
    });
  });

  it("an app the account's team added is removed by its administrator, with the reason kept", async () => {
    const id = await as('Ada Admin', PASSPHRASES.admin, (admin) =>
      add(admin, 'account-team', 'Twitpic'),
    );
    await as('Ada Admin', PASSPHRASES.admin, async (admin) => {
      expect((await apps(admin))[0]).toMatchObject({ protectedByPolicy: false, canRemove: true });
      await value(admin, 'apps.remove', { app: id, reason: 'Twitpic owns the photos (10.2)' });
      expect((await apps(admin))[0]).toMatchObject({
        removeReason: 'Twitpic owns the photos (10.2)',
        removedBy: 'Ada Admin',
      });
    });
  });

  it('refuses bad input saying what to fix, and saves nothing', async () => {
    await as('Dev Dmt', PASSPHRASES.dmt, async (dmt) => {
      for (const [extra, message] of [
        [{ reaches: [] }, /at least one/],
        [{ name: '  ' }, /app name must not be empty/],
        [{ addedOn: '2999-01-01' }, /future/],
        [{ addedBy: 'someone' }, /addedBy/],
        [{ termsReadOn: 'yesterday' }, /YYYY-MM-DD/],
      ] as const) {
        const request: Record<string, unknown> = {
          account: x,
          name: 'Buffer',
          addedBy: 'account-team',
          addedByName: 'PC Lowe',
          addedOn: '2026-11-02',
          reaches: ['publish'],
        };
        const result = await call(dmt, 'apps.add', { ...request, ...extra });
        expect(result, JSON.stringify(extra)).toMatchObject({
          ok: false,
          error: { code: 'INVALID_INPUT', message: expect.stringMatching(message) },
        });
      }
      expect(await apps(dmt)).toEqual([]);
    });
  });

  it('health (10.2): an app whose small print nobody has read is a warning until it is recorded or removed', async () => {
    await as('Dev Dmt', PASSPHRASES.dmt, async (dmt) => {
      await add(dmt, 'account-team', 'Twitpic', { reaches: ['media-ownership'] });
      await add(dmt, 'account-team', 'Buffer', { termsReadOn: '2026-11-02' });
    });
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(
        evaluateHealth(lead, { account: x })
          .filter((f) => f.rule === 'third-party-app-terms')
          .map((f) => `${f.clause} ${f.severity}: ${f.evidence}`),
      ).toEqual([
        '10.2 warning: Twitpic can claim or reuse media uploaded through it; nobody has recorded reading its small print.',
      ]);
    } finally {
      lead.close();
    }
  });
});
