import {
  generatedPassphraseStrength,
  generatedPasswordStrength,
  generatePassphrase,
  generatePassword,
} from '../domain/generator.ts';
import { rememberGenerated, wasGenerated } from '../domain/generated-passwords.ts';
import { invalidInput } from '../errors.ts';
import type { RequestOf } from '../../../shared/ipc/contract.ts';
import { judgeNewPassphrase } from '../domain/new-passphrase.ts';
import { passwordStrength } from '../domain/strength.ts';
import type { HandlerContext, Handlers } from './types.ts';

/**
 * New passwords and passphrases, and the strength meter's score (nothing is stored). A generated
 * one's score comes from the generator's parameters (its entropy), and the session remembers it
 * so a rotation to it stores that score without running zxcvbn (issue 17).
 */
export function generatorHandlers(ctx: HandlerContext): Handlers<'generator'> {
  return {
    'generator.generate': (r) => {
      const session = ctx.session();
      const { password, score } = generateWith(r);
      rememberGenerated(session, password, score);
      return { password, score };
    },
    'generator.copy': (r) => {
      const session = ctx.session();
      if (!wasGenerated(session, r.password)) {
        throw invalidInput(
          'Only a password the generator just made is copied from here; generate one first. Nothing was copied.',
        );
      }
      return { clearsInSeconds: ctx.clipboard.place(r.password) };
    },
    'generator.strength': (r) => ({ score: passwordStrength(r.password) }),
    'generator.passphrase-check': (r) =>
      judgeNewPassphrase(r.passphrase, r.name === undefined ? [] : [r.name]),
  };
}

/** The generator's output and its score from the chosen parameters (never from zxcvbn). */
function generateWith(r: RequestOf<'generator.generate'>): { password: string; score: number } {
  if (r.kind === 'passphrase') {
    const options = { words: r.words ?? 6, separator: r.separator ?? '-' };
    return {
      password: generatePassphrase(options),
      score: generatedPassphraseStrength(options).score,
    };
  }
  const options = { length: r.length ?? 24, ...(r.classes ? { classes: r.classes } : {}) };
  try {
    return { password: generatePassword(options), score: generatedPasswordStrength(options).score };
  } catch (error) {
    // The generator's own bounds (e.g. fewer characters than classes chosen), said plainly.
    if (error instanceof RangeError) throw invalidInput(`${error.message} Nothing was generated.`);
    throw error;
  }
}
