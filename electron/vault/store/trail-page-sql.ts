/**
 * The page query of `audit verify`'s trail workers (audit/trail-worker.mjs, issue 17): one string
 * for the entries after < seq <= upTo, a row a line of eight tab-separated fields:
 *
 *   seq; 1 if every column has the type the app writes (else 0: the verifier reads that row
 *   itself); kind, at, actor and account as JSON; the leaf hash (hex); the sealed details (hex)
 *
 * The types are SQLite's word: json_quote writes a BLOB that holds JSONB as the JSON text it
 * holds, so a text column's JSON alone cannot tell a BLOB from the text. The associated data the
 * details were sealed under is assembled by the worker from these JSON fields, in the layout of
 * the codec's SQL fast path (audit-entry-codec.ts, AUDIT_ENTRY_ASSOCIATED_SQL, which writes the
 * same json_quote texts), rather than written here, which wrote each clear column twice.
 *
 * No field can be NULL (json_quote writes `null`), so no row drops out of group_concat; text is
 * JSON-quoted, so a tab or line break in a column cannot split a row.
 */
export const TRAIL_PAGE_SQL = `SELECT group_concat(${[
  'seq',
  `(typeof(seq) = 'integer' AND typeof(kind) = 'text' AND typeof(at) = 'text' AND typeof(actor_id) = 'text' AND typeof(account_id) IN ('text', 'null') AND typeof(leaf_hash) = 'blob' AND length(leaf_hash) = 32 AND typeof(sealed) = 'blob')`,
  'json_quote(kind)',
  'json_quote(at)',
  'json_quote(actor_id)',
  'json_quote(account_id)',
  'lower(hex(leaf_hash))',
  'hex(sealed)',
].join(' || char(9) || ')}, char(10) ORDER BY seq)
  FROM audit_entries WHERE seq > ? AND seq <= ?`;
