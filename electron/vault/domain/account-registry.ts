import {
  accountRecordSchema,
  handleSchema,
  type AccountRecord,
} from '../../../shared/domain/accounts.ts';
import { dayOf } from '../../../shared/domain/dates.ts';
import type { AccountDetails } from '../../../shared/domain/registry.ts';
import { randomId } from '../crypto/random.ts';
import { legacyRefusal, statusChangeRefusal } from '../../../shared/domain/account-lifecycle.ts';
import { invalidInput } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import { accountChangesTable } from '../store/registry-tables.ts';
import { requireRegistryChange } from './registry-access.ts';
import {
  findByHandle,
  openAccountProfile,
  resolveAccount,
  writeAccountRecord,
} from './accounts.ts';
import { parseDate, parseInput } from './input.ts';
import { accountAtVersion } from './conflicts.ts';
import { resolvePerson } from './people.ts';

/**
 * Registry details of an account (purpose, approvals, 2FA, status...). Owner and handle are not
 * changed here: those are recorded changes (9.9), see `changeHandleOrOwner`.
 */
export function updateAccountDetails(
  session: VaultSession,
  reference: string,
  changes: Omit<AccountDetails, 'ownerId'>,
  /** The version the form was opened on (ADR 0023); without it, the one read here. */
  expectedVersion?: number,
): AccountRecord {
  const loaded = resolveAccount(session, reference);
  requireRegistryChange(session, 'Editing an account', {
    accounts: [loaded.id],
  });
  if (changes.lineManagerId) resolvePerson(session, changes.lineManagerId);
  if (changes.closure?.continuedById) resolvePerson(session, changes.closure.continuedById);
  return session.write(({ db, audit }) => {
    const row = accountAtVersion(session, db, loaded.id, expectedVersion ?? loaded.version);
    const current = openAccountProfile(session, row);
    const next = parseInput(
      accountRecordSchema,
      {
        ...current,
        ...changes,
        approvals: changes.approvals
          ? { ...current.approvals, ...changes.approvals }
          : current.approvals,
        closure: changes.closure ? { ...current.closure, ...changes.closure } : current.closure,
      },
      'Account',
    );
    // 9.2-9.6, 9.11: an edit changes the status only as the lifecycle table allows (suspend and
    // reinstate); becoming active, approved or closed has its own steps.
    const statusRefused = statusChangeRefusal(
      current.status ?? 'active',
      next.status ?? 'active',
      'edit',
    );
    if (statusRefused) throw invalidInput(statusRefused);
    const legacyRefused = legacyRefusal(next);
    if (legacyRefused) throw invalidInput(legacyRefused);
    writeAccountRecord(session, db, row, next);
    audit({ kind: 'account.updated', account: row.id, details: { fields: Object.keys(changes) } });
    return next;
  });
}

/** The last day the account was used (9.13); a date earlier than the one recorded is refused. */
export function recordActivity(
  session: VaultSession,
  reference: string,
  on: string,
  /** The version the form was opened on (ADR 0023); without it, the one read here. */
  expectedVersion?: number,
): AccountRecord {
  const loaded = resolveAccount(session, reference);
  requireRegistryChange(session, 'Recording account activity', { accounts: [loaded.id] });
  const day = parseDate(on, 'The date');
  return session.write(({ db, now, audit }) => {
    if (day > dayOf(now)) throw invalidInput(`The activity date ${day} is in the future.`);
    const row = accountAtVersion(session, db, loaded.id, expectedVersion ?? loaded.version);
    const current = openAccountProfile(session, row);
    if (current.lastActivityOn && current.lastActivityOn > day) {
      throw invalidInput(
        `Activity on ${current.lastActivityOn} is already recorded, later than ${day}.`,
      );
    }
    const next = { ...current, lastActivityOn: day };
    writeAccountRecord(session, db, row, next);
    audit({ kind: 'account.activity', account: row.id, details: { on: day } });
    return next;
  });
}

/**
 * A change of the account's name (handle) or owner, recorded when it happens (9.9), with the
 * people told of it.
 */
export function changeHandleOrOwner(
  session: VaultSession,
  reference: string,
  change: {
    handle?: string;
    owner?: string;
    informed?: readonly string[];
    /** The version the form was opened on (ADR 0023); without it, the one read here. */
    expectedVersion?: number;
  },
): AccountRecord {
  const loaded = resolveAccount(session, reference);
  requireRegistryChange(session, 'Recording a name or owner change', { accounts: [loaded.id] });
  const handle =
    change.handle === undefined ? undefined : parseInput(handleSchema, change.handle, 'Handle');
  const owner = change.owner === undefined ? undefined : resolvePerson(session, change.owner);
  if (handle === undefined && owner === undefined)
    throw invalidInput('Give the new handle or the new owner.');
  if (handle !== undefined) {
    const taken = findByHandle(session, {
      platform: openAccountProfile(session, loaded).platform,
      handle,
    });
    if (taken && taken.id !== loaded.id)
      throw invalidInput(`Another account already has the handle ${handle}.`);
  }
  return session.write(({ db, now, audit }) => {
    const row = accountAtVersion(session, db, loaded.id, change.expectedVersion ?? loaded.version);
    const current = openAccountProfile(session, row);
    const next = {
      ...current,
      ...(handle ? { handle } : {}),
      ...(owner ? { ownerId: owner.id } : {}),
    };
    const informed = [...(change.informed ?? [])];
    const clear = { account_id: row.id, at: now, actor_id: session.member.id };
    if (handle !== undefined) {
      accountChangesTable.insert(db, session.keys.vault, randomId(), clear, {
        field: 'handle',
        from: current.handle,
        to: handle,
        informed,
      });
    }
    if (owner !== undefined) {
      accountChangesTable.insert(db, session.keys.vault, randomId(), clear, {
        field: 'owner',
        from: current.ownerId ?? '',
        to: owner.id,
        informed,
      });
    }
    writeAccountRecord(session, db, row, next);
    audit({
      kind: 'account.renamed-or-reowned',
      account: row.id,
      details: { ...(handle ? { handle } : {}), ...(owner ? { owner: owner.id } : {}), informed },
    });
    return next;
  });
}
