import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { addPerson } from '../../electron/vault/domain/people.ts';
import { VaultSession } from '../../electron/vault/session.ts';
import { stateDigestStore } from '../../electron/vault/store/state-digest.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { unlockAt, consoleRouter } from '../helpers/router.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { editVault, insiderDb, withInsiderDb } from './insider.ts';

/**
 * The unlock's window (issue 14): an unlock holds the rows to the signed state early, before the
 * key slots are opened for good and anything is sealed, and writes its `session.unlocked` entry,
 * with a checkpoint that signs the stored state digests, later, in a transaction of its own. An
 * insider (sqlite3 on the file, psql on the server, no signing key) who edits the vault in between
 * had the unlock's checkpoint signed over a state nobody had checked under the writer's lock: rows
 * deleted and the stored digests patched to match were laundered through the unlocking member's
 * signature, and `audit verify` passed afterwards. The unlock now holds the rows to the signed
 * state again inside that write, after its lock: refused as an integrity error, nothing appended.
 * `vi.spyOn` on the session's write runs the insider's edit at exactly that moment.
 */
const lead = { name: 'Lena Lead', passphrase: PASSPHRASES.lead };

const entries = (path: string): number =>
  withInsiderDb(path, (db) =>
    Number(db.prepare('SELECT COUNT(*) FROM audit_entries').pluck().get()),
  );

/** The insider's deletion of the people rows, with the stored digests made to match. */
function deletePeopleAndPatchDigests(path: string): void {
  const db = insiderDb(path);
  try {
    db.inWriteTransaction(() => {
      db.prepare('DELETE FROM people').run();
      stateDigestStore.replaceAll(db, stateDigestStore.recompute(db));
    });
  } finally {
    db.close();
  }
}

/** Run `edit` once, after the unlock's state check and just before its own write begins. */
function betweenCheckAndWrite(edit: () => void): void {
  vi.spyOn(VaultSession.prototype, 'write').mockImplementationOnce(function (
    this: VaultSession,
    change,
  ) {
    edit();
    // The spy's one stand-in is spent: this is the session's own write.
    return this.write(change);
  });
}

async function verifiesAfterwards(path: string): Promise<boolean> {
  const check = await unlockAs(path, lead.name, lead.passphrase).catch(() => undefined);
  // An unlock that refuses the vault is a verification that fails.
  if (!check) return false;
  try {
    return (await verifyVault(check)).ok;
  } finally {
    check.close();
  }
}

describe('an insider edits the vault between the unlock’s state check and its unlock entry', () => {
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    await populatedVault(path);
    const setup = await unlockAs(path, lead.name, lead.passphrase);
    try {
      addPerson(setup, { name: 'Pat Leaver' });
    } finally {
      setup.close();
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
    cleanup();
  });

  it('rows deleted (one statement): the unlock is refused naming the people table, nothing appended', async () => {
    const before = entries(path);
    betweenCheckAndWrite(() => expect(editVault(path, 'DELETE FROM people')).toBeGreaterThan(0));
    await expect(unlockAs(path, lead.name, lead.passphrase)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringMatching(/the people table does not match/),
    });
    expect(entries(path)).toBe(before);
  });

  it('rows deleted and the digests patched to match: refused, nothing signed, and the vault still fails verification', async () => {
    const before = entries(path);
    betweenCheckAndWrite(() => deletePeopleAndPatchDigests(path));
    await expect(unlockAs(path, lead.name, lead.passphrase)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringMatching(/state_digests does not match/),
    });
    expect(entries(path)).toBe(before);
    // Nobody's signature covers the insider's state: the next unlock still refuses it.
    expect(await verifiesAfterwards(path)).toBe(false);
  });

  it('through the console (its registry check deferred): the unlock is refused, nothing appended', async () => {
    const before = entries(path);
    betweenCheckAndWrite(() => deletePeopleAndPatchDigests(path));
    const router = consoleRouter();
    expect(await unlockAt(router, path, lead.name, lead.passphrase)).toMatchObject({
      ok: false,
      error: { code: ErrorCode.INTEGRITY },
    });
    expect(entries(path)).toBe(before);
  });

  it('another member’s audited lock meanwhile is no tampering: the unlock goes on, and the vault verifies', async () => {
    const reader = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
    const before = entries(path);
    betweenCheckAndWrite(() => reader.close());
    const session = await unlockAs(path, lead.name, lead.passphrase);
    session.close();
    // The reader's lock entry, then the lead's unlock and lock.
    expect(entries(path)).toBeGreaterThan(before + 1);
    expect(await verifiesAfterwards(path)).toBe(true);
  });
});
