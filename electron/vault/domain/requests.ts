import { credentialEvidence } from './credential-evidence.ts';
import {
  accountProfileSchema,
  PLATFORMS,
  type AccountProfile,
  type AccountRecord,
  type Platform,
} from '../../../shared/domain/accounts.ts';
import { dayOf } from '../../../shared/domain/dates.ts';
import type { AccountStatus } from '../../../shared/domain/registry.ts';
import { statusChangeRefusal } from '../../../shared/domain/account-lifecycle.ts';
import { forbidden, invalidInput } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import { accountStore } from '../store/account-store.ts';
import { requireRegistryChange } from './registry-access.ts';
import { accountRecordSchema } from '../../../shared/domain/accounts.ts';
import {
  insertAccountRecord,
  openAccountProfile,
  resolveAccount,
  writeAccountRecord,
} from './accounts.ts';
import { writeCredential } from './credentials.ts';
import { scoreForAccount } from './password-score.ts';
import { parseDate, parseInput } from './input.ts';
import { resolvePerson } from './people.ts';

/**
 * A request for a new account (9.1-9.3): who asks, for what purpose, aims and objectives. New
 * individual accounts are refused outright: Chief Officers ended them in January 2017 (9.5).
 */
export function requestAccount(
  session: VaultSession,
  input: AccountProfile & {
    requester: string;
    purpose: string;
    aims: string;
    lineManager?: string;
  },
): { id: string } {
  requireRegistryChange(session, 'Recording an account request');
  const identity = parseInput(accountProfileSchema, input, 'Request');
  if (identity.unitType === 'individual') {
    throw invalidInput(
      'Refused under policy 9.5: no new individual accounts since January 2017. Request a department, specialist area, team or district account.',
    );
  }
  const requester = resolvePerson(session, input.requester);
  const lineManager =
    input.lineManager === undefined ? undefined : resolvePerson(session, input.lineManager);
  const record = parseInput(
    accountRecordSchema,
    {
      ...identity,
      status: 'requested',
      purpose: input.purpose,
      aims: input.aims,
      ownerId: requester.id,
      ...(lineManager ? { lineManagerId: lineManager.id } : {}),
    },
    'Request',
  );
  return session.write(({ db, now, audit }) => {
    const id = insertAccountRecord(session, db, now, record);
    audit({
      kind: 'account.requested',
      account: id,
      details: { ...identity, requester: requester.id },
    });
    return { id };
  });
}

export const APPROVERS = ['line-manager', 'head-of-department', 'dml'] as const;
export type Approver = (typeof APPROVERS)[number];

/**
 * Record an approval: line manager and Head of Department (9.2), then the Digital Media Lead's
 * decision (9.5), which only a `lead` records and only after the other two. The DML may refuse and
 * suggest another platform instead.
 */
export function recordApproval(
  session: VaultSession,
  input: {
    account: string;
    approver: Approver;
    by: string;
    on?: string;
    refuse?: string;
    suggest?: Platform;
  },
): AccountRecord {
  const row = resolveAccount(session, input.account);
  requireRegistryChange(session, `Recording the ${input.approver} decision`, {
    accounts: [row.id],
  });
  // 9.5: the decision is the Digital Media Lead's, and the lead role is who holds that post. A
  // policy rule about who decides, on top of the contract's roles for the channel (lead, dmt).
  if (input.approver === 'dml' && session.member.role !== 'lead') {
    throw forbidden(
      `Recording the dml decision needs the role lead (the Digital Media Lead decides, policy 9.5); you are ${session.member.role}`,
    );
  }
  return session.write(({ db, now, audit }) => {
    const on = input.on === undefined ? dayOf(now) : parseDate(input.on, 'The date');
    const current = openAccountProfile(session, row);
    const from = current.status ?? 'active';
    // An account registered directly (9.8) is in use already: its approvals are recorded later,
    // as documentation for audit (6.6), without changing its status.
    const inUse = from === 'active' || from === 'suspended';
    if (from !== 'requested' && !inUse)
      throw invalidInput(`This account is ${from}, not awaiting approval.`);
    if (inUse && input.refuse !== undefined) {
      throw invalidInput(
        'This account is in use already, so there is no request to refuse; close it through the closure after consultation (`custodian account close`, policy 9.11).',
      );
    }
    const approval = { by: input.by, on };
    const approvals = { ...current.approvals };
    if (input.approver === 'line-manager') approvals.lineManager = approval;
    if (input.approver === 'head-of-department') approvals.headOfDepartment = approval;
    let status: AccountStatus = from;
    if (input.approver === 'dml') {
      if (!approvals.lineManager || !approvals.headOfDepartment) {
        throw invalidInput(
          'The Digital Media Lead decides after the line manager and Head of Department approve (9.2, 9.5).',
        );
      }
      if (input.suggest && !PLATFORMS.includes(input.suggest))
        throw invalidInput('Unknown platform suggested.');
      if (input.refuse === undefined) {
        approvals.digitalMediaLead = approval;
        if (!inUse) status = 'approved';
      } else {
        status = 'closed';
      }
    }
    const statusRefused = statusChangeRefusal(from, status, 'approval');
    if (statusRefused) throw invalidInput(statusRefused);
    const notes = input.refuse
      ? [
          current.notes,
          `Refused by the Digital Media Lead on ${on}: ${input.refuse}${input.suggest ? `; suggested ${input.suggest} instead` : ''}.`,
        ]
          .filter(Boolean)
          .join('\n')
      : current.notes;
    const next = parseInput(
      accountRecordSchema,
      { ...current, approvals, status, ...(notes ? { notes } : {}) },
      'Approval',
    );
    writeAccountRecord(session, db, row, next);
    audit({
      kind: 'account.approval',
      account: row.id,
      details: {
        approver: input.approver,
        by: input.by,
        on,
        refused: input.refuse ?? null,
        suggested: input.suggest ?? null,
      },
    });
    return next;
  });
}

/** Set-up by Corporate Communications (9.6): register the login (9.8) and make the account active. */
export function setUpAccount(
  session: VaultSession,
  input: { account: string; username: string; password: string; on?: string },
): AccountRecord {
  // The account is read before the transaction (below): with the keys of now.
  session.catchUp();
  const row = resolveAccount(session, input.account);
  requireRegistryChange(session, 'Setting up an account', {
    accounts: [row.id],
  });
  // Scored before the transaction, so zxcvbn does not run inside it (issue 17).
  const strength = scoreForAccount(session, row, input.password);
  return session.write((context) => {
    const current = openAccountProfile(session, row);
    if (current.status !== 'approved') {
      throw invalidInput(
        `Only an approved request is set up; this account is ${current.status ?? 'active'} (9.5, 9.6).`,
      );
    }
    if (accountStore.credential(context.db, row.id))
      throw invalidInput('This account already has credentials.');
    const createdOn = input.on === undefined ? dayOf(context.now) : parseDate(input.on, 'The date');
    writeAccountRecord(session, context.db, row, { ...current, status: 'active', createdOn });
    writeCredential(
      session,
      context,
      row.id,
      { username: input.username, password: input.password, setAt: context.now, history: [] },
      { knownStrength: strength },
    );
    context.audit({
      kind: 'account.set-up',
      account: row.id,
      details: { createdOn, ...credentialEvidence(context.db, row.id) },
    });
    return openAccountProfile(session, accountStore.byId(context.db, row.id)!);
  });
}

/**
 * Close an account (9.11): only after consultation with Corporate Communications, with the public
 * told of the alternative channel; or hand it over to someone who continues it (9.12).
 */
export function closeAccount(
  session: VaultSession,
  input: {
    account: string;
    consultedOn: string;
    publicNoticeOn?: string;
    alternativeChannel?: string;
    continuedBy?: string;
  },
): AccountRecord {
  const row = resolveAccount(session, input.account);
  requireRegistryChange(session, 'Closing an account', {
    accounts: [row.id],
  });
  const continuedBy =
    input.continuedBy === undefined ? undefined : resolvePerson(session, input.continuedBy);
  return session.write(({ db, audit }) => {
    const current = openAccountProfile(session, row);
    const consultedOn = parseDate(input.consultedOn, 'Consultation date');
    const publicNoticeOn =
      input.publicNoticeOn === undefined
        ? undefined
        : parseDate(input.publicNoticeOn, 'Public notice date');
    const handedOver = continuedBy !== undefined;
    const noticed = publicNoticeOn !== undefined && (input.alternativeChannel ?? '').trim() !== '';
    const status = handedOver ? current.status : noticed ? 'closed' : 'closing';
    // 9.11: only an account in use (or one closing) is closed; a request is refused by the DML.
    const statusRefused = statusChangeRefusal(
      current.status ?? 'active',
      status ?? 'active',
      'closure',
    );
    if (statusRefused) throw invalidInput(statusRefused);
    const next = parseInput(
      accountRecordSchema,
      {
        ...current,
        status,
        ...(handedOver ? { ownerId: continuedBy.id } : {}),
        closure: {
          ...current.closure,
          consultedOn,
          ...(publicNoticeOn ? { publicNoticeOn } : {}),
          ...(input.alternativeChannel ? { alternativeChannel: input.alternativeChannel } : {}),
          ...(continuedBy ? { continuedById: continuedBy.id } : {}),
        },
      },
      'Closure',
    );
    writeAccountRecord(session, db, row, next);
    audit({
      kind: 'account.closed',
      account: row.id,
      details: {
        status: status ?? 'active',
        consultedOn,
        handedOver,
        ...(continuedBy ? { continuedBy: continuedBy.id } : {}),
      },
    });
    return next;
  });
}
