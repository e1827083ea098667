import { reuseLabel } from '../crypto/fingerprint.ts';
import { integrityError } from '../errors.ts';
import type { VaultSession, WriteContext } from '../session.ts';
import type { Db } from '../store/connection.ts';
import { readHeader } from '../store/header-store.ts';
import { settingsTable } from '../store/registry-tables.ts';

/**
 * Reuse labels (issue 13, attack 9). Health flags one password on several accounts for every
 * role, `security` included, from a label per account, and a label must not let anyone who
 * cannot read the password test guesses against it. So labels are keyed by the team secret
 * (crypto/fingerprint.ts), and only lead and dmt members, who hold it, write them:
 * - a lead or dmt member's change labels the password at once;
 * - an administrator's change (they hold no team key) leaves the account waiting, listed in the
 *   sealed 'reuse' settings row, for the next lead or dmt unlock to label;
 * - a team-key rotation, and a vault whose labels were made before this (keyed by K_vault, an
 *   oracle for every member), relabel every account at the next lead or dmt session; until then a
 *   member without the team key removes the old labels, so an old label is never kept.
 */
export const REUSE_ROW = 'reuse';

/** What these writes need of a write transaction. */
type Writing = Pick<WriteContext, 'db' | 'now'>;

/** The label for a new password, or undefined when this member holds no team key. */
export function labelFor(session: VaultSession, db: WriteContext['db'], password: string) {
  const team = session.team;
  if (!team) return undefined;
  return reuseLabel(team.secretKey, teamGeneration(db), password);
}

/** An administrator set this account's password: a lead or dmt member labels it at their unlock. */
export function awaitLabel(session: VaultSession, context: Writing, accountId: string): void {
  const row = settingsTable.get(context.db, session.keys.vault, REUSE_ROW);
  const pending = row?.value.reusePending ?? [];
  if (pending.includes(accountId)) return;
  writeReuseRow(session, context, {
    reuseGeneration: row?.value.reuseGeneration ?? 0,
    reusePending: [...pending, accountId],
  });
}

export function writeReuseRow(
  session: VaultSession,
  { db, now }: Writing,
  value: { reuseGeneration: number; reusePending: string[] },
): void {
  const existing = settingsTable.get(db, session.keys.vault, REUSE_ROW);
  if (existing) settingsTable.update(db, session.keys.vault, existing, { updated_at: now }, value);
  else settingsTable.insert(db, session.keys.vault, REUSE_ROW, { updated_at: now }, value);
}

export function teamGeneration(db: Db): number {
  const header = readHeader(db);
  if (!header) throw integrityError('vault_header', 'is missing');
  return header.team_generation;
}
