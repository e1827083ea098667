import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { auditStore } from '../../../electron/vault/store/audit-store.ts';
import { setHeaderMac } from '../../../electron/vault/store/header-store.ts';
import { memberStore } from '../../../electron/vault/store/member-store.ts';
import { peopleTable } from '../../../electron/vault/store/registry-tables.ts';
import { newVault, tempDir } from '../../helpers/vault.ts';

/**
 * Issue 12 item 5: a write is possible only inside the transaction that also appends its audit
 * entry. The store's write functions take a WritableDb, and the only one is the handle
 * `session.write` (auditedTransaction) gives its change. `npm run typecheck` checks the lines
 * marked @ts-expect-error: were any of these writes to compile, the marker itself would fail.
 */
function writesOutsideTheAuditedTransaction(session: VaultSession): void {
  // @ts-expect-error -- the session's own handle reads only
  setHeaderMac(session.db, new Uint8Array(32));
  // @ts-expect-error -- a registry row cannot be inserted through it either
  peopleTable.insert(session.db, session.keys.vault, 'id', { created_at: 'now' }, { name: 'x' });
  // @ts-expect-error -- nor a member's slot deleted
  memberStore.deleteSlot(session.db, session.member.id);
  // Reading through it is what it is for.
  auditStore.lastSeq(session.db);
}

function writesInsideIt(session: VaultSession): void {
  session.write(({ db, audit }) => {
    memberStore.deleteSlot(db, 'nobody');
    audit({ kind: 'health.summarised', details: {} });
  });
}

describe('readable and writable handles', () => {
  const { dir, cleanup } = tempDir();
  let session: VaultSession;

  beforeAll(async () => {
    session = await newVault(`${dir}/handles.vault`);
  });
  afterAll(() => {
    session.close();
    cleanup();
  });

  it('the writable handle comes with the audit entry and checkpoint of its transaction', () => {
    const before = auditStore.lastSeq(session.db);
    writesInsideIt(session);
    expect(auditStore.lastSeq(session.db)).toBe(before + 1);
    expect(auditStore.latestCheckpoint(session.db)?.size).toBe(before + 1);
  });

  it('a change that throws writes nothing, neither its rows nor its entries', () => {
    const before = auditStore.lastSeq(session.db);
    const people = peopleTable.all(session.db, session.keys.vault).length;
    expect(() =>
      session.write(({ db, now, audit }) => {
        peopleTable.insert(
          db,
          session.keys.vault,
          'p'.repeat(32),
          { created_at: now },
          {
            name: 'Pat Person',
          },
        );
        audit({ kind: 'person.added', details: { person: 'p'.repeat(32) } });
        throw new Error('stop');
      }),
    ).toThrow('stop');
    expect(auditStore.lastSeq(session.db)).toBe(before);
    expect(peopleTable.all(session.db, session.keys.vault)).toHaveLength(people);
  });

  it('keeps the compile-time checks above in the build', () => {
    expect(typeof writesOutsideTheAuditedTransaction).toBe('function');
  });
});
