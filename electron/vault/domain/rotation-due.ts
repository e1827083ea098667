import { randomId } from '../crypto/random.ts';
import type { VaultSession, WriteContext } from '../session.ts';
import { accountStore, type RotationDueRow } from '../store/account-store.ts';
import { rotationDueCodec } from '../store/account-codecs.ts';
import type { RotationDueDetails } from '../store/account-records.ts';

export type { RotationDueDetails };

/**
 * An owed rotation (policy 10.2: change passwords when team membership changes). Raised when
 * someone who knew a password leaves; resolved by the rotation that answers it.
 */

export function raiseRotationDue(
  session: VaultSession,
  { db, now, audit }: WriteContext,
  accountId: string,
  details: RotationDueDetails,
): string {
  const row = {
    id: randomId(),
    account_id: accountId,
    raised_at: now,
    resolved_by: null,
    version: 1,
  };
  accountStore.insertRotationDue(db, rotationDueCodec.seal(session.keys.vault, row, details));
  audit({
    kind: 'rotation.due',
    account: accountId,
    details: { cause: details.cause, evidence: details.evidence },
  });
  return row.id;
}

/** Close every open rotation-due record of an account with the rotation that answers it. */
export function resolveRotationDue(
  session: VaultSession,
  { db }: WriteContext,
  accountId: string,
  rotationId: string,
): void {
  const open = accountStore.openRotationDue(db, accountId);
  for (const row of open) {
    const details = openRotationDue(session, row);
    const resolved = { ...row, resolved_by: rotationId, version: row.version + 1 };
    accountStore.resolveRotationDue(
      db,
      rotationDueCodec.seal(session.keys.vault, resolved, details),
    );
  }
}

export function openRotationDue(session: VaultSession, row: RotationDueRow): RotationDueDetails {
  return rotationDueCodec.open(session.keys.vault, row);
}
