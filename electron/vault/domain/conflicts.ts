import { accountLabel } from '../../../shared/domain/accounts.ts';
import type { AuditKind } from '../../../shared/domain/audit.ts';
import { ConflictError, notFound } from '../errors.ts';
import type { VaultSession, WriteContext } from '../session.ts';
import { accountStore, type AccountRow } from '../store/account-store.ts';
import { auditStore } from '../store/audit-store.ts';
import { openAuditDetails } from '../store/audit-entry-codec.ts';
import { openAccountProfile } from './accounts.ts';
import { memberName } from './member-records.ts';

/**
 * Optimistic versions (issue 14, ADR 0023). An account and everything that hangs on its row (its
 * registry record, its credential, its password check) carry one version: the account row's,
 * which every change to any of them raises. A form is opened on a version; its request carries it
 * back as `expectedVersion`; the write checks it inside its own transaction, so no other writer
 * can slip in between the check and the commit. A request without one (a one-shot CLI command,
 * which loaded nothing) is checked against the version the same request read before its
 * transaction.
 */

/** How each kind of change reads in a conflict's message ("Dev Dmt rotated x:NorfolkPolice"). */
const CHANGED: Partial<Record<AuditKind, string>> = {
  'credential.rotated': 'rotated',
  'credential.extras-set': 'changed the login details of',
  'account.updated': 'edited',
  'account.renamed-or-reowned': 'recorded a name or owner change of',
  'account.activity': 'recorded activity on',
  'account.closed': 'closed',
  'account.approval': 'recorded an approval of',
  'account.set-up': 'set up',
  'account.created': 'registered',
  'reuse.relabelled': 'relabelled the password of',
};
const CHANGE_KINDS = Object.keys(CHANGED);

/**
 * The account row as it is now, inside the write transaction, if it is still at `expected`;
 * otherwise a conflict naming who changed it and when, from the newest change in the trail.
 */
export function accountAtVersion(
  session: VaultSession,
  db: WriteContext['db'],
  accountId: string,
  expected: number,
): AccountRow {
  const row = accountStore.byId(db, accountId);
  if (!row) throw notFound('The account is no longer in the vault; nothing was saved.');
  if (row.version !== expected) throw accountConflict(session, db, row);
  return row;
}

/** "Dev Dmt rotated x:NorfolkPolice at 10:42 UTC while you were editing; nothing was saved." */
export function accountConflict(
  session: VaultSession,
  db: WriteContext['db'],
  row: AccountRow,
): ConflictError {
  const label = accountLabel(openAccountProfile(session, row));
  const latest = auditStore.lastEntryOfKindsForAccount(db, row.id, CHANGE_KINDS);
  const what = latest
    ? `${memberName({ db, keys: session.keys }, latest.actor_id)} ${CHANGED[latest.kind as AuditKind] ?? 'changed'} ${label} at ${clockTime(session, latest.at)}`
    : `Someone else changed ${label}`;
  return new ConflictError(
    `${what} while you were editing; nothing was saved. Look at their change, then make yours again if it is still needed.`,
    row.version,
  );
}

/** How far back a registry record's conflict looks for the change that made it (entries of its kinds). */
const SEARCH_LIMIT = 200;

/**
 * A registry record (a person, a device) no longer at the version its form was opened on: who
 * changed it and when, from the newest entry of its kinds whose details name it (the record's id
 * is in the sealed details, so the newest few of those kinds are opened), inside the transaction.
 */
export function registryConflict(
  session: VaultSession,
  db: WriteContext['db'],
  record: {
    readonly label: string;
    readonly id: string;
    readonly version: number;
    /** The kinds that change it, and how each reads ("recorded training for"). */
    readonly changes: Partial<Record<AuditKind, string>>;
    /** The details field that holds the record's id. */
    readonly field: string;
  },
): ConflictError {
  const kinds = Object.keys(record.changes);
  const latest = auditStore
    .lastEntriesOfKinds(db, kinds, SEARCH_LIMIT)
    .find((row) => openAuditDetails(session.keys.vault, row)[record.field] === record.id);
  const what = latest
    ? `${memberName({ db, keys: session.keys }, latest.actor_id)} ${record.changes[latest.kind as AuditKind] ?? 'changed'} ${record.label} at ${clockTime(session, latest.at)}`
    : `Someone else changed ${record.label}`;
  return new ConflictError(
    `${what} while you were editing; nothing was saved. Look at their change, then make yours again if it is still needed.`,
    record.version,
  );
}

/** 10:42 UTC, or 2026-12-01 10:42 UTC for a day other than today. */
function clockTime(session: VaultSession, at: string): string {
  const today = session.clock().toISOString().slice(0, 10);
  const time = `${at.slice(11, 16)} UTC`;
  return at.slice(0, 10) === today ? time : `${at.slice(0, 10)} ${time}`;
}
