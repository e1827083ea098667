import type { AccountRecord } from '../../../shared/domain/accounts.ts';
import type { AccountKeyWrap } from './key-wrap-codec.ts';
import type { OpenedCredential, RotationDueDetails, RotationRecord } from './account-records.ts';
import type { Db, WritableDb } from './connection.ts';
import type { Sealed } from './sealed-row.ts';
import { stateDigestStore } from './state-digest.ts';
import { statement } from './statements.ts';
import { staleRow } from '../errors.ts';

export interface AccountRow {
  id: string;
  handle_tag: Buffer;
  created_at: string;
  created_by: string;
  version: number;
  sealed: Sealed<AccountRecord>;
}

export interface CredentialRow {
  account_id: string;
  key_id: string;
  updated_at: string;
  version: number;
  sealed: Sealed<OpenedCredential>;
}

export interface KeyWrapRow {
  account_id: string;
  holder: string;
  key_id: string;
  team_generation: number | null;
  sealed_box: AccountKeyWrap;
}

export interface RotationRow {
  id: string;
  account_id: string;
  at: string;
  actor_id: string;
  version: number;
  sealed: Sealed<RotationRecord>;
}

export interface RotationDueRow {
  id: string;
  account_id: string;
  raised_at: string;
  resolved_by: string | null;
  version: number;
  sealed: Sealed<RotationDueDetails>;
}

export const accountStore = {
  all(db: Db): AccountRow[] {
    return statement(db, 'SELECT * FROM accounts ORDER BY created_at, rowid').all() as AccountRow[];
  },
  count(db: Db): number {
    return (statement(db, 'SELECT COUNT(*) AS n FROM accounts').get() as { n: number }).n;
  },
  /** Each account's oldest open rotation-due and latest rotation: the list's two columns in two scans. */
  rotationStateByAccount(
    db: Db,
  ): Map<string, { dueSince: string | null; lastRotatedAt: string | null }> {
    const state = new Map<string, { dueSince: string | null; lastRotatedAt: string | null }>();
    const entry = (id: string) => {
      let found = state.get(id);
      if (!found) state.set(id, (found = { dueSince: null, lastRotatedAt: null }));
      return found;
    };
    const due = statement(
      db,
      'SELECT account_id, MIN(raised_at) AS since FROM rotation_due WHERE resolved_by IS NULL GROUP BY account_id',
    ).all() as { account_id: string; since: string }[];
    for (const row of due) entry(row.account_id).dueSince = row.since;
    const rotated = statement(
      db,
      'SELECT account_id, MAX(at) AS at FROM rotations GROUP BY account_id',
    ).all() as { account_id: string; at: string }[];
    for (const row of rotated) entry(row.account_id).lastRotatedAt = row.at;
    return state;
  },
  byHandleTag(db: Db, tag: Uint8Array): AccountRow | undefined {
    return statement(db, 'SELECT * FROM accounts WHERE handle_tag = ?').get(tag) as
      AccountRow | undefined;
  },
  byId(db: Db, id: string): AccountRow | undefined {
    return statement(db, 'SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
  },
  insert(db: WritableDb, row: AccountRow): void {
    stateDigestStore.tracked(db, 'accounts', 'id = ?', [row.id], () =>
      statement(
        db,
        'INSERT INTO accounts (id, handle_tag, created_at, created_by, version, sealed) VALUES (@id, @handle_tag, @created_at, @created_by, @version, @sealed)',
      ).run(row),
    );
  },
  /** Replace the account row at version `expected` (ADR 0023): any other version is a conflict. */
  update(db: WritableDb, row: AccountRow, expected: number): void {
    stateDigestStore.tracked(db, 'accounts', 'id = ?', [row.id], () => {
      const { changes } = statement(
        db,
        'UPDATE accounts SET handle_tag = @handle_tag, version = @version, sealed = @sealed WHERE id = @id AND version = @expected',
      ).run({ ...row, expected });
      if (changes !== 1) throw staleRow('accounts', row.id);
    });
  },
  credential(db: Db, accountId: string): CredentialRow | undefined {
    return statement(db, 'SELECT * FROM credentials WHERE account_id = ?').get(accountId) as
      CredentialRow | undefined;
  },
  allCredentials(db: Db): CredentialRow[] {
    return statement(db, 'SELECT * FROM credentials ORDER BY account_id').all() as CredentialRow[];
  },
  /**
   * The account's credential: inserted as version 1, or replaced only over the version before
   * `row.version` (ADR 0023), so two rotations can never both be written on the same password.
   */
  upsertCredential(db: WritableDb, row: CredentialRow): void {
    stateDigestStore.tracked(db, 'credentials', 'account_id = ?', [row.account_id], () => {
      if (row.version === 1) {
        statement(
          db,
          'INSERT INTO credentials (account_id, key_id, updated_at, version, sealed) VALUES (@account_id, @key_id, @updated_at, @version, @sealed)',
        ).run(row);
        return;
      }
      const { changes } = statement(
        db,
        'UPDATE credentials SET key_id = @key_id, updated_at = @updated_at, version = @version, sealed = @sealed WHERE account_id = @account_id AND version = @expected',
      ).run({ ...row, expected: row.version - 1 });
      if (changes !== 1) throw staleRow('credentials', row.account_id);
    });
  },
  wrap(db: Db, accountId: string, holder: string): KeyWrapRow | undefined {
    return statement(db, 'SELECT * FROM account_key_wraps WHERE account_id = ? AND holder = ?').get(
      accountId,
      holder,
    ) as KeyWrapRow | undefined;
  },
  wrapsFor(db: Db, accountId: string): KeyWrapRow[] {
    return statement(
      db,
      'SELECT * FROM account_key_wraps WHERE account_id = ? ORDER BY holder',
    ).all(accountId) as KeyWrapRow[];
  },
  allWraps(db: Db): KeyWrapRow[] {
    return statement(
      db,
      'SELECT * FROM account_key_wraps ORDER BY account_id, holder',
    ).all() as KeyWrapRow[];
  },
  wrapsByHolder(db: Db, holder: string): KeyWrapRow[] {
    return statement(
      db,
      'SELECT * FROM account_key_wraps WHERE holder = ? ORDER BY account_id',
    ).all(holder) as KeyWrapRow[];
  },
  replaceWraps(db: WritableDb, accountId: string, rows: readonly KeyWrapRow[]): void {
    stateDigestStore.tracked(db, 'account_key_wraps', 'account_id = ?', [accountId], () => {
      statement(db, 'DELETE FROM account_key_wraps WHERE account_id = ?').run(accountId);
      const insert = statement(
        db,
        `INSERT INTO account_key_wraps (account_id, holder, key_id, team_generation, sealed_box)
         VALUES (@account_id, @holder, @key_id, @team_generation, @sealed_box)`,
      );
      for (const row of rows) insert.run(row);
    });
  },
  upsertWrap(db: WritableDb, row: KeyWrapRow): void {
    stateDigestStore.tracked(
      db,
      'account_key_wraps',
      'account_id = ? AND holder = ?',
      [row.account_id, row.holder],
      () =>
        statement(
          db,
          `INSERT INTO account_key_wraps (account_id, holder, key_id, team_generation, sealed_box)
           VALUES (@account_id, @holder, @key_id, @team_generation, @sealed_box)
           ON CONFLICT (account_id, holder) DO UPDATE SET key_id = excluded.key_id, team_generation = excluded.team_generation, sealed_box = excluded.sealed_box`,
        ).run(row),
    );
  },
  deleteWrap(db: WritableDb, accountId: string, holder: string): void {
    stateDigestStore.tracked(
      db,
      'account_key_wraps',
      'account_id = ? AND holder = ?',
      [accountId, holder],
      () =>
        statement(db, 'DELETE FROM account_key_wraps WHERE account_id = ? AND holder = ?').run(
          accountId,
          holder,
        ),
    );
  },
  deleteWrapsOfHolder(db: WritableDb, holder: string): void {
    stateDigestStore.tracked(db, 'account_key_wraps', 'holder = ?', [holder], () =>
      statement(db, 'DELETE FROM account_key_wraps WHERE holder = ?').run(holder),
    );
  },
  insertRotation(db: WritableDb, row: RotationRow): void {
    stateDigestStore.tracked(db, 'rotations', 'id = ?', [row.id], () =>
      statement(
        db,
        'INSERT INTO rotations (id, account_id, at, actor_id, version, sealed) VALUES (@id, @account_id, @at, @actor_id, @version, @sealed)',
      ).run(row),
    );
  },
  rotationsFor(db: Db, accountId: string): RotationRow[] {
    return statement(db, 'SELECT * FROM rotations WHERE account_id = ? ORDER BY at, rowid').all(
      accountId,
    ) as RotationRow[];
  },
  allRotations(db: Db): RotationRow[] {
    return statement(db, 'SELECT * FROM rotations ORDER BY at, rowid').all() as RotationRow[];
  },
  insertRotationDue(db: WritableDb, row: RotationDueRow): void {
    stateDigestStore.tracked(db, 'rotation_due', 'id = ?', [row.id], () =>
      statement(
        db,
        'INSERT INTO rotation_due (id, account_id, raised_at, resolved_by, version, sealed) VALUES (@id, @account_id, @raised_at, @resolved_by, @version, @sealed)',
      ).run(row),
    );
  },
  openRotationDue(db: Db, accountId: string): RotationDueRow[] {
    return statement(
      db,
      'SELECT * FROM rotation_due WHERE account_id = ? AND resolved_by IS NULL ORDER BY raised_at, rowid',
    ).all(accountId) as RotationDueRow[];
  },
  allRotationDue(db: Db): RotationDueRow[] {
    return statement(
      db,
      'SELECT * FROM rotation_due ORDER BY raised_at, rowid',
    ).all() as RotationDueRow[];
  },
  resolveRotationDue(
    db: WritableDb,
    row: Pick<RotationDueRow, 'id' | 'resolved_by' | 'version' | 'sealed'>,
  ): void {
    stateDigestStore.tracked(db, 'rotation_due', 'id = ?', [row.id], () => {
      const { changes } = statement(
        db,
        'UPDATE rotation_due SET resolved_by = @resolved_by, version = @version, sealed = @sealed WHERE id = @id AND version = @expected',
      ).run({ ...row, expected: row.version - 1 });
      if (changes !== 1) throw staleRow('rotation_due', row.id);
    });
  },
};
