import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detailFields } from '../../../electron/vault/audit/people-view.ts';
import {
  closeComplaint,
  recordComplaint,
  recordReferralOutcome,
  referComplaint,
} from '../../../electron/vault/domain/complaints.ts';
import { accountHistory } from '../../../electron/vault/domain/history.ts';
import {
  addThirdPartyApp,
  removeThirdPartyApp,
} from '../../../electron/vault/domain/third-party-apps.ts';
import { requestTrial } from '../../../electron/vault/domain/trials.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

/**
 * The policy records of migration 011 in the places people read the trail (issue 15): an account's
 * history tells its complaints (6.4) and its apps (6.3, 10.2); the audit view names complaints,
 * trials and apps instead of showing their ids, and says the policy's words for the bodies and
 * adders.
 */
describe('complaints, trials and apps in the history and the audit view', () => {
  let dir: { dir: string; cleanup: () => void };
  let session: VaultSession;
  let account: string;
  let other: string;

  beforeAll(async () => {
    dir = tempDir();
    const path = `${dir.dir}/records.vault`;
    [account, other] = (await populatedVault(path)).accounts as [string, string];
    session = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
  });
  afterAll(() => {
    session.close();
    dir.cleanup();
  });

  it("an account's history tells each complaint step and each app, in the trail's order, and no other account's", () => {
    const complaint = recordComplaint(session, {
      account,
      kind: 'breach',
      summary: 'Posted a custody photo',
      receivedOn: '2026-11-20',
    });
    referComplaint(session, { complaint: complaint.id, to: 'line-management', on: '2026-11-21' });
    referComplaint(session, {
      complaint: complaint.id,
      to: 'professional-standards',
      on: '2026-11-22',
    });
    recordReferralOutcome(session, {
      complaint: complaint.id,
      to: 'line-management',
      outcome: 'Words of advice',
      on: '2026-11-25',
    });
    recordReferralOutcome(session, {
      complaint: complaint.id,
      to: 'professional-standards',
      outcome: 'No misconduct',
      on: '2026-11-26',
    });
    closeComplaint(session, { complaint: complaint.id, outcome: 'Advice given', on: '2026-11-26' });
    const app = addThirdPartyApp(session, {
      account,
      name: 'Orlo',
      addedBy: 'corporate-communications',
      addedByName: 'Corporate Communications',
      addedOn: '2026-10-01',
      reaches: ['publish', 'analytics'],
    });
    removeThirdPartyApp(session, { app: app.id, reason: 'Contract ended' });
    recordComplaint(session, {
      account: other,
      kind: 'issue',
      summary: 'Not ours',
      receivedOn: '2026-11-20',
    });

    const told = accountHistory(session, account)
      .filter((e) => e.kind === 'complaint' || e.kind === 'third-party-app')
      .map((e) => e.summary);
    expect(told).toEqual([
      'Breach of the policy recorded, received 2026-11-20 (6.4)',
      'Breach of the policy referred to line management on 2026-11-21 (6.4)',
      'Breach of the policy referred to the Professional Standards Department on 2026-11-22 (6.4)',
      'Breach of the policy: the outcome from line management recorded, 2026-11-25 (6.4)',
      'Breach of the policy: the outcome from the Professional Standards Department recorded, 2026-11-26 (6.4)',
      'Breach of the policy closed on 2026-11-26 (6.4)',
      'third-party app Orlo added by Corporate Communications on 2026-10-01, reaching publish, analytics (6.3, 10.2)',
      'third-party app Orlo removed: Contract ended (6.3)',
    ]);
    expect(accountHistory(session, other).map((e) => e.summary)).toContain(
      'Issue recorded, received 2026-11-20 (6.4)',
    );
  });

  it('the audit view names the complaint, the trial and the app, and words the body and adder; the CSV keeps ids', () => {
    const complaint = recordComplaint(session, {
      account,
      kind: 'discrepancy',
      summary: 'Handle differs',
      receivedOn: '2026-11-27',
    });
    const trial = requestTrial(session, {
      platform: 'Threads',
      purpose: 'Reach younger audiences',
      requestedBy: 'PC Lowe',
      coveredByPolicy: true,
    });
    const app = addThirdPartyApp(session, {
      account,
      name: 'Hootsuite',
      addedBy: 'account-team',
      addedByName: 'PC Lowe',
      addedOn: '2026-11-01',
      reaches: ['publish'],
    });
    const shown = (details: Record<string, string>) =>
      Object.fromEntries(
        detailFields(session, details, { names: true }).map((f) => [f.name, f.value]),
      );
    expect(shown({ complaint: complaint.id, to: 'information-security' })).toEqual({
      complaint: 'Discrepancy received 2026-11-27',
      to: 'Information Security',
    });
    expect(shown({ trial: trial.id })).toEqual({
      trial: `Threads trial requested ${trial.clear.requested_on}`,
    });
    expect(shown({ app: app.id, addedBy: 'corporate-communications' })).toEqual({
      app: 'Hootsuite',
      addedBy: 'Corporate Communications',
    });
    // A value outside the policy's words, or an id whose row is gone, is shown as it is.
    expect(shown({ to: 'constructor', app: 'gone-app-id' })).toEqual({
      to: 'constructor',
      app: 'gone-app-id',
    });
    expect(detailFields(session, { complaint: complaint.id, to: 'information-security' })).toEqual([
      { name: 'complaint', value: complaint.id },
      { name: 'to', value: 'information-security' },
    ]);
  });
});
