import type { RefusedAsk } from '../../../shared/domain/credentials.ts';
import { reasonSchema } from '../../../shared/domain/accounts.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { VaultError } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import { resolveAccount } from './accounts.ts';

/** A request for a secret: what was asked, of which account, and the reason given. */
export interface CredentialAttempt {
  readonly asked: RefusedAsk;
  /** The field asked for (a TOTP code has none). */
  readonly field: string | null;
  readonly reason: string;
}

/**
 * Record a request for a secret refused to this member (issue 11): security staff see attempts,
 * not only successes (6.5). Written in a transaction of its own, because the refused operation
 * itself throws and writes nothing. The entry names who, which account and what was asked, and
 * the reason they gave; never a secret, since nothing was opened.
 */
export function recordRefusedAttempt(
  session: VaultSession,
  accountId: string | null,
  attempt: CredentialAttempt,
): void {
  const reason = reasonSchema.safeParse(attempt.reason);
  session.write(({ audit }) =>
    audit({
      kind: 'credential.refused',
      account: accountId,
      details: {
        asked: attempt.asked,
        field: attempt.field,
        role: session.member.role,
        reason: reason.success ? reason.data : null,
      },
    }),
  );
}

/**
 * The same, for an account named as a person gave it (a request refused for its role before it
 * reached the core, at the IPC router). A name that matches no account is recorded without one.
 */
export function recordRefusedRequest(
  session: VaultSession,
  reference: string,
  attempt: CredentialAttempt,
): void {
  let accountId: string | null = null;
  try {
    accountId = resolveAccount(session, reference).id;
  } catch (error) {
    if (!(error instanceof VaultError) || error.code !== ErrorCode.NOT_FOUND) throw error;
  }
  recordRefusedAttempt(session, accountId, attempt);
}

/**
 * Run `open` (a credential read); if the member's role or grants refuse it, record the attempt
 * before the refusal goes on to the caller.
 */
export function openOrRecordRefusal<T>(
  session: VaultSession,
  accountId: string,
  attempt: CredentialAttempt,
  open: () => T,
): T {
  try {
    return open();
  } catch (error) {
    if (error instanceof VaultError && error.code === ErrorCode.FORBIDDEN) {
      recordRefusedAttempt(session, accountId, attempt);
    }
    throw error;
  }
}
