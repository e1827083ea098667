// An audit entry's leaf data and an exported entry line's shape, in plain JavaScript: entry.ts and
// bundle.ts use these, and so do the offline verifier's leaf workers (leaf-worker.mjs, issue 17),
// so a line is checked and its leaf encoded by the same code on whichever thread it lands.
import { canonicalJsonLaidOut } from './jcs.mjs';

/** Version of the leaf encoding: part of every leaf so a future encoding can't be confused with this one. */
export const LEAF_FORMAT = 1;

/**
 * Details are a flat record of strings, numbers, booleans, nulls and string lists. Checked by hand
 * rather than by a composed zod schema: it runs once per entry, a million times in an export.
 */
export function isAuditDetails(value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const field of Object.values(value)) {
    if (field === null || typeof field === 'string' || typeof field === 'boolean') continue;
    if (typeof field === 'number' && Number.isFinite(field)) continue;
    if (Array.isArray(field) && field.every((item) => typeof item === 'string')) continue;
    return false;
  }
  return true;
}

/**
 * The entry's leaf data as RFC 8785 text, laid out in the standard's key order without building
 * `{ format, ...entry }` to be sorted; null if some text in it is not well-formed (the caller
 * goes the general way, whose error names where). The leaf covers these six fields and the format.
 */
export function canonicalEntryTextIfWellFormed(entry) {
  const { account, actor, at, details, kind, seq } = entry;
  return canonicalJsonLaidOut(
    (encode) =>
      `{"account":${encode(account)},"actor":${encode(actor)},"at":${encode(at)},"details":${encode(details)},"format":${LEAF_FORMAT},"kind":${encode(kind)},"seq":${encode(seq)}}`,
  );
}

const HASH_HEX = /^[0-9a-f]{64}$/;

/**
 * An entry line checked by hand, as bundle.ts's `entryLine` schema checks it: a million-entry
 * bundle is a million of these, and zod's discriminated union cost about a twentieth of a verify
 * (issue 17). It accepts only what the schema accepts and gives what the schema gives
 * (tests/unit/audit/bundle.test.ts holds the two together); for anything else it gives undefined,
 * and the caller asks the schema, whose first issue says what is wrong. `kinds` are the kinds
 * the schema's enum holds.
 */
export function quickEntryLine(raw, kinds) {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { type, seq, at, kind, actor, account, details, leaf, proof } = raw;
  if (
    type !== 'entry' ||
    typeof seq !== 'number' ||
    !Number.isSafeInteger(seq) ||
    seq < 1 ||
    typeof at !== 'string' ||
    typeof kind !== 'string' ||
    !kinds.has(kind) ||
    typeof actor !== 'string' ||
    (account !== null && typeof account !== 'string') ||
    !isAuditDetails(details) ||
    typeof leaf !== 'string' ||
    !HASH_HEX.test(leaf)
  ) {
    return undefined;
  }
  const line = { type: 'entry', seq, at, kind, actor, account, details, leaf };
  if (proof === undefined) return line;
  if (!Array.isArray(proof) || !proof.every((p) => typeof p === 'string' && HASH_HEX.test(p)))
    return undefined;
  return { ...line, proof };
}
