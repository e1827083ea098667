import { accountLabel } from '../../../shared/domain/accounts.ts';
import {
  complaintSchema,
  isOpenReferral,
  REFERRAL_BODY_NAMES,
  type Complaint,
  type ComplaintKind,
  type ReferralBody,
} from '../../../shared/domain/policy-records.ts';
import { randomId } from '../crypto/random.ts';
import { invalidInput, notFound } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import type { OpenedRecord } from '../store/sealed-records.ts';
import { complaintsTable } from '../store/registry-tables.ts';
import { openAccountProfile, resolveAccount } from './accounts.ts';
import { parseDate, parseInput } from './input.ts';
import { recordAtVersion } from './record-versions.ts';
import { requireRegistryChange } from './registry-access.ts';

export type ComplaintRecord = OpenedRecord<
  { account_id: string; received_on: string; closed_on: string | null },
  Complaint
>;

/** How a conflict on a complaint reads ("Dev Dmt referred the complaint about x:NorfolkPolice"). */
const CHANGES = {
  'complaint.referred': 'referred',
  'complaint.outcome': 'recorded an outcome of',
  'complaint.closed': 'closed',
} as const;

/**
 * Record a serious complaint, issue, discrepancy or breach of the policy about an account (6.4).
 * It is open until it has been referred to line management (in the first instance), every
 * referral has its outcome, and it is closed with what came of it. An administrator records one
 * only about the accounts they administer (10.2); security staff read them and change nothing.
 */
export function recordComplaint(
  session: VaultSession,
  input: {
    account: string;
    kind: ComplaintKind;
    summary: string;
    receivedOn: string;
    raisedBy?: string;
  },
): ComplaintRecord {
  const account = resolveAccount(session, input.account);
  requireRegistryChange(session, 'Recording a complaint', { accounts: [account.id] });
  const receivedOn = parseDate(input.receivedOn, 'Received on');
  notInFuture(session, receivedOn, 'The day it was received');
  const value = parseInput(
    complaintSchema,
    {
      kind: input.kind,
      summary: input.summary,
      ...(input.raisedBy?.trim() ? { raisedBy: input.raisedBy } : {}),
      recordedBy: session.member.name,
      referrals: [],
    },
    'Complaint',
  );
  return session.write(({ db, audit }) => {
    const record = complaintsTable.insert(
      db,
      session.keys.vault,
      randomId(),
      { account_id: account.id, received_on: receivedOn, closed_on: null },
      value,
    );
    audit({
      kind: 'complaint.recorded',
      account: account.id,
      details: { complaint: record.id, kind: value.kind, receivedOn },
    });
    return record;
  });
}

/**
 * Refer a complaint (6.4): to line management in the first instance, then Information Security
 * and/or the Professional Standards Department as appropriate. A body is referred to once; its
 * outcome is recorded on that referral.
 */
export function referComplaint(
  session: VaultSession,
  input: {
    complaint: string;
    to: ReferralBody;
    on: string;
    reference?: string;
    expectedVersion?: number;
  },
): ComplaintRecord {
  const complaint = openComplaint(session, input.complaint, 'Referring a complaint');
  const on = parseDate(input.on, 'Referred on');
  notInFuture(session, on, 'The day it was referred');
  if (on < complaint.clear.received_on)
    throw invalidInput(
      `It cannot be referred on ${on}, before it was received (${complaint.clear.received_on}).`,
    );
  const referrals = complaint.value.referrals;
  if (input.to !== 'line-management' && !referrals.some((r) => r.to === 'line-management')) {
    throw invalidInput(
      `Refer it to line management first: policy 6.4 sends complaints to line management in the first instance, then to ${REFERRAL_BODY_NAMES[input.to]} as appropriate.`,
    );
  }
  if (referrals.some((r) => r.to === input.to))
    throw invalidInput(
      `It has already been referred to ${REFERRAL_BODY_NAMES[input.to]}; record that referral's outcome instead.`,
    );
  const value = parseInput(
    complaintSchema,
    {
      ...complaint.value,
      referrals: [
        ...referrals,
        {
          to: input.to,
          on,
          ...(input.reference?.trim() ? { reference: input.reference } : {}),
          referredBy: session.member.name,
        },
      ],
    },
    'Referral',
  );
  return rewrite(session, complaint, input.expectedVersion, value, complaint.clear, {
    kind: 'complaint.referred',
    details: { complaint: complaint.id, to: input.to, on },
  });
}

/** Record what a body to which the complaint was referred decided or found (6.4). */
export function recordReferralOutcome(
  session: VaultSession,
  input: {
    complaint: string;
    to: ReferralBody;
    outcome: string;
    on: string;
    expectedVersion?: number;
  },
): ComplaintRecord {
  const complaint = openComplaint(session, input.complaint, 'Recording a referral outcome');
  const on = parseDate(input.on, 'Outcome on');
  notInFuture(session, on, 'The day of the outcome');
  const referral = complaint.value.referrals.find((r) => r.to === input.to);
  if (!referral)
    throw invalidInput(
      `It has not been referred to ${REFERRAL_BODY_NAMES[input.to]}; record the referral first (6.4).`,
    );
  if (!isOpenReferral(referral))
    throw invalidInput(
      `The outcome from ${REFERRAL_BODY_NAMES[input.to]} is already recorded (${referral.outcomeOn ?? 'undated'}).`,
    );
  if (on < referral.on)
    throw invalidInput(`The outcome cannot come on ${on}, before the referral (${referral.on}).`);
  const value = parseInput(
    complaintSchema,
    {
      ...complaint.value,
      referrals: complaint.value.referrals.map((r) =>
        r.to === input.to ? { ...r, outcome: input.outcome, outcomeOn: on } : r,
      ),
    },
    'Outcome',
  );
  return rewrite(session, complaint, input.expectedVersion, value, complaint.clear, {
    kind: 'complaint.outcome',
    details: { complaint: complaint.id, to: input.to, on },
  });
}

/**
 * Close a complaint with what came of it. Only once it has been referred to line management and
 * every referral has its outcome (6.4): a complaint cannot be closed past the people it goes to.
 */
export function closeComplaint(
  session: VaultSession,
  input: { complaint: string; outcome: string; on?: string; expectedVersion?: number },
): ComplaintRecord {
  const complaint = openComplaint(session, input.complaint, 'Closing a complaint');
  const on = input.on
    ? parseDate(input.on, 'Closed on')
    : session.clock().toISOString().slice(0, 10);
  notInFuture(session, on, 'The day it was closed');
  if (!complaint.value.referrals.some((r) => r.to === 'line-management'))
    throw invalidInput(
      'Refer it to line management before closing it: policy 6.4 sends every serious complaint or breach there in the first instance.',
    );
  const waiting = complaint.value.referrals.filter(isOpenReferral);
  if (waiting.length > 0)
    throw invalidInput(
      `Record the outcome from ${waiting.map((r) => REFERRAL_BODY_NAMES[r.to]).join(' and ')} before closing it (6.4).`,
    );
  const value = parseInput(
    complaintSchema,
    { ...complaint.value, outcome: input.outcome, closedBy: session.member.name },
    'Closing outcome',
  );
  return rewrite(
    session,
    complaint,
    input.expectedVersion,
    value,
    { ...complaint.clear, closed_on: on },
    { kind: 'complaint.closed', details: { complaint: complaint.id, on } },
  );
}

export function listComplaints(
  session: VaultSession,
  filter: { account?: string } = {},
): ComplaintRecord[] {
  if (filter.account === undefined) return complaintsTable.all(session.db, session.keys.vault);
  const account = resolveAccount(session, filter.account);
  return complaintsTable.all(session.db, session.keys.vault, {
    column: 'account_id',
    equals: account.id,
  });
}

/** The complaint's referrals still waiting for an outcome (6.4), none once it is closed. */
export function openReferrals(complaint: ComplaintRecord) {
  return complaint.clear.closed_on === null ? complaint.value.referrals.filter(isOpenReferral) : [];
}

/** Open complaints by account id: what the account list marks (6.4). */
export function openComplaintCounts(session: VaultSession): Map<string, number> {
  const counts = new Map<string, number>();
  for (const complaint of complaintsTable.all(session.db, session.keys.vault)) {
    if (complaint.clear.closed_on !== null) continue;
    const id = complaint.clear.account_id;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function openComplaint(session: VaultSession, id: string, what: string): ComplaintRecord {
  const complaint = complaintsTable.get(session.db, session.keys.vault, id);
  if (!complaint)
    throw notFound(`No complaint ${id}; see \`custodian complaint list\` for the ids.`);
  requireRegistryChange(session, what, { accounts: [complaint.clear.account_id] });
  if (complaint.clear.closed_on !== null)
    throw invalidInput(
      `That complaint was closed on ${complaint.clear.closed_on}; its record stands as it was. Record a new one if it has come back.`,
    );
  return complaint;
}

function rewrite(
  session: VaultSession,
  complaint: ComplaintRecord,
  expectedVersion: number | undefined,
  value: Complaint,
  clear: ComplaintRecord['clear'],
  entry: { kind: keyof typeof CHANGES; details: Record<string, string> },
): ComplaintRecord {
  return session.write(({ db, audit }) => {
    const current = recordAtVersion(session, db, complaintsTable, complaint, expectedVersion, {
      label: `the complaint about ${labelOf(session, complaint.clear.account_id)}`,
      changes: CHANGES,
      field: 'complaint',
      missing: 'The complaint is no longer in the vault; nothing was saved.',
    });
    const updated = complaintsTable.update(db, session.keys.vault, current, clear, value);
    audit({ kind: entry.kind, account: complaint.clear.account_id, details: entry.details });
    return updated;
  });
}

function labelOf(session: VaultSession, accountId: string): string {
  try {
    return accountLabel(openAccountProfile(session, resolveAccount(session, accountId)));
  } catch {
    return accountId;
  }
}

function notInFuture(session: VaultSession, day: string, what: string): void {
  const today = session.clock().toISOString().slice(0, 10);
  if (day > today)
    throw invalidInput(`${what} (${day}) is in the future; give the day it happened.`);
}
