import { z } from 'zod';

/**
 * The generator's choices as the console and the contract name them (KeePassXC's and Bitwarden's
 * generators: length and character classes, or a number of EFF words and their separator). The
 * characters of each class live in the core (electron/vault/domain/generator.ts).
 */
export const CHARACTER_CLASSES = ['lower', 'upper', 'digits', 'symbols'] as const;
export type CharacterClass = (typeof CHARACTER_CLASSES)[number];

export const CLASS_LABELS: Readonly<Record<CharacterClass, string>> = {
  lower: 'Lower case (a-z)',
  upper: 'Upper case (A-Z)',
  digits: 'Digits (2-9)',
  symbols: 'Symbols (!#$%…)',
};

/** Words are joined by 1-3 visible characters: a space, a hyphen, a full stop, a digit… */
export const separatorSchema = z
  .string()
  .min(
    1,
    'Choose a separator: words run together cannot be told apart, so their strength is unknown.',
  )
  .max(3, 'A separator is at most 3 characters.')
  .regex(
    /^[ \p{L}\p{N}\p{P}\p{S}]+$/u,
    'A separator is visible characters or spaces, no tabs or line breaks.',
  );

export const GENERATOR_LIMITS = {
  length: { min: 12, max: 128, default: 24 },
  words: { min: 4, max: 20, default: 6 },
} as const;
