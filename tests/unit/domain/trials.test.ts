import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VaultRouter } from '../../../electron/vault/router.ts';
import { entriesOfKind, SALTED } from '../../helpers/audit.ts';
import { call, routerAs, value } from '../../helpers/policy-routers.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

type TrialView = {
  id: string;
  version: number;
  status: string;
  coveredByPolicy: boolean;
  decidedOn: string | null;
  dml?: { decision: string; by: string };
  dcc?: { decision: string; by: string; on: string; note: string };
};

/** 3.4: trials on new channels go through the DML; what the policy may not cover, to the DCCs. */
describe('new-channel trials (3.4)', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  let lead: VaultRouter;

  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/trials.vault`;
    await populatedVault(path);
    lead = await routerAs(path, 'Lena Lead', PASSPHRASES.lead);
  });
  afterEach(() => {
    lead.lock('quit');
    dir.cleanup();
  });

  const request = (via: VaultRouter, coveredByPolicy: boolean, platform = 'Bluesky') =>
    value<{ id: string }>(via, 'trials.request', {
      platform,
      purpose: 'Reach younger audiences in Norwich',
      requestedBy: 'Insp. Reed, Norwich district',
      department: 'Norwich district',
      coveredByPolicy,
    }).then((r) => r.id);
  const trials = (via = lead) => value<TrialView[]>(via, 'trials.list', {});

  it('3.4: a trial on a channel the forces already use is refused: request an account instead (3.3, 9.3)', async () => {
    // The populated vault holds live accounts on X and Facebook.
    for (const platform of ['Twitter', 'facebook', ' X ']) {
      const refused = await call(lead, 'trials.request', {
        platform,
        purpose: 'More posts',
        requestedBy: 'PC Lowe',
        coveredByPolicy: true,
      });
      expect(refused, platform).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringMatching(/already use.*3\.3.*9\.3/) },
      });
    }
    // TikTok is in the registry's platform list, but no account uses it: it is new to the forces.
    expect(await request(lead, true, 'TikTok')).toMatch(/^[0-9a-f]{32}$/);
    expect(await trials()).toHaveLength(1);
  });

  it('3.4: a covered request is approved by the DML; the decision and its day are recorded and audited', async () => {
    const id = await request(lead, true);
    await value(lead, 'trials.decide', {
      trial: id,
      decision: 'approve',
      note: 'Three months, then review',
    });
    const [trial] = await trials();
    expect(trial).toMatchObject({
      status: 'approved',
      dml: { decision: 'approve', by: 'Lena Lead' },
    });
    expect(trial!.decidedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(
      await call(lead, 'trials.decide', { trial: id, decision: 'refuse', note: 'Changed my mind' }),
    ).toMatchObject({ ok: false, error: { message: expect.stringMatching(/already approved/) } });
  });

  it('3.4: a request the policy may not cover cannot be decided by the DML alone; escalated, the DCCs decide and it is recorded', async () => {
    const id = await request(lead, false);
    expect(
      await call(lead, 'trials.decide', { trial: id, decision: 'approve', note: 'Fine by me' }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/Deputy Chief Constables.*3\.4/),
      },
    });
    expect(
      await call(lead, 'trials.dcc-decide', {
        trial: id,
        decision: 'approve',
        by: 'DCC Smith',
        on: '2026-11-30',
        note: 'Yes',
      }),
    ).toMatchObject({ ok: false, error: { message: expect.stringMatching(/escalate it first/) } });
    await value(lead, 'trials.decide', {
      trial: id,
      decision: 'escalate',
      note: 'Covert-adjacent use: for the DCCs',
    });
    expect((await trials())[0]).toMatchObject({ status: 'escalated', decidedOn: null });
    const today = new Date().toISOString().slice(0, 10);
    await value(lead, 'trials.dcc-decide', {
      trial: id,
      decision: 'refuse',
      by: 'DCC Smith and DCC Jones',
      on: today,
      note: 'Not while the platform stores data abroad',
    });
    expect((await trials())[0]).toMatchObject({
      status: 'refused',
      decidedOn: today,
      dcc: { decision: 'refuse', by: 'DCC Smith and DCC Jones', on: today },
    });
    lead.lock('quit');
    const session = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
    try {
      expect(entriesOfKind(session, 'trial.dcc-decided').map((e) => e.details)).toEqual([
        { trial: id, decision: 'refuse', by: 'DCC Smith and DCC Jones', ...SALTED },
      ]);
    } finally {
      session.close();
    }
    lead = await routerAs(path, 'Lena Lead', PASSPHRASES.lead);
  });

  it('3.4: only the DML (the lead) decides; the DMT may record requests; security and admins neither', async () => {
    lead.lock('quit');
    const dmt = await routerAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    let id: string;
    try {
      id = await request(dmt, true);
      expect(
        await call(dmt, 'trials.decide', { trial: id, decision: 'approve', note: 'ok' }),
      ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    } finally {
      dmt.lock('quit');
    }
    for (const [name, passphrase] of [
      ['Ada Admin', PASSPHRASES.admin],
      ['Sam Security', PASSPHRASES.security],
    ] as const) {
      const other = await routerAs(path, name, passphrase);
      try {
        expect(
          await call(other, 'trials.request', {
            platform: 'Mastodon',
            purpose: 'x',
            requestedBy: 'y',
            coveredByPolicy: true,
          }),
        ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        expect(await trials(other)).toHaveLength(1);
      } finally {
        other.lock('quit');
      }
    }
    lead = await routerAs(path, 'Lena Lead', PASSPHRASES.lead);
  });

  it('bad input says what to fix and saves nothing; a DCC decision dated before the escalation is refused', async () => {
    for (const [r, message] of [
      [
        { platform: '', purpose: 'x', requestedBy: 'y', coveredByPolicy: true },
        /platform must not be empty/,
      ],
      [
        { platform: 'Bluesky', purpose: ' ', requestedBy: 'y', coveredByPolicy: true },
        /purpose must not be empty/,
      ],
      [{ platform: 'Bluesky', purpose: 'x', requestedBy: 'y' }, /coveredByPolicy/],
    ] as const) {
      expect(await call(lead, 'trials.request', r), JSON.stringify(r)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringMatching(message) },
      });
    }
    expect(await trials()).toEqual([]);
    const id = await request(lead, false);
    await value(lead, 'trials.decide', { trial: id, decision: 'escalate', note: 'For the DCCs' });
    expect(
      await call(lead, 'trials.dcc-decide', {
        trial: id,
        decision: 'approve',
        by: 'DCC Smith',
        on: '2020-01-01',
        note: 'Yes',
      }),
    ).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/before it was escalated/) },
    });
    expect((await trials())[0]!.status).toBe('escalated');
  });
});
