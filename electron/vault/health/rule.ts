import type { Finding, Severity } from '../../../shared/domain/health.ts';
import type { HealthAccount, HealthContext } from './context.ts';

/** A policy rule: its id, the clause it serves, and a pure evaluation over the context. */
export interface HealthRule {
  readonly id: string;
  readonly clause: string;
  evaluate(context: HealthContext): Finding[];
}

/** Accounts the rules judge (account-status.ts `isLive`), found once per snapshot. */
export function liveAccounts(context: HealthContext): readonly HealthAccount[] {
  return context.live;
}

export function accountFinding(
  rule: Pick<HealthRule, 'id' | 'clause'>,
  account: HealthAccount,
  fields: { severity: Severity; since: string; evidence: string; action: string },
): Finding {
  // Fields named one by one, not spread: health makes tens of thousands of these an evaluation.
  return {
    account: account.id,
    subject: account.subject,
    rule: rule.id,
    clause: rule.clause,
    severity: fields.severity,
    since: fields.since,
    evidence: fields.evidence,
    action: fields.action,
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
