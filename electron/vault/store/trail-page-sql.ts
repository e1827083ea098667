/**
 * The page query of `audit verify`'s trail workers (audit/trail-worker.mjs, issue 17), for the
 * entries after < seq <= upTo, in two values. The first is text, a row a line of eight
 * tab-separated fields:
 *
 *   seq; 1 if every column has the type the app writes (else 0: the verifier reads that row
 *   itself); kind, at, actor and account as JSON; the byte lengths of the leaf hash and of the
 *   sealed details
 *
 * The second is a BLOB, each row's leaf hash and then its sealed details, end to end, as they are
 * stored (SQLite's || and CAST copy a BLOB's bytes as they are in a UTF-8 file), so that neither
 * SQLite writes nor the worker reads them as hex. The worker refuses the page if the lengths do
 * not add up to the BLOB's.
 *
 * The types are SQLite's word: json_quote writes a BLOB that holds JSONB as the JSON text it
 * holds, so a text column's JSON alone cannot tell a BLOB from the text. The associated data the
 * details were sealed under is assembled by the worker from these fields, in the layout of the
 * codec's SQL fast path (audit-entry-codec.ts, AUDIT_ENTRY_ASSOCIATED_SQL, which writes the same
 * json_quote texts), rather than written here, which wrote each clear column twice.
 *
 * No field can be NULL (json_quote writes `null`; a NULL column has no bytes, length 0), so no row
 * drops out of group_concat; text is JSON-quoted, so a tab or line break in a column cannot split
 * a row.
 */
export const TRAIL_PAGE_SQL = `SELECT group_concat(${[
  'seq',
  `(typeof(seq) = 'integer' AND typeof(kind) = 'text' AND typeof(at) = 'text' AND typeof(actor_id) = 'text' AND typeof(account_id) IN ('text', 'null') AND typeof(leaf_hash) = 'blob' AND length(leaf_hash) = 32 AND typeof(sealed) = 'blob')`,
  'json_quote(kind)',
  'json_quote(at)',
  'json_quote(actor_id)',
  'json_quote(account_id)',
  'ifnull(octet_length(leaf_hash), 0)',
  'ifnull(octet_length(sealed), 0)',
].join(' || char(9) || ')}, char(10) ORDER BY seq),
  CAST(group_concat(ifnull(leaf_hash, x'') || ifnull(sealed, x''), '' ORDER BY seq) AS BLOB)
  FROM audit_entries WHERE seq > ? AND seq <= ?`;
