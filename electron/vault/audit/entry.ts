import { ErrorCode } from '../../../shared/errors.ts';
import { VaultError } from '../errors.ts';
import { z } from 'zod';
import {
  AUDIT_KINDS,
  type AuditDetails,
  type AuditEntry,
  type AuditKind,
} from '../../../shared/domain/audit.ts';
import { utf8 } from '../crypto/hash.ts';
import { canonicalJson } from '../canonical-json.ts';
import { canonicalEntryTextIfWellFormed, isAuditDetails, LEAF_FORMAT } from './entry-leaf.mjs';
import { leafHashOfText, type Hash } from './merkle.ts';

/**
 * The detail every entry written from format 8 on carries: 128 random bits in hex (issue 13,
 * attack 14). The leaf hash is SHA-256 of the entry in clear, details included, and it is in the
 * file in clear; without an unguessable part, an entry whose details can be guessed (the founder's
 * name at `vault.created`, a member's name and role at `member.added`, a person's name) would
 * confirm the guess to anyone holding the file. The leaf's definition is unchanged, so an offline
 * verifier checks a salted entry as it checks any other. Never shown: it says nothing to a reader.
 */
export const LEAF_SALT = 'salt';

/**
 * The leaf's format version and the details' shape check live in entry-leaf.mjs, with the leaf
 * text's layout, so that the offline verifier's leaf workers run the same code (issue 17).
 */
export { LEAF_FORMAT, isAuditDetails };

export const auditDetailsSchema = z.custom<AuditDetails>(
  isAuditDetails,
  'not a flat record of details',
);

export const auditKindSchema = z.enum(AUDIT_KINDS);

const KINDS: ReadonlySet<string> = new Set(AUDIT_KINDS);

/** The kind as the union type, or undefined for a kind this version does not know. */
export function knownKind(kind: string): AuditKind | undefined {
  return KINDS.has(kind) ? (kind as AuditKind) : undefined;
}

/** An entry's kind, or an integrity error naming the entry: a kind no Custodian writes. */
export function requireKnownKind(seq: number, kind: string): AuditKind {
  const known = knownKind(kind);
  if (!known) {
    throw new VaultError(
      ErrorCode.INTEGRITY,
      `Audit entry #${seq} has an unknown kind; run \`custodian audit verify\`.`,
    );
  }
  return known;
}

/** The leaf's data: RFC 8785 canonical JSON of the whole entry, details in clear. */
export function canonicalEntry(entry: AuditEntry): Uint8Array {
  return utf8(canonicalEntryText(entry));
}

/**
 * The same text, laid out in RFC 8785's key order without building `{ format, ...entry }` to be
 * sorted (issue 17: a million of these in a verify; entry-leaf.mjs). Text that is not
 * well-formed goes the general way, whose error names where it is.
 */
export function canonicalEntryText(entry: AuditEntry): string {
  return canonicalEntryTextIfWellFormed(entry) ?? canonicalJson({ format: LEAF_FORMAT, ...entry });
}

export function entryLeafHash(entry: AuditEntry): Hash {
  return leafHashOfText(canonicalEntryText(entry));
}

/** The leaf hash, or null if some text in the entry is not well-formed: the verifiers say where. */
export function entryLeafHashIfWellFormed(entry: AuditEntry): Hash | null {
  const text = canonicalEntryTextIfWellFormed(entry);
  return text === null ? null : leafHashOfText(text);
}
