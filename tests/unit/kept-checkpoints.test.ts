import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';
import { KeptCheckpointFolder, keptCheckpointDir } from '../../electron/vault/kept-checkpoints.ts';
import { VaultRouter } from '../../electron/vault/router.ts';
import { readHeader } from '../../electron/vault/store/header-store.ts';
import { MemoryClipboard } from '../../scripts/preview/console-page.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { fileHandle, unlockAt } from '../helpers/router.ts';
import { cutTrailBack } from '../helpers/trail-edits.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../helpers/vault.ts';
import { resignStateAs, signingKeysOf } from '../attacks/insider.ts';

/** The per-user folder of kept checkpoints (issue 14, ADR 0024), and the router's use of it. */
describe('where the kept checkpoint lives', () => {
  it('CUSTODIAN_CHECKPOINT_DIR first, else the OS user state folder the CLI and the console share', () => {
    expect(keptCheckpointDir({ CUSTODIAN_CHECKPOINT_DIR: '/x/kept', HOME: '/home/d' })).toBe(
      '/x/kept',
    );
    expect(keptCheckpointDir({ HOME: '/home/d' }, 'linux')).toBe(
      '/home/d/.local/state/custodian/checkpoints',
    );
    expect(keptCheckpointDir({ HOME: '/home/d', XDG_STATE_HOME: '/s' }, 'linux')).toBe(
      '/s/custodian/checkpoints',
    );
    expect(keptCheckpointDir({ HOME: '/Users/d' }, 'darwin')).toBe(
      '/Users/d/Library/Application Support/Custodian/checkpoints',
    );
    expect(
      keptCheckpointDir({ USERPROFILE: 'C:\\Users\\d', LOCALAPPDATA: 'C:\\Local' }, 'win32'),
    ).toMatch(/^C:\\Local.Custodian.checkpoints$/);
  });
});

describe('the kept checkpoint on a workstation (issue 14)', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  let folder: KeptCheckpointFolder;
  let router: VaultRouter;
  let vaultId: string;

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    await populatedVault(path);
    folder = new KeptCheckpointFolder(`${dir}/workstation/checkpoints`);
    router = new VaultRouter({
      clipboard: new MemoryClipboard(),
      files: typedPathChooser,
      keptCheckpoints: folder,
    });
    const db = new Database(path, { readonly: true });
    vaultId = readHeader(db as never)!.vault_id;
    db.close();
  });
  afterEach(() => {
    router.lock('quit');
    cleanup();
  });

  const unlock = () => unlockAt(router, path, 'Dev Dmt', PASSPHRASES.dmt);
  const entries = () => {
    const db = new Database(path, { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM audit_entries').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('the first unlock trusts on first use and says so; it keeps the head, in the user-only folder, atomically', async () => {
    const first = await unlock();
    expect(first).toMatchObject({ ok: true, value: { trustedOnFirstUse: true } });
    router.lock('asked');
    const kept = folder.read(vaultId)!;
    // The lock's own entry is the last this session wrote: what is kept is the head at lock.
    expect(kept.size).toBe(entries());
    expect(kept.frontier?.length).toBeGreaterThan(0);
    expect(kept.note).toContain(`custodian.vault/${vaultId}\n${kept.size}\n`);
    expect(statSync(folder.dir).mode & 0o777).toBe(0o700);
    expect(statSync(folder.fileOf(vaultId)).mode & 0o777).toBe(0o600);
    expect(readdirSync(folder.dir)).toEqual([`${vaultId}.checkpoint.json`]);
    const second = await unlock();
    expect(second).toMatchObject({ ok: true, value: { trustedOnFirstUse: false } });
  });

  it('a kept file that is damaged is a clear integrity error, is not trusted, and nothing is written', async () => {
    expect((await unlock()).ok).toBe(true);
    router.lock('asked');
    const file = folder.fileOf(vaultId);
    const good = readFileSync(file, 'utf8');
    const damaged = [
      'not json at all',
      '{"format":"custodian-kept-checkpoint/1"}',
      good.replace(/"size": \d+/, '"size": 2'),
      good.replace(/"vault": "[0-9a-f]+"/, `"vault": "${'0'.repeat(32)}"`),
      // The tree's right edge swapped for another's: it no longer gives the kept root.
      good.replace(
        /"hash": "[A-Za-z0-9+/=]+"/,
        `"hash": "${Buffer.alloc(32, 1).toString('base64')}"`,
      ),
      '',
    ];
    for (const text of damaged) {
      writeFileSync(file, text);
      const before = entries();
      const result = await unlock();
      expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.INTEGRITY } });
      if (result.ok) continue;
      expect(result.error.message).toContain(file);
      expect(result.error.message).toMatch(/not trusted/);
      expect(result.error.message).toMatch(/Information Security/);
      expect(entries()).toBe(before);
      // Still there, as it was: never replaced by the head it could not check.
      expect(readFileSync(file, 'utf8')).toBe(text);
    }
  });

  it('a vault created here keeps its first checkpoint at once: its first unlock is no first use', async () => {
    const created = await router.invoke('vault.create', {
      file: await fileHandle(router, `${dir}/new.vault`, 'new-vault'),
      founderName: 'Nia New',
      passphrase: 'a new founder passphrase 7',
      kdf: { memoryMib: 19, passes: 2 },
    });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const { vaultId: newId } = created.value as { vaultId: string };
    expect(folder.read(newId)?.size).toBeGreaterThan(0);
    router.lock('asked');
    const again = await unlockAt(
      router,
      `${dir}/new.vault`,
      'Nia New',
      'a new founder passphrase 7',
    );
    expect(again).toMatchObject({ ok: true, value: { trustedOnFirstUse: false } });
  });

  it('keeps only forward: a smaller checkpoint never replaces a larger one', async () => {
    expect((await unlock()).ok).toBe(true);
    router.lock('asked');
    const kept = folder.read(vaultId)!;
    folder.keep(vaultId, { ...kept, size: 1 });
    expect(folder.read(vaultId)!.size).toBe(kept.size);
  });

  it('a refresh after another member wrote advances the kept checkpoint by a consistency proof', async () => {
    const lena = await signingKeysOf(path, { name: 'Lena Lead', passphrase: PASSPHRASES.lead });
    expect((await unlock()).ok).toBe(true);
    const keptAtUnlock = folder.read(vaultId)!.size;
    // Another connection writes while this session is open: a member's own signed entry.
    resignStateAs(path, lena);
    expect(entries()).toBeGreaterThan(keptAtUnlock);
    await nextTurn();
    const listed = await router.invoke('accounts.list', {});
    expect(listed.ok).toBe(true);
    expect(folder.read(vaultId)!.size).toBe(entries());
  });

  it('a trail cut back while the console is open is refused at the next refresh, and the session locks', async () => {
    const lena = await signingKeysOf(path, { name: 'Lena Lead', passphrase: PASSPHRASES.lead });
    expect((await unlock()).ok).toBe(true);
    resignStateAs(path, lena);
    resignStateAs(path, lena);
    await nextTurn();
    expect((await router.invoke('accounts.list', {})).ok).toBe(true);
    const kept = folder.read(vaultId)!.size;
    cutTrailBack(path, kept - 3);
    await nextTurn();
    const refreshed = await router.invoke('accounts.list', {});
    expect(refreshed).toMatchObject({ ok: false, error: { code: ErrorCode.INTEGRITY } });
    if (!refreshed.ok) expect(refreshed.error.message).toMatch(/older history.*was locked/);
    expect(router.unlocked).toBe(false);
    expect(folder.read(vaultId)!.size).toBe(kept);
  });
});

/** Reads look for other writers once per turn of the event loop (session.ts): let one pass. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
