import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, removeMember } from '../../electron/vault/domain/members.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { unlockAt, consoleRouter } from '../helpers/router.ts';
import { editVault, withInsiderDb } from './insider.ts';

/**
 * Issue 17 (ADR 0027): the console's unlock checks the small first-screen tables against the
 * signed state at once and the registry's large tables just after, so the dashboard shows in
 * milliseconds. The attack of issue 13 (attack 8), `delete from rotation_due` to clear a 10.2
 * finding, must still fail: the first screen comes only from checked rows, and the very next
 * request is refused as tampering, naming the table, and locks the console; nothing the console
 * wrote in between (its unlock entry) hides the deletion from the next unlock.
 */
describe('a registry row deleted before a console unlock is refused at its first request (issue 17)', () => {
  const dir = tempDir();
  const path = `${dir.dir}/deleted.vault`;

  beforeAll(async () => {
    await populatedVault(path);
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      await addMember(lead, {
        name: 'Lee Leaver',
        role: 'dmt',
        passphrase: 'leaving dmt phrase 5',
      });
      expect(removeMember(lead, 'Lee Leaver').accountsMarked).toBe(2);
    } finally {
      lead.close();
    }
    editVault(path, 'DELETE FROM rotation_due');
  });
  afterAll(() => dir.cleanup());

  const entries = () => {
    return withInsiderDb(
      path,
      (db) => db.prepare('SELECT COUNT(*) FROM audit_entries').pluck().get() as number,
    );
  };

  it('the first screen shows, the next request is INTEGRITY naming rotation_due, and the console locks', async () => {
    const locks: string[] = [];
    const router = consoleRouter({ onLocked: (why) => locks.push(why) });
    expect(await unlockAt(router, path, 'Lena Lead', PASSPHRASES.lead)).toMatchObject({ ok: true });
    const afterUnlock = entries();
    expect(await router.invoke('dashboard.get', {})).toMatchObject({
      ok: true,
      value: { accounts: 2 },
    });
    const health = await router.invoke('dashboard.health', {});
    expect(health).toMatchObject({
      ok: false,
      error: { code: 'INTEGRITY', message: expect.stringContaining('rotation_due') },
    });
    expect(locks).toEqual(['asked']);
    expect(await router.invoke('accounts.list', {})).toMatchObject({
      ok: false,
      error: { code: 'AUTH_FAILED' },
    });
    // Locked without a word more in the trail: the refusal wrote nothing.
    expect(entries()).toBe(afterUnlock);
  });

  it('the next unlock, console or not, is still refused naming rotation_due', async () => {
    await expect(unlockAs(path, 'Lena Lead', PASSPHRASES.lead)).rejects.toMatchObject({
      code: 'INTEGRITY',
      message: expect.stringContaining('rotation_due'),
    });
    const router = consoleRouter();
    await unlockAt(router, path, 'Dev Dmt', PASSPHRASES.dmt);
    expect(await router.invoke('accounts.list', {})).toMatchObject({
      ok: false,
      error: { code: 'INTEGRITY', message: expect.stringContaining('rotation_due') },
    });
  });
});
