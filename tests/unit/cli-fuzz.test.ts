import type { Command } from 'commander';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../electron/cli/program.ts';
import { runCli } from '../../electron/cli/run.ts';
import { capturingIo } from '../helpers/cli.ts';
import { tempDir } from '../helpers/vault.ts';

/**
 * Issue 7, fuzzing: random and malformed argument lists through the `custodian` parser, in this
 * process. Every one ends as a success, a usage error (exit 1) or a VaultError refusal with its
 * exit code; never an unexpected error, never process.exit from inside, never a stack trace.
 * `npm run test:faults` runs the full 100,000 (FUZZ_RUNS sets the number).
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 3000);

interface CommandShape {
  readonly path: string[];
  readonly flags: string[];
}

/** Every command path of the real program, with the long flags it takes. */
function commandShapes(command: Command, path: string[] = []): CommandShape[] {
  const here = path.length > 0 ? [{ path, flags: command.options.map((o) => o.long ?? '') }] : [];
  return [...here, ...command.commands.flatMap((sub) => commandShapes(sub, [...path, sub.name()]))];
}

describe('the CLI argument parser under random and malformed arguments', () => {
  const dir = tempDir();
  const saved = { cwd: process.cwd() };
  beforeAll(() => {
    // Relative paths land in a scratch folder. Each run's environment is empty (capturingIo): no
    // acting member and no passphrase, so a well-formed command stops at "who is acting?" and
    // nothing is unlocked or written.
    process.chdir(dir.dir);
  });
  afterAll(() => {
    process.chdir(saved.cwd);
    dir.cleanup();
  });

  const shapes = commandShapes(buildProgram());
  const value = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.constantFrom('', '-', '--', '-1', '0', '1e9', 'NaN', '../../etc/passwd', 'x'.repeat(5000)),
    fc.integer().map(String),
  );
  const structured = fc
    .tuple(fc.constantFrom(...shapes), fc.array(fc.tuple(fc.boolean(), value), { maxLength: 8 }))
    .chain(([shape, parts]) =>
      fc
        .array(fc.constantFrom(...shape.flags, '--as', '--json', '--help', '--bogus'), {
          minLength: parts.length,
          maxLength: parts.length,
        })
        .map((flags) => [
          ...shape.path,
          ...parts.flatMap(([asFlag, v], i) => (asFlag ? [flags[i]!, v] : [v])),
        ]),
    );
  const argv = fc.oneof(structured, fc.array(value, { maxLength: 10 }));

  it('refuses an argument holding a NUL, which the file system would take for a bug (found by the fuzz)', async () => {
    for (const args of [
      ['audit', 'verify-export', '\u0000'],
      ['init', 'team\u0000.vault'],
      ['account', 'list', 'team.vault', '--search', 'a\u0000b'],
    ]) {
      const { io, stderr } = capturingIo();
      expect(await runCli(args, io)).toEqual({ code: 1, failure: 'usage' });
      expect(stderr()).toMatch(/contains a NUL character/);
    }
  });

  it(`ends ${RUNS} random argument lists with a result or a clear refusal`, async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`process.exit(${String(code)}) called from inside the CLI`);
    });
    const tally = { none: 0, usage: 0, refused: 0, unexpected: 0 };
    try {
      await fc.assert(
        fc.asyncProperty(argv, async (args) => {
          const { io, stdout, stderr } = capturingIo();
          const outcome = await runCli(args, io);
          tally[outcome.failure] += 1;
          expect(outcome.failure, JSON.stringify(args)).not.toBe('unexpected');
          expect([0, 1, 2, 3, 4, 5]).toContain(outcome.code);
          expect(`${stdout()}\n${stderr()}`).not.toMatch(/\n\s+at .+:\d+:\d+/);
        }),
        { numRuns: RUNS },
      );
    } finally {
      exit.mockRestore();
    }
    // eslint-disable-next-line no-console -- the run's tally is part of the evidence it leaves
    console.log(`cli fuzz: ${JSON.stringify(tally)}`);
    // The generator reached past the parser as well as into it.
    expect(tally.usage).toBeGreaterThan(0);
    expect(tally.refused).toBeGreaterThan(0);
  }, 600_000);
});
