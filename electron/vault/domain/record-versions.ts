import type { AuditKind } from '../../../shared/domain/audit.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { notFound } from '../errors.ts';
import type { VaultSession, WriteContext } from '../session.ts';
import type { ClearColumns } from '../store/sealed-row.ts';
import type { OpenedRecord, SealedTable } from '../store/sealed-records.ts';
import { registryConflict } from './conflicts.ts';

/**
 * A registry record read again inside the write transaction (ADR 0023): it must still be the
 * version the change was worked out from, and the version the form was opened on (`expected`,
 * when the request carried one). Otherwise a conflict naming who changed it and when; nothing is
 * saved. The table's own update refuses a stale version again, so nothing slips in between.
 */
export function recordAtVersion<C extends ClearColumns, T>(
  session: VaultSession,
  db: WriteContext['db'],
  table: SealedTable<C, T>,
  read: OpenedRecord<C, T>,
  expected: number | undefined,
  conflict: {
    readonly label: string;
    readonly changes: Partial<Record<AuditKind, string>>;
    readonly field: string;
    readonly missing: string;
  },
): OpenedRecord<C, T> {
  const key: SecretBytes = session.keys.vault;
  const current = table.get(db, key, read.id);
  if (!current) throw notFound(conflict.missing);
  if (current.version !== read.version || (expected !== undefined && current.version !== expected))
    throw registryConflict(session, db, {
      label: conflict.label,
      id: read.id,
      version: current.version,
      changes: conflict.changes,
      field: conflict.field,
    });
  return current;
}
