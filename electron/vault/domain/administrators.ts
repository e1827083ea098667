import { credentialEvidence } from './credential-evidence.ts';
import { accountLabel } from '../../../shared/domain/accounts.ts';
import { wrapAccountKey } from '../store/key-wrap-codec.ts';
import { holdsTeamKey } from '../../../shared/domain/roles.ts';
import { forbidden, integrityError, invalidInput } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import { accountStore } from '../store/account-store.ts';
import { endGrant, grantableAdministrator, recordGrant } from '../trust/session-trust.ts';
import { openAccountProfile, resolveAccount } from './accounts.ts';
import { accountKey, changeCredential } from './credentials.ts';
import { memberName } from './member-records.ts';
import { raiseRotationDue } from './rotation-due.ts';

/**
 * An account's administrators (10.2): the members its key is wrapped for besides the team. Shown
 * to every role (who can read an account is registry data, not a secret).
 */
export function listAdministrators(
  session: VaultSession,
  accountId: string,
): { id: string; name: string }[] {
  return accountStore
    .wrapsFor(session.db, accountId)
    .filter((wrap) => wrap.holder !== 'team')
    .map((wrap) => ({ id: wrap.holder, name: memberName(session, wrap.holder) }));
}

/** Make an `admin` member an administrator of an account (policy 10.2): wrap its key for them. */
export function grantAdministrator(
  session: VaultSession,
  reference: string,
  memberId: string,
): void {
  if (!holdsTeamKey(session.member.role))
    throw forbidden('only the lead or the Digital Media Team grant administrators');
  const account = resolveAccount(session, reference);
  // The member and their key as the signed chain holds them, never a members row (ADR 0010).
  const member = grantableAdministrator(session, memberId);
  session.write(({ db, now, audit }) => {
    // The credential is read inside the transaction (issue 14): read before it, a rotation by
    // another process in between would leave the new administrator a wrap of a key no longer used.
    const row = accountStore.credential(db, account.id);
    if (!row) throw integrityError(`credentials row ${account.id}`, 'is missing');
    recordGrant(session, { db, now, audit }, account.id, member.id);
    const key = accountKey(session, account.id, row.key_id);
    try {
      accountStore.upsertWrap(db, {
        account_id: account.id,
        holder: member.id,
        key_id: row.key_id,
        team_generation: null,
        sealed_box: wrapAccountKey(member.boxPublicKey, key),
      });
    } finally {
      key.wipe();
    }
    audit({ kind: 'account.admin-granted', account: account.id, details: { member: member.id } });
  });
}

/**
 * End an administrator's grant (10.2). Their key wrap for the account is removed and the
 * credential re-sealed under a fresh account key for the team and the remaining administrators,
 * so neither the key they held nor a copy of their wrap put back into the file opens it. They
 * knew the password, so the account becomes rotation due.
 */
export function revokeAdministrator(
  session: VaultSession,
  reference: string,
  memberId: string,
): { rotationDue: true } {
  if (!holdsTeamKey(session.member.role))
    throw forbidden("only the lead or the Digital Media Team end an administrator's grant");
  const account = resolveAccount(session, reference);
  const label = accountLabel(openAccountProfile(session, account));
  if (!accountStore.wrap(session.db, account.id, memberId)) {
    throw invalidInput(
      `${memberName(session, memberId)} does not administer ${label}; nothing was changed.`,
    );
  }
  const name = memberName(session, memberId);
  session.write((context) => {
    // The signed end first: the next seal reads grants from the chain (ADR 0010).
    endGrant(session, context, account.id, memberId);
    accountStore.deleteWrap(context.db, account.id, memberId);
    changeCredential(session, context, account.id, () => ({}));
    raiseRotationDue(session, context, account.id, {
      cause: 'admin-revoked',
      evidence: `${name}'s administrator grant was ended on ${context.now.slice(0, 10)}; they knew the password.`,
    });
    context.audit({
      kind: 'account.admin-revoked',
      account: account.id,
      details: {
        member: memberId,
        rotationDue: true,
        ...credentialEvidence(context.db, account.id),
      },
    });
  });
  return { rotationDue: true };
}
