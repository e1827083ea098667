import { z } from 'zod';
import { AUDIT_KINDS } from '../../../shared/domain/audit.ts';
import { auditDetailsSchema } from './entry.ts';
import { quickEntryLine as quickEntryLineOf } from './entry-leaf.mjs';

/**
 * The JSON Lines evidence bundle (issue 5): one JSON object a line. It carries everything needed
 * to check it with no vault and no passphrase: entries and their leaf hashes, signed checkpoints,
 * members' public keys with their certificates, inclusion proofs for a filtered trail, and a seal
 * signed by whoever exported it over the list of entries it holds.
 */
export const BUNDLE_FORMAT = 'custodian-audit-bundle/1';
export const EVIDENCE_FORMAT = 'custodian-audit-evidence/1';

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));

export const filtersSchema = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  account: z.string().optional(),
  person: z.string().optional(),
  actor: z.string().optional(),
  kind: z.string().optional(),
});
export type ExportFilters = z.infer<typeof filtersSchema>;

export const headerLine = z.object({
  type: z.literal('header'),
  format: z.literal(BUNDLE_FORMAT),
  vault: z.string(),
  origin: z.string(),
  exportedAt: z.string(),
  exportedBy: z.object({ id: z.string(), name: z.string() }),
  filters: filtersSchema,
  filtered: z.boolean(),
  treeSize: z.number().int().min(1),
  root: hex(32),
});
export type HeaderLine = z.infer<typeof headerLine>;

export const memberLine = z.object({
  type: z.literal('member'),
  id: z.string(),
  name: z.string(),
  role: z.enum(['lead', 'dmt', 'admin', 'security']),
  boxPublicKey: hex(32),
  signPublicKey: hex(32),
  certifiedBy: z.string(),
  certifiedAt: z.string(),
  certificate: hex(64),
  founder: z.boolean(),
  removedAt: z.string().nullable(),
});
export type MemberLine = z.infer<typeof memberLine>;

export const checkpointLine = z.object({
  type: z.literal('checkpoint'),
  size: z.number().int().min(1),
  root: hex(32),
  signer: z.string(),
  signature: hex(64),
  /** The state commitment the checkpoint signs (ADR 0020); absent before format 7. */
  state: hex(32).optional(),
});
export type CheckpointLine = z.infer<typeof checkpointLine>;

export const entryLine = z.object({
  type: z.literal('entry'),
  seq: z.number().int().min(1),
  at: z.string(),
  kind: z.enum(AUDIT_KINDS),
  actor: z.string(),
  account: z.string().nullable(),
  details: auditDetailsSchema,
  leaf: hex(32),
  /** RFC 6962 audit path against the bundle's latest checkpoint (filtered bundles). */
  proof: z.array(hex(32)).optional(),
});
export type EntryLine = z.infer<typeof entryLine>;

const KINDS: ReadonlySet<string> = new Set(AUDIT_KINDS);

/**
 * An entry line checked by hand, as `entryLine` checks it (entry-leaf.mjs, which the verifier's
 * leaf workers run too): it accepts only what the schema accepts and gives what the schema gives;
 * for anything else it gives undefined, and the caller asks the schema, whose first issue says
 * what is wrong.
 */
export function quickEntryLine(raw: unknown): EntryLine | undefined {
  return quickEntryLineOf(raw, KINDS) as EntryLine | undefined;
}

export const consistencyLine = z.object({
  type: z.literal('consistency'),
  fromSize: z.number().int().min(1),
  toSize: z.number().int().min(1),
  proof: z.array(hex(32)),
});
export type ConsistencyLine = z.infer<typeof consistencyLine>;

/** The exporter's signature over the header and the exact list of entries the bundle holds. */
export const sealLine = z.object({
  type: z.literal('seal'),
  entries: z.number().int().min(0),
  digest: hex(32),
  signer: z.string(),
  signature: hex(64),
});
export type SealLine = z.infer<typeof sealLine>;

export const bundleLine = z.discriminatedUnion('type', [
  headerLine,
  memberLine,
  checkpointLine,
  entryLine,
  consistencyLine,
  sealLine,
]);
export type BundleLine = z.infer<typeof bundleLine>;

export const evidenceSchema = z.object({
  format: z.literal(EVIDENCE_FORMAT),
  vault: z.string(),
  origin: z.string(),
  entry: entryLine.extend({ proof: z.array(hex(32)) }),
  checkpoint: checkpointLine.extend({ text: z.string() }),
  members: z.array(memberLine),
});
export type Evidence = z.infer<typeof evidenceSchema>;
