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
  });
  return estimator.check(password, [...context]).score;
}
