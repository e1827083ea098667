import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

let estimator: ZxcvbnFactory | undefined;

/**
 * zxcvbn's 0-4 score for a password. Context words (the account's handle and unit) count as
 * guessable, since an attacker of a police account tries those first.
 */
export function passwordStrength(password: string, context: readonly string[] = []): number {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
    // The default (100) costs ~90 ms for a long random password; 5 still catches the usual
    // "p@55w0rd" substitutions at ~10 ms (tests/unit/domain/strength.test.ts).
    l33tMaxSubstitutions: 5,
    maxLength: 128,
  });
  return estimator.check(password, [...context]).score;
}
