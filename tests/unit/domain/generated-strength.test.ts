import { describe, expect, it } from 'vitest';
import {
  generatedPassphraseStrength,
  generatedPasswordStrength,
  scoreForGuesses,
  stringsWithEveryClass,
} from '../../../electron/vault/domain/generator.ts';
import { buildEstimator } from '../../../electron/vault/domain/zxcvbn-estimator.mjs';

/** Every string of `length` over classes of these sizes that holds each class: by enumeration. */
function enumerated(classSizes: readonly number[], length: number): number {
  const alphabet = classSizes.flatMap((size, c) => Array.from({ length: size }, () => c));
  let count = 0;
  for (let n = 0; n < alphabet.length ** length; n++) {
    const seen = new Set<number>();
    for (let i = 0, rest = n; i < length; i++, rest = Math.floor(rest / alphabet.length)) {
      seen.add(alphabet[rest % alphabet.length]!);
    }
    if (seen.size === classSizes.length) count++;
  }
  return count;
}

describe("a generated password's strength, from the generator's parameters (issue 17)", () => {
  it('counts the strings that hold every chosen class as enumeration does', () => {
    for (const [sizes, length] of [
      [[2, 3], 4],
      [[1, 2, 2], 5],
      [[3], 3],
      [[1, 1, 1, 2], 6],
    ] as const) {
      expect(stringsWithEveryClass(sizes, length), `${sizes.join('+')}^${length}`).toBe(
        BigInt(enumerated(sizes, length)),
      );
    }
  });

  it("bands guesses as zxcvbn does: the same score for zxcvbn's own guess count", () => {
    const estimator = buildEstimator();
    for (const password of ['password', 'p@55w0rd1', 'Tidy-Harbour-42', 'x7#Kq', 'qwerty123']) {
      const { guesses, score } = estimator.check(password, []);
      expect(scoreForGuesses(BigInt(Math.round(guesses))), password).toBe(score);
    }
    expect(
      [1_004n, 1_005n, 1_000_005n, 100_000_004n, 10_000_000_005n].map(scoreForGuesses),
    ).toEqual([0, 1, 2, 2, 4]);
  });

  it('gives the default password its ~153 bits and every setting the generator allows a 4', () => {
    const standard = generatedPasswordStrength();
    // 84 characters in four classes of 25, 24, 8 and 27, 24 long, every class present.
    expect(standard.bits).toBeCloseTo(
      Math.log2(Number(stringsWithEveryClass([25, 24, 8, 27], 24))),
    );
    expect(standard.bits).toBeGreaterThan(150);
    expect(standard.score).toBe(4);
    // The weakest the generator makes: 12 digits from 8 (6.9e10 passwords, 3.4e10 guesses).
    const weakest = generatedPasswordStrength({ length: 12, classes: ['digits'] });
    expect(weakest.bits).toBeCloseTo(36);
    expect(weakest.score).toBe(4);
  });

  it('counts a passphrase by the words that cannot be read two ways, and claims none without a separator', () => {
    // 7,776 EFF words, of which drop-down, felt-tip, t-shirt and yo-yo hold the separator.
    expect(generatedPassphraseStrength({ words: 4 }).bits).toBeCloseTo(4 * Math.log2(7_772));
    expect(generatedPassphraseStrength({ words: 4, separator: ' ' }).bits).toBeCloseTo(
      4 * Math.log2(7_776),
    );
    expect(generatedPassphraseStrength().score).toBe(4);
    expect(() => generatedPassphraseStrength({ separator: '' })).toThrow(RangeError);
  });
});
