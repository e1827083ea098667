import { accountFinding, liveAccounts, type HealthRule } from '../rule.ts';

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
          since: account.createdOn,
          evidence: 'No username or password is registered in the vault.',
          action: 'Register the login with the Digital Media Team now (9.8).',
        }),
      );
  },
};
