import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { typedPathChooser } from '../../../electron/vault/file-handles.ts';
import { VaultRouter } from '../../../electron/vault/router.ts';
import { MemoryClipboard } from '../../../scripts/preview/console-page.ts';
import { grantAdministrator } from '../../../electron/vault/domain/administrators.ts';
import { findMemberByName } from '../../../electron/vault/domain/members.ts';
import { evaluateHealth } from '../../../electron/vault/health/evaluate.ts';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import { unlockAt } from '../../helpers/router.ts';
import { entriesOfKind, SALTED } from '../../helpers/audit.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

type Value<T = unknown> =
  { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** 6.4: complaints and breaches, referred to line management first, then InfoSec and/or PSD. */
describe('complaints and breaches (6.4)', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  let router: VaultRouter;
  let x: string;
  let fb: string;

  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/complaints.vault`;
    [x, fb] = (await populatedVault(path)).accounts as [string, string];
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    grantAdministrator(lead, x, findMemberByName(lead, 'Ada Admin').id);
    lead.close();
    router = await routerAs('Dev Dmt', PASSPHRASES.dmt);
  });
  afterEach(() => {
    router.lock('quit');
    dir.cleanup();
  });

  async function routerAs(name: string, passphrase: string): Promise<VaultRouter> {
    const r = new VaultRouter({ clipboard: new MemoryClipboard(), files: typedPathChooser });
    expect(await unlockAt(r, path, name, passphrase)).toMatchObject({ ok: true });
    return r;
  }
  const call = async <T = unknown>(channel: string, request: unknown, via = router) =>
    (await via.invoke(channel, request)) as Value<T>;
  const value = async <T = unknown>(channel: string, request: unknown, via = router) => {
    const result = await call<T>(channel, request, via);
    if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
    return result.value;
  };
  const record = async (via = router, account = x) =>
    (
      await value<{ id: string }>(
        'complaints.record',
        {
          account,
          kind: 'breach',
          summary: 'Login shared on a group chat',
          receivedOn: '2026-11-20',
          raisedBy: 'A colleague',
        },
        via,
      )
    ).id;
  const list = async (via = router) =>
    value<
      {
        id: string;
        version: number;
        openReferrals: number;
        closedOn: string | null;
        referrals: { to: string; outcome?: string }[];
      }[]
    >('complaints.list', { account: x }, via);

  it('6.4: a referral to Information Security or PSD before line management is refused, saying to refer to line management first', async () => {
    const id = await record();
    for (const to of ['information-security', 'professional-standards']) {
      const refused = await call('complaints.refer', { complaint: id, to, on: '2026-11-21' });
      expect(refused).toMatchObject({
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: expect.stringMatching(/line management first.*6\.4/),
        },
      });
    }
    expect((await list())[0]!.referrals).toEqual([]);
  });

  it('6.4: referred to line management then InfoSec, each with its date and outcome, and audited in order', async () => {
    const id = await record();
    await value('complaints.refer', { complaint: id, to: 'line-management', on: '2026-11-21' });
    await value('complaints.refer', {
      complaint: id,
      to: 'information-security',
      on: '2026-11-22',
      reference: 'INC-4471',
    });
    expect((await list())[0]!.openReferrals).toBe(2);
    await value('complaints.outcome', {
      complaint: id,
      to: 'line-management',
      outcome: 'Words of advice given',
      on: '2026-11-23',
    });
    expect((await list())[0]!.openReferrals).toBe(1);
    router.lock('quit');
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(entriesOfKind(lead, 'complaint.referred').map((e) => e.details)).toEqual([
        { complaint: id, to: 'line-management', on: '2026-11-21', ...SALTED },
        { complaint: id, to: 'information-security', on: '2026-11-22', ...SALTED },
      ]);
      expect(entriesOfKind(lead, 'complaint.outcome')).toHaveLength(1);
      expect(entriesOfKind(lead, 'complaint.recorded')[0]).toMatchObject({ account: x });
    } finally {
      lead.close();
    }
    router = await routerAs('Dev Dmt', PASSPHRASES.dmt);
  });

  it('6.4: it cannot be closed before line management has it and every referral has its outcome', async () => {
    const id = await record();
    expect(await call('complaints.close', { complaint: id, outcome: 'Dealt with' })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/line management before closing/) },
    });
    await value('complaints.refer', { complaint: id, to: 'line-management', on: '2026-11-21' });
    expect(await call('complaints.close', { complaint: id, outcome: 'Dealt with' })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/outcome from line management/) },
    });
    await value('complaints.outcome', {
      complaint: id,
      to: 'line-management',
      outcome: 'Advice given',
      on: '2026-11-22',
    });
    await value('complaints.close', { complaint: id, outcome: 'Password rotated; advice given' });
    const [closed] = await list();
    expect(closed!.closedOn).not.toBeNull();
    expect(
      await call('complaints.refer', {
        complaint: id,
        to: 'information-security',
        on: '2026-11-23',
      }),
    ).toMatchObject({ ok: false, error: { message: expect.stringMatching(/closed on/) } });
  });

  it('refuses bad input with a message saying what to fix, and keeps nothing', async () => {
    for (const [request, message] of [
      [
        { account: x, kind: 'breach', summary: ' ', receivedOn: '2026-11-20' },
        /summary must not be empty/,
      ],
      [
        { account: x, kind: 'breach', summary: 'A', receivedOn: '2026-13-01' },
        /YYYY-MM-DD|not a real/,
      ],
      [{ account: x, kind: 'breach', summary: 'A', receivedOn: '2999-01-01' }, /in the future/],
      [{ account: x, kind: 'gossip', summary: 'A', receivedOn: '2026-11-20' }, /kind/],
    ] as const) {
      const result = await call('complaints.record', request);
      expect(result, JSON.stringify(request)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringMatching(message) },
      });
    }
    expect(await list()).toEqual([]);
  });

  it('a stale form is refused as a conflict naming who changed it (ADR 0023), and nothing is saved', async () => {
    const id = await record();
    const [before] = await list();
    await value('complaints.refer', { complaint: id, to: 'line-management', on: '2026-11-21' });
    const stale = await call('complaints.outcome', {
      complaint: id,
      to: 'line-management',
      outcome: 'Late',
      on: '2026-11-22',
      expectedVersion: before!.version,
    });
    expect(stale).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/Dev Dmt referred/) },
    });
    expect((await list())[0]!.referrals[0]!.outcome).toBeUndefined();
  });

  it('10.2: an administrator records complaints only on the accounts they administer; security records none', async () => {
    router.lock('quit');
    const admin = await routerAs('Ada Admin', PASSPHRASES.admin);
    try {
      expect(await record(admin, x)).toMatch(/^[0-9a-f]{32}$/);
      const refused = await call(
        'complaints.record',
        { account: fb, kind: 'complaint', summary: 'Rude reply', receivedOn: '2026-11-20' },
        admin,
      );
      expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    } finally {
      admin.lock('quit');
    }
    const security = await routerAs('Sam Security', PASSPHRASES.security);
    try {
      expect(
        await call(
          'complaints.record',
          { account: x, kind: 'complaint', summary: 'A', receivedOn: '2026-11-20' },
          security,
        ),
      ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      // Security staff read them (Information Security / Professional Standards, 6.4).
      expect(await list(security)).toHaveLength(1);
    } finally {
      security.lock('quit');
    }
    router = await routerAs('Dev Dmt', PASSPHRASES.dmt);
  });

  it('health (6.4): unreferred is an action, an open referral a warning, closed nothing; the account list marks it', async () => {
    const id = await record();
    const findings = async () => {
      router.lock('quit');
      const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
      try {
        return evaluateHealth(lead, { account: x })
          .filter((f) => f.rule === 'complaint-referral')
          .map((f) => `${f.clause} ${f.severity}: ${f.evidence}`);
      } finally {
        lead.close();
        router = await routerAs('Dev Dmt', PASSPHRASES.dmt);
      }
    };
    expect(await findings()).toEqual([
      '6.4 action: Breach of the policy received 2026-11-20, not yet referred to line management.',
    ]);
    const marked = await value<{ id: string; openComplaints?: number }[]>('accounts.list', {});
    expect(marked.find((a) => a.id === x)?.openComplaints).toBe(1);
    expect(marked.find((a) => a.id === fb)?.openComplaints).toBeUndefined();
    await value('complaints.refer', {
      complaint: id,
      to: 'line-management',
      on: '2026-11-21',
      reference: 'LM-9',
    });
    expect(await findings()).toEqual([
      '6.4 warning: Breach of the policy received 2026-11-20: open referral to line management since 2026-11-21 (ref. LM-9), no outcome recorded.',
    ]);
    await value('complaints.outcome', {
      complaint: id,
      to: 'line-management',
      outcome: 'Advice',
      on: '2026-11-22',
    });
    await value('complaints.close', { complaint: id, outcome: 'Closed with advice' });
    expect(await findings()).toEqual([]);
    expect(
      (await value<{ id: string; openComplaints?: number }[]>('accounts.list', {})).find(
        (a) => a.id === x,
      )?.openComplaints,
    ).toBeUndefined();
  });

  it('the rows are in the signed state: audit verify passes with them', async () => {
    const id = await record();
    await value('complaints.refer', { complaint: id, to: 'line-management', on: '2026-11-21' });
    router.lock('quit');
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(await verifyVault(lead)).toMatchObject({ ok: true });
    } finally {
      lead.close();
    }
    router = await routerAs('Dev Dmt', PASSPHRASES.dmt);
  });
});
