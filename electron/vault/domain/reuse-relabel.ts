import { ErrorCode } from '../../../shared/errors.ts';
import { isTeamKeyedLabel, reuseLabel } from '../crypto/fingerprint.ts';
import { VaultError } from '../errors.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import type { VaultSession, WriteContext } from '../session.ts';
import type { Db } from '../store/connection.ts';
import { accountStore } from '../store/account-store.ts';
import { settingsTable } from '../store/registry-tables.ts';
import { openAccountProfile, writeAccountRecord } from './accounts.ts';
import { openCredential } from './credentials.ts';
import { REUSE_ROW, teamGeneration, writeReuseRow } from './reuse-labels.ts';

/**
 * Bringing every reuse label to the current team key (see reuse-labels.ts for why). At unlock, inside its transaction. A lead or dmt member labels what waits, or every account if
 * the labels are not all of the current team key. Anyone else removes labels of the old kind.
 */
/**
 * Whether `settleReuseLabels` has nothing to do: then the unlock's write reads no account (a
 * console unlock may then leave the registry's state check for later, ADR 0027).
 */
export function reuseLabelsSettled(db: Db, vaultKey: SecretBytes, holdsTeamKey: boolean): boolean {
  const row = settingsTable.get(db, vaultKey, REUSE_ROW);
  if (!holdsTeamKey) return row !== undefined;
  return (
    row?.value.reuseGeneration === teamGeneration(db) && (row.value.reusePending ?? []).length === 0
  );
}

export function settleReuseLabels(session: VaultSession, context: WriteContext): void {
  const row = settingsTable.get(context.db, session.keys.vault, REUSE_ROW);
  const generation = teamGeneration(context.db);
  const current = row?.value.reuseGeneration === generation;
  if (session.team) {
    if (current && (row.value.reusePending ?? []).length === 0) return;
    const only = current ? new Set(row.value.reusePending) : undefined;
    const labelled = relabel(session, context, generation, only);
    writeReuseRow(session, context, { reuseGeneration: generation, reusePending: [] });
    if (labelled > 0 || !current) {
      context.audit({ kind: 'reuse.relabelled', details: { generation, accounts: labelled } });
    }
    return;
  }
  // Checked once: after this the row names generation 0 until a lead or dmt member relabels.
  if (row !== undefined) return;
  let removed = 0;
  for (const account of accountStore.all(context.db)) {
    const record = openAccountProfile(session, account);
    const label = record.passwordCheck?.fingerprint;
    if (label === undefined || isTeamKeyedLabel(label)) continue;
    const { strength, setOn } = record.passwordCheck!;
    writeAccountRecord(session, context.db, account, {
      ...record,
      passwordCheck: { strength, setOn },
    });
    removed += 1;
  }
  writeReuseRow(session, context, { reuseGeneration: 0, reusePending: [] });
  if (removed > 0) {
    context.audit({ kind: 'reuse.relabelled', details: { generation: 0, accounts: removed } });
  }
}

/** After a team-key rotation: every label again, under the new key (a second transaction). */
export function relabelAll(session: VaultSession, context: WriteContext): void {
  const generation = teamGeneration(context.db);
  const labelled = relabel(session, context, generation, undefined);
  writeReuseRow(session, context, { reuseGeneration: generation, reusePending: [] });
  context.audit({ kind: 'reuse.relabelled', details: { generation, accounts: labelled } });
}

/**
 * Label each account's current password (all, or those waiting) under the team key of this
 * generation, read once by the caller; how many labels changed.
 */
function relabel(
  session: VaultSession,
  context: WriteContext,
  generation: number,
  only: ReadonlySet<string> | undefined,
): number {
  const team = session.team;
  if (!team) throw new VaultError(ErrorCode.INTERNAL, 'Only a team-key holder makes reuse labels.');
  let changed = 0;
  for (const account of accountStore.all(context.db)) {
    if (only && !only.has(account.id)) continue;
    const record = openAccountProfile(session, account);
    if (!record.passwordCheck || !accountStore.credential(context.db, account.id)) continue;
    const password = openCredential(session, account.id).password;
    const label = reuseLabel(team.secretKey, generation, password);
    if (label === record.passwordCheck.fingerprint) continue;
    writeAccountRecord(session, context.db, account, {
      ...record,
      passwordCheck: { ...record.passwordCheck, fingerprint: label },
    });
    changed += 1;
  }
  return changed;
}
