import { listAccounts, resolveAccount, summarise } from '../domain/accounts.ts';
import {
  copyCredentialField,
  openCredential,
  revealPassword,
  rotatePassword,
} from '../domain/credentials.ts';
import { accountHistory } from '../domain/history.ts';
import { healthReport, healthTrend } from '../health/service.ts';
import { addDays, dayOf } from '../../../shared/domain/dates.ts';
import { SEVERITIES, type Severity } from '../../../shared/domain/health.ts';
import { DASHBOARD_DUE_LIMIT } from '../../../shared/ipc/contract.ts';
import { accountStore } from '../store/account-store.ts';
import type { HandlerContext, Handlers } from './types.ts';

const URGENCY = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;

/** The dashboard, the account list and detail, and the credential channels (reveal, copy, rotate). */
export function accountHandlers(
  ctx: HandlerContext,
): Handlers<'dashboard' | 'accounts' | 'credentials'> {
  return {
    'dashboard.get': () => {
      const session = ctx.session();
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
      };
    },
    'accounts.list': () => listAccounts(ctx.session()),
    'accounts.detail': (r) => {
      const session = ctx.session();
      const row = resolveAccount(session, r.account);
      const account = summarise(session, row);
      const hasTotp =
        session.member.role !== 'security' &&
        openCredential(session, row.id).totpSecret !== undefined;
      return {
        account,
        findings: healthReport(session, { account: row.id }),
        history: accountHistory(session, row.id),
        hasTotp,
      };
    },
    'credentials.reveal': (r) => ({
      password: revealPassword(ctx.session(), r.account, r.reason).expose(),
    }),
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
