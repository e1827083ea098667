import { z } from 'zod';
import { passwordSchema } from '../../domain/accounts.ts';
import { READERS, channel } from './common.ts';

/** Password and passphrase generation and strength. */
export const generatorChannels = {
  /**
   * A new random password or EFF-wordlist passphrase, with its 0-4 score from the generator's
   * parameters (its entropy, in zxcvbn's bands). The session remembers it, so a rotation to it
   * stores that score without running zxcvbn.
   */
  'generator.generate': channel({
    request: z
      .object({
        kind: z.enum(['characters', 'passphrase']),
        length: z.number().int().min(12).max(128).optional(),
        words: z.number().int().min(4).max(20).optional(),
      })
      .strict(),
    response: z.object({ password: z.string(), score: z.number() }),
    roles: READERS,
  }),
  /**
   * Whether a new passphrase being typed (creating a vault, adding a member, changing one's own)
   * will be accepted: at least 12 characters and a zxcvbn score of at least 3, with the member's
   * name as context. Nothing of the vault is read and nothing is stored, so it is allowed while
   * locked (the create form); the core applies the same rule when the passphrase is set.
   */
  'generator.passphrase-check': channel({
    request: z
      .object({ passphrase: z.string().max(1024), name: z.string().max(200).optional() })
      .strict(),
    response: z.object({ score: z.number().int(), problem: z.string().nullable() }),
    roles: null,
  }),
  /** The zxcvbn score of a password being typed, for the strength meter (nothing is stored). */
  'generator.strength': channel({
    request: z.object({ password: passwordSchema }).strict(),
    response: z.object({ score: z.number() }),
    roles: READERS,
  }),
} as const;
