import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { buildEstimator } from './zxcvbn-estimator.mjs';

/**
 * Built on first use: loading the dictionaries decompresses about 50,000 words, a quarter of a
 * second the CLI would otherwise pay on every command, most of which never judge a password
 * (docs/BENCHMARKS.md, "Side by side with KeePassXC").
 */
let estimator: ZxcvbnFactory | undefined;

/**
 * zxcvbn's 0-4 score for a password. Context words (the account's handle and unit) count as
 * guessable, since an attacker of a police account tries those first.
 */
export function passwordStrength(password: string, context: readonly string[] = []): number {
  estimator ??= buildEstimator();
  return estimator.check(password, [...context]).score;
}
