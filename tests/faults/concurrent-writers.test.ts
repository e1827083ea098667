import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLostUpdate, runWriters, versionsOf } from '../helpers/concurrent-writers.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';

const WRITERS = 4;
const CHANGES = 50;

/**
 * Issue 14, "N writers × M processes": four processes, fifty changes each (rotations and registry
 * edits, alternately, on the same two accounts), each read-then-save on the version it read, as a
 * form does, through the real CLI. A save that crossed another is refused (exit 6) and retried
 * on a fresh read; a busy vault (exit 3) is waited out. Afterwards no update is lost: every
 * rotation's password is in the credential's history, every change is in the trail, each raised
 * the account's version by exactly one; every conflict was reported to its writer, naming who and
 * when; the trail verifies and its sequence numbers are dense. The server's twin is
 * concurrent-writers-on-the-server.test.ts.
 *
 * In the slow suite (npm run test:faults): 400-odd CLI commands, each an unlock, contend for one
 * file; about two minutes on the two-core build machine.
 */
describe('four processes changing the same accounts at once', () => {
  let dir: ReturnType<typeof tempDir>;
  let vault: string;
  let accounts: string[];
  beforeAll(async () => {
    dir = tempDir();
    vault = `${dir.dir}/shared.vault`;
    ({ accounts } = await populatedVault(vault));
  });
  afterAll(() => dir.cleanup());

  it('loses no update, reports every conflict, and leaves a dense trail that verifies', async () => {
    const before = await unlockAs(vault, 'Lena Lead', PASSPHRASES.lead);
    const startVersion = versionsOf(before, accounts);
    before.close();

    const changes = await runWriters({ vault, writers: WRITERS, changes: CHANGES, accounts });
    expect(changes).toHaveLength(WRITERS * CHANGES);

    const session = await unlockAs(vault, 'Lena Lead', PASSPHRASES.lead);
    try {
      await expectNoLostUpdate(session, changes, accounts, startVersion);
    } finally {
      session.close();
    }
  });
});
