import { accountFinding, liveAccounts, type HealthRule } from '../rule.ts';

/** No second factor recorded: a single stolen password opens the account (NCSC guidance). */
export const twoFactorRule: HealthRule = {
  id: 'no-2fa',
  clause: 'NCSC 2FA',
  evaluate(context) {
    return liveAccounts(context)
      .filter((a) => a.record.twoFactor === undefined || a.record.twoFactor === 'none')
      .map((account) =>
        accountFinding(this, account, {
          severity: 'warning',
          since: account.createdOn,
          evidence:
            account.record.twoFactor === 'none'
              ? 'Two-factor authentication is off.'
              : 'No two-factor method recorded.',
          action: 'Turn on two-factor authentication (an authenticator app) and record the method.',
        }),
      );
  },
};
