import { openAuditDetails } from '../store/audit-entry-codec.ts';
import { auditStore } from '../store/audit-store.ts';
import type { VaultSession } from '../session.ts';

/** The requests whose reason a member would give again: reveals, copies and TOTP codes. */
const ACCESS_KINDS = ['credential.revealed', 'credential.copied', 'credential.totp-shown'] as const;

/**
 * The reason this member last gave for reading this account's credential, to prefill the next
 * request's reason (issue 15: KeePassXC and Bitwarden users copy many times a day, and every copy
 * asks why, 6.5). Read from the trail itself, so it is the reason on record; null when they have
 * never given one here. The member edits it before it is sent; nothing is sent without it.
 */
export function lastAccessReason(session: VaultSession, accountId: string): string | null {
  const row = auditStore.latestByActorOn(session.db, session.member.id, accountId, ACCESS_KINDS);
  if (!row) return null;
  const { reason } = openAuditDetails(session.keys.vault, row);
  return typeof reason === 'string' && reason !== '' ? reason : null;
}
