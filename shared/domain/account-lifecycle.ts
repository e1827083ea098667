import type { AccountStatus } from './registry.ts';

/**
 * How an account's status may change, in one table (9.2, 9.5, 9.6, 9.8, 9.11, 10.2). Each change
 * names the step that makes it and the clause behind it; a change not in the table is refused,
 * citing the clauses of the steps that lead to that status.
 * - `approval`: the Digital Media Lead's decision on a request (9.5), after line manager and
 *   Head of Department (9.2); a refusal closes the request.
 * - `set-up`: Corporate Communications set up an approved account and register its login (9.6, 9.8).
 * - `closure`: closure after consultation, with public notice (9.11).
 * - `edit`: `account set --status`, for the DMT's own decisions: suspend an account (10.2, 11.1)
 *   and reinstate it.
 * Registering an existing account (9.8) creates it active; that is not a change of status.
 */
export const STATUS_CHANGES = [
  { from: 'requested', to: 'approved', through: 'approval', clause: '9.5' },
  { from: 'requested', to: 'closed', through: 'approval', clause: '9.5' },
  { from: 'approved', to: 'active', through: 'set-up', clause: '9.6' },
  { from: 'active', to: 'suspended', through: 'edit', clause: '10.2, 11.1' },
  { from: 'suspended', to: 'active', through: 'edit', clause: '10.2' },
  { from: 'active', to: 'closing', through: 'closure', clause: '9.11' },
  { from: 'active', to: 'closed', through: 'closure', clause: '9.11' },
  { from: 'suspended', to: 'closing', through: 'closure', clause: '9.11' },
  { from: 'suspended', to: 'closed', through: 'closure', clause: '9.11' },
  { from: 'closing', to: 'closed', through: 'closure', clause: '9.11' },
] as const satisfies readonly {
  from: AccountStatus;
  to: AccountStatus;
  through: StatusStep;
  clause: string;
}[];

export type StatusStep = 'approval' | 'set-up' | 'closure' | 'edit';

/** What to do instead, for a status reached only through a step (cited in a refusal). */
const HOW_TO_REACH: Record<AccountStatus, string> = {
  requested: 'a new request (`custodian request add`, policy 9.1-9.3)',
  approved:
    "the Digital Media Lead's approval after the line manager and Head of Department (`custodian request approve`, policy 9.2, 9.5)",
  active:
    'approval and set-up (`custodian request approve`, then `custodian request setup`, policy 9.2, 9.5, 9.6), or registering an existing account (`custodian account add`, policy 9.8)',
  suspended: 'editing an active account (`custodian account set --status suspended`, policy 10.2)',
  closing: 'the closure after consultation (`custodian account close`, policy 9.11)',
  closed: 'the closure with its public notice (`custodian account close`, policy 9.11)',
};

/** Null if the table allows the change by this step, else the refusal to show (it cites clauses). */
export function statusChangeRefusal(
  from: AccountStatus,
  to: AccountStatus,
  through: StatusStep,
): string | null {
  if (from === to) return null;
  if (STATUS_CHANGES.some((c) => c.from === from && c.to === to && c.through === through))
    return null;
  if (from === 'closed') {
    return 'Refused: a closed account stays closed (policy 9.11). If it is reopened, register it again.';
  }
  if ((from === 'requested' || from === 'approved') && through === 'closure') {
    return `Refused: a ${from} account is still a request, not an account in use; the Digital Media Lead refuses a request (\`custodian request approve --approver dml --refuse\`, policy 9.5).`;
  }
  return `Refused: a ${from} account becomes ${to} only through ${HOW_TO_REACH[to]}.`;
}

/** The day before which an individual account may still be held (9.5: none new from January 2017). */
export const INDIVIDUAL_ACCOUNTS_END = '2017-01-01';

/**
 * Null if the legacy flag may stand on this record, else why not (9.5, 9.16): it marks an
 * individual account set up before January 2017, so it needs that unit type and a creation date
 * before the cut-off. An exemption from the approvals is only for such an account.
 */
export function legacyRefusal(record: {
  unitType: string;
  legacy?: boolean | undefined;
  createdOn?: string | undefined;
  approvals?: { exemption?: string | undefined } | undefined;
}): string | null {
  if (record.legacy) {
    if (record.unitType !== 'individual') {
      return 'Refused: the legacy flag is only for an individual account set up before January 2017 (policy 9.5, 9.16); this one is not individual.';
    }
    if (record.createdOn === undefined) {
      return 'Refused: the legacy flag needs the day the account was created before January 2017 (policy 9.5, 9.16); give --created-on YYYY-MM-DD.';
    }
    if (record.createdOn >= INDIVIDUAL_ACCOUNTS_END) {
      return `Refused: an individual account created on ${record.createdOn} is not legacy; only those created before January 2017 are (policy 9.5, 9.16).`;
    }
  }
  if (record.approvals?.exemption !== undefined && !record.legacy) {
    return 'Refused: an approval exemption is only for a legacy individual account (policy 9.16); record the approvals instead (`custodian request approve`, 9.2, 9.5).';
  }
  return null;
}
