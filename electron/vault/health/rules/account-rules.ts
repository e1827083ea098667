import { addDays, daysBetween } from '../../../../shared/domain/dates.ts';
import type { Finding } from '../../../../shared/domain/health.ts';
import { accountFinding, liveAccounts, passwordSetOn, type HealthRule } from '../rule.ts';

/** 9.8: every account's username and password registered with the DMT. */
export const credentialsRegisteredRule: HealthRule = {
  id: 'credentials-not-registered',
  clause: '9.8',
  evaluate(context) {
    return liveAccounts(context)
      .filter((a) => !a.hasCredentials)
      .map((account) =>
        accountFinding(this, account, {
          severity: 'breach',
          since: account.createdAt.slice(0, 10),
          evidence: 'No username or password is registered in the vault.',
          action: 'Register the login with the Digital Media Team now (9.8).',
        }),
      );
  },
};

/** 9.2 / 9.5: an active account has line manager, Head of Department and DML approval recorded. */
export const approvalRule: HealthRule = {
  id: 'approval-missing',
  clause: '9.2, 9.5',
  evaluate(context) {
    const findings: Finding[] = [];
    for (const account of liveAccounts(context)) {
      const approvals = account.approvals ?? {};
      if (account.legacy && approvals.exemption) continue;
      const missing = [
        approvals.lineManager ? undefined : 'line manager',
        approvals.headOfDepartment ? undefined : 'Head of Department',
        approvals.digitalMediaLead ? undefined : 'Digital Media Lead',
      ].filter((m): m is string => m !== undefined);
      if (missing.length === 0) continue;
      findings.push(
        accountFinding(this, account, {
          severity: 'warning',
          since: account.createdAt.slice(0, 10),
          evidence: `No ${missing.join(', ')} approval recorded.`,
          action: account.legacy
            ? 'Record the approvals, or the legacy exemption (9.16).'
            : 'Record the approvals, documented for audit (9.2, 9.5, 6.6).',
        }),
      );
    }
    return findings;
  },
};

/** 9.5: no individual accounts except those set up before January 2017. */
export const individualAccountRule: HealthRule = {
  id: 'individual-not-allowed',
  clause: '9.5',
  evaluate(context) {
    return liveAccounts(context)
      .filter((a) => a.unitType === 'individual' && !a.legacy)
      .map((account) =>
        accountFinding(this, account, {
          severity: 'breach',
          since: account.createdAt.slice(0, 10),
          evidence: 'An individual account without the pre-January 2017 legacy flag.',
          action:
            'Confirm it predates January 2017 and mark it legacy, or move it to a team or district account (9.5, 9.16).',
        }),
      );
  },
};

/**
 * Weak passwords (zxcvbn) and one password on several accounts, judged from stored facts only.
 * The policy names no clause for these; the clause field says where the rule comes from instead.
 */
export const passwordQualityRule: HealthRule = {
  id: 'weak-password',
  clause: 'NIST SP 800-63B',
  evaluate(context) {
    const findings: Finding[] = [];
    const live = liveAccounts(context).filter((a) => a.passwordCheck);
    for (const account of live) {
      const check = account.passwordCheck!;
      if (check.strength < context.thresholds.minimumStrength) {
        findings.push(
          accountFinding(this, account, {
            severity: check.strength <= 1 ? 'action' : 'warning',
            since: passwordSetOn(account),
            evidence: `Password strength ${check.strength}/4 (minimum ${context.thresholds.minimumStrength}).`,
            action: 'Rotate to a generated password (reason security-risk, 9.10).',
          }),
        );
      }
    }
    const byFingerprint = new Map<string, typeof live>();
    for (const account of live) {
      const group = byFingerprint.get(account.passwordCheck!.fingerprint) ?? [];
      group.push(account);
      byFingerprint.set(account.passwordCheck!.fingerprint, group);
    }
    for (const group of byFingerprint.values()) {
      if (group.length < 2) continue;
      for (const account of group) {
        const others = group.filter((a) => a !== account).map((a) => a.label);
        findings.push({
          ...accountFinding({ id: 'reused-password', clause: 'NIST SP 800-63B' }, account, {
            severity: 'action',
            since: passwordSetOn(account),
            evidence: `The same password is used on ${others.join(', ')}.`,
            action: 'Rotate each to its own generated password (reason security-risk, 9.10).',
          }),
        });
      }
    }
    return findings;
  },
};

/** Optional maximum password age (off by default: NIST SP 800-63B rotates on evidence). */
export const passwordAgeRule: HealthRule = {
  id: 'password-age',
  clause: 'NIST SP 800-63B',
  evaluate(context) {
    const maxDays = context.thresholds.maxPasswordAgeDays;
    if (maxDays === null) return [];
    return liveAccounts(context)
      .filter((a) => a.hasCredentials && daysBetween(passwordSetOn(a), context.today) > maxDays)
      .map((account) =>
        accountFinding(this, account, {
          severity: 'warning',
          since: addDays(passwordSetOn(account), maxDays),
          evidence: `Password set ${passwordSetOn(account)}, over the ${maxDays}-day maximum this vault sets.`,
          action: 'Rotate the password (reason scheduled).',
        }),
      );
  },
};

/** No second factor recorded: a single stolen password opens the account (NCSC guidance). */
export const twoFactorRule: HealthRule = {
  id: 'no-2fa',
  clause: 'NCSC 2FA',
  evaluate(context) {
    return liveAccounts(context)
      .filter((a) => a.twoFactor === undefined || a.twoFactor === 'none')
      .map((account) =>
        accountFinding(this, account, {
          severity: 'warning',
          since: account.createdAt.slice(0, 10),
          evidence:
            account.twoFactor === 'none'
              ? 'Two-factor authentication is off.'
              : 'No two-factor method recorded.',
          action: 'Turn on two-factor authentication (an authenticator app) and record the method.',
        }),
      );
  },
};

/** 9.11: closure only with the public told of an alternative channel. 6.6: quiet periods. */
export const closureRule: HealthRule = {
  id: 'closure-without-notice',
  clause: '9.11',
  evaluate(context) {
    const findings: Finding[] = [];
    for (const account of context.accounts) {
      if (
        account.status === 'closing' &&
        (!account.closure?.publicNoticeOn || !account.closure.alternativeChannel)
      ) {
        findings.push(
          accountFinding(this, account, {
            severity: 'action',
            since: account.closure?.consultedOn ?? account.createdAt.slice(0, 10),
            evidence: 'Closing, but no public notice of an alternative channel is recorded.',
            action:
              'Tell followers the account is closing and where to go instead, then record it (9.11).',
          }),
        );
      }
      for (const quiet of context.quietPeriods) {
        const inForce =
          quiet.clear.declared_at <= context.at &&
          (quiet.clear.ended_at === null || quiet.clear.ended_at > context.at);
        if (
          !inForce ||
          (quiet.value.accountIds !== 'all' && !quiet.value.accountIds.includes(account.id))
        )
          continue;
        findings.push(
          accountFinding({ id: 'quiet-period', clause: '6.6' }, account, {
            severity: 'info',
            since: quiet.clear.declared_at.slice(0, 10),
            evidence: `Quiet period ordered by ${quiet.value.authority}: ${quiet.value.reason}.`,
            action: 'Do not post until the quiet period ends (6.6).',
          }),
        );
      }
    }
    return findings;
  },
};
