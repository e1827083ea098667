import { PLATFORMS } from '../../../shared/domain/accounts.ts';
import {
  trialSchema,
  type DccDecision,
  type DmlDecision,
  type Trial,
} from '../../../shared/domain/policy-records.ts';
import { randomId } from '../crypto/random.ts';
import { invalidInput, notFound } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import type { OpenedRecord } from '../store/sealed-records.ts';
import { trialsTable } from '../store/registry-tables.ts';
import { listAccounts } from './accounts.ts';
import { parseDate, parseInput } from './input.ts';
import { recordAtVersion } from './record-versions.ts';
import { requireRegistryChange } from './registry-access.ts';

export type TrialRecord = OpenedRecord<{ requested_on: string; decided_on: string | null }, Trial>;

const CHANGES = {
  'trial.decided': 'decided',
  'trial.dcc-decided': "recorded the Deputy Chief Constables' decision on",
} as const;

/** What people call a platform the registry knows by another id (3.3 still says Twitter). */
const ALIASES: Readonly<Record<string, string>> = { twitter: 'x', 'google+': 'other' };

/**
 * The platforms the forces use now (3.3): those the registry holds a live account on. A trial is
 * for a channel not among them; on one of these, an account is requested instead (9.3).
 */
export function platformsInUse(session: VaultSession): Set<string> {
  const inUse = new Set<string>();
  for (const account of listAccounts(session)) {
    const status = account.status ?? 'active';
    if (status === 'closed' || status === 'requested') continue;
    if (account.platform !== 'other') inUse.add(account.platform);
  }
  return inUse;
}

function platformId(name: string): string | undefined {
  const key = name.trim().toLowerCase();
  const id = ALIASES[key] ?? key;
  return (PLATFORMS as readonly string[]).includes(id) && id !== 'other' ? id : undefined;
}

/**
 * Request a trial on a new digital or social media channel (3.4): for central oversight, every
 * trial is requested through the Digital Media Lead, who approves or refuses it, or, if the
 * policy may not cover it, takes it to the Deputy Chief Constables. The DMT records the request.
 */
export function requestTrial(
  session: VaultSession,
  input: {
    platform: string;
    purpose: string;
    requestedBy: string;
    department?: string;
    coveredByPolicy: boolean;
  },
): TrialRecord {
  requireRegistryChange(session, 'Requesting a channel trial');
  const known = platformId(input.platform);
  if (known && platformsInUse(session).has(known)) {
    throw invalidInput(
      `The forces already use ${input.platform.trim()} (3.3): a trial is for a new channel (3.4). Request an account on it instead (9.3, Requests).`,
    );
  }
  const value = parseInput(
    trialSchema,
    {
      platform: input.platform,
      purpose: input.purpose,
      requestedBy: input.requestedBy,
      ...(input.department?.trim() ? { department: input.department } : {}),
      coveredByPolicy: input.coveredByPolicy,
      status: 'requested',
      recordedBy: session.member.name,
    },
    'Trial request',
  );
  return session.write(({ db, now, audit }) => {
    const record = trialsTable.insert(
      db,
      session.keys.vault,
      randomId(),
      { requested_on: now.slice(0, 10), decided_on: null },
      value,
    );
    audit({
      kind: 'trial.requested',
      details: {
        trial: record.id,
        platform: value.platform,
        coveredByPolicy: value.coveredByPolicy,
      },
    });
    return record;
  });
}

/**
 * The Digital Media Lead's decision (3.4, 9.5): approve or refuse a request the policy covers, or
 * take one it may not cover to the Deputy Chief Constables. A request marked as not covered
 * cannot be approved or refused by the DML alone: that decision is the DCCs'.
 */
export function decideTrial(
  session: VaultSession,
  input: { trial: string; decision: DmlDecision; note: string; expectedVersion?: number },
): TrialRecord {
  // Only the Digital Media Lead decides (3.4, 9.5): the contract's role list for trials.decide.
  const trial = resolveTrial(session, input.trial);
  if (trial.value.status !== 'requested')
    throw invalidInput(
      `That trial is already ${trial.value.status}${trial.value.dml ? ` (${trial.value.dml.on})` : ''}; its decision stands.`,
    );
  if (input.decision !== 'escalate' && !trial.value.coveredByPolicy)
    throw invalidInput(
      "This request may not be covered by the policy, so the decision is the Deputy Chief Constables': escalate it to them (3.4), then record their decision.",
    );
  const today = session.clock().toISOString().slice(0, 10);
  const status =
    input.decision === 'approve'
      ? 'approved'
      : input.decision === 'refuse'
        ? 'refused'
        : 'escalated';
  const value = parseInput(
    trialSchema,
    {
      ...trial.value,
      // Escalating says the policy does not cover it: the DCCs decide (3.4).
      coveredByPolicy: input.decision === 'escalate' ? false : trial.value.coveredByPolicy,
      status,
      dml: {
        decision: input.decision,
        by: session.member.name,
        on: today,
        note: input.note,
        recordedBy: session.member.name,
      },
    },
    'Decision',
  );
  return rewrite(
    session,
    trial,
    input.expectedVersion,
    value,
    { ...trial.clear, decided_on: status === 'escalated' ? null : today },
    { kind: 'trial.decided', details: { trial: trial.id, decision: input.decision } },
  );
}

/**
 * The Deputy Chief Constables' decision on an escalated request (3.4), recorded by the DML who
 * presented it: who decided, on what day, and what they said.
 */
export function recordDccDecision(
  session: VaultSession,
  input: {
    trial: string;
    decision: DccDecision;
    by: string;
    on: string;
    note: string;
    expectedVersion?: number;
  },
): TrialRecord {
  // Recorded by the DML who presented it (3.4): the contract's role list for trials.dcc-decide.
  const trial = resolveTrial(session, input.trial);
  if (trial.value.status !== 'escalated')
    throw invalidInput(
      trial.value.status === 'requested'
        ? 'The Digital Media Lead has not taken this request to the Deputy Chief Constables; escalate it first (3.4).'
        : `That trial is already ${trial.value.status}; its decision stands.`,
    );
  const on = parseDate(input.on, 'Decided on');
  const today = session.clock().toISOString().slice(0, 10);
  if (on > today) throw invalidInput(`The decision day (${on}) is in the future.`);
  if (trial.value.dml && on < trial.value.dml.on)
    throw invalidInput(
      `The Deputy Chief Constables cannot have decided on ${on}, before it was escalated (${trial.value.dml.on}).`,
    );
  const value = parseInput(
    trialSchema,
    {
      ...trial.value,
      status: input.decision === 'approve' ? 'approved' : 'refused',
      dcc: {
        decision: input.decision,
        by: input.by,
        on,
        note: input.note,
        recordedBy: session.member.name,
      },
    },
    "Deputy Chief Constables' decision",
  );
  return rewrite(
    session,
    trial,
    input.expectedVersion,
    value,
    { ...trial.clear, decided_on: on },
    {
      kind: 'trial.dcc-decided',
      details: { trial: trial.id, decision: input.decision, by: input.by },
    },
  );
}

export function listTrials(session: VaultSession): TrialRecord[] {
  return trialsTable.all(session.db, session.keys.vault);
}

function resolveTrial(session: VaultSession, id: string): TrialRecord {
  const trial = trialsTable.get(session.db, session.keys.vault, id);
  if (!trial) throw notFound(`No trial ${id}; see \`custodian trial list\` for the ids.`);
  return trial;
}

function rewrite(
  session: VaultSession,
  trial: TrialRecord,
  expectedVersion: number | undefined,
  value: Trial,
  clear: TrialRecord['clear'],
  entry: { kind: keyof typeof CHANGES; details: Record<string, string> },
): TrialRecord {
  return session.write(({ db, audit }) => {
    const current = recordAtVersion(session, db, trialsTable, trial, expectedVersion, {
      label: `the ${trial.value.platform} trial`,
      changes: CHANGES,
      field: 'trial',
      missing: 'The trial is no longer in the vault; nothing was saved.',
    });
    const updated = trialsTable.update(db, session.keys.vault, current, clear, value);
    audit({ kind: entry.kind, details: entry.details });
    return updated;
  });
}
