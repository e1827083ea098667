import { accountLabel } from '../../../shared/domain/accounts.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { REGISTRY_SCOPE } from '../../../shared/domain/roles.ts';
import { forbidden, VaultError } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import { trustedState } from '../trust/session-trust.ts';
import { accountStore } from '../store/account-store.ts';
import { openAccountProfile } from './accounts.ts';
import { openCredential } from './credentials.ts';

/**
 * Whether this member administers the account (10.2, 9.14). Not read from a row anyone can write:
 * an administrator administers an account when their own key wrap opens the account's current
 * credential, so a wrap row forged into the file (they cannot seal the real account key, which
 * they never held) proves nothing and fails as tampering. A requested account has no credential
 * yet, so nobody administers it (9.6).
 */
export function administers(session: VaultSession, accountId: string): boolean {
  if (session.member.role !== 'admin') return false;
  // A current grant in the signed chain (ADR 0010): an ended administrator who puts back their
  // old credential and wrap rows from a copy of the file holds none.
  if (!trustedState(session).grants.get(accountId)?.has(session.member.id)) return false;
  if (!accountStore.wrap(session.db, accountId, session.member.id)) return false;
  try {
    openCredential(session, accountId);
    return true;
  } catch (error) {
    if (error instanceof VaultError && error.code === ErrorCode.INVALID_INPUT) return false;
    throw error;
  }
}

/**
 * The accounts this member administers (10.2): the "My accounts" filter. Only the accounts the
 * signed chain grants them are tried (a handful), each as `administers` checks it, so the answer
 * costs nothing for the thousands they do not administer. Empty for every other role.
 */
export function administeredAccounts(session: VaultSession): string[] {
  if (session.member.role !== 'admin') return [];
  const granted = [...trustedState(session).grants]
    .filter(([, members]) => members.has(session.member.id))
    .map(([accountId]) => accountId);
  return granted.filter((accountId) => administers(session, accountId));
}

/** Whether this member may change the account's registry data (the console's `canEdit`). */
export function mayChangeAccount(session: VaultSession, accountId: string): boolean {
  switch (REGISTRY_SCOPE[session.member.role]) {
    case 'every-account':
      return true;
    case 'administered-accounts':
      return administers(session, accountId);
    case 'none':
      return false;
  }
}

/**
 * What the console asks before it shows a control: the same predicates requireRegistryChange
 * applies, remembered per account for one request (a list of devices asks about each account once).
 */
export function registryEditCheck(session: VaultSession): {
  accounts(accountIds: readonly string[]): boolean;
  person(personOn: readonly string[]): boolean;
  personRecord(personOn: readonly string[]): boolean;
} {
  const known = new Map<string, boolean>();
  const account = (id: string) => {
    let may = known.get(id);
    if (may === undefined) known.set(id, (may = mayChangeAccount(session, id)));
    return may;
  };
  const editsAtAll = REGISTRY_SCOPE[session.member.role] !== 'none';
  return {
    accounts: (accountIds) => editsAtAll && accountIds.every(account),
    person: (personOn) => editsAtAll && (personOn.length === 0 || personOn.some(account)),
    // Vacuously true for a person with access to nothing yet: anyone who may add them may correct them.
    personRecord: (personOn) => editsAtAll && personOn.every(account),
  };
}

/**
 * The one check before every registry change, from the CLI and the console alike: the accounts it
 * touches, as the registry scope and the administrator grants allow: lead and dmt any account, an
 * administrator only those they administer, security none (10.2, 9.14). Which roles may ask for
 * the change at all is the contract's `roles`, checked by the router before this runs (issue 12).
 * Called before the write transaction, so a refusal writes nothing.
 */
export function requireRegistryChange(
  session: VaultSession,
  what: string,
  change: {
    readonly accounts?: readonly string[];
    /**
     * For a change about a person (their training): the accounts they have access to now. An
     * administrator may make it when they administer one of those, or when the person has access
     * to none yet (a new starter's masterclass comes before first use, 11.1).
     */
    readonly personOn?: readonly string[];
    /**
     * For a change to the person's record itself (name, staff number, department, role,
     * retirement): the accounts they have access to now. An administrator must administer every
     * one: 10.2 gives each administrator the details of the staff with access to *their* account,
     * and a record shared with another team's account is that account's administrator's too.
     */
    readonly personRecordOn?: readonly string[];
  } = {},
): void {
  if (REGISTRY_SCOPE[session.member.role] === 'none') {
    throw forbidden(
      `${what}: security staff read the registry, health and audit trail but never change them`,
    );
  }
  // The same predicates the console asks before it shows a control.
  const may = registryEditCheck(session);
  const refused = [...new Set(change.accounts ?? [])].find((id) => !may.accounts([id]));
  if (refused !== undefined) {
    const row = accountStore.byId(session.db, refused);
    const label = row ? accountLabel(openAccountProfile(session, row)) : refused;
    throw forbidden(
      `${what} on ${label}: an administrator changes only the accounts they administer (policy 10.2, 9.14). Ask the Digital Media Team, or the lead to make you its administrator`,
    );
  }
  if (!may.person(change.personOn ?? [])) {
    throw forbidden(
      `${what}: this person has access only to accounts you do not administer, and an administrator changes only their own accounts' records (policy 10.2, 9.14). Ask the Digital Media Team`,
    );
  }
  if (!may.personRecord(change.personRecordOn ?? [])) {
    throw forbidden(
      `${what}: this person also has access to accounts you do not administer, and an administrator corrects a person's record only when they administer every account the person has access to (policy 10.2, 9.14). Ask the Digital Media Team`,
    );
  }
}
