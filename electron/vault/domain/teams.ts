import { dayOf } from '../../../shared/domain/dates.ts';
import type { Membership } from '../../../shared/domain/registry.ts';
import { randomId } from '../crypto/random.ts';
import { invalidInput } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import { accountStore } from '../store/account-store.ts';
import type { OpenedRecord } from '../store/sealed-records.ts';
import { membershipsTable } from '../store/registry-tables.ts';
import { accountLabel } from '../../../shared/domain/accounts.ts';
import { openAccountProfile, resolveAccount } from './accounts.ts';
import { parseDate } from './input.ts';
import { resolvePerson } from './people.ts';
import { raiseRotationDue } from './rotation-due.ts';
import { requireRegistryChange } from './registry-access.ts';

export type MembershipRecord = OpenedRecord<
  { account_id: string; person_id: string; granted_on: string; revoked_on: string | null },
  Membership
>;

/** Administrators keep details of all staff with access (10.2): a grant records when, by whom and why. */
export function grantAccess(
  session: VaultSession,
  input: { account: string; person: string; on?: string; why?: string },
): MembershipRecord {
  const account = resolveAccount(session, input.account);
  requireRegistryChange(session, 'Recording team membership', { accounts: [account.id] });
  const person = resolvePerson(session, input.person);
  return session.write(({ db, now, audit }) => {
    const on = input.on === undefined ? dayOf(now) : parseDate(input.on, 'The date');
    // Read in the transaction, so a closure committed since the account was loaded counts.
    const profile = openAccountProfile(session, accountStore.byId(db, account.id) ?? account);
    if (profile.status === 'closed') {
      throw invalidInput(
        `${accountLabel(profile)} is closed (9.11): nobody is given access to a closed account; nothing was recorded.`,
      );
    }
    if (person.value.retiredOn !== undefined) {
      throw invalidInput(
        `${person.value.name} was retired from the register on ${person.value.retiredOn}: nobody off the register is given access; nothing was recorded.`,
      );
    }
    if (currentMembership(session, account.id, person.id)) {
      throw invalidInput(
        `${person.value.name} already has access to this account; nothing was recorded.`,
      );
    }
    const record = membershipsTable.insert(
      db,
      session.keys.vault,
      randomId(),
      { account_id: account.id, person_id: person.id, granted_on: on, revoked_on: null },
      { grantedBy: session.member.name, ...(input.why ? { why: input.why } : {}) },
    );
    audit({ kind: 'team.granted', account: account.id, details: { person: person.id, on } });
    return record;
  });
}

/**
 * End someone's access (10.2). A revoke on or after the day of the account's last password change
 * makes it rotation due: they knew the password, and only a rotation answers that.
 */
export function revokeAccess(
  session: VaultSession,
  input: { account: string; person: string; on?: string; why?: string },
): { rotationDue: boolean } {
  const account = resolveAccount(session, input.account);
  requireRegistryChange(session, 'Recording team membership', { accounts: [account.id] });
  const person = resolvePerson(session, input.person);
  return session.write((context) => {
    const { db, now, audit } = context;
    const on = input.on === undefined ? dayOf(now) : parseDate(input.on, 'The date');
    const membership = currentMembership(session, account.id, person.id);
    const label = accountLabel(openAccountProfile(session, account));
    if (!membership) {
      throw invalidInput(
        `${person.value.name} has no current access to ${label}, so there is nothing to revoke.`,
      );
    }
    if (on < membership.clear.granted_on) {
      throw invalidInput(
        `The revoke date ${on} is before access was granted (${membership.clear.granted_on}).`,
      );
    }
    membershipsTable.update(
      db,
      session.keys.vault,
      membership,
      { ...membership.clear, revoked_on: on },
      {
        ...membership.value,
        revokedBy: session.member.name,
        ...(input.why ? { revokeWhy: input.why } : {}),
      },
    );
    const lastChange = lastPasswordChangeDay(session, account.id);
    const rotationDue = on >= lastChange;
    if (rotationDue) {
      raiseRotationDue(session, context, account.id, {
        cause: 'access-revoked',
        evidence: `${person.value.name}'s access revoked ${on}; last password change ${lastChange}.`,
      });
    }
    audit({
      kind: 'team.revoked',
      account: account.id,
      details: { person: person.id, on, rotationDue },
    });
    return { rotationDue };
  });
}

export function currentMembership(
  session: VaultSession,
  accountId: string,
  personId: string,
): MembershipRecord | undefined {
  return membershipsTable
    .all(session.db, session.keys.vault, { column: 'account_id', equals: accountId })
    .find((m) => m.clear.person_id === personId && m.clear.revoked_on === null);
}

export function membershipsOf(session: VaultSession, accountId: string): MembershipRecord[] {
  return membershipsTable.all(session.db, session.keys.vault, {
    column: 'account_id',
    equals: accountId,
  });
}

/** The day the password was last set: its last rotation, else the day it was registered. */
export function lastPasswordChangeDay(session: VaultSession, accountId: string): string {
  const rotations = accountStore.rotationsFor(session.db, accountId);
  const last = rotations.at(-1)?.at ?? accountStore.byId(session.db, accountId)?.created_at ?? '';
  return dayOf(last);
}
