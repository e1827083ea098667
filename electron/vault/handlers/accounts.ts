import { createAccount } from '../domain/account-creation.ts';
import { listAccounts, resolveAccount, summarise } from '../domain/accounts.ts';
import { missingNotifications, unansweredExposures } from '../domain/devices.ts';
import {
  declareQuietPeriod,
  endQuietPeriod,
  inForce,
  doNotPostNotices,
} from '../domain/quiet-periods.ts';
import { copyCredentialField, currentTotpCode, revealCredentialField } from '../domain/reveal.ts';
import { openCredential, type OpenedCredential } from '../domain/credentials.ts';
import { rotatePassword } from '../domain/rotations.ts';
import {
  grantAdministrator,
  listAdministrators,
  revokeAdministrator,
} from '../domain/administrators.ts';
import { listMembers } from '../domain/members.ts';
import { accountHistory } from '../domain/history.ts';
import { importFromConsole } from './import.ts';
import { generatePassphrase, generatePassword } from '../domain/generator.ts';
import { passwordStrength } from '../domain/strength.ts';
import { listPeople } from '../domain/people.ts';
import { grantAccess, membershipsOf, revokeAccess } from '../domain/teams.ts';
import { mayChangeAccount } from '../domain/registry-access.ts';
import { healthReport, healthTrend } from '../health/service.ts';
import { registrySnapshot, type RegistrySnapshot } from '../health/snapshot.ts';
import { addDays, dayOf } from '../../../shared/domain/dates.ts';
import { SEVERITIES, type Severity } from '../../../shared/domain/health.ts';
import { DASHBOARD_DUE_LIMIT, type Channel, type RequestOf } from '../../../shared/ipc/contract.ts';
import type { CredentialAttempt } from '../domain/refused-attempts.ts';
import { accountStore } from '../store/account-store.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { holdsTeamKey, mayReadCredentials } from '../../../shared/domain/roles.ts';
import { VaultError } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import type { HandlerContext, Handlers } from './types.ts';

const URGENCY = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;

/** The dashboard, the account list and detail, and the credential channels (reveal, copy, rotate). */
export function accountHandlers(
  ctx: HandlerContext,
): Handlers<'dashboard' | 'team' | 'credentials' | 'generator' | 'quiet'> &
  Omit<Handlers<'accounts'>, 'accounts.close'> {
  return {
    'dashboard.get': () => {
      const session = ctx.session();
      // Taken first: the report below may write today's summary, which starts a new snapshot.
      const snapshot = registrySnapshot(session);
      const openIncidents = openIncidentSummaries(session, snapshot);
      const quietPeriods = quietPeriodsInForce(session, snapshot);
      const findings = healthReport(session);
      const counts = { breach: 0, action: 0, warning: 0, info: 0 };
      for (const f of findings) counts[f.severity] += 1;
      const weekAhead = addDays(dayOf(session.clock().toISOString()), 7);
      const due = findings
        .filter((f) => f.severity !== 'info' && f.since <= weekAhead)
        .sort(
          (a, b) => URGENCY[b.severity] - URGENCY[a.severity] || a.since.localeCompare(b.since),
        );
      return {
        counts,
        due: due.slice(0, DASHBOARD_DUE_LIMIT),
        dueTotal: due.length,
        trend: healthTrend(session).map((t) => ({ day: t.day, total: t.summary.total })),
        accounts: accountStore.count(session.db),
        openIncidents,
        quietPeriods,
      };
    },
    'accounts.list': () => listAccounts(ctx.session()),
    'quiet.declare': (r) => ({ id: declareQuietPeriod(ctx.session(), r).id }),
    'quiet.end': (r) => {
      endQuietPeriod(ctx.session(), r);
      return {};
    },
    'accounts.create': (r) => createAccount(ctx.session(), r),
    'accounts.import': (r) => importFromConsole(ctx, r),
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
      grantAdministrator(ctx.session(), r.account, r.member);
      return {};
    },
    'accounts.revoke-admin': (r) => revokeAdministrator(ctx.session(), r.account, r.member),
    'team.grant': (r) => {
      grantAccess(ctx.session(), {
        account: r.account,
        person: r.person,
        ...(r.why ? { why: r.why } : {}),
      });
      return {};
    },
    'team.revoke': (r) =>
      revokeAccess(ctx.session(), {
        account: r.account,
        person: r.person,
        ...(r.why ? { why: r.why } : {}),
      }),
    'generator.generate': (r) => {
      const password =
        r.kind === 'passphrase'
          ? generatePassphrase({ words: r.words ?? 6 })
          : generatePassword({ length: r.length ?? 24 });
      return { password, score: passwordStrength(password) };
    },
    'generator.strength': (r) => ({ score: passwordStrength(r.password) }),
    'credentials.totp': (r) => {
      const session = ctx.session();
      const now = session.clock();
      const code = currentTotpCode(session, r.account, r.reason, now).expose();
      return { code, secondsLeft: 30 - (Math.floor(now.getTime() / 1000) % 30) };
    },
    'credentials.reveal': (r) => {
      const field = r.field ?? 'password';
      return {
        field,
        value: revealCredentialField(ctx.session(), r.account, field, r.reason).expose(),
      };
    },
    'credentials.copy': (r) => {
      const secret = copyCredentialField(ctx.session(), r.account, r.field, r.reason);
      return { clearsInSeconds: ctx.clipboard.place(secret.expose()) };
    },
    'credentials.rotate': (r) =>
      rotatePassword(ctx.session(), r.account, {
        reason: r.reason,
        password: r.password,
        informed: r.informed,
      }),
  };
}

/**
 * What a request for a secret asked, for the audit entry written when the router refuses it for
 * the member's role (issue 11): security staff see attempts, not only successes. Undefined for
 * every channel that hands out no secret.
 */
export function refusedAttemptOf(
  channel: Channel,
  request: unknown,
): { account: string; attempt: CredentialAttempt } | undefined {
  switch (channel) {
    case 'credentials.reveal': {
      const r = request as RequestOf<'credentials.reveal'>;
      return {
        account: r.account,
        attempt: { asked: 'reveal', field: r.field ?? 'password', reason: r.reason },
      };
    }
    case 'credentials.copy': {
      const r = request as RequestOf<'credentials.copy'>;
      return { account: r.account, attempt: { asked: 'copy', field: r.field, reason: r.reason } };
    }
    case 'credentials.totp': {
      const r = request as RequestOf<'credentials.totp'>;
      return { account: r.account, attempt: { asked: 'totp', field: null, reason: r.reason } };
    }
    default:
      return undefined;
  }
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
 * The dashboard's incidents and quiet periods come from the registry snapshot the health report
 * uses too: no second decryption of every device and account (docs/BENCHMARKS.md).
 */
function openIncidentSummaries(session: VaultSession, snapshot: RegistrySnapshot) {
  const devices = new Map(snapshot.devices.map((d) => [d.id, d.value.label]));
  return snapshot.incidents
    .filter((i) => i.clear.resolved_at === null)
    .map((i) => ({
      device: devices.get(i.clear.device_id) ?? i.clear.device_id,
      lostOn: i.clear.lost_on,
      accountsLeft: unansweredExposures(session, i).length,
      partiesLeft: missingNotifications(i).length,
    }));
}

function quietPeriodsInForce(session: VaultSession, snapshot: RegistrySnapshot) {
  const now = session.clock().toISOString();
  const labels = new Map(snapshot.accounts.map((a) => [a.id, a.label]));
  return snapshot.quietPeriods
    .filter((q) => inForce(q, now))
    .map((q) => ({
      id: q.id,
      accounts:
        q.value.accountIds === 'all'
          ? 'every account'
          : q.value.accountIds.map((id) => labels.get(id) ?? id).join(', '),
      authority: q.value.authority,
      reason: q.value.reason,
      since: q.clear.declared_at,
    }));
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
