import { expect } from 'vitest';
import { LEAF_SALT } from '../../electron/vault/audit/entry.ts';
import { openEntryRow } from '../../electron/vault/audit/export.ts';
import type { VaultSession } from '../../electron/vault/session.ts';
import { auditStore } from '../../electron/vault/store/audit-store.ts';
import type { AuditEntry, AuditKind } from '../../shared/domain/audit.ts';

/** The trail's entries of one kind, oldest first, opened as the session's member sees them. */
export function entriesOfKind(session: VaultSession, kind: AuditKind): AuditEntry[] {
  const rows = auditStore.entriesPage(session.db, 0, auditStore.countEntries(session.db));
  return rows
    .filter((row) => row.kind === kind)
    .reverse()
    .map((row) => {
      const { seq, at, kind: entryKind, actor, account, details } = openEntryRow(session, row);
      return { seq, at, kind: entryKind, actor, account, details };
    });
}

/** The salt every entry's details carry from format 8 on (audit/entry.ts LEAF_SALT), to spread into an expected details object. */
export const SALTED = { [LEAF_SALT]: expect.stringMatching(/^[0-9a-f]{32}$/) };
