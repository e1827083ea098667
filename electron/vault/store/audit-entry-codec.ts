import type { AuditDetails } from '../../../shared/domain/audit.ts';
import { toHex, utf8 } from '../crypto/hash.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { auditDetailsSchema, isAuditDetails } from '../audit/entry.ts';
import { OpenFailed } from '../crypto/aead.ts';
import type { BatchOpener } from '../crypto/batch-open.ts';
import { integrityError } from '../errors.ts';
import type { AuditEntryRow } from './audit-store.ts';
import { openRow, sealRow, type RowAddress, type Sealed } from './sealed-row.ts';

/**
 * The audit_entries table's codec: where an entry's sealed details are bound (its address), and
 * the one place they are sealed and opened. The address is the generic one (`associatedData` in
 * sealed-row.ts, the definition); the two fast paths below write the same bytes directly, and
 * tests/unit/store/audit-entry-codec.test.ts holds each to the definition with fast-check.
 */

/** An entry's row without its sealed column: what the details are bound to. */
export type AuditEntryAddressed = Omit<AuditEntryRow, 'sealed' | 'leaf_hash'> & {
  readonly leaf_hash: Uint8Array;
};

const TABLE = 'audit_entries';

/** The sealed column's address for an audit entry: every clear column, the leaf hash included. */
export function auditEntryAddress(row: AuditEntryAddressed): RowAddress {
  const clear = {
    account_id: row.account_id,
    actor_id: row.actor_id,
    at: row.at,
    kind: row.kind,
    leaf_hash: row.leaf_hash,
  };
  const encoded = utf8(auditEntryAssociatedText(row.seq, clear, toHex(row.leaf_hash)));
  return { table: TABLE, id: row.seq, version: 1, clear, encoded };
}

/**
 * Fast path 1: the bytes `associatedData(auditEntryAddress(row))` builds (keys in sorted order),
 * written out directly, for every entry of a million-entry export and every append.
 */
export function auditEntryAssociatedText(
  seq: number,
  clear: { account_id: string | null; actor_id: string; at: string; kind: string },
  leafHex: string,
): string {
  const json = JSON.stringify;
  return `{"clear":{"account_id":${json(clear.account_id)},"actor_id":${json(clear.actor_id)},"at":${json(clear.at)},"kind":${json(clear.kind)},"leaf_hash":"${leafHex}"},"custodian":1,"id":"${seq}","table":"${TABLE}","version":1}`;
}

/**
 * Fast path 2: the same text in SQL, for the export's page reader, which reads the trail on a
 * worker thread without a key (entry-reader.mjs). json_quote and JSON.stringify write the same
 * JSON for the text SQLite stores; if a clear column was altered so that they differ, the details
 * no longer open, which is the point.
 */
export const AUDIT_ENTRY_ASSOCIATED_SQL = `'{"clear":{"account_id":' || json_quote(account_id) || ',"actor_id":' || json_quote(actor_id) || ',"at":' || json_quote(at) || ',"kind":' || json_quote(kind) || ',"leaf_hash":"' || lower(hex(leaf_hash)) || '"},"custodian":1,"id":"' || seq || '","table":"${TABLE}","version":1}'`;

/**
 * Fast path 2 on the server (issue 14): the same text in PostgreSQL's SQL. to_json writes text as
 * JSON.stringify does (the same escapes, lowercase \u00XX, everything else as it is); a NULL
 * account is the JSON null json_quote gives.
 */
export const AUDIT_ENTRY_ASSOCIATED_POSTGRES_SQL = `'{"clear":{"account_id":' || COALESCE(to_json(account_id)::text, 'null') || ',"actor_id":' || to_json(actor_id)::text || ',"at":' || to_json(at)::text || ',"kind":' || to_json(kind)::text || ',"leaf_hash":"' || encode(leaf_hash, 'hex') || '"},"custodian":1,"id":"' || seq || '","table":"${TABLE}","version":1}'`;

/** Seal an entry's details under K_vault, bound to its row. */
export function sealAuditDetails(
  vaultKey: SecretBytes,
  row: AuditEntryAddressed,
  details: AuditDetails,
): Sealed<AuditDetails> {
  // Details that name a role (session.unlocked, member.added, credential.refused, ...) are
  // padded, so a blob's length does not tell "lead" from "security" (ADR 0028).
  const padTo = 'role' in details ? ROLE_DETAILS_PAD_BYTES : 1;
  return sealRow(vaultKey, auditEntryAddress(row), details, padTo);
}

/** Every role word (3 to 8 letters) in an entry's fixed fields falls inside one such block. */
const ROLE_DETAILS_PAD_BYTES = 64;

/**
 * As openAuditDetails, with K_vault held in `opener` for a pass over the whole trail (the vault
 * verify, issue 17): libsodium's wrapper copies the key, nonce, associated data and blob into its
 * heap and frees them for every call, a fifth of a million-entry verify. The same decrypt, the
 * same associated data, the same shape check; any failure is the same INTEGRITY error.
 */
export function openAuditDetailsWith(
  opener: BatchOpener,
  vaultKey: SecretBytes,
  row: AuditEntryRow,
): AuditDetails {
  const where = `${TABLE} row ${row.seq}`;
  let text: string | undefined;
  try {
    text = opener.openBytes(
      row.sealed,
      auditEntryAssociatedText(row.seq, row, toHex(row.leaf_hash)),
      (plaintext) => plaintext.toString('utf8'),
    );
  } catch (error) {
    if (error instanceof OpenFailed) throw integrityError(where);
    throw error;
  }
  // Larger than the opener's scratch region: open it the ordinary way.
  if (text === undefined) return openAuditDetails(vaultKey, row);
  let details: unknown;
  try {
    details = JSON.parse(text);
  } catch {
    throw integrityError(where, 'is not readable');
  }
  if (!isAuditDetails(details)) throw integrityError(where, 'has an unexpected shape');
  return details;
}

/** Open a stored entry's details; a tampered row, a moved blob or a wrong key is INTEGRITY. */
export function openAuditDetails(vaultKey: SecretBytes, row: AuditEntryRow): AuditDetails {
  return openRow(vaultKey, auditEntryAddress(row), row.sealed, auditDetailsSchema);
}
