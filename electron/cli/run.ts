import { CommanderError } from 'commander';
import { findIllFormedText } from '../../shared/domain/text.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { toErrorInfo, VaultError } from '../vault/errors.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';
import { buildProgram } from './program.ts';
import { console_, runWithIo, type Io } from './io.ts';

/** How a run ended: its exit code, and what kind of failure if any (the fuzz tests read this). */
export interface CliOutcome {
  readonly code: number;
  readonly failure: 'none' | 'usage' | 'refused' | 'unexpected';
}

/**
 * Run the `custodian` command line in this process. Errors go to `io.err` as one line that says
 * what to do; never a stack trace or a secret (toErrorInfo drops anything it does not know to be
 * safe). An error that is neither commander's usage error nor a VaultError is "unexpected": the
 * person sees the generic internal-error line, and the fuzz tests count it as a bug.
 */
export async function runCli(argv: readonly string[], io: Io = console_): Promise<CliOutcome> {
  // No argument from a shell can hold a NUL (argv is C strings), but one passed here can, and the
  // file system would reject it as a programming error rather than a bad path (found by the fuzz).
  if (argv.some((arg) => arg.includes('\0'))) {
    io.err(
      'custodian: An argument contains a NUL character; no file name or value can. Nothing was done.',
    );
    return { code: EXIT.usage, failure: 'usage' };
  }
  // A shell decodes arguments as UTF-8 and cannot produce a lone surrogate, but a caller of this
  // function can: refuse it here, as the IPC router does (shared/domain/text.ts).
  const broken = findIllFormedText(argv);
  if (broken) {
    io.err(
      `custodian: Argument ${Number(broken.path[0]) + 1} ${broken.message}. Nothing was done.`,
    );
    return { code: EXIT.usage, failure: 'usage' };
  }
  let code: number = EXIT.ok;
  const own: Io = { ...io, setExitCode: (value) => (code = value) };
  const program = buildProgram(own);
  try {
    await runWithIo(own, () => program.parseAsync([...argv], { from: 'user' }));
    return { code, failure: 'none' };
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; usage mistakes were already printed by it.
      return error.exitCode === 0
        ? { code: EXIT.ok, failure: 'none' }
        : { code: EXIT.usage, failure: 'usage' };
    }
    const info = toErrorInfo(error);
    io.err(`custodian: ${info.message}`);
    return {
      code: exitCodeFor(info.code),
      failure:
        error instanceof VaultError || info.code !== ErrorCode.INTERNAL ? 'refused' : 'unexpected',
    };
  }
}
