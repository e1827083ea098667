import type { Command } from 'commander';
import {
  CHARACTER_CLASSES,
  generatedPassphraseStrength,
  generatedPasswordStrength,
  generatePassphrase,
  generatePassword,
  type GeneratedStrength,
} from '../../vault/domain/generator.ts';
import { invalidInput } from '../../vault/errors.ts';
import { commaList, oneOf, positiveInt, type Io } from '../support.ts';

/**
 * `custodian generate`: a password or passphrase and its strength. It needs no vault, so it asks
 * no contract channel (generator.generate is for a member in an unlocked window); the generator
 * itself is the same pure code.
 */
export function registerGenerate(program: Command, io: Io): void {
  program
    .command('generate')
    .description('print a new random password or EFF passphrase and its strength (no vault needed)')
    .option('--words <n>', 'an EFF-wordlist passphrase of n words', positiveInt)
    .option('--length <n>', 'password length (default 24)', positiveInt)
    .option('--classes <list>', `character classes: ${CHARACTER_CLASSES.join(',')}`, commaList)
    .action((o: { words?: number; length?: number; classes?: string[] }) => {
      const classes = o.classes?.map((c) => oneOf(CHARACTER_CLASSES, 'class')(c));
      let secret: string;
      let strength: GeneratedStrength;
      try {
        const options = {
          ...(o.length ? { length: o.length } : {}),
          ...(classes ? { classes } : {}),
        };
        secret = o.words ? generatePassphrase({ words: o.words }) : generatePassword(options);
        // From the generator's parameters (its entropy), not zxcvbn's guess at the output.
        strength = o.words
          ? generatedPassphraseStrength({ words: o.words })
          : generatedPasswordStrength(options);
      } catch (error) {
        if (error instanceof RangeError) throw invalidInput(error.message);
        throw error;
      }
      io.out(secret);
      io.err(`strength: ${strength.score}/4 (${Math.floor(strength.bits)} bits)`);
    });
}
