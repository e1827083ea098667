import { credentialEvidence } from './credential-evidence.ts';
import {
  accountRecordSchema,
  newAccountSchema,
  passwordSchema,
  type NewAccount,
} from '../../../shared/domain/accounts.ts';
import { legacyRefusal } from '../../../shared/domain/account-lifecycle.ts';
import type { AccountDetails } from '../../../shared/domain/registry.ts';
import { invalidInput } from '../errors.ts';
import type { VaultSession, WriteContext } from '../session.ts';
import { requireRegistryChange } from './registry-access.ts';
import { insertAccountRecord } from './accounts.ts';
import { writeCredential } from './credentials.ts';
import { parseInput } from './input.ts';
import { scorePassword, type PasswordScore } from './password-score.ts';

/**
 * Register an account and its login (policy 9.8: every account's username and password is
 * registered with the DMT). Lead and dmt only: accounts are set up by Corporate Communications (9.6).
 */
export function createAccount(
  session: VaultSession,
  input: NewAccount & { password: string },
  details: AccountDetails = {},
): { id: string } {
  requireRegistryChange(session, 'Registering an account');
  const account = parseInput(newAccountSchema, input, 'Account');
  const password = parseInput(passwordSchema, input.password, 'Password');
  // Scored before the transaction, so zxcvbn does not run inside it (issue 17).
  const strength = scorePassword(session, password, [account.handle, account.unitName]);
  return session.write((context) =>
    createAccountInTransaction(session, context, { ...account, password }, details, strength),
  );
}

/**
 * The body of createAccount, for callers already inside a write transaction (an import). The
 * caller scores the password before its transaction (`strength`, password-score.ts; an import on
 * its worker, from the same zxcvbn set-up),
 * and may bring the TOTP secret, recovery codes and earlier passwords the source held (`extras`).
 */
export function createAccountInTransaction(
  session: VaultSession,
  context: WriteContext,
  input: NewAccount & { password: string },
  details: AccountDetails,
  strength?: PasswordScore,
  extras: {
    readonly totpSecret?: string;
    readonly recoveryCodes?: readonly string[];
    readonly history?: readonly { password: string; setAt: string; replacedAt: string }[];
  } = {},
): { id: string } {
  const { username, password, ...identity } = input;
  const record = parseInput(
    accountRecordSchema,
    { status: 'active', ...details, ...identity },
    'Account',
  );
  const legacyRefused = legacyRefusal(record);
  if (legacyRefused) throw invalidInput(legacyRefused);
  const id = insertAccountRecord(session, context.db, context.now, record);
  writeCredential(
    session,
    context,
    id,
    {
      username,
      password,
      setAt: context.now,
      ...(extras.totpSecret !== undefined ? { totpSecret: extras.totpSecret } : {}),
      ...(extras.recoveryCodes ? { recoveryCodes: [...extras.recoveryCodes] } : {}),
      history: (extras.history ?? []).map((old) => ({ ...old })),
    },
    { knownStrength: strength },
  );
  context.audit({
    kind: 'account.created',
    account: id,
    details: { ...identity, ...credentialEvidence(context.db, id) },
  });
  return { id };
}
