import { describe, expect, it } from 'vitest';
import { importSpecifiers, resolveImport, sourceFiles } from '../../helpers/import-graph.ts';

// Issue 12 item 1: the CLI goes through the contract, as the console does. Its commands parse
// arguments into a request, call the router (electron/cli/vault-client.ts) and print the answer;
// none opens a session or calls a domain service itself, so the contract's roles and the keys
// are the whole rule. What a command may still import from the core is pure: the generator and
// strength meter (`custodian generate` needs no vault), the import's limits for its help text, the
// offline verifier (no vault at all), the output-file rules, the backup (no session, no key) and
// the error type.
const CORE_A_COMMAND_MAY_USE = new Set([
  'electron/vault/router.ts',
  'electron/vault/errors.ts',
  'electron/vault/file-handles.ts',
  // The host names the workstation's folder of kept checkpoints, as it names files (ADR 0024).
  'electron/vault/kept-checkpoints.ts',
  'electron/vault/crypto/kdf.ts',
  'electron/vault/domain/generator.ts',
  'electron/vault/domain/strength.ts',
  'electron/vault/domain/import-csv.ts',
  'electron/vault/audit/verify-export.ts',
  'electron/vault/output-file.ts',
  'electron/vault/backup.ts',
  'electron/vault/store/registry-tables.ts',
]);

describe('the CLI through the contract', () => {
  const reaches = sourceFiles('electron/cli').flatMap((file) =>
    importSpecifiers(file)
      .map((specifier) => ({ file, target: resolveImport(file, specifier) }))
      .filter(({ target }) => target?.startsWith('electron/vault/') === true),
  );

  it('imports no session, vault opener or domain service: only the router and pure helpers', () => {
    const outside = reaches.filter(({ target }) => !CORE_A_COMMAND_MAY_USE.has(target!));
    expect(outside).toEqual([]);
  });

  it('does reach the core through the router (so the check above is not vacuous)', () => {
    expect(reaches).toContainEqual({
      file: 'electron/cli/vault-client.ts',
      target: 'electron/vault/router.ts',
    });
  });
});
