import {
  generatedPassphraseStrength,
  generatedPasswordStrength,
  generatePassphrase,
  generatePassword,
} from '../domain/generator.ts';
import { rememberGenerated } from '../domain/generated-passwords.ts';
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
      const { password, score } =
        r.kind === 'passphrase'
          ? {
              password: generatePassphrase({ words: r.words ?? 6 }),
              score: generatedPassphraseStrength({ words: r.words ?? 6 }).score,
            }
          : {
              password: generatePassword({ length: r.length ?? 24 }),
              score: generatedPasswordStrength({ length: r.length ?? 24 }).score,
            };
      rememberGenerated(session, password, score);
      return { password, score };
    },
    'generator.strength': (r) => ({ score: passwordStrength(r.password) }),
    'generator.passphrase-check': (r) =>
      judgeNewPassphrase(r.passphrase, r.name === undefined ? [] : [r.name]),
  };
}
