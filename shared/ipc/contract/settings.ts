import { z } from 'zod';
import { healthSettingsSchema } from '../../domain/health.ts';
import { empty, ok, ALL, channel } from './common.ts';

/** Vault settings: auto-lock and the health thresholds. */
export const settingsChannels = {
  'settings.get': channel(() => ({
    request: empty,
    response: z.object({
      autoLockMinutes: z.number(),
      thresholds: healthSettingsSchema.required(),
      /** New key slots' Argon2id setting; `signed` false: the header's copy is not a lead's (ADR 0030). */
      keyDerivation: z.object({ memoryMib: z.number(), passes: z.number(), signed: z.boolean() }),
    }),
    roles: ALL,
  })),
  /** Lead only; each change is audited with its old and new value. */
  'settings.set': channel(() => ({
    request: z
      .object({
        autoLockMinutes: z.number().int().min(1).max(60).optional(),
        thresholds: healthSettingsSchema.strict().optional(),
        /** The default key derivation for new key slots, signed by the lead (ADR 0030). */
        keyDerivation: z
          .object({ memoryMib: z.number().int(), passes: z.number().int() })
          .strict()
          .optional(),
      })
      .strict(),
    response: ok,
    roles: ['lead'],
  })),
} as const;
