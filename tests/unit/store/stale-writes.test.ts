import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addPerson } from '../../../electron/vault/domain/people.ts';
import { ConflictError } from '../../../electron/vault/errors.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { accountStore } from '../../../electron/vault/store/account-store.ts';
import { accountCodec } from '../../../electron/vault/store/account-codecs.ts';
import { auditStore } from '../../../electron/vault/store/audit-store.ts';
import { peopleTable } from '../../../electron/vault/store/registry-tables.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

/**
 * Issue 14, "optimistic versions on every row": the store replaces a row only if it still holds
 * the version the caller read (`UPDATE … WHERE id = ? AND version = ?`, exactly one row changed),
 * else CONFLICT and nothing written. Before, `SealedTable.update` and `accountStore.update` wrote
 * over whatever was there.
 */
describe('a write on a version that is no longer there', () => {
  let dir: ReturnType<typeof tempDir>;
  let session: VaultSession;
  let accounts: string[];

  beforeEach(async () => {
    dir = tempDir();
    const path = `${dir.dir}/stale.vault`;
    ({ accounts } = await populatedVault(path));
    session = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
  });
  afterEach(() => {
    session.close();
    dir.cleanup();
  });

  const caught = (run: () => unknown): unknown => {
    try {
      run();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('a sealed registry row: the stale update is refused, the fresh one is written as version + 1', () => {
    const loaded = addPerson(session, { name: 'Pat Person' });
    expect(loaded.version).toBe(1);
    const fresh = session.write(({ db, audit }) => {
      audit({ kind: 'person.trained', details: { person: loaded.id } });
      return peopleTable.update(db, session.keys.vault, loaded, loaded.clear, {
        ...loaded.value,
        masterclassOn: '2026-03-01',
      });
    });
    expect(fresh.version).toBe(2);
    const entriesBefore = auditStore.countEntries(session.db);

    const error = caught(() =>
      session.write(({ db, audit }) => {
        audit({ kind: 'person.trained', details: { person: loaded.id } });
        return peopleTable.update(db, session.keys.vault, loaded, loaded.clear, {
          ...loaded.value,
          refresherOn: '2026-04-01',
        });
      }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe(ErrorCode.CONFLICT);
    expect((error as Error).message).toMatch(/changed by someone else.*nothing was saved/);
    // Nothing written: the row is still the fresh version, and the refused write left no entry.
    const stored = peopleTable.get(session.db, session.keys.vault, loaded.id)!;
    expect(stored.version).toBe(2);
    expect(stored.value.masterclassOn).toBe('2026-03-01');
    expect(stored.value.refresherOn).toBeUndefined();
    expect(auditStore.countEntries(session.db)).toBe(entriesBefore);
  });

  it('an update of a row that is gone is a conflict too, not a silent no-op', () => {
    const loaded = addPerson(session, { name: 'Gone Person' });
    const error = caught(() =>
      session.write(({ db, audit }) => {
        audit({ kind: 'person.trained', details: { person: loaded.id } });
        return peopleTable.update(
          db,
          session.keys.vault,
          { ...loaded, id: 'no-such-person' },
          loaded.clear,
          loaded.value,
        );
      }),
    );
    expect(error).toBeInstanceOf(ConflictError);
  });

  it('an account row: the stale update is refused and the newer version kept', () => {
    const row = accountStore.byId(session.db, accounts[0]!)!;
    const record = accountCodec.open(session.keys.vault, row);
    session.write(({ db, audit }) => {
      audit({ kind: 'account.updated', account: row.id });
      accountStore.update(
        db,
        accountCodec.seal(
          session.keys.vault,
          { ...row, version: row.version + 1 },
          { ...record, notes: 'first' },
        ),
        row.version,
      );
    });
    const error = caught(() =>
      session.write(({ db, audit }) => {
        audit({ kind: 'account.updated', account: row.id });
        accountStore.update(
          db,
          accountCodec.seal(
            session.keys.vault,
            { ...row, version: row.version + 1 },
            { ...record, notes: 'second' },
          ),
          row.version,
        );
      }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    const stored = accountStore.byId(session.db, row.id)!;
    expect(stored.version).toBe(row.version + 1);
    expect(accountCodec.open(session.keys.vault, stored).notes).toBe('first');
  });
});
