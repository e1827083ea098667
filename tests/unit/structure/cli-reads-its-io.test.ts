import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { importClosure, ROOT } from '../../helpers/import-graph.ts';

/**
 * The CLI takes its environment, terminal and output from the Io it is given (ADR 0015): a
 * command that read process.env or wrote to process.stdout directly would act on the test
 * process's own (and escape the test's capture) when run in-process. Only io.ts, which holds the
 * process's own Io, may touch them; main.ts, the entry, is not loaded by runCli.
 */
const PROCESS_IO = new Set(['env', 'stdin', 'stdout', 'stderr', 'argv', 'exit', 'exitCode']);
const ALLOWED = new Set(['electron/cli/io.ts']);

/** Every `process.env`, `process['stdout']`, ... in a file, as "file:line process.name". */
function processIoIn(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(join(ROOT, file), 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const name = ts.isPropertyAccessExpression(node)
      ? node.name.text
      : ts.isElementAccessExpression(node) && ts.isStringLiteral(node.argumentExpression)
        ? node.argumentExpression.text
        : undefined;
    if (
      name !== undefined &&
      PROCESS_IO.has(name) &&
      ts.isIdentifier((node as ts.PropertyAccessExpression).expression) &&
      (node as ts.PropertyAccessExpression).expression.getText(source) === 'process'
    ) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push(`${file}:${line + 1} process.${name}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the CLI reads the process only through its Io', () => {
  const files = [...importClosure('electron/cli/run.ts').files].filter(
    (file) => file.endsWith('.ts') && !ALLOWED.has(file),
  );

  it('no module runCli loads reads process.env, process.stdin or process.argv, or writes to process.stdout or process.stderr', () => {
    expect(files.flatMap(processIoIn)).toEqual([]);
  });

  it('the scan sees such an access (so the check above is not vacuous)', () => {
    expect(processIoIn('electron/cli/io.ts')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/io\.ts:\d+ process\.env$/),
        expect.stringMatching(/io\.ts:\d+ process\.stdout$/),
      ]),
    );
    expect(files).toContain('electron/cli/commands/audit.ts');
    expect(files).toContain('electron/cli/prompt.ts');
  });
});
