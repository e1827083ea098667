import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addPerson } from '../../electron/vault/domain/people.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { leafConfirms, tagConfirms } from './name-guesses.ts';

/**
 * Issue 13, attack 14 (names): someone with the file and the source but no passphrase guesses a
 * name ("is Sam Security on the team?", "is Jo Bloggs in the staff register?") and checks the
 * guess against what the file holds in clear. Two ways worked: the members row's lookup tag is an
 * HMAC under `name_salt`, which the header holds in clear, so one HMAC confirms a member's name;
 * and an audit entry's leaf hash is SHA-256 of the entry in canonical JSON, details included, so
 * an entry whose details are guessable (`vault.created` names the founder, `member.added` the
 * member with their id and role, `person.added` the person) confirms the guess too.
 */

describe('a guessed name cannot be confirmed from the file without a passphrase (issue 13, attack 14)', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    await populatedVault(path);
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      addPerson(lead, { name: 'Jo Bloggs', staffNo: 'DMT-0042' });
    } finally {
      lead.close();
    }
  });
  afterEach(() => cleanup());

  it('no lookup tag in the file confirms a member name', () => {
    for (const name of ['Lena Lead', 'Sam Security', 'Ada Admin']) {
      expect(tagConfirms(path, name), name).toBe(false);
    }
  });

  it('no audit leaf confirms a member or a person named in its details', () => {
    for (const name of ['Lena Lead', 'Sam Security', 'Ada Admin', 'Jo Bloggs']) {
      expect(leafConfirms(path, name), name).toBe(false);
    }
  });

  it('the members still unlock by name, in any case and width, and a wrong guess is refused', async () => {
    const sam = await unlockAs(path, '  sam SECURITY ', PASSPHRASES.security);
    expect(sam.member.name).toBe('Sam Security');
    sam.close();
    await expect(unlockAs(path, 'Sam Securit', PASSPHRASES.security)).rejects.toMatchObject({
      code: 'AUTH_FAILED',
    });
  });
});
