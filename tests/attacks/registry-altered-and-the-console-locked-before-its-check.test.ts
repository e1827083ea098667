import { copyFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, removeMember } from '../../electron/vault/domain/members.ts';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';
import { VaultRouter } from '../../electron/vault/router.ts';
import { openVaultFile } from '../../electron/vault/store/connection.ts';
import { MemoryClipboard } from '../../scripts/preview/console-page.ts';
import { unlockAt } from '../helpers/router.ts';
import { ManualTimers } from '../helpers/timers.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { editVault } from './insider.ts';

/**
 * Review of ADR 0027 (issue 17, S2): a console unlock checks the registry's tables after the first
 * screen, at the console's next request. Locked before that request (the Lock button, the idle
 * timer, a suspend racing the dashboard's health request), the check ran inside the lock and its
 * failure was swallowed: the vault locked as if all were well. Decided: the lock waits for the
 * check and writes nothing if it fails; the Lock button's answer is the refusal, naming the table,
 * and the next unlock in that window checks every table before it shows anything, so whoever
 * comes back to a console that locked itself is told there.
 */
describe('a registry altered and the console locked before its check is told, not dropped (issue 17)', () => {
  const dir = tempDir();
  const altered = `${dir.dir}/altered.vault`;

  beforeAll(async () => {
    await populatedVault(altered);
    const lead = await unlockAs(altered, 'Lena Lead', PASSPHRASES.lead);
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
    // The 10.2 rotations a leaver owes, deleted to clear the finding (issue 13, attack 8).
    editVault(altered, 'DELETE FROM rotation_due');
  });
  afterAll(() => dir.cleanup());

  let copies = 0;
  const copy = () => {
    const path = `${dir.dir}/copy-${(copies += 1)}.vault`;
    copyFileSync(altered, path);
    return path;
  };
  const entries = (path: string) => {
    const db = openVaultFile(path, { create: false });
    try {
      return db.prepare('SELECT COUNT(*) FROM audit_entries').pluck().get() as number;
    } finally {
      db.close();
    }
  };
  const console = () => {
    const timers = new ManualTimers();
    const router = new VaultRouter({
      clipboard: new MemoryClipboard(),
      timers,
      files: typedPathChooser,
      autoLockMinutes: 5,
    });
    return { router, timers };
  };
  const refusedNamingRotationDue = {
    ok: false,
    error: { code: 'INTEGRITY', message: expect.stringContaining('rotation_due') },
  };

  it('Lock after the first screen answers with the refusal, and writes nothing', async () => {
    const path = copy();
    const { router } = console();
    expect(await unlockAt(router, path, 'Lena Lead', PASSPHRASES.lead)).toMatchObject({ ok: true });
    expect(await router.invoke('dashboard.get', {})).toMatchObject({ ok: true });
    const before = entries(path);
    expect(await router.invoke('vault.lock', {})).toMatchObject(refusedNamingRotationDue);
    expect(router.unlocked).toBe(false);
    expect(entries(path)).toBe(before);
  });

  it('a console that locked itself while idle refuses the next unlock, naming the table', async () => {
    const path = copy();
    const { router, timers } = console();
    expect(await unlockAt(router, path, 'Lena Lead', PASSPHRASES.lead)).toMatchObject({ ok: true });
    expect(await router.invoke('dashboard.get', {})).toMatchObject({ ok: true });
    const before = entries(path);
    timers.fire(5 * 60_000);
    expect(router.unlocked).toBe(false);
    expect(entries(path)).toBe(before);
    expect(await unlockAt(router, path, 'Lena Lead', PASSPHRASES.lead)).toMatchObject(
      refusedNamingRotationDue,
    );
  });

  it('a suspend that races the health request still surfaces at the next unlock', async () => {
    const path = copy();
    const { router } = console();
    expect(await unlockAt(router, path, 'Dev Dmt', PASSPHRASES.dmt)).toMatchObject({ ok: true });
    expect(await router.invoke('dashboard.get', {})).toMatchObject({ ok: true });
    // The window asks for health after the first paint; the lid closes before it is served.
    const health = router.invoke('dashboard.health', {});
    router.lock('suspend');
    expect(await health).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    expect(await unlockAt(router, path, 'Dev Dmt', PASSPHRASES.dmt)).toMatchObject(
      refusedNamingRotationDue,
    );
  });

  it('a vault put right again unlocks as usual afterwards', async () => {
    const path = copy();
    const { router } = console();
    expect(await unlockAt(router, path, 'Lena Lead', PASSPHRASES.lead)).toMatchObject({ ok: true });
    expect(await router.invoke('vault.lock', {})).toMatchObject(refusedNamingRotationDue);
    const good = `${dir.dir}/good.vault`;
    await populatedVault(good);
    expect(await unlockAt(router, good, 'Lena Lead', PASSPHRASES.lead)).toMatchObject({ ok: true });
    expect(await router.invoke('vault.lock', {})).toMatchObject({ ok: true });
  });
});
