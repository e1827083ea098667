import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPageReader } from '../../../electron/vault/store/entry-reader.mjs';
import { pageSql } from '../../../electron/vault/store/entry-page-reader.ts';
import { auditEntryAssociatedText } from '../../../electron/vault/store/audit-entry-codec.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { auditStore, clearColumnWhere } from '../../../electron/vault/store/audit-store.ts';
import { newVault, tempDir } from '../../helpers/vault.ts';

/**
 * The export's page reader builds, in SQL, two texts the TypeScript core also builds: the sealed
 * details' associated data (the audit entry codec) and the head of each bundle line. They must be
 * the same bytes.
 */
describe('the export page reader (entry-reader.mjs)', () => {
  const { dir, cleanup } = tempDir();
  let session: VaultSession;

  beforeAll(async () => {
    session = await newVault(`${dir}/reader.vault`);
    session.write(({ audit }) => {
      audit({ kind: 'credential.revealed', account: 'b'.repeat(32), details: { reason: 'r' } });
      audit({ kind: 'health.summarised', details: { day: '2026-11-25' } });
    });
  });
  afterAll(() => {
    session.close();
    cleanup();
  });

  it('writes the same associated data and line head as the core, entry by entry', () => {
    const reader = openPageReader(session.path, pageSql('1'), []);
    const size = auditStore.lastSeq(session.db);
    const lines = reader.page(0, size).split('\n');
    reader.close();
    expect(lines).toHaveLength(size);
    const rows = auditStore.entriesPage(session.db, 0, size).reverse();
    expect(rows.some((r) => r.account_id === null)).toBe(true);
    expect(rows.some((r) => r.account_id !== null)).toBe(true);
    rows.forEach((row, i) => {
      const [seq, kind, head, associated, leaf, sealed] = lines[i]!.split('\t');
      const leafHex = row.leaf_hash.toString('hex');
      expect(Number(seq)).toBe(row.seq);
      expect(kind).toBe(row.kind);
      const clear = {
        account_id: row.account_id,
        actor_id: row.actor_id,
        at: row.at,
        kind: row.kind,
      };
      expect(associated).toBe(auditEntryAssociatedText(row.seq, clear, leafHex));
      const line = JSON.parse(`${head!}{}}`) as Record<string, unknown>;
      expect(line).toEqual({
        type: 'entry',
        seq: row.seq,
        at: row.at,
        kind: row.kind,
        actor: row.actor_id,
        account: row.account_id,
        details: {},
      });
      expect(leaf).toBe(leafHex);
      expect(sealed).toBe(row.sealed.toString('hex').toUpperCase());
    });
  });

  it('applies the clear-column filters the log uses, and gives nothing for an empty range', () => {
    const { where, params } = clearColumnWhere({ kind: 'credential' });
    const reader = openPageReader(session.path, pageSql(where), params);
    const size = auditStore.lastSeq(session.db);
    const lines = reader.page(0, size).split('\n');
    expect(lines.map((l) => l.split('\t')[1])).toEqual(['credential.revealed']);
    expect(reader.page(size, size + 10)).toBe('');
    reader.close();
  });
});
