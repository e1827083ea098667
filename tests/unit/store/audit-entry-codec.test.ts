import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIT_KINDS } from '../../../shared/domain/audit.ts';
import { newSymmetricKey } from '../../../electron/vault/crypto/aead.ts';
import {
  AUDIT_ENTRY_ASSOCIATED_SQL,
  auditEntryAddress,
  auditEntryAssociatedText,
  openAuditDetails,
  sealAuditDetails,
} from '../../../electron/vault/store/audit-entry-codec.ts';
import { associatedData } from '../../../electron/vault/store/sealed-row.ts';
import { TRAIL_PAGE_SQL } from '../../../electron/vault/store/trail-page-sql.ts';
import { associatedTextOf } from '../../../electron/vault/audit/trail-worker.mjs';

// Issue 12 item 4: the audit entry's associated data has one definition, the generic address
// encoding (associatedData). The two fast paths, in TypeScript for the append and in SQL for the
// export's page reader, must write the same bytes for any row the table can hold; and so must the
// trail workers' third (issue 17), which fills the SQL one's layout with the page query's fields.

const text = fc.string({ unit: 'binary', maxLength: 40 });
const row = fc.record({
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  at: fc.oneof(
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    text,
  ),
  kind: fc.oneof(fc.constantFrom(...AUDIT_KINDS), text),
  actor_id: text,
  account_id: fc.option(text, { nil: null }),
  leaf_hash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
});

/** The definition: the generic encoding of the entry's address, without the precomputed bytes. */
function defined(address: ReturnType<typeof auditEntryAddress>): string {
  const { table, id, version, clear } = address;
  return Buffer.from(associatedData({ table, id, version, clear })).toString('utf8');
}

describe('the audit entry codec', () => {
  const db = new Database(':memory:');
  db.exec(
    'CREATE TABLE audit_entries (seq INTEGER PRIMARY KEY, at TEXT, kind TEXT, actor_id TEXT, account_id TEXT, leaf_hash BLOB, sealed BLOB)',
  );
  const insert = db.prepare(
    "INSERT INTO audit_entries (seq, at, kind, actor_id, account_id, leaf_hash, sealed) VALUES (@seq, @at, @kind, @actor_id, @account_id, @leaf_hash, x'00')",
  );
  const sql = db.prepare(`SELECT ${AUDIT_ENTRY_ASSOCIATED_SQL} FROM audit_entries WHERE seq = ?`);
  afterAll(() => db.close());

  it('writes the defined associated data in its TypeScript fast path, for any row', () => {
    fc.assert(
      fc.property(row, (r) => {
        const address = auditEntryAddress(r);
        expect(Buffer.from(address.encoded!).toString('utf8')).toBe(defined(address));
        expect(auditEntryAssociatedText(r.seq, r, Buffer.from(r.leaf_hash).toString('hex'))).toBe(
          defined(address),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('writes the defined associated data in its SQL fast path, for any row SQLite holds', () => {
    fc.assert(
      fc.property(row, (r) => {
        db.exec('DELETE FROM audit_entries');
        insert.run({ ...r, leaf_hash: Buffer.from(r.leaf_hash) });
        expect(sql.pluck().get(r.seq)).toBe(defined(auditEntryAddress(r)));
      }),
      { numRuns: 500 },
    );
  });

  it("writes the defined associated data in the trail workers' path, for any row SQLite holds", () => {
    const page = db.prepare(TRAIL_PAGE_SQL).raw();
    fc.assert(
      fc.property(row, (r) => {
        db.exec('DELETE FROM audit_entries');
        insert.run({ ...r, leaf_hash: Buffer.from(r.leaf_hash) });
        const [text, bytes] = page.get(r.seq - 1, r.seq) as [string, Buffer];
        const fields = text.split('\t');
        expect(fields).toHaveLength(8);
        // The page's bytes are the row's leaf hash and sealed details as stored (here x'00').
        expect(bytes).toEqual(Buffer.concat([Buffer.from(r.leaf_hash), Buffer.from([0])]));
        expect(fields.slice(6)).toEqual(['32', '1']);
        const leafHex = bytes.subarray(0, 32).toString('hex');
        expect(associatedTextOf(fields, leafHex)).toBe(defined(auditEntryAddress(r)));
      }),
      { numRuns: 500 },
    );
  });

  it('opens what it sealed, and not once a clear column has changed', () => {
    const key = newSymmetricKey();
    const entry = {
      seq: 3,
      at: '2026-11-24T10:00:00.000Z',
      kind: 'credential.revealed',
      actor_id: 'b'.repeat(32),
      account_id: 'a'.repeat(32),
      leaf_hash: Buffer.alloc(32, 7),
    };
    const sealed = sealAuditDetails(key, entry, { reason: 'incident 42' });
    expect(openAuditDetails(key, { ...entry, sealed })).toEqual({ reason: 'incident 42' });
    expect(() => openAuditDetails(key, { ...entry, account_id: null, sealed })).toThrow(
      /audit_entries row 3/,
    );
    expect(() => openAuditDetails(key, { ...entry, seq: 4, sealed })).toThrow(
      /audit_entries row 4/,
    );
  });
});
