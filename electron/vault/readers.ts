import type { Role } from '../../shared/domain/roles.ts';
import type { ReadableDb } from './store/connection.ts';
import type { HeaderRow } from './store/header-store.ts';
import { schemaVersion, SCHEMA_VERSION } from './store/migrate.ts';
import { stateDigestStore } from './store/state-digest.ts';
import { vaultKeyStore } from './store/vault-key-store.ts';
import { memberStore } from './store/member-store.ts';

/**
 * Whether this unlock can go without the writer lock (issue 14, ADR 0025): a `security` member
 * reads the registry, health and trail and writes nothing but their own audit entries, so they
 * are not shut out by another member's open session; SQLite (WAL) lets them read beside it and
 * serialises their short audit transactions with its writes. Not when the unlock itself has to
 * upgrade the file (a migration, the first state commitment, the move to key epochs): those
 * change the whole vault and take the writer lock as any writer does. Nor for a take-over.
 */
export function readsOnly(
  db: ReadableDb,
  role: Role,
  header: HeaderRow,
  options: { readonly takeOverStaleLock?: boolean },
): boolean {
  if (role !== 'security' || options.takeOverStaleLock) return false;
  return (
    schemaVersion(db) === SCHEMA_VERSION &&
    stateDigestStore.exists(db) &&
    header.state_since != null &&
    vaultKeyStore.exists(db) &&
    // Roles still in clear from before format 9 are sealed by a writer's unlock (ADR 0028).
    memberStore.legacyRows(db).length === 0
  );
}
