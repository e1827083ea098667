import { z } from 'zod';

// Key-derivation parameters as data: their floor, ceiling, default and the stronger-of rule.
// Apart from the derivation itself (kdf.ts) so that the membership chain, which carries the
// vault's signed default (ADR 0030) and which the offline verifier loads, needs no native Argon2.

/**
 * The floor for a vault created with lowered parameters (for a slow workstation, or tests):
 * OWASP's minimum for Argon2id, 19 MiB and 2 passes. It is enforced wherever parameters are read
 * from the file, not only where they are chosen: the header and the slots are writable by anyone
 * with the file, and a header MAC under K_vault stops only those who hold no K_vault (issue 13,
 * attack 10: a member lowering the parameters of slots made later).
 */
export const MINIMUM_KDF = {
  algorithm: 'argon2id',
  memoryKiB: 19 * 1024,
  passes: 2,
  parallelism: 1,
} as const;

/**
 * The ceiling, the floor's other side: whoever can write the file can also raise a slot's or the
 * header's parameters, and every unlock derives at each setting the slots hold (so that a
 * stranger's name costs what a member's does, ADR 0022) before anything is authenticated. A slot
 * edited to 1 GiB and 16 passes made every unlock take 27 s. Nothing above libsodium's
 * "sensitive" profile (1 GiB, 4 passes; about 7 s here) is derived: at most 1 GiB of memory, and
 * memory times passes at most 4 GiB (so 512 MiB may take 8 passes). Legitimate settings are the
 * default (256 MiB, 3 passes) or what `custodian init` chose, which is held to the same ceiling.
 */
export const MAXIMUM_KDF = {
  memoryKiB: 1024 * 1024,
  /** memoryKiB × passes: the work one derivation does. */
  costKiBPasses: 4 * 1024 * 1024,
  passes: 16,
  parallelism: 4,
} as const;

/**
 * What one unlock may derive in all, summed over the distinct settings its slots hold: two
 * derivations at the ceiling. A vault keeps older slots at an older default until their members
 * change passphrase, so a few settings are legitimate; many of them, each under the ceiling, would
 * be the same slow-down as one above it.
 */
export const MAXIMUM_UNLOCK_COST_KIB_PASSES = 2 * MAXIMUM_KDF.costKiBPasses;

/** The ceiling in words, for the messages that refuse parameters above it. */
export const KDF_CEILING_TEXT = `at most ${MAXIMUM_KDF.memoryKiB / 1024 / 1024} GiB of memory, ${MAXIMUM_KDF.passes} passes, parallelism ${MAXIMUM_KDF.parallelism}, and memory × passes at most ${MAXIMUM_KDF.costKiBPasses / 1024 / 1024} GiB`;

/** The work one derivation does, in KiB × passes. */
export function kdfCost(params: { readonly memoryKiB: number; readonly passes: number }): number {
  return params.memoryKiB * params.passes;
}

/**
 * Argon2id parameters, stored with each key slot so they can be raised later without
 * re-keying the vault. See docs/adr/0002-kdf-parameters.md for how the default was chosen.
 * Between the floor and the ceiling, both checked wherever parameters are read.
 */
export const kdfParamsSchema = z
  .object({
    algorithm: z.literal('argon2id'),
    memoryKiB: z
      .number()
      .int()
      .min(MINIMUM_KDF.memoryKiB, 'below the floor of 19 MiB')
      .max(MAXIMUM_KDF.memoryKiB, 'above the ceiling of 1 GiB'),
    passes: z
      .number()
      .int()
      .min(MINIMUM_KDF.passes, 'below the floor of 2 passes')
      .max(MAXIMUM_KDF.passes, `above the ceiling of ${MAXIMUM_KDF.passes} passes`),
    parallelism: z.number().int().min(1).max(MAXIMUM_KDF.parallelism),
  })
  .refine((params) => kdfCost(params) <= MAXIMUM_KDF.costKiBPasses, {
    message: 'memory × passes above the ceiling of 4 GiB',
  });
export type KdfParams = z.infer<typeof kdfParamsSchema>;

export const DEFAULT_KDF: KdfParams = {
  algorithm: 'argon2id',
  memoryKiB: 256 * 1024,
  passes: 3,
  parallelism: 1,
};

/**
 * The stronger of two parameter sets, field by field: a passphrase change takes the vault's
 * default or the slot's own, whichever costs more, so it never lowers what protects a member.
 */
export function strongerKdf(a: KdfParams, b: KdfParams): KdfParams {
  const both: KdfParams = {
    algorithm: 'argon2id',
    memoryKiB: Math.max(a.memoryKiB, b.memoryKiB),
    passes: Math.max(a.passes, b.passes),
    parallelism: Math.max(a.parallelism, b.parallelism),
  };
  if (kdfParamsSchema.safeParse(both).success) return both;
  // Each is under the ceiling but their field-by-field maximum is not: the costlier one whole.
  return kdfCost(a) >= kdfCost(b) ? a : b;
}

/**
 * What a default no lead has signed may do to `own` (parameters a passphrase proved): raise it,
 * field by field, but never beyond the stronger of the app's default and `own` itself. The
 * header's copy of the default is under a MAC every member can make (K_vault), so before a lead
 * has signed one (a chain from before ADR 0030) a member could set it to the ceiling with
 * sqlite3; a lead's unlock that signed it, or re-sealed a legacy slot at it, would make every
 * later slot, and that lead's own unlocks, pay the ceiling (issue 13, review: a denial of service).
 */
export function raisedByUnsignedDefault(own: KdfParams, unsigned: KdfParams): KdfParams {
  const bound = strongerKdf(DEFAULT_KDF, own);
  const capped: KdfParams = {
    algorithm: 'argon2id',
    memoryKiB: Math.min(unsigned.memoryKiB, bound.memoryKiB),
    passes: Math.min(unsigned.passes, bound.passes),
    parallelism: Math.min(unsigned.parallelism, bound.parallelism),
  };
  return strongerKdf(own, capped);
}

/** Why `custodian init` (or `vault.create`) refuses the parameters it was given. */
export function kdfRefusal(params: KdfParams): string | undefined {
  const parsed = kdfParamsSchema.safeParse(params);
  if (parsed.success) return undefined;
  return `Key derivation must be between the floor (${MINIMUM_KDF.memoryKiB / 1024} MiB, ${MINIMUM_KDF.passes} passes) and the ceiling (${KDF_CEILING_TEXT}); ${parsed.error.issues[0]?.message ?? 'these are not'}. Choose values in that range (the default is 256 MiB, 3 passes); nothing was created.`;
}

export function isBelowDefault(params: KdfParams): boolean {
  return params.memoryKiB < DEFAULT_KDF.memoryKiB || params.passes < DEFAULT_KDF.passes;
}
