import { createRequire } from 'node:module';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

type Zxcvbn = typeof import('@zxcvbn-ts/core');
type Common = typeof import('@zxcvbn-ts/language-common');
type English = typeof import('@zxcvbn-ts/language-en');

let estimator: ZxcvbnFactory | undefined;

/**
 * Built on first use: loading the dictionaries decompresses about 50,000 words, a quarter of a
 * second the CLI would otherwise pay on every command, most of which never judge a password
 * (docs/BENCHMARKS.md, "Side by side with KeePassXC"). createRequire keeps the load synchronous.
 */
function loadEstimator(): ZxcvbnFactory {
  const require = createRequire(import.meta.url);
  const { ZxcvbnFactory: Factory } = require('@zxcvbn-ts/core') as Zxcvbn;
  const common = require('@zxcvbn-ts/language-common') as Common;
  const english = require('@zxcvbn-ts/language-en') as English;
  return new Factory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
    // The default (100) costs ~90 ms for a long random password; 5 still catches the usual
    // "p@55w0rd" substitutions at ~10 ms (tests/unit/domain/strength.test.ts).
    l33tMaxSubstitutions: 5,
    maxLength: 128,
  });
}

/**
 * zxcvbn's 0-4 score for a password. Context words (the account's handle and unit) count as
 * guessable, since an attacker of a police account tries those first.
 */
export function passwordStrength(password: string, context: readonly string[] = []): number {
  estimator ??= loadEstimator();
  return estimator.check(password, [...context]).score;
}
