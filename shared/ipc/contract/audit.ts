import { z } from 'zod';
import { fileHandle, empty, ALL, channel } from './common.ts';

const auditRowSchema = z.object({
  seq: z.number(),
  at: z.string(),
  /** The kind, as the exports and filters name it (`credential.revealed`). */
  event: z.string(),
  /** The kind as people read it ("Password revealed"). */
  label: z.string(),
  actor: z.string(),
  account: z.string(),
  reason: z.string(),
  details: z.string(),
  /** The details one by one, for the entry's expanded view: names, not ids; no empty ones. */
  fields: z.array(z.object({ name: z.string(), value: z.string() })),
});

/** What the audit log and an export can be narrowed to (issue 5): all on the entries' clear columns. */
const auditFilters = z
  .object({
    from: z.string().max(10).optional(),
    to: z.string().max(10).optional(),
    account: z.string().max(200).optional(),
    actor: z.string().max(200).optional(),
    kind: z.string().max(100).optional(),
  })
  .strict();

/** The audit trail: reading, exporting, verifying and checkpointing it (6.4, 6.5, 6.14). */
export const auditChannels = {
  'audit.page': channel(() => ({
    request: z
      .object({
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(500),
        filters: auditFilters.optional(),
      })
      .strict(),
    response: z.object({ total: z.number(), rows: z.array(auditRowSchema) }),
    roles: ALL,
  })),
  /** Policy 6.4, 6.5, 6.14: lead and security export; the export is itself audited. */
  'audit.export': channel(() => ({
    request: z
      .object({
        format: z.enum(['jsonl', 'csv', 'pdf']),
        /** A handle from `files.choose` for purpose "export". */
        file: fileHandle,
        /** Replace an existing file (the console asked first); never the vault's own files. */
        replace: z.boolean().optional(),
        // The person filter looks inside sealed details: the export opens them all anyway.
        filters: auditFilters
          .extend({ person: z.string().max(200).optional() })
          .strict()
          .optional(),
        /** A checkpoint kept earlier: the export carries a proof that this trail extends it. */
        since: z
          .string()
          .max(16 * 1024)
          .optional(),
      })
      .strict(),
    response: z.object({ entries: z.number(), treeSize: z.number(), root: z.string() }),
    roles: ['lead', 'security'],
  })),
  'audit.verify': channel(() => ({
    request: empty,
    response: z.object({
      ok: z.boolean(),
      entries: z.number(),
      message: z.string(),
      /** The verifier's own report, for `custodian audit verify --json`. */
      report: z.union([
        z.object({
          ok: z.literal(true),
          entries: z.number(),
          checkpoints: z.number(),
          root: z.string(),
        }),
        z.object({
          ok: z.literal(false),
          entries: z.number(),
          where: z.string(),
          problem: z.string(),
        }),
      ]),
    }),
    roles: ALL,
  })),
  'audit.checkpoint': channel(() => ({
    request: empty,
    response: z.object({
      text: z.string(),
      size: z.number(),
      root: z.string(),
      /**
       * The founder's key fingerprint, as `custodian init` printed it and the PDF cover shows it:
       * what an investigator checks an export against (`audit verify-export --founder`).
       */
      founderFingerprint: z.string(),
    }),
    roles: ALL,
  })),
  /**
   * One entry with its inclusion proof, the checkpoint and the signer's certificate chain,
   * written to a file (a handle for purpose "export"): checkable on its own by
   * `custodian audit verify-export`, whose reader defines the format. Lead and security, as for
   * an export; the request is itself audited.
   */
  'audit.evidence': channel(() => ({
    request: z
      .object({
        seq: z.number().int().min(1),
        file: fileHandle,
        /** Replace an existing file (the person agreed); never the vault's own files. */
        replace: z.boolean().optional(),
      })
      .strict(),
    response: z.object({ seq: z.number(), treeSize: z.number(), root: z.string() }),
    roles: ['lead', 'security'],
  })),
} as const;
