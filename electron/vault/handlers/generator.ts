import { generatePassphrase, generatePassword } from '../domain/generator.ts';
import { judgeNewPassphrase } from '../domain/new-passphrase.ts';
import { passwordStrength } from '../domain/strength.ts';
import type { Handlers } from './types.ts';

/** New passwords and passphrases, and the strength meter's score (nothing is stored). */
export function generatorHandlers(): Handlers<'generator'> {
  return {
    'generator.generate': (r) => {
      const password =
        r.kind === 'passphrase'
          ? generatePassphrase({ words: r.words ?? 6 })
          : generatePassword({ length: r.length ?? 24 });
      return { password, score: passwordStrength(password) };
    },
    'generator.strength': (r) => ({ score: passwordStrength(r.password) }),
    'generator.passphrase-check': (r) =>
      judgeNewPassphrase(r.passphrase, r.name === undefined ? [] : [r.name]),
  };
}
