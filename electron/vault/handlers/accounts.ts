import { listAccounts, resolveAccount, summarise } from '../domain/accounts.ts';
import {
  copyCredentialField,
  openCredential,
  revealPassword,
  rotatePassword,
} from '../domain/credentials.ts';
import { accountHistory } from '../domain/history.ts';
import { healthReport, healthTrend } from '../health/service.ts';
import type { HandlerContext, Handlers } from './types.ts';

/** The dashboard, the account list and detail, and the credential channels (reveal, copy, rotate). */
export function accountHandlers(
  ctx: HandlerContext,
): Handlers<'dashboard' | 'accounts' | 'credentials'> {
  return {
    'dashboard.get': () => {
      const session = ctx.session();
      return {
        findings: healthReport(session),
        trend: healthTrend(session).map((t) => ({ day: t.day, total: t.summary.total })),
        accounts: listAccounts(session).length,
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
