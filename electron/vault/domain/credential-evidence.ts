import type { AuditDetails, AuditKind } from '../../../shared/domain/audit.ts';
import { sha256, toHex } from '../crypto/hash.ts';
import { integrityError } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import { accountStore } from '../store/account-store.ts';
import { openAuditDetails } from '../store/audit-entry-codec.ts';
import { auditStore } from '../store/audit-store.ts';
import type { Db } from '../store/connection.ts';

/**
 * The entries that write an account's credential. Each carries the credential row it wrote, by
 * key id, version and the hash of its sealed blob (ADR 0020), so the trail says which sealed
 * credential is current, not only that one was written.
 */
export const CREDENTIAL_WRITES: readonly AuditKind[] = [
  'account.created',
  'account.set-up',
  'credential.rotated',
  'credential.extras-set',
  // An ended grant re-seals the credential under a fresh account key (administrators.ts).
  'account.admin-revoked',
];

/**
 * The account's credential row as evidence for an audit entry: its key id, version and a hash of
 * its sealed blob (nothing of its contents). Empty if the account has none (a request).
 */
export function credentialEvidence(db: Db, accountId: string): AuditDetails {
  const row = accountStore.credential(db, accountId);
  if (!row) return {};
  return {
    credentialKeyId: row.key_id,
    credentialVersion: row.version,
    credentialBlobHash: toHex(sha256(row.sealed)),
  };
}

/**
 * Before a secret is handed out: the credential row must be the one the trail last recorded for
 * the account. A row restored from an older copy (with its wraps, so it opens) would otherwise
 * print the old password while the history says it was rotated (issue 13, attack 8). One indexed
 * lookup and one open; entries written before format 7 carry no evidence and are not compared.
 * Inside the write that records the hand-out, where the session's K_vault is the current epoch's.
 */
export function checkCredentialIsLatest(session: VaultSession, accountId: string): void {
  const entry = auditStore.lastEntryOfKindsForAccount(session.db, accountId, CREDENTIAL_WRITES);
  if (!entry) return;
  const recorded = openAuditDetails(session.keys.vault, entry);
  if (recorded['credentialKeyId'] === undefined) return;
  const current = credentialEvidence(session.db, accountId);
  const same = (['credentialKeyId', 'credentialVersion', 'credentialBlobHash'] as const).every(
    (field) => current[field] === recorded[field],
  );
  if (!same) {
    throw integrityError(
      `credentials row ${accountId}`,
      `is not the credential audit entry #${entry.seq} recorded (key id, version and blob hash): it was rolled back or replaced`,
    );
  }
}
