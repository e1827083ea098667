import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { addPerson, listPeople } from '../../electron/vault/domain/people.ts';
import type { VaultSession } from '../../electron/vault/session.ts';
import { stateDigestStore } from '../../electron/vault/store/state-digest.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { unlockAt, consoleRouter } from '../helpers/router.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { editVault, insiderDb } from './insider.ts';

/**
 * Found in review (issue 14): the lead's console holds the vault file open, and its writer lock.
 * An insider, any member with sqlite3 on the file and no signing key, deletes the people rows and
 * makes the stored state digests match them (the digest is a function of the rows; anyone can
 * compute it). The lead's next write used to run only the key catch-up and the kept-head check,
 * so its checkpoint signed `state_digests` as the insider left them, and `audit verify` then said
 * the vault was sound: the deletion laundered through the lead's signature. SQLite's data_version
 * tells the session another connection wrote, and the write now holds the rows to the signed
 * state before anything is signed: an integrity error (exit 2), nothing signed, and the vault
 * still fails verification afterwards. A reader's own audited entries (ADR 0025) move the same
 * data_version and pass the same check.
 * On the server: tests/attacks/server-operator-edits-a-row-between-two-checks-of-an-open-session.test.ts.
 */
const lead = { name: 'Lena Lead', passphrase: PASSPHRASES.lead };

/** The insider's deletion, with the stored digests made to match the rows left. */
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

describe('an insider patches the state digests while a console is open on the vault file', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
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
  afterEach(() => cleanup());

  it('through the console: the next write is refused as an integrity error, and nothing is signed', async () => {
    const router = consoleRouter();
    expect(await unlockAt(router, path, lead.name, lead.passphrase)).toMatchObject({ ok: true });
    // Past the first screen: the console's deferred registry check has run.
    expect(await router.invoke('people.list', {})).toMatchObject({ ok: true });
    deletePeopleAndPatchDigests(path);
    const added = await router.invoke('people.add', { name: 'Kim Keeper' });
    expect(added).toMatchObject({
      ok: false,
      error: {
        code: ErrorCode.INTEGRITY,
        message: expect.stringMatching(
          /state_digests does not match the state the latest signed checkpoint commits to.*Information Security/,
        ),
      },
    });
    await router.invoke('vault.lock', {});
    expect(await verifiesAfterwards(path)).toBe(false);
  });

  describe('in a session', () => {
    let session: VaultSession | undefined;
    afterEach(() => session?.abandon());

    it('the digests patched: the write is refused naming state_digests, and the vault still fails verification', async () => {
      session = await unlockAs(path, lead.name, lead.passphrase);
      addPerson(session, { name: 'Kim Keeper' });
      deletePeopleAndPatchDigests(path);
      expect(() => addPerson(session!, { name: 'Anyone At All' })).toThrow(
        expect.objectContaining({
          code: ErrorCode.INTEGRITY,
          message: expect.stringMatching(/state_digests does not match/),
        }),
      );
      // The refusal holds: a later read of the registry is refused too.
      expect(() => listPeople(session!)).toThrow(
        expect.objectContaining({ code: ErrorCode.INTEGRITY }),
      );
      session.abandon();
      session = undefined;
      expect(await verifiesAfterwards(path)).toBe(false);
    });

    it('the rows alone deleted (sqlite3, nothing patched): the write is refused naming the people table', async () => {
      session = await unlockAs(path, lead.name, lead.passphrase);
      editVault(path, 'DELETE FROM people');
      expect(() => addPerson(session!, { name: 'Anyone At All' })).toThrow(
        expect.objectContaining({
          code: ErrorCode.INTEGRITY,
          message: expect.stringMatching(/the people table does not match/),
        }),
      );
    });

    it('nothing written by another connection: a write reads no table’s rows again (the cost stays as it was)', async () => {
      session = await unlockAs(path, lead.name, lead.passphrase);
      addPerson(session, { name: 'Kim Keeper' });
      const recompute = vi.spyOn(stateDigestStore, 'recompute');
      try {
        for (let i = 0; i < 5; i += 1) addPerson(session, { name: `Person ${i}` });
        expect(recompute).not.toHaveBeenCalled();
        // Another connection's commit, a reader's audited unlock and lock: data_version moves.
        (await unlockAs(path, 'Sam Security', PASSPHRASES.security)).close();
        recompute.mockClear();
        addPerson(session, { name: 'After another connection wrote' });
        expect(recompute).toHaveBeenCalled();
      } finally {
        recompute.mockRestore();
      }
    });

    it('a reader’s audited unlock and lock meanwhile (ADR 0025) are no tampering: the write goes on', async () => {
      session = await unlockAs(path, lead.name, lead.passphrase);
      const reader = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
      reader.close();
      addPerson(session, { name: 'Kim Keeper' });
      session.close();
      session = undefined;
      expect(await verifiesAfterwards(path)).toBe(true);
    });
  });
});
