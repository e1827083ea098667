import { z } from 'zod';
import { AUDIT_KINDS, type AuditDetails, type AuditEntry } from '../../../shared/domain/audit.ts';
import { utf8 } from '../crypto/hash.ts';
import { canonicalJson } from '../canonical-json.ts';
import { leafHash, type Hash } from './merkle.ts';

/** Version of the leaf encoding: part of every leaf so a future encoding can't be confused with this one. */
export const LEAF_FORMAT = 1;

export const auditDetailsSchema: z.ZodType<AuditDetails> = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]),
);

export const auditKindSchema = z.enum(AUDIT_KINDS);

/** The leaf's data: RFC 8785 canonical JSON of the whole entry, details in clear. */
export function canonicalEntry(entry: AuditEntry): Uint8Array {
  return utf8(canonicalJson({ format: LEAF_FORMAT, ...entry }));
}

export function entryLeafHash(entry: AuditEntry): Hash {
  return leafHash(canonicalEntry(entry));
}
