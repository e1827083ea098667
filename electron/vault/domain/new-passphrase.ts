import { invalidInput } from '../errors.ts';
import { passwordStrength } from './strength.ts';

export const MIN_PASSPHRASE_LENGTH = 12;
/** zxcvbn's score, 0-4: 3 is "safely unguessable" against an offline attack on a slow hash. */
export const MIN_PASSPHRASE_STRENGTH = 3;

/** Words anyone guessing a Custodian passphrase tries first. */
const PASSPHRASE_CONTEXT = ['custodian', 'vault', 'police', 'norfolk', 'suffolk', 'password'];

export interface PassphraseJudgement {
  /** zxcvbn's score, 0 to 4, with the member's name and the product's words as context. */
  readonly score: number;
  /** Why it is refused, saying what to do; null when it is accepted. */
  readonly problem: string | null;
}

/**
 * A new passphrase (a vault's founder, a new member, a change) needs at least 12 characters and
 * a zxcvbn score of at least 3, judged with the member's name and the product's own words as
 * context, so "password1234" or a name with a year is refused. The passphrase alone guards the
 * member's keys against anyone who copies the file (issue 15). The console's meter asks the same
 * question (`generator.passphrase-check`), so what it shows is what the core will do.
 */
export function judgeNewPassphrase(
  passphrase: string,
  context: readonly string[] = [],
): PassphraseJudgement {
  const score = passwordStrength(passphrase, [...context, ...PASSPHRASE_CONTEXT]);
  if (Array.from(passphrase).length < MIN_PASSPHRASE_LENGTH) {
    return {
      score,
      problem: `The passphrase is too short: use at least ${MIN_PASSPHRASE_LENGTH} characters (several words are easiest to remember).`,
    };
  }
  if (score < MIN_PASSPHRASE_STRENGTH) {
    return {
      score,
      problem: `The passphrase is too easy to guess (strength ${score} of 4; at least ${MIN_PASSPHRASE_STRENGTH} is needed). Use three or four unrelated words, or let the generator make one.`,
    };
  }
  return { score, problem: null };
}

/** Refuse a new passphrase that judgeNewPassphrase does not accept. */
export function checkNewPassphrase(passphrase: string, context: readonly string[] = []): void {
  const { problem } = judgeNewPassphrase(passphrase, context);
  if (problem !== null) throw invalidInput(problem);
}
