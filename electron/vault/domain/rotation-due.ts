import { z } from 'zod';
import { randomId } from '../crypto/random.ts';
import type { VaultSession, WriteContext } from '../session.ts';
import { accountStore, type RotationDueRow } from '../store/account-store.ts';
import { openRow, sealRow } from '../store/sealed-row.ts';

/**
 * An owed rotation (policy 10.2: change passwords when team membership changes). Raised when
 * someone who knew a password leaves; resolved by the rotation that answers it.
 */
const rotationDueSchema = z.object({
  cause: z.enum(['member-removed', 'access-revoked', 'admin-revoked', 'lost-device']),
  evidence: z.string(),
});
export type RotationDueDetails = z.infer<typeof rotationDueSchema>;

function address(row: Omit<RotationDueRow, 'sealed'>) {
  return {
    table: 'rotation_due',
    id: row.id,
    version: row.version,
    clear: { account_id: row.account_id, raised_at: row.raised_at, resolved_by: row.resolved_by },
  };
}

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
  accountStore.insertRotationDue(db, {
    ...row,
    sealed: Buffer.from(sealRow(session.keys.vault, address(row), details)),
  });
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
    accountStore.resolveRotationDue(db, {
      ...resolved,
      sealed: Buffer.from(sealRow(session.keys.vault, address(resolved), details)),
    });
  }
}

export function openRotationDue(session: VaultSession, row: RotationDueRow): RotationDueDetails {
  return openRow(session.keys.vault, address(row), row.sealed, rotationDueSchema);
}
