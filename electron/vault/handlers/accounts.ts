import { openComplaintCounts } from '../domain/complaints.ts';
import { createAccount } from '../domain/account-creation.ts';
import { listAccounts, resolveAccount, summarise } from '../domain/accounts.ts';
import { doNotPostNotices, quietPeriodsFor } from '../domain/quiet-periods.ts';
import {
  changeHandleOrOwner,
  recordActivity,
  updateAccountDetails,
} from '../domain/account-registry.ts';
import { accountLabel } from '../../../shared/domain/accounts.ts';
import { openCredential, type OpenedCredential } from '../domain/credentials.ts';
import {
  grantAdministrator,
  listAdministrators,
  revokeAdministrator,
} from '../domain/administrators.ts';
import { findMemberByName, listMembers } from '../domain/members.ts';
import { accountHistory } from '../domain/history.ts';
import { importAccountsFrom } from './import.ts';
import { listPeople, resolvePerson } from '../domain/people.ts';
import { closeAccount } from '../domain/requests.ts';
import { membershipsOf } from '../domain/teams.ts';
import { administeredAccounts, mayChangeAccount } from '../domain/registry-access.ts';
import { healthReport } from '../health/service.ts';
import { accountStore } from '../store/account-store.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { holdsTeamKey, mayReadCredentials } from '../../../shared/domain/roles.ts';
import { VaultError } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import { definedOnly, type HandlerContext, type Handlers } from './types.ts';
import { lastAccessReason } from '../domain/last-reason.ts';

/** The account register: the list and detail, registration, import, administrators, closure. */
export function accountsHandlers(ctx: HandlerContext): Handlers<'accounts'> {
  return {
    'accounts.list': () => withOpenComplaints(ctx.session(), listAccounts(ctx.session())),
    'accounts.mine': () => ({ accounts: administeredAccounts(ctx.session()) }),
    'accounts.create': (r) => createAccount(ctx.session(), r),
    'accounts.import': (r) => importAccountsFrom(ctx, r),
    'accounts.detail': (r) => {
      const session = ctx.session();
      const row = resolveAccount(session, r.account);
      const account = summarise(session, row);
      const people = new Map(listPeople(session).map((p) => [p.id, p.value.name]));
      const credential = readableCredential(session, row.id);
      const administrators = listAdministrators(session, row.id);
      return {
        account,
        findings: healthReport(session, { account: row.id }),
        history: accountHistory(session, row.id),
        canReadCredentials: credential !== undefined,
        canEdit: mayChangeAccount(session, row.id),
        doNotPost: doNotPostNotices(session, row.id),
        hasTotp: credential?.totpSecret !== undefined,
        username: credential?.username ?? null,
        // Only for a member who may read it: the reason prefills their next request (issue 15).
        lastReason: credential === undefined ? null : lastAccessReason(session, row.id),
        administrators,
        adminCandidates: adminCandidates(session, row.id, account.status, administrators),
        team: membershipsOf(session, row.id).map((m) => ({
          personId: m.clear.person_id,
          name: people.get(m.clear.person_id) ?? m.clear.person_id,
          grantedOn: m.clear.granted_on,
          revokedOn: m.clear.revoked_on,
        })),
      };
    },
    'accounts.grant-admin': (r) => {
      const session = ctx.session();
      grantAdministrator(session, r.account, memberIdOf(session, r.member));
      return {};
    },
    'accounts.revoke-admin': (r) => {
      const session = ctx.session();
      return revokeAdministrator(session, r.account, memberIdOf(session, r.member));
    },
    /** 9.11 closure after consulting Corporate Communications, or 9.12 hand-over. */
    'accounts.close': (r) => ({
      status: closeAccount(ctx.session(), definedOnly(r)).status ?? null,
    }),
    'accounts.show': (r) => {
      const session = ctx.session();
      const { passwordCheck, ...shown } = summarise(session, resolveAccount(session, r.account));
      const quiet = quietPeriodsFor(session, shown.id, session.clock().toISOString());
      return {
        ...shown,
        passwordStrength: passwordCheck?.strength ?? null,
        passwordSetOn: passwordCheck?.setOn ?? null,
        // 6.6: while a quiet period lasts, the account says so, with the authority named.
        doNotPost: quiet.map(
          (q) => `DO NOT POST: quiet period ordered by ${q.value.authority} (${q.value.reason})`,
        ),
      };
    },
    'accounts.set-details': (r) => {
      const session = ctx.session();
      const {
        account,
        exemption,
        lineManager,
        recoveryPhone,
        recoveryPhoneIsForce,
        expectedVersion,
        ...rest
      } = r;
      updateAccountDetails(
        session,
        account,
        {
          ...definedOnly(rest),
          ...(exemption ? { approvals: { exemption } } : {}),
          // A new recovery phone is not a force number unless said so (9.8, 9.16).
          ...(recoveryPhone
            ? { recoveryPhone, recoveryPhoneIsForce: recoveryPhoneIsForce === true }
            : recoveryPhoneIsForce
              ? { recoveryPhoneIsForce: true }
              : {}),
          ...(lineManager ? { lineManagerId: resolvePerson(session, lineManager).id } : {}),
        },
        expectedVersion,
      );
      return {};
    },
    'accounts.rename': (r) => ({
      label: accountLabel(
        changeHandleOrOwner(ctx.session(), r.account, {
          ...(r.handle ? { handle: r.handle } : {}),
          ...(r.owner ? { owner: r.owner } : {}),
          informed: r.informed,
          ...(r.expectedVersion === undefined ? {} : { expectedVersion: r.expectedVersion }),
        }),
      ),
    }),
    'accounts.activity': (r) => {
      recordActivity(ctx.session(), r.account, r.on, r.expectedVersion);
      return {};
    },
    'accounts.history': (r) => accountHistory(ctx.session(), r.account),
  };
}

/** A member named by id (the console's choice from a list) or by name (the CLI's --member). */
function memberIdOf(session: VaultSession, member: string): string {
  if (/^[0-9a-f]{32}$/.test(member) && listMembers(session).some((m) => m.id === member))
    return member;
  return findMemberByName(session, member).id;
}

/**
 * The credential if this member may open it, else undefined: security never may; an admin only
 * for the accounts they administer; and a requested account has none yet (9.6). Only whether it
 * exists and has a TOTP secret leaves this module, never a secret.
 */
function readableCredential(
  session: VaultSession,
  accountId: string,
): OpenedCredential | undefined {
  if (!mayReadCredentials(session.member.role)) return undefined;
  try {
    return openCredential(session, accountId);
  } catch (error) {
    const code = error instanceof VaultError ? error.code : undefined;
    if (code === ErrorCode.FORBIDDEN || code === ErrorCode.INVALID_INPUT) return undefined;
    throw error;
  }
}

/**
 * Who the lead or the DMT could make this account's administrator (10.2, 9.14): current `admin`
 * members not already granted it. None for other roles (they cannot grant), and none for an
 * account with no login to share (requested, 9.6) or one that is closed (9.11).
 */
function adminCandidates(
  session: VaultSession,
  accountId: string,
  status: string | undefined,
  administrators: readonly { id: string }[],
): { id: string; name: string }[] {
  if (!holdsTeamKey(session.member.role) || status === 'closed') return [];
  if (!accountStore.credential(session.db, accountId)) return [];
  const granted = new Set(administrators.map((a) => a.id));
  return listMembers(session)
    .filter((m) => m.role === 'admin' && m.removedAt === null && !granted.has(m.id))
    .map((m) => ({ id: m.id, name: m.name }));
}

/** 6.4: the list marks an account with an open complaint or breach (its count, absent when none). */
function withOpenComplaints<A extends { id: string }>(
  session: VaultSession,
  accounts: A[],
): (A & { openComplaints?: number })[] {
  const open = openComplaintCounts(session);
  if (open.size === 0) return accounts;
  return accounts.map((account) => {
    const count = open.get(account.id);
    return count === undefined ? account : { ...account, openComplaints: count };
  });
}
