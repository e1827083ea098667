import { CommanderError } from 'commander';
import { toErrorInfo } from '../vault/errors.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';
import { buildProgram } from './program.ts';

/**
 * The `custodian` command. Errors go to stderr as one line that says what to do; never a stack
 * trace or a secret (toErrorInfo drops anything it does not know to be safe).
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; usage mistakes were already printed by it.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const info = toErrorInfo(error);
    process.stderr.write(`custodian: ${info.message}\n`);
    return exitCodeFor(info.code);
  }
}

process.exitCode = await main(process.argv.slice(2));
