import { TOTP } from 'otpauth';
import type { RevealField } from '../../../shared/domain/credentials.ts';
import { assertNever } from '../../../shared/errors.ts';
import { invalidInput } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import { resolveAccount } from './accounts.ts';
import { parseTotpSecret } from './credential-extras.ts';
import { openCredential, type OpenedCredential } from './credentials.ts';
import { checkCredentialIsLatest, credentialEvidence } from './credential-evidence.ts';
import { requireReason } from './input.ts';
import { openOrRecordRefusal, type CredentialAttempt } from './refused-attempts.ts';

/**
 * A secret handed out by an audited reveal. Wrapped so the compiler keeps it out of audit
 * details and JSON; `expose()` is for the one place that shows it (the CLI's stdout, the reveal view).
 */
export class RevealedSecret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  expose(): string {
    return this.#value;
  }
  toJSON(): string {
    return '[redacted]';
  }
  toString(): string {
    return '[redacted]';
  }
}

/**
 * Open an account's credential for a request that hands out a secret: the role and grants first,
 * so a refused member is recorded even with no reason (issue 11), then the reason itself.
 */
function openForRequest(
  session: VaultSession,
  reference: string,
  attempt: CredentialAttempt,
  whenNoReason: string,
): { accountId: string; credential: OpenedCredential; why: string } {
  const account = resolveAccount(session, reference);
  const credential = openOrRecordRefusal(session, account.id, attempt, () =>
    openCredential(session, account.id),
  );
  return { accountId: account.id, credential, why: requireReason(attempt.reason, whenNoReason) };
}

/**
 * Reveal a field of an account's credential: the password (the default), the username, or the
 * recovery codes (9.8: registered so the account can be recovered if hacked), one per line. Needs
 * a reason, and is audited in the same transaction (6.5); a refusal is audited too (issue 11).
 */
export function revealCredentialField(
  session: VaultSession,
  reference: string,
  field: RevealField,
  reason: string,
): RevealedSecret {
  const { accountId, credential, why } = openForRequest(
    session,
    reference,
    { asked: 'reveal', field, reason },
    `A reveal needs a reason: say why you need the ${FIELD_NAMES[field]}.`,
  );
  const value = fieldValue(credential, field);
  session.write(({ audit }) => {
    checkCredentialIsLatest(session, accountId);
    audit({
      kind: 'credential.revealed',
      account: accountId,
      details: { field, reason: why, ...credentialEvidence(session.db, accountId) },
    });
  });
  return new RevealedSecret(value);
}

const FIELD_NAMES: Record<RevealField, string> = {
  password: 'password',
  username: 'username',
  'recovery-codes': 'recovery codes',
};

function fieldValue(credential: OpenedCredential, field: RevealField): string {
  switch (field) {
    case 'password':
      return credential.password;
    case 'username':
      return credential.username;
    case 'recovery-codes':
      if (!credential.recoveryCodes?.length) {
        throw invalidInput(
          'No recovery codes are registered for this account (9.8); register them with `custodian credential set --recovery-codes-file`.',
        );
      }
      return credential.recoveryCodes.join('\n');
    default:
      return assertNever(field);
  }
}

/** Reveal an account's password (see revealCredentialField). */
export function revealPassword(
  session: VaultSession,
  reference: string,
  reason: string,
): RevealedSecret {
  return revealCredentialField(session, reference, 'password', reason);
}

/** What can be copied: the username, the password, or the current TOTP code (KeePassXC's Ctrl+T). */
export type CopyField = 'username' | 'password' | 'totp';

/**
 * Hand out a username, password or the current TOTP code for the clipboard: needs a reason and
 * is audited as a copy in the same transaction (6.5), a refusal too. The caller (main's
 * clipboard, never the renderer) places it.
 */
export function copyCredentialField(
  session: VaultSession,
  reference: string,
  field: CopyField,
  reason: string,
  at: Date = session.clock(),
): RevealedSecret {
  const { accountId, credential, why } = openForRequest(
    session,
    reference,
    { asked: 'copy', field, reason },
    'A copy needs a reason: say why you need it.',
  );
  const value =
    field === 'totp'
      ? totpCode(credential, at)
      : field === 'password'
        ? credential.password
        : credential.username;
  session.write(({ audit }) => {
    checkCredentialIsLatest(session, accountId);
    audit({
      kind: 'credential.copied',
      account: accountId,
      details: { field, reason: why, ...credentialEvidence(session.db, accountId) },
    });
  });
  return new RevealedSecret(value);
}

/** The account's TOTP code at `at` (6 digits, 30 s), or a clear error when none is registered. */
function totpCode(credential: OpenedCredential, at: Date): string {
  if (!credential.totpSecret) throw invalidInput('No TOTP secret is registered for this account.');
  return new TOTP({
    secret: parseTotpSecret(credential.totpSecret),
    digits: 6,
    period: 30,
  }).generate({ timestamp: at.getTime() });
}

/** The current TOTP code for an account (needs a reason; audited like a reveal). */
export function currentTotpCode(
  session: VaultSession,
  reference: string,
  reason: string,
  at: Date = session.clock(),
): RevealedSecret {
  const { accountId, credential, why } = openForRequest(
    session,
    reference,
    { asked: 'totp', field: null, reason },
    'Showing a code needs a reason: say why you need it.',
  );
  const code = totpCode(credential, at);
  session.write(({ audit }) => {
    checkCredentialIsLatest(session, accountId);
    audit({
      kind: 'credential.totp-shown',
      account: accountId,
      details: { reason: why, ...credentialEvidence(session.db, accountId) },
    });
  });
  return new RevealedSecret(code);
}
