import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodian, custodianProcess, FAST_KDF } from '../helpers/cli.ts';
import { tempDir } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };
const ROWS = 1000;

function accountsIn(vault: string): number {
  const db = new Database(vault, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM accounts').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * Issue 11: a long import must not block other members for minutes. It writes in batches, and the
 * command line hands the writer lock over between them, so another member's command, which waits
 * up to 5 s for the lock, gets in while the import is still going. On a machine loaded enough
 * that a batch takes longer than those 5 s, the command is refused as in use and tried again, as
 * its message advises; it must still get in before the import ends.
 *
 * The import is a real process: the other member's command (in this process) must get the lock
 * from a process of its own. With both in one process they would share an event loop, and the
 * import's batches would hold back the other command's look at the lock (it failed so on a
 * loaded machine).
 */
describe('a long import from the command line', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    vault = `${dir}/busy.vault`;
    expect((await custodian(['init', vault, ...FAST_KDF], LEAD)).code).toBe(0);
    const lines = Array.from(
      { length: ROWS },
      (_, i) => `x,Long${i},norfolk,team,Long Team,long${i},Long-Pass-${i}-w`,
    );
    writeFileSync(
      `${dir}/long.csv`,
      `platform,handle,force,unit_type,unit,username,password\n${lines.join('\n')}\n`,
    );
  });
  afterAll(() => cleanup());

  it('lets another member’s command in between its batches, and still imports every row', async () => {
    const state = { importDone: false };
    const importing = custodianProcess(['account', 'import', vault, `${dir}/long.csv`], LEAD).then(
      (result) => {
        state.importDone = true;
        return result;
      },
    );
    // Once the first batch is committed, the import is under way.
    while (accountsIn(vault) === 0 && !state.importDone) await sleep(50);
    const refused: string[] = [];
    let other = await custodian(['person', 'add', vault, '--name', 'Kay Patel'], LEAD);
    while (other.code === 3 && !state.importDone) {
      refused.push(other.stderr);
      other = await custodian(['person', 'add', vault, '--name', 'Kay Patel'], LEAD);
    }
    const stillImporting = !state.importDone;
    const imported = await importing;
    expect(other.code, other.stderr).toBe(0);
    expect(stillImporting, `refused ${refused.length} times: ${refused.join('')}`).toBe(true);
    for (const message of refused) expect(message).toMatch(/The vault is in use/);
    expect(imported.code, imported.stderr).toBe(0);
    expect(accountsIn(vault)).toBe(ROWS);
    const verified = await custodian(['audit', 'verify', vault], LEAD);
    expect(verified.code, verified.stderr).toBe(0);
  });
});
