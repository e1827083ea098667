import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';
import { VaultRouter, type LockReason } from '../../electron/vault/router.ts';
import { openAuditDetails } from '../../electron/vault/store/audit-entry-codec.ts';
import type { AuditEntryRow } from '../../electron/vault/store/audit-store.ts';
import { MemoryClipboard } from '../../scripts/preview/console-page.ts';
import { fileHandle, unlockAt } from '../helpers/router.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';

/** The trail's last entries as stored: kind and actor, newest last. */
function lastEntries(path: string, count: number): AuditEntryRow[] {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db
        .prepare('SELECT * FROM audit_entries ORDER BY seq DESC LIMIT ?')
        .all(count) as AuditEntryRow[]
    ).reverse();
  } finally {
    db.close();
  }
}

/**
 * Issue 14 review, ADR 0032: `vault.copy` records the session's lock before its snapshot, so the
 * session can write nothing after it. The router used to keep that session open: a console went
 * on showing an unlocked vault that refused every write, and held the writer lock and the keys.
 * Now the copy ends the session (keys wiped, lock released, the window told), and the copy's own
 * `vault.copied` entry, before the lock, is in the source's trail and in the copy.
 */
describe('vault.copy through the router', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  let router: VaultRouter;
  let locks: LockReason[];

  beforeEach(async () => {
    dir = tempDir();
    path = join(dir.dir, 'team.vault');
    await populatedVault(path);
    locks = [];
    router = new VaultRouter({
      clipboard: new MemoryClipboard(),
      files: typedPathChooser,
      onLocked: (why) => locks.push(why),
    });
  });
  afterEach(() => {
    router.lock('quit');
    dir.cleanup();
  });

  it('a lead’s copy ends the session: locked, the window told, and one lock entry, after the copy’s own', async () => {
    expect((await unlockAt(router, path, 'Lena Lead', PASSPHRASES.lead)).ok).toBe(true);
    const to = join(dir.dir, 'backup.vault');
    const copied = await router.invoke('vault.copy', {
      to: await fileHandle(router, to, 'new-vault'),
    });
    expect(copied).toMatchObject({ ok: true, value: { entries: expect.any(Number) } });
    expect(router.unlocked).toBe(false);
    expect(locks).toEqual(['ended']);
    expect(await router.invoke('vault.status', {})).toMatchObject({
      ok: true,
      value: { unlocked: false, member: null },
    });
    expect(await router.invoke('accounts.list', {})).toMatchObject({
      ok: false,
      error: { code: 'AUTH_FAILED' },
    });
    // The writer lock is free: the source unlocks again at once.
    const again = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    again.close();

    const entries = (copied as { value: { entries: number } }).value.entries;
    const inCopy = lastEntries(to, 2);
    expect(inCopy.map((row) => [row.seq, row.kind])).toEqual([
      [entries - 1, 'vault.copied'],
      [entries, 'session.locked'],
    ]);
    // In the source too, with nothing of the copier's after them (Dev's unlock and lock follow).
    const inSource = lastEntries(path, 4);
    expect(inSource.map((row) => row.kind)).toEqual([
      'vault.copied',
      'session.locked',
      'session.unlocked',
      'session.locked',
    ]);
    expect(inSource[0]!.actor_id).toBe(inCopy[0]!.actor_id);
  });

  it('the copy’s entry names the kind of store and the verified head, no path; verify accepts it; the log labels it', async () => {
    expect((await unlockAt(router, path, 'Lena Lead', PASSPHRASES.lead)).ok).toBe(true);
    const to = join(dir.dir, 'secret-folder-name', '..', 'backup.vault');
    expect(
      (await router.invoke('vault.copy', { to: await fileHandle(router, to, 'new-vault') })).ok,
    ).toBe(true);
    const lead = await unlockAs(join(dir.dir, 'backup.vault'), 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(await verifyVault(lead)).toMatchObject({ ok: true });
      const row = lastEntries(join(dir.dir, 'backup.vault'), 4).find(
        (entry) => entry.kind === 'vault.copied',
      )!;
      const details = openAuditDetails(lead.keys.vault, row);
      expect(details).toMatchObject({
        to: 'file',
        verifiedEntries: row.seq - 1,
        verifiedRoot: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(JSON.stringify(details)).not.toMatch(/backup|secret-folder|\//);
    } finally {
      lead.close();
    }
    expect(
      (await unlockAt(router, join(dir.dir, 'backup.vault'), 'Sam Security', PASSPHRASES.security))
        .ok,
    ).toBe(true);
    const page = await router.invoke('audit.page', {
      offset: 0,
      limit: 10,
      filters: { kind: 'vault.copied' },
    });
    expect(page).toMatchObject({
      ok: true,
      value: {
        rows: [
          {
            event: 'vault.copied',
            label: 'Whole vault copied to a new file or server',
            actor: 'Lena Lead',
          },
        ],
      },
    });
  });

  it('a member who is not a lead is refused, and their session stays as it was', async () => {
    expect((await unlockAt(router, path, 'Dev Dmt', PASSPHRASES.dmt)).ok).toBe(true);
    const to = join(dir.dir, 'backup.vault');
    expect(
      await router.invoke('vault.copy', { to: await fileHandle(router, to, 'new-vault') }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(router.unlocked).toBe(true);
    expect((await router.invoke('accounts.list', {})).ok).toBe(true);
  });
});
