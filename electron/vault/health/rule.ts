import type { Finding, Severity } from '../../../shared/domain/health.ts';
import type { HealthAccount, HealthContext } from './context.ts';

/** A policy rule: its id, the clause it serves, and a pure evaluation over the context. */
export interface HealthRule {
  readonly id: string;
  readonly clause: string;
  evaluate(context: HealthContext): Finding[];
}

/** Accounts the rules judge: not closed, and not still a request (those have their own rules). */
export function liveAccounts(context: HealthContext): HealthAccount[] {
  return context.accounts.filter(
    (a) =>
      a.record.status !== 'closed' &&
      a.record.status !== 'requested' &&
      a.record.status !== 'approved',
  );
}

export function accountFinding(
  rule: Pick<HealthRule, 'id' | 'clause'>,
  account: HealthAccount,
  fields: { severity: Severity; since: string; evidence: string; action: string },
): Finding {
  return {
    account: account.id,
    subject: { kind: 'account', id: account.id, label: account.label },
    rule: rule.id,
    clause: rule.clause,
    ...fields,
  };
}

/** The day an account's current password was set: its last rotation, else its registration. */
export function passwordSetOn(account: HealthAccount): string {
  return (
    account.rotations.at(-1) ??
    account.record.passwordCheck?.setOn ??
    account.createdAt
  ).slice(0, 10);
}
