import { describe, expect, it } from 'vitest';
import { importClosure } from '../../helpers/import-graph.ts';

// Issue 17: the CLI's fixed cost. Every command pays for what the CLI loads before it runs, so a
// library only some commands need is imported where it is used (`import()`), not at start: the
// PDF case file's pdf-lib and fontkit (fontkit unpacks its Unicode tables when loaded), the KeePass
// reader's kdbxweb, and zxcvbn's dictionaries (domain/strength.ts loads them on first use).
const LOADED_ON_USE = ['pdf-lib', '@pdf-lib/fontkit', 'kdbxweb', '@zxcvbn-ts/core'];

describe('what the CLI loads at start', () => {
  const atStart = importClosure('electron/cli/main.ts', { loadTime: true });
  const everything = importClosure('electron/cli/main.ts');

  it('loads no PDF, KeePass or zxcvbn library until a command uses it', () => {
    expect([...atStart.packages].filter((p) => LOADED_ON_USE.includes(p))).toEqual([]);
  });

  it('still reaches each of them through the import() of the command that uses it', () => {
    // Guards the test above: a closure that lost them entirely would pass it vacuously.
    for (const name of LOADED_ON_USE) expect(everything.packages).toContain(name);
    expect(atStart.files).toContain('electron/vault/router.ts');
    expect(atStart.packages).toContain('better-sqlite3');
  });
});
