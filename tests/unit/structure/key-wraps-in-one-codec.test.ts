import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, sourceFiles } from '../../helpers/import-graph.ts';

// Issue 12 item 4: sealed and opened, each in one place. A key reaches a member or the team in
// a sealed box (crypto/keys.ts sealTo / openSealed); the three tables that hold them
// (account_key_wraps, team_key_grants, vault_key_grants) are sealed and opened only through
// store/key-wrap-codec.ts, whose types keep one kind of wrap from being used as another.
const CODEC = 'electron/vault/store/key-wrap-codec.ts';
const SEALED_BOX =
  /import\s*\{[^}]*\b(sealTo|openSealed)\b[^}]*\}\s*from\s*'[^']*crypto\/keys\.ts'/;

describe('key wraps, in one codec', () => {
  const files = sourceFiles('electron', 'shared', 'renderer');

  it('only the key-wrap codec imports the sealed box', () => {
    const users = files.filter((file) => SEALED_BOX.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(users).toEqual([CODEC]);
  });
});
