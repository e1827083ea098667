import { z } from 'zod';
import { passwordSchema } from '../../domain/accounts.ts';
import {
  CHARACTER_CLASSES,
  GENERATOR_LIMITS,
  separatorSchema,
} from '../../domain/generator-options.ts';
import { READERS, channel } from './common.ts';

const { length, words } = GENERATOR_LIMITS;

/** Password and passphrase generation and strength. */
export const generatorChannels = {
  /**
   * A new random password or EFF-wordlist passphrase, with its 0-4 score from the generator's
   * parameters (its entropy, in zxcvbn's bands). The session remembers it, so a rotation to it
   * stores that score without running zxcvbn.
   */
  'generator.generate': channel(() => ({
    request: z
      .object({
        kind: z.enum(['characters', 'passphrase']),
        length: z
          .number()
          .int()
          .min(length.min, `A password is at least ${length.min} characters.`)
          .max(length.max, `A password is at most ${length.max} characters.`)
          .optional(),
        /** The character classes to draw from, each at least once (default: all four). */
        classes: z
          .array(z.enum(CHARACTER_CLASSES))
          .min(1, 'Choose at least one kind of character.')
          .max(CHARACTER_CLASSES.length)
          .optional(),
        words: z
          .number()
          .int()
          .min(words.min, `A passphrase is at least ${words.min} words.`)
          .max(words.max, `A passphrase is at most ${words.max} words.`)
          .optional(),
        /** What joins the EFF words (default "-"). */
        separator: separatorSchema.optional(),
      })
      .strict(),
    response: z.object({ password: z.string(), score: z.number() }),
    roles: READERS,
  })),
  /**
   * Put a password this session's generator just made on the clipboard, through main (issue 15:
   * selecting it and pressing Ctrl+C left it there for good): cleared after 30 s if the clipboard
   * still holds it. Only a generated password is placed; any other text is refused. Not audited:
   * nothing of the vault is read (the rotation that stores it is).
   */
  'generator.copy': channel(() => ({
    request: z.object({ password: passwordSchema }).strict(),
    response: z.object({ clearsInSeconds: z.number() }),
    roles: READERS,
  })),
  /**
   * Whether a new passphrase being typed (creating a vault, adding a member, changing one's own)
   * will be accepted: at least 12 characters and a zxcvbn score of at least 3, with the member's
   * name as context. Nothing of the vault is read and nothing is stored, so it is allowed while
   * locked (the create form); the core applies the same rule when the passphrase is set.
   */
  'generator.passphrase-check': channel(() => ({
    request: z
      .object({ passphrase: z.string().max(1024), name: z.string().max(200).optional() })
      .strict(),
    response: z.object({ score: z.number().int(), problem: z.string().nullable() }),
    roles: null,
  })),
  /** The zxcvbn score of a password being typed, for the strength meter (nothing is stored). */
  'generator.strength': channel(() => ({
    request: z.object({ password: passwordSchema }).strict(),
    response: z.object({ score: z.number() }),
    roles: READERS,
  })),
} as const;
